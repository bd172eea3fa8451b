/**
 * Knowledge base of provider rejection messages that self-hosters meet, kept as data.
 * One entry per known message: a case-insensitive regex `pattern` over the whitespace-squashed
 * diagnostic, optional `status` constraint, the reason, what it means, what to do, a link, and a
 * realistic `example` that the unit tests check against the pattern (test/unit/classify-advice.spec.ts).
 * `generic` entries are fallbacks per reason, used only when no provider entry matches.
 */
import type { Reason } from './vocabulary.ts';

export interface AdviceEntry {
  id: string;
  provider: string;
  pattern: string;
  status?: string[];
  /** regex over Remote-MTA, raises the rank of a match from that provider's hosts */
  remoteMta?: string;
  reason: Reason;
  meaning: string;
  action: string;
  link: string;
  example: string;
  generic?: boolean;
}

export const KB: AdviceEntry[] = [
  {
    id: 'telekom-nowl',
    provider: 'Deutsche Telekom (t-online.de)',
    remoteMta: 't-online\\.de',
    pattern: 'none/bad reputation|\\(NOWL\\)',
    reason: 'badreputation',
    meaning: 'Telekom accepts mail only from IPs with a known good reputation; your IP is unknown to them (not on their allowlist, "NOWL").',
    action:
      "Make sure the sending IP has a reverse DNS name that resolves back to it, the domain has a web page with an imprint/contact, then ask Telekom's postmaster (tosa@rx.t-online.de) to allowlist the IP, quoting the full rejection line.",
    link: 'https://postmaster.t-online.de/',
    example:
      '554 5.7.1 IP=192.0.2.10 - None/bad reputation (NOWL) - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.)',
  },
  {
    id: 'telekom-problem',
    provider: 'Deutsche Telekom (t-online.de)',
    remoteMta: 't-online\\.de',
    pattern: 'A problem occurred\\.? \\(Ask your postmaster|tosa@rx\\.t-online\\.de',
    reason: 'blocked',
    meaning:
      'Telekom refused the connection from your IP; the text is generic and the cause is usually reputation, missing reverse DNS or no imprint on the domain.',
    action:
      'Check reverse DNS (PTR) of the sending IP, publish an imprint page on the domain, then write to tosa@rx.t-online.de with the full rejection line and ask for the IP to be allowlisted.',
    link: 'https://postmaster.t-online.de/',
    example: '554 IP=198.51.100.7 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.)',
  },
  {
    id: 'gmail-5.7.26-unauthenticated',
    provider: 'Google Gmail',
    remoteMta: 'google\\.com',
    status: ['5.7.26', '4.7.26'],
    pattern: '5\\.7\\.26|4\\.7\\.26|unauthenticated email|is unauthenticated',
    reason: 'authfailure',
    meaning: 'Gmail rejected the message because it did not pass SPF or DKIM (and DMARC alignment) for the From domain.',
    action:
      "Publish an SPF record that includes the sending IP, sign with DKIM for the From domain, publish DMARC; check the Authentication-Results of a test message in mailcanary's report.",
    link: 'https://support.google.com/a/answer/81126',
    example: '550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.',
  },
  {
    id: 'gmail-5.7.1-reputation',
    provider: 'Google Gmail',
    remoteMta: 'google\\.com',
    status: ['5.7.1', '4.7.0', '4.7.1'],
    pattern: '(?:low|very low) reputation|likely unsolicited mail|suspicious due to the very low reputation',
    reason: 'badreputation',
    meaning: 'Gmail considers the sending IP or domain to have a low reputation and refused (or deferred) the message.',
    action:
      'Send less and only wanted mail for a while, make sure SPF/DKIM/DMARC pass, register the domain in Google Postmaster Tools to watch its reputation, and avoid shared/dynamic IP ranges.',
    link: 'https://support.google.com/mail/answer/188131',
    example: '550-5.7.1 [192.0.2.10] Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP address.',
  },
  {
    id: 'gmail-5.7.25-ptr',
    provider: 'Google Gmail',
    remoteMta: 'google\\.com',
    status: ['5.7.25', '4.7.25', '5.7.1'],
    pattern: '5\\.7\\.25|does not have a PTR record|PTR record setup|forward DNS entry does not point to the sending IP',
    reason: 'requireptr',
    meaning: 'The sending IP has no reverse DNS (PTR) or the PTR name does not resolve back to the IP. Typical on IPv6, where many hosters set no PTR.',
    action:
      'Set a PTR record for the sending IP (at your hoster) whose name resolves back to the same IP; if IPv6 has none, set one or make Postfix send over IPv4 (smtp_address_preference / inet_protocols).',
    link: 'https://support.google.com/mail/answer/81126#ip',
    example:
      '550-5.7.25 [2001:db8::25] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP.',
  },
  {
    id: 'gmail-5.7.27-spf',
    provider: 'Google Gmail',
    remoteMta: 'google\\.com',
    status: ['5.7.27', '5.7.23'],
    pattern: '5\\.7\\.27|does not pass SPF|SPF (?:check|validation)? ?fail',
    reason: 'authfailure',
    meaning: 'Gmail rejected the message because SPF failed for the sender domain (or the envelope domain has a null MX).',
    action: "Add the sending IP to the domain's SPF record (v=spf1 ip4:… ip6:… -all) and make sure the envelope sender domain has an MX.",
    link: 'https://support.google.com/a/answer/33786',
    example: '550-5.7.27 The sender address does not pass SPF. Please inspect your SPF settings.',
  },
  {
    id: 'gmail-5.7.28-rate',
    provider: 'Google Gmail',
    remoteMta: 'google\\.com',
    status: ['5.7.28', '4.7.28'],
    pattern: '[45]\\.7\\.28|unusual rate of unsolicited mail|rate limited',
    reason: 'speeding',
    meaning: 'Gmail saw an unusual rate of (unsolicited) mail from your IP and throttles or blocks it.',
    action: 'Slow down, send only to recipients who asked for the mail, and retry later; check Google Postmaster Tools for spam rate.',
    link: 'https://support.google.com/mail/answer/81126',
    example: '421-4.7.28 [192.0.2.10] Our system has detected an unusual rate of unsolicited mail originating from your IP address.',
  },
  {
    id: 'microsoft-s3150',
    provider: 'Microsoft (Outlook.com/Hotmail)',
    remoteMta: 'outlook\\.com|hotmail|protection\\.outlook',
    pattern: 'S3150',
    reason: 'blocked',
    meaning: 'Microsoft has the sending IP on its own block list (S3150).',
    action: "Request delisting at Microsoft's delisting portal (sender.office.com) for the IP; join SNDS/JMRP to watch it afterwards.",
    link: 'https://sender.office.com/',
    example:
      "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
  },
  {
    id: 'microsoft-s3140',
    provider: 'Microsoft (Outlook.com/Hotmail)',
    remoteMta: 'outlook\\.com|hotmail|protection\\.outlook',
    pattern: 'S3140',
    reason: 'blocked',
    meaning: 'Microsoft blocks the sending IP (S3140), usually an IP range with poor reputation or a new IP without history.',
    action: 'Request delisting at sender.office.com; if it recurs, open a ticket with Outlook.com sender support and register in SNDS.',
    link: 'https://sender.office.com/',
    example:
      "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).",
  },
  {
    id: 'microsoft-5.7.708',
    provider: 'Microsoft 365 / Exchange Online',
    remoteMta: 'outlook\\.com|protection\\.outlook',
    status: ['5.7.708'],
    pattern: '5\\.7\\.708|traffic not accepted from this IP',
    reason: 'badreputation',
    meaning: 'Exchange Online does not accept traffic from the IP because of its low reputation (often a new or shared IP).',
    action: 'Warm the IP up slowly, make sure SPF/DKIM/DMARC pass and request delisting at sender.office.com.',
    link: 'https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/',
    example: '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.',
  },
  {
    id: 'yahoo-tss04',
    provider: 'Yahoo/AOL',
    remoteMta: 'yahoo|aol',
    pattern: 'TSS04',
    reason: 'badreputation',
    meaning: 'Yahoo temporarily defers mail from the IP because of unexpected volume or user complaints.',
    action: "Let the queue retry later, reduce volume, check that recipients want the mail; Yahoo's Sender Hub explains the codes.",
    link: 'https://senders.yahooinc.com/smtp-error-codes/',
    example:
      '421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
  },
  {
    id: 'yahoo-tss09',
    provider: 'Yahoo/AOL',
    remoteMta: 'yahoo|aol',
    pattern: 'TSS09',
    reason: 'blocked',
    meaning: 'Yahoo defers all mail from the IP for now (TSS09), typically for poor reputation or policy reasons.',
    action: 'Stop retrying aggressively, fix authentication (SPF/DKIM/DMARC) and reverse DNS, and contact Yahoo via its Sender Hub if it persists.',
    link: 'https://senders.yahooinc.com/smtp-error-codes/',
    example:
      '421 4.7.0 [TSS09] All messages from 192.0.2.10 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes',
  },
  {
    id: 'icloud-blocked',
    provider: 'Apple iCloud Mail',
    remoteMta: 'icloud\\.com|me\\.com|apple\\.com',
    pattern: 'icloud|mail\\.me\\.com|support\\.apple\\.com/en-us/HT204137|HT204137',
    reason: 'blocked',
    meaning: "iCloud Mail refused the message because of the sending IP's reputation or policy.",
    action: "Check SPF/DKIM/DMARC and reverse DNS, then report the rejection via Apple's postmaster page (iCloud mail server information) with the full line.",
    link: 'https://support.apple.com/en-us/102322',
    example: '554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137',
  },
  {
    id: 'united-internet-policy',
    provider: 'GMX / web.de / 1&1 (United Internet)',
    remoteMta: 'gmx\\.|web\\.de|1und1|ionos|kundenserver',
    pattern: 'gmx\\.net|web\\.de|1und1|ionos|Requested action not taken: mailbox unavailable|Bitte besuchen Sie|postmaster\\.(?:gmx|web)',
    reason: 'policyviolation',
    meaning:
      'GMX, web.de and 1&1 reject mail that does not meet their sender policy: no reverse DNS, no valid HELO name, failed authentication or a listing on their own block list.',
    action:
      'Ensure PTR, HELO name and SPF/DKIM/DMARC are consistent; read the linked postmaster page for the code in the rejection and use its contact form to request unblocking.',
    link: 'https://postmaster.gmx.net/',
    example:
      '554-gmx.net (mxgmx117) Nemesis ESMTP Service not available 554-No SMTP service 554-Bad DNS PTR resource record. 554 For explanation visit https://postmaster.gmx.net/en/case?c=r0601',
  },
  {
    id: 'spamhaus-listed',
    provider: 'Spamhaus (DNSBL)',
    pattern: 'spamhaus',
    reason: 'blocked',
    meaning: 'The receiving server rejected the sending IP because it is listed on a Spamhaus block list (SBL, XBL, PBL or CSS).',
    action:
      "Look the IP up at Spamhaus' IP and Domain Reputation Checker; for PBL listings of a server IP, remove it yourself; for XBL/CSS find and fix the cause (open relay, infected host), then request removal.",
    link: 'https://check.spamhaus.org/',
    example: '554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.10',
  },
  {
    id: 'dnsbl-listed',
    provider: 'DNS block list',
    pattern: 'blocked using|listed (?:at|on|in)|blacklisted|blocklisted|dnsbl|\\brbl\\b|barracudacentral|spamcop',
    reason: 'blocked',
    meaning: 'The receiving server checks a DNS block list and found the sending IP on it.',
    action:
      "Find the list named in the rejection, look the IP up there, fix the cause (compromised account, open relay, backscatter) and follow that list's removal procedure.",
    link: 'https://mxtoolbox.com/blacklists.aspx',
    example: '550 5.7.1 Service unavailable; client [192.0.2.10] blocked using b.barracudacentral.org',
  },
  {
    id: 'cyren-ip-reputation',
    provider: 'Cyren / commercial IP reputation',
    pattern: 'cyren|commtouch|ip reputation|poor reputation|bad ip profile|reputation score',
    reason: 'badreputation',
    meaning: 'A commercial IP-reputation service used by the receiver scores the sending IP as bad.',
    action: 'Check the IP at the named service (Cyren/Commtouch IP lookup, Talos, Proofpoint) and request reclassification after fixing the cause.',
    link: 'https://talosintelligence.com/reputation_center',
    example: '550 5.7.1 Rejected: IP 192.0.2.10 has a poor reputation score (Cyren IP reputation)',
  },
  // Fallbacks per reason ----------------------------------------------------------------------
  ...(
    [
      [
        'userunknown',
        'The recipient address does not exist at the receiving domain.',
        'Check the address for typos; remove it from the seed list if it was deleted.',
      ],
      ['mailboxfull', 'The recipient mailbox is over quota.', 'Nothing to fix on the sending side; empty the seed mailbox or wait.'],
      ['hostunknown', 'The recipient domain does not exist or has no mail server.', 'Check the domain part of the address and its MX records.'],
      ['blocked', 'The receiving server refused the connection or the sending IP.', 'Check block lists, reverse DNS and HELO name of the sending IP.'],
      [
        'badreputation',
        'The receiving server distrusts the sending IP or domain.',
        'Send less, only wanted mail, with SPF/DKIM/DMARC passing; request allowlisting at the provider.',
      ],
      ['requireptr', 'The sending IP has no valid reverse DNS.', 'Set a PTR record whose name resolves back to the IP.'],
      ['authfailure', 'SPF, DKIM or DMARC failed for the sender domain.', 'Fix the DNS records and DKIM signing; check Authentication-Results in the report.'],
      ['spamdetected', 'The content was judged to be spam.', 'Review content and links of the test message; check authentication.'],
      ['policyviolation', 'The message broke a local policy of the receiver.', 'Read the rejection text for the policy; adjust content or sending setup.'],
      ['securityerror', 'A security check (authentication, TLS, policy) failed.', 'Check SMTP authentication, TLS and the sender address of your server.'],
      ['rejected', 'The sender address (envelope from) was refused.', 'Check that the envelope sender domain exists, has an MX and passes SPF.'],
      ['expired', 'Delivery was retried until the queue lifetime ran out.', 'Check connectivity to the recipient MX (port 25 outbound, DNS).'],
      ['toomanyconn', 'Too many connections or recipients at once.', 'Lower concurrency and recipients per connection in the MTA.'],
      ['speeding', 'Sending rate too high for the receiver.', 'Throttle sending and retry later.'],
      ['networkerror', 'Network or DNS problem reaching the receiver.', 'Check DNS resolution and outbound port 25.'],
      ['mesgtoobig', 'The message is larger than the receiver accepts.', 'Send smaller messages.'],
      ['failedstarttls', 'TLS was required but could not be negotiated.', 'Check the MTA TLS configuration and certificates.'],
      ['norelaying', 'The server refused to relay for you.', 'Send through your own authenticated submission server.'],
      ['filtered', "The recipient's filter refused the message.", 'Ask the recipient to allow your address; check content.'],
    ] as Array<[Reason, string, string]>
  ).map(([reason, meaning, action]): AdviceEntry => ({
    id: `generic-${reason}`,
    provider: 'generic',
    pattern: '(?!)',
    reason,
    meaning,
    action,
    link: 'https://www.rfc-editor.org/rfc/rfc3463',
    example: '',
    generic: true,
  })),
];
