/**
 * Provider rule sets: Google (Gmail and Google Workspace, formerly G Suite). Data only; see
 * providers.ts for how it is used.
 *
 * Sources, cited per rule: Google's "SMTP error reference" https://support.google.com/a/answer/3726730
 * and "SMTP relay service error messages" https://support.google.com/a/answer/6140680, as catalogued
 * with real reply texts in sisimai's per-host tables (rb-sisimai lib/sisimai/rhost/google.rb,
 * go-sisimai rhost/for-google.go and rhost/for-gsuite.go, BSD-2-Clause). The code applying them is
 * our own.
 */
import type { Provider } from './providers.ts';
import { pairs } from './providers-pairs.ts';

const G = 'Google SMTP error reference support.google.com/a/answer/3726730; sisimai rhost/google.rb';
const GO = 'Google SMTP error reference support.google.com/a/answer/3726730; sisimai rhost/for-google.go';

export const GOOGLE_PROVIDERS: Provider[] = [
  {
    name: 'Google',
    hosts: /\b(?:google\.com|googlemail\.com|gmail\.com|gsmtp|googlegroups\.com)\b|support\.google\.com\/mail/i,
    rules: [
      {
        reason: 'userunknown',
        source: G,
        phrases: [
          "because the address couldn't be found",
          'the email account that you tried to reach does not exist',
          "we weren't able to find the recipient domain",
        ],
      },
      {
        reason: 'authfailure',
        source: G,
        phrases: [
          'the spf record of the sending domain',
          'senders to authenticate with either spf or dkim',
          'fails to pass spf checks for an spf record with a hard fail',
          'has an spf record with a hard fail policy',
          "is not accepted due to domain's dmarc policy",
          'fails to pass authentication checks',
          'senders to authenticate with spf',
          'senders to authenticate their email with spf',
          'senders to authenticate their email with dkim',
          'senders to authenticate with dkim',
          'aligned with either the authenticated spf or dkim',
        ],
      },
      // 4.7.40: bulk senders must publish a DMARC record (RFC 7489 §6.1)
      { reason: 'authfailure', source: GO, codes: ['4.7.40', '5.7.40'], phrases: ['to add a dmarc record to '] },
      { reason: 'rejected', source: G, phrases: ['unauthenticated email is not accepted', 'mail sending denied'] },
      { reason: 'authfailure', source: G, phrases: ['unauthenticated email'] },
      { reason: 'badreputation', source: G, phrases: ['very low reputation of the sending', 'low reputation of the sending'] },
      {
        reason: 'blocked',
        source: G,
        phrases: [
          'ip not in whitelist for rcpt domain',
          'try again later, closing connection.',
          'empty helo/ehlo argument not allowed',
          'helo/ehlo argument is invalid',
          'an unusual rate of unsolicited mail',
          'an unusual rate of mail',
        ],
      },
      { reason: 'exceedlimit', source: G, codes: ['5.2.3'], phrases: ["exceeded google's message size limits"] },
      {
        reason: 'exceedlimit',
        source: G,
        phrases: ["exceeds google's limit of", 'message header size limit', 'bytes per individual header size', "exceeds google's header name limit of"],
      },
      { reason: 'mesgtoobig', source: G, phrases: ["exceeded google's message size limits", "exceeds google's message size limit of"] },
      { reason: 'expired', source: G, phrases: ['connection expired', 'timeout - closing connection'] },
      { reason: 'mailboxfull', source: G, phrases: ['inbox is out of storage space', 'is over quota', 'email quota exceeded'] },
      { reason: 'networkerror', source: G, phrases: ['message exceeded 50 hops'] },
      {
        reason: 'norelaying',
        source: G,
        phrases: ['mail relay denied', 'invalid credentials for relay', 'is not authorized to send email directly to our servers'],
      },
      {
        reason: 'notcompliantrfc',
        source: G,
        phrases: [
          'missing a valid address in the from: header',
          'multiple addresses in from: header are not accepted',
          'is not rfc 5322 compliant',
          'missing a valid message-id: header',
          'contains a unicode character in a disallowed header',
          'encoded-word syntax is not permitted',
          'mail message is malformed',
        ],
      },
      { reason: 'notcompliantrfc', source: G, codes: ['5.1.7'], phrases: ['is not a valid rfc 5321 address'] },
      { reason: 'userunknown', source: G, phrases: ['is not a valid rfc 5321 address'] },
      {
        reason: 'policyviolation',
        source: G,
        phrases: [
          'illegal attachment on your message',
          'blocked because its content presents a potential security issue',
          'you are sending to (or from) has a policy that prohibited',
          'sending messages with the same message-id:',
        ],
      },
      {
        reason: 'requireptr',
        source: G,
        phrases: [
          'does not meet ipv6 sending guidelines regarding ptr records',
          'does not have a ptr record',
          ' have a ptr record, or the ptr record',
          'does not match the ip address of the hostname',
          'missing ptr record',
        ],
      },
      {
        reason: 'securityerror',
        source: G,
        phrases: [
          'tls required for rcpt domain',
          'too many login attempts',
          'no identity changes permitted',
          'authentication required.',
          'application-specific password required',
          'please log in with your web browser',
          'please log in through your web browser',
          'username and password not accepted',
          'senders to use tls/ssl for smtp',
        ],
      },
      {
        reason: 'spamdetected',
        source: G,
        phrases: ['due to the nature of the content or the links within', 'likely unsolicited mail'],
      },
      {
        reason: 'speeding',
        source: G,
        phrases: [
          'receiving mail at a rate that prevents',
          'receivingrateperm',
          'receiving mail too quickly',
          'peak smtp relay limit exceeded',
          'daily sending quota exceeded',
          'daily user sending limit exceeded',
          'daily smtp relay limit exceeded',
          'daily smtp relay sending limit exceeded',
          'this mail has been rate limited',
        ],
      },
      { reason: 'suspend', source: G, phrases: ['account that you tried to reach is disabled', 'account that you tried to reach is inactive'] },
      {
        reason: 'syntaxerror',
        source: G,
        phrases: [
          'smtp protocol violation',
          'optional argument not permitted',
          'starttls may not be repeated',
          // RFC 3207 §4: a command other than EHLO/STARTTLS before TLS is out of sequence
          'must issue a starttls command first',
          'too many unrecognized commands',
          'unimplemented command',
          'unrecognized command',
          'bad sequence of commands',
          'no data after bdat',
          'unrecognized authentication type',
          'too many unauthenticated commands',
          'xoauth is no longer supported',
        ],
      },
      // Google's short replies name a cause only under the code it documents them with
      ...pairs('syntaxerror', GO, [
        ['5.7.11', 'syntax error'],
        ['5.5.2', 'syntax error'],
        ['5.5.1', 'ehlo/helo first'],
        ['5.5.1', 'mail first'],
        ['5.5.1', 'rcpt first'],
      ]),
      // "cannot decode response" to AUTH without "syntax error" is a rejected credential exchange
      ...pairs('securityerror', GO, [['5.5.2', 'cannot decode response']]),
      ...pairs('systemerror', GO, [['4.4.5', 'server busy']]),
      {
        reason: 'systemerror',
        source: G,
        phrases: [
          'temporary system problem',
          'multiple destination domains per transaction is unsupported',
          'mail server has temporarily rejected this message',
          'mail server temporarily rejected message',
          'domain policy size per transaction exceeded',
        ],
      },
      { reason: 'toomanyconn', source: G, phrases: ['your message has too many recipients', 'too many recipients for this sender'] },
      { reason: 'notaccept', source: G, phrases: ['null mx'] },
      { reason: 'hostunknown', source: G, phrases: ['domain name not found', 'responded with code nxdomain'], klass: '5' },
      { reason: 'networkerror', source: G, phrases: ['domain name not found', 'responded with code nxdomain', 'had no relevant answers'], klass: '4' },
    ],
  },
];
