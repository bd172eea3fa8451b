/**
 * Provider rule sets: the other global mailbox providers (Yahoo/AOL, Apple iCloud); Google and
 * Microsoft have files of their own. Data only; see providers.ts for how it is used.
 *
 * Sources, cited per rule: the providers' own error pages (Yahoo Sender Hub
 * https://senders.yahooinc.com/smtp-error-codes/, Apple https://support.apple.com/en-us/102322),
 * as catalogued with real reply texts in sisimai's per-host tables
 * (https://github.com/sisimai/rb-sisimai lib/sisimai/rhost/*.rb, go-sisimai rhost/for-*.go,
 * BSD-2-Clause). The code applying them is our own.
 */
import type { Provider } from './providers.ts';

const Y = 'Yahoo Sender Hub senders.yahooinc.com/smtp-error-codes; sisimai rhost/yahooinc.rb, rhost/aol.rb';
const YTS = 'Yahoo help "421 4.7.1 [TS03] All messages from x.x.x.x permanently deferred" (help.yahoo.com SLN3436), Yahoo Sender Hub TS* deferrals';
const A = 'Apple iCloud postmaster support.apple.com/en-us/102322; sisimai rhost/apple.rb';

export const GLOBAL_PROVIDERS: Provider[] = [
  {
    name: 'Yahoo',
    hosts: /\b(?:yahoo\.com|yahoo\.co\.jp|yahoodns\.net|yahooinc\.com|verizonmedia\.com|aol\.com|aol\.jp|postmaster\.yahoo)\b/i,
    rules: [
      // TSS04 answered to MAIL FROM refuses the sender; the same text at other stages is about reputation
      { reason: 'rejected', source: Y, phrases: ['temporarily deferred due to unexpected volume or user complaints'], command: 'MAIL' },
      { reason: 'badreputation', source: Y, phrases: ['temporarily deferred due to unexpected volume or user complaints'] },
      { reason: 'authfailure', source: Y, phrases: ['requires all senders to authenticate'] },
      { reason: 'rejected', source: Y, phrases: [' will be permanently deferred', 'unresolvable rfc.5321'] },
      // the older TS codes: TS01/TS02 defer for complaints or unusual traffic, TS03 refuses every
      // message of the IP ("421 4.7.1 [TS03] All messages from x.x.x.x permanently deferred")
      { reason: 'rejected', source: YTS, patterns: [/\[ts03\]/] },
      { reason: 'rejected', source: YTS, patterns: [/\[ts0[12]\]/], command: 'MAIL' },
      { reason: 'badreputation', source: YTS, patterns: [/\[ts0[12]\]/] },
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
