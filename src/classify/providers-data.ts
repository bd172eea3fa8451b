/**
 * Provider rule sets, part 1: the global mailbox providers (Google, Microsoft 365 / Outlook.com,
 * Exchange on-premises, Yahoo/AOL, Apple iCloud). Data only; see providers.ts for how it is used.
 *
 * Sources, cited per rule: the providers' own error pages (Google "SMTP error reference"
 * https://support.google.com/a/answer/3726730, Microsoft "Email non-delivery reports and SMTP
 * errors in Exchange Online" https://learn.microsoft.com/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online,
 * Yahoo Sender Hub https://senders.yahooinc.com/smtp-error-codes/, Apple
 * https://support.apple.com/en-us/102322), as catalogued with real reply texts in sisimai's
 * per-host tables (https://github.com/sisimai/rb-sisimai lib/sisimai/rhost/*.rb and
 * lib/sisimai/lhost/exchange200{3,7}.rb, BSD-2-Clause). The code applying them is our own.
 */
import type { Provider } from './providers.ts';

const G = 'Google SMTP error reference support.google.com/a/answer/3726730; sisimai rhost/google.rb';
const MS = 'Microsoft Exchange Online NDR reference (learn.microsoft.com); sisimai rhost/microsoft.rb';
const EX = 'Microsoft Exchange Server NDR/DSN codes; sisimai lhost/exchange2007.rb, lhost/exchange2003.rb';
const Y = 'Yahoo Sender Hub senders.yahooinc.com/smtp-error-codes; sisimai rhost/yahooinc.rb, rhost/aol.rb';
const A = 'Apple iCloud postmaster support.apple.com/en-us/102322; sisimai rhost/apple.rb';

export const GLOBAL_PROVIDERS: Provider[] = [
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
          'does not meet the required authentication level',
        ],
      },
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
        phrases: [
          'rejected due to spam classification',
          'has been blocked because it looks like spam',
          'due to the nature of the content or the links within',
          'likely unsolicited mail',
        ],
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
          'too many unrecognized commands',
          'unimplemented command',
          'unrecognized command',
          'bad sequence of commands',
          'no data after bdat',
          'unrecognized authentication type',
          'too many unauthenticated commands',
        ],
      },
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
  {
    name: 'Microsoft',
    hosts:
      /\b(?:outlook\.com|hotmail\.com|live\.com|msn\.com|protection\.outlook|exchangelabs\.com|office365|prod\.outlook|outlook\.office365\.com|postmaster\.live\.com)\b|\(s3\d{3}\)|\(as\d{3,}\)/i,
    rules: [
      // Exchange Online's own enhanced codes (x.7.5xx-9xx and the three-digit details) are not in
      // the IANA registry: under Microsoft each documents one cause.
      {
        reason: 'rejected',
        source: MS,
        codes: ['5.7.501-503', '5.7.512', '5.7.750', '5.7.12', '5.7.124', '5.7.133', '5.7.134', '5.7.135', '5.7.136', '5.1.8'],
      },
      { reason: 'suspend', source: MS, codes: ['5.7.504-505'] },
      { reason: 'blocked', source: MS, codes: ['5.7.506', '5.7.507', '5.7.510', '5.7.511', '5.7.513', '5.7.606-649', '4.7.850-899'] },
      { reason: 'speeding', source: MS, codes: ['5.7.508', '5.7.700-749', '5.2.121', '5.2.122', '5.1.90'] },
      { reason: 'authfailure', source: MS, codes: ['5.7.509', '5.7.23', '4.7.323-325', '5.7.322-325'] },
      { reason: 'policyviolation', source: MS, codes: ['5.7.900-999'] },
      { reason: 'badreputation', source: MS, codes: ['4.7.650'] },
      { reason: 'systemerror', source: MS, codes: ['4.7.500', '4.7.700', '4.4.318', '5.4.318', '4.4.24', '4.4.25', '4.4.28', '5.3.190'] },
      { reason: 'blocked', source: MS, codes: ['4.7.501-699'] },
      { reason: 'userunknown', source: MS, codes: ['5.1.10'] },
      {
        reason: 'userunknown',
        source: MS,
        codes: ['5.4.1', '5.5.0'],
        phrases: ['recipient address rejected: access denied', 'requested action not taken: mailbox unavailable'],
      },
      { reason: 'expired', source: MS, codes: ['5.4.300'] },
      { reason: 'networkerror', source: MS, codes: ['4.4.316'] },
      { reason: 'securityerror', source: MS, codes: ['5.7.57', '4.4.317', '5.4.317', '4.7.321', '5.7.321'] },
      { reason: 'norelaying', source: MS, codes: ['5.7.64'] },
      { reason: 'contenterror', source: MS, codes: ['5.6.11'] },
      { reason: 'speeding', source: MS, phrases: ['recipient thread limit exceeded', 'submission quota exceeded', 'has exceeded permitted limits within'] },
      {
        reason: 'userunknown',
        source: MS,
        phrases: [
          'recipient address rejected: access denied',
          'resolver.adr.recipientnotfound',
          'resolver.adr.recipnotfound',
          'resolver.adr.exrecipnotfound',
          'requested action not taken: mailbox unavailable',
          'recipient not found by smtp address lookup',
        ],
      },
      { reason: 'networkerror', source: MS, phrases: ['dns query failed'] },
      // Outlook.com's "(S3xxx)" tags mark a sending IP on its block list
      {
        reason: 'blocked',
        source: 'Outlook.com postmaster sendersupport.olc.protection.outlook.com; sisimai rhost/microsoft.rb (S3150)',
        patterns: [/\(s3\d{3}\)/],
      },
      { reason: 'badreputation', source: MS, phrases: ['rate limited due to ip reputation'] },
      {
        reason: 'blocked',
        source: MS,
        phrases: [
          'banned sending ip',
          'traffic not accepted from this ip',
          'part of their network is on our block list',
          'using customer block list',
          'access denied, bad helo',
          'access denied, please try again later',
        ],
      },
      {
        reason: 'rejected',
        source: MS,
        phrases: [
          'access denied, banned sender',
          'sending domain is blocked',
          'access denied, spam abuse detected',
          'sender not in allowed-senders list',
          'sender was not authenticated',
        ],
      },
      { reason: 'authfailure', source: MS, phrases: ['does not pass dmarc verification', 'must pass either spf or dkim validation'] },
      { reason: 'mailboxfull', source: MS, phrases: ['mailbox full', 'recipient mailbox is full'] },
      { reason: 'norelaying', source: MS, phrases: ['unable to relay', 'relay access denied'] },
      { reason: 'policyviolation', source: MS, phrases: ['policy violation detected (as345)', 'x-dg-ref header is too long'] },
    ],
  },
  {
    // Exchange Server (on-premises) names its reason in a transport component code
    name: 'ExchangeServer',
    hosts: /\b(?:resolver\.(?:adr|rst)\.\w+|queue\.expired|msexch:|smtpsend\.dns\.\w+|storedrv\.\w+)|\(000[0-9a-f]{5}\)|microsoft exchange/i,
    rules: [
      {
        reason: 'userunknown',
        source: EX,
        phrases: ['resolver.adr.recipnotfound', 'resolver.adr.exrecipnotfound', '(000c05a6)', 'storedrv.submit; invalid recipient address'],
      },
      { reason: 'hostunknown', source: EX, phrases: ['smtpsend.dns.nonexistentdomain'] },
      { reason: 'networkerror', source: EX, phrases: ['smtpsend.dns.mxloopback', '(00120270)', 'hop count exceeded - possible mail loop'] },
      {
        reason: 'systemerror',
        source: EX,
        phrases: ['resolver.adr.badprimary', 'resolver.adr.invalidinsmtp', 'resolver.adr.ambiguous', '(00010256)', '(000d06b5)'],
      },
      { reason: 'toomanyconn', source: EX, phrases: ['resolver.adr.reciplimit'] },
      { reason: 'securityerror', source: EX, phrases: ['resolver.rst.authrequired'] },
      { reason: 'rejected', source: EX, phrases: ['resolver.rst.notauthorized'] },
      // the recipient's own size limit (RFC 3463 5.2.3), not the system's (5.3.4)
      { reason: 'exceedlimit', source: EX, phrases: ['resolver.rst.recipsizelimit'] },
      { reason: 'expired', source: EX, phrases: ['queue.expired'] },
      { reason: 'filtered', source: EX, phrases: ['(000c0595)'] },
      { reason: 'contenterror', source: EX, phrases: ['(00050311)', '(000502cc)'] },
      { reason: 'notaccept', source: EX, phrases: ['missing or bad storedriver mdb properties'] },
      { reason: 'spamdetected', source: EX, phrases: ['content filter agent quarantined this message'] },
    ],
  },
  {
    name: 'Yahoo',
    hosts: /\b(?:yahoo\.com|yahoo\.co\.jp|yahoodns\.net|yahooinc\.com|verizonmedia\.com|aol\.com|aol\.jp|postmaster\.yahoo)\b/i,
    rules: [
      // TSS04 answered to MAIL FROM refuses the sender; the same text at other stages is about reputation
      { reason: 'rejected', source: Y, phrases: ['temporarily deferred due to unexpected volume or user complaints'], command: 'MAIL' },
      { reason: 'badreputation', source: Y, phrases: ['temporarily deferred due to unexpected volume or user complaints'] },
      { reason: 'authfailure', source: Y, phrases: ['requires all senders to authenticate'] },
      { reason: 'rejected', source: Y, phrases: [' will be permanently deferred', 'unresolvable rfc.5321'] },
      { reason: 'userunknown', source: Y, phrases: ["dd this user doesn't have a ", 'mailbox not found'] },
      { reason: 'suspend', source: Y, phrases: [' is no longer valid.', 'this mailbox is disabled'] },
      { reason: 'speeding', source: Y, phrases: ['user is receiving mail too quickly'] },
      { reason: 'blocked', source: Y, phrases: ["because the ip is in spamhaus's list", 'not accepted from ip addresses on spamhaus'] },
      { reason: 'norelaying', source: Y, phrases: ['relaying denied for '] },
      { reason: 'notcompliantrfc', source: Y, phrases: ['headers are not rfc compliant'] },
      { reason: 'policyviolation', source: Y, phrases: ['not accepted for policy reasons'] },
      { reason: 'syntaxerror', source: Y, phrases: ['syntax error in parameters or arguments'] },
      { reason: 'toomanyconn', source: Y, phrases: ['max message per connection reached'] },
      { reason: 'notaccept', source: Y, phrases: ['type=mx: malformed or unexpected name server reply'] },
    ],
  },
  {
    name: 'Apple',
    hosts: /\b(?:icloud\.com|me\.com|mac\.com|apple\.com)\b|support\.apple\.com/i,
    rules: [
      { reason: 'authfailure', source: A, phrases: ["'s dmarc policy", 'blocked for failing both spf and dkim'] },
      {
        reason: 'blocked',
        source: A,
        phrases: [
          'rejected due to having a domain present in the spamhaus',
          'rejected due to listing in spamhaus',
          'blocked - see https://support.proofpoint.com/dnsbl-lookup',
          'not accepting connections',
        ],
      },
      { reason: 'hasmoved', source: A, phrases: ['recipient no longer on server'] },
      { reason: 'mailboxfull', source: A, phrases: ['user is over quota'] },
      { reason: 'norelaying', source: A, phrases: ['relay access denied'] },
      { reason: 'notaccept', source: A, phrases: ['host/domain does not accept mail'] },
      { reason: 'policyviolation', source: A, phrases: ['due to local policy'] },
      { reason: 'rejected', source: A, phrases: ['sender address rejected'] },
      { reason: 'speeding', source: A, phrases: ['due to excessive volume'] },
      { reason: 'userunknown', source: A, phrases: ['inactive email address', 'user does not exist', 'unknown or illegal alias'] },
    ],
  },
];
