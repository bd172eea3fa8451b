/**
 * Provider rule sets: Microsoft 365 / Exchange Online, Outlook.com and Exchange Server on-premises.
 * Data only; see providers.ts for how it is used.
 *
 * Sources, cited per rule: "Email non-delivery reports and SMTP errors in Exchange Online"
 * https://learn.microsoft.com/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online,
 * "DSNs and NDRs in Exchange Server" https://learn.microsoft.com/exchange/mail-flow/non-delivery-reports-and-bounce-messages,
 * the Outlook.com postmaster troubleshooting codes (RP-/SC-/DY-/OU-nnn), as catalogued with real
 * reply texts in sisimai's per-host tables (rb-sisimai lib/sisimai/rhost/microsoft.rb,
 * lib/sisimai/lhost/exchange200{3,7}.rb; go-sisimai rhost/for-microsoft.go, rhost/for-outlook.go,
 * BSD-2-Clause). The code applying them is our own.
 */
import type { Provider, ProviderRule } from './providers.ts';
import { pairs } from './providers-pairs.ts';

const MS = 'Microsoft Exchange Online NDR reference (learn.microsoft.com); sisimai rhost/microsoft.rb';
const MSG = 'Microsoft Exchange Online and Exchange Server NDR reference (learn.microsoft.com); sisimai rhost/for-microsoft.go';
const EX = 'Microsoft Exchange Server NDR/DSN codes; sisimai lhost/exchange2007.rb, lhost/exchange2003.rb';
const OLC =
  'Outlook.com postmaster troubleshooting (substrate.office.com/ip-domain-management-snds/postmaster/troubleshooting); sisimai rhost/for-microsoft.go';
const OL = 'Outlook.com; sisimai rhost/for-outlook.go';
const MS515 =
  'Microsoft Learn "Fix NDR error 550 5.7.515 in Outlook.com" (learn.microsoft.com/exchange/troubleshoot/email-delivery/ndr/fix-error-code-550-5-7-515)';
const MSNF =
  'Microsoft Learn "Fix NDR error 550 5.1.1" and "Fix email delivery issues for error code 5.1.10 in Exchange Online" (learn.microsoft.com/exchange/troubleshoot/email-delivery/ndr/)';

/** `[status code, wording]` pairs Exchange documents together. */
const MICROSOFT_PAIRS: ProviderRule[] = [
  ...pairs('blocked', MSG, [
    ['5.7.25', 'must have a reverse dns record'],
    ['5.5.4', 'invalid domain name'],
    // an inbound connector restricted to IPs or a certificate refuses this sender's connection
    ['5.7.51', 'restrictdomainstoipaddresses or restrictdomainstocertificate'],
    ['5.7.507', 'access denied, rejected by recipient'],
    ['5.7.510', 'does not accept email over ipv6'],
  ]),
  ...pairs('contenterror', MSG, [
    ['5.3.0', 'too many related errors'],
    ['5.4.11', 'agent generated message depth exceeded'],
    ['5.5.6', 'invalid message content'],
    ['5.6.11', 'message contains bare linefeeds'],
  ]),
  // RFC 8461 §5 (MTA-STS) and verified-certificate failures of the session's STARTTLS (RFC 3207)
  ...pairs('failedstarttls', MSG, [
    ['4.4.8', ' failed mta-sts validation'],
    ['5.4.8', ' failed mta-sts validation'],
    ['4.7.5', 'remote certificate failed mta-sts validation'],
    ['5.7.5', 'remote certificate failed mta-sts validation'],
  ]),
  ...pairs('expired', MSG, [['5.4.316', 'message expired']]),
  ...pairs('networkerror', MSG, [
    ['5.4.6', 'hop count exceeded - possible mail loop'],
    ['4.4.316', 'connection refused'],
    ['5.4.316', 'connection refused'],
    ['5.4.4', 'invalid arguments'],
    ['5.4.6', 'routing loop detected'],
    ['5.4.14', 'routing loop detected'],
  ]),
  ...pairs('notaccept', MSG, [['4.4.4', 'hosted tenant which has no mail-enabled subscriptions']]),
  ...pairs('rejected', MSG, [
    ['5.1.7', 'invalid address'],
    ['5.1.7', 'unknown sender address'],
    ['5.7.1', 'delivery not authorized'],
    ['5.1.8', 'access denied, bad outbound sender'],
    ['5.7.133', 'sender not authenticated for group'],
    ['5.7.512', 'message must be rfc 5322 section 3.6.2 compliant'],
    ['5.7.750', 'client blocked from sending from unregistered domains'],
  ]),
  ...pairs('policyviolation', MSG, [['5.7.901', 'delivery not authorized, message refused']]),
  ...pairs('securityerror', MSG, [
    ['5.7.3', 'cannot achieve exchange server authentication'],
    ['5.7.57', 'not authenticated to send anonymous mail during mail from'],
  ]),
  ...pairs('spamdetected', MSG, [['5.2.1', 'content filter agent quarantined this message']]),
  ...pairs('speeding', MSG, [['4.7.652', 'has exceeded the maximum number of connections']]),
  ...pairs('suspend', MSG, [
    ['5.2.1', 'mailbox cannot be accessed'],
    ['5.7.505', 'access denied, banned recipient'],
  ]),
  ...pairs('syntaxerror', MSG, [
    ['5.3.3', 'unrecognized command'],
    ['5.5.2', 'send hello first'],
  ]),
  ...pairs('systemerror', MSG, [
    ['4.3.2', 'service not available'],
    ['4.3.2', 'service not active'],
    ['5.3.5', 'system incorrectly configured'],
    ['5.0.0', 'helo / ehlo requires domain address'],
    ['5.1.4', 'destination mailbox address ambiguous'],
    ['5.2.4', 'mailing list expansion problem'],
    ['5.2.14', 'misconfigured forwarding address'],
    ['4.4.22-28', 'message failed to be replicated:'],
    ['4.4.3', 'temporary server error. please try again later attr18'],
    ['4.7.0', 'temporary server error. please try again later. prx4 nexthop:'],
    ['5.3.190', 'journaling on-premises messages to microsoft 365 not supported'],
    ['4.4.318', 'connection was closed abruptly (suspiciousremoteservererror)'],
    ['5.4.318', 'connection reset (suspiciousremoteservererror)'],
  ]),
  ...pairs('userunknown', MSG, [
    ['5.1.4-5', 'recipient address reserved by rfc 2606'],
    ['5.1.6', 'recipient addresses in single label domains not accepted'],
    ['5.1.2', 'invalid x.400 address'],
    ['5.1.351', 'remote server returned unknown recipient or mailbox unavailable'],
    ['5.1.1', 'bad destination mailbox address'],
  ]),
];

export const MICROSOFT_PROVIDERS: Provider[] = [
  {
    name: 'Microsoft',
    hosts:
      /\b(?:outlook\.com|hotmail\.com|live\.com|msn\.com|protection\.outlook|exchangelabs\.com|onmicrosoft\.com|office365|prod\.outlook|outlook\.office365\.com|postmaster\.live\.com)\b|\(s3\d{3}\)|\(as\d{3,}\)/i,
    rules: [
      // Outlook.com's postmaster codes: under 421 a rate limit from reputation, under 550 a refusal
      { reason: 'badreputation', source: OLC, klass: '4', patterns: [/\brp-001\b/, /\brp-002\b/, /\brp-003\b/] },
      { reason: 'badreputation', source: OLC, klass: '5', patterns: [/\bsc-001\b/, /\bou-002\b/] },
      { reason: 'policyviolation', source: OLC, klass: '5', patterns: [/\bsc-002\b/] },
      { reason: 'blocked', source: OLC, klass: '5', patterns: [/\bsc-003\b/, /\bsc-004\b/, /\bdy-001\b/, /\bou-001\b/] },
      { reason: 'virusdetected', source: OLC, klass: '5', patterns: [/\bdy-002\b/] },
      { reason: 'hostunknown', source: OL, phrases: ['the mail could not be delivered to the recipient because the domain is not reachable'] },
      // A wording Exchange documents under one code decides before the code alone does
      ...MICROSOFT_PAIRS,
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
      // 5.7.515: the 5322.From domain does not meet the authentication level its sender must have
      { reason: 'authfailure', source: MSG, codes: ['5.7.515'] },
      { reason: 'authfailure', source: MS515, phrases: ['does not meet the required authentication level'] },
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
        phrases: ['recipient address rejected: access denied', 'resolver.adr.exrecipnotfound', 'requested action not taken: mailbox unavailable'],
      },
      // the categorizer's own words for an address no directory has (5.1.1 on-premises, 5.1.10 online)
      {
        reason: 'userunknown',
        source: MSNF,
        phrases: ['resolver.adr.recipnotfound', 'resolver.adr.recipientnotfound', 'recipient not found by smtp address lookup'],
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
        phrases: ['access denied, banned sender', 'access denied, spam abuse detected', 'sender not in allowed-senders list', 'sender was not authenticated'],
      },
      { reason: 'authfailure', source: MS, phrases: ['does not pass dmarc verification', 'must pass either spf or dkim validation'] },
      { reason: 'mailboxfull', source: MS, phrases: ['mailbox full'] },
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
];
