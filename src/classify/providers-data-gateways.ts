/**
 * Provider rule sets: mail security gateways and forwarding services that answer for their
 * customers' domains (Symantec/Broadcom Email Security.cloud alias MessageLabs, Mimecast,
 * Cloudflare Email Routing), and services that publish their own refusal codes (Zoho Mail,
 * Facebook, I.UA). Data only; see providers.ts for how it is used.
 *
 * Sources, cited per rule: the services' own error-code pages, as catalogued with real reply texts
 * in sisimai's per-host tables (rb-sisimai lib/sisimai/rhost/*.rb, go-sisimai rhost/for-*.go,
 * BSD-2-Clause). The code applying them is our own.
 */
import type { Provider, ProviderRule } from './providers.ts';
import type { Reason } from './vocabulary.ts';

const ML = 'Broadcom Email Security.cloud error codes knowledge.broadcom.com/external/article/169652; sisimai rhost/for-messagelabs.go';
const MC = 'Mimecast SMTP error codes community.mimecast.com/s/article/email-security-cloud-gateway-mimecast-smtp-error-codes; sisimai rhost/for-mimecast.go';
const CF = 'Cloudflare Email Routing postmaster developers.cloudflare.com/email-routing/postmaster; sisimai rhost/for-cloudflare.go';
const ZO = 'Zoho Mail SMTP errors zoho.com/mail/help, smtpfieldmanual.com/provider/zoho; sisimai rhost/for-zoho.go';
const FB = 'Facebook postmaster response codes facebook.com/postmaster/response_codes; sisimai rhost/for-facebook.go, rhost/facebook.rb';
const IUA = 'I.UA mail error pages mail.i.ua/err/<n>/; sisimai rhost/for-iua.go';

/** Mimecast's documented replies; the class decides where Mimecast uses one wording under 4xx only. */
const MIMECAST_RULES: ProviderRule[] = [
  { reason: 'badreputation', source: MC, klass: '4', phrases: ['internal resources are temporarily unavailable'] },
  { reason: 'badreputation', source: MC, phrases: ['local ct ip reputation - (reject)'] },
  { reason: 'blocked', source: MC, klass: '4', phrases: ['sender address blocked', 'recipient temporarily unavailable', 'ip temporarily blacklisted'] },
  { reason: 'expired', source: MC, phrases: ['journal messages past the expiration'] },
  // TLS the route's policy requires and the session did not meet, as sisimai's rhost/mimecast.rb
  // and the other providers' TLS demands here have it
  {
    reason: 'securityerror',
    source: MC,
    phrases: [
      'this route requires encryption (tls)',
      'this route requires tls version 1.2 or greater',
      'this route requires high-strength ciphers',
      'configuration is invalid for this certificate',
    ],
  },
  { reason: 'mesgtoobig', source: MC, phrases: ['maximum email size exceeded'] },
  { reason: 'networkerror', source: MC, phrases: ['the incorrect hostname used for inbounds', 'mail loop detected'] },
  { reason: 'norelaying', source: MC, phrases: ['open relay not allowed', 'open relay is not allowed'] },
  { reason: 'notaccept', source: MC, phrases: ['account inbounds disabled'] },
  // the sending customer's own account is switched off: nothing is wrong with the message
  { reason: 'onhold', source: MC, phrases: ['account outbounds disabled', 'hostname is not authorized', 'journal message past expiration'] },
  {
    reason: 'policyviolation',
    source: MC,
    phrases: [
      'anti-spoofing policy - inbound not allowed',
      'rejected by header-based anti-spoofing policy',
      'message bounced due to content examination policy',
      'host network not allowed',
      'host network, not allowed',
    ],
  },
  {
    reason: 'rejected',
    source: MC,
    phrases: [
      'administrative prohibition envelope blocked',
      'envelope blocked - user entry',
      'envelope blocked - user domain entry',
      'rejected by header-based manually blocked senders',
      'rejected by header-based blocked senders',
      'envelope rejected - block policy for envelope from address',
    ],
  },
  { reason: 'securityerror', source: MC, phrases: ['incorrect authentication data', 'submitter failed to disabled', 'submitter failed to authenticate'] },
  {
    reason: 'systemerror',
    source: MC,
    klass: '4',
    phrases: ['unable to process connection at this time', 'message ended early', 'unable to process command', 'unable to process an email at this time'],
  },
  { reason: 'toomanyconn', source: MC, phrases: ['account service is temporarily unavailable', 'too many recipients', 'exceeding outbound thread limit'] },
  { reason: 'userunknown', source: MC, klass: '5', phrases: ['invalid address', 'user unknown'] },
];

/** Facebook's `<area>-<P|T><n>` response codes (P permanent, T temporary). */
const FACEBOOK_CODES: Record<string, Reason> = {
  // POL-P7 is the Domain Authentication requirement, POL-P8 the abuse policies
  'POL-P7': 'authfailure',
  'POL-P1': 'blocked',
  'POL-P2': 'blocked',
  'POL-P3': 'blocked',
  'POL-P4': 'blocked',
  'POL-T1': 'blocked',
  'POL-T2': 'blocked',
  'POL-T3': 'blocked',
  'MSG-P2': 'contenterror',
  'RCP-P2': 'filtered',
  'RCP-P3': 'filtered',
  'MSG-P1': 'mesgtoobig',
  'INT-P2': 'mesgtoobig',
  'MSG-P3': 'notcompliantrfc',
  'DNS-P1': 'rejected',
  'DNS-P2': 'rejected',
  'DNS-T1': 'rejected',
  'DNS-P3': 'requireptr',
  'DNS-T2': 'requireptr',
  'POL-P6': 'spamdetected',
  'RCP-T4': 'suspend',
  'RCP-T1': 'systemerror',
  'CON-T1': 'toomanyconn',
  'CON-T2': 'toomanyconn',
  'CON-T3': 'toomanyconn',
  'CON-T4': 'toomanyconn',
  'MSG-T1': 'toomanyconn',
  'RCP-P1': 'userunknown',
  'INT-P1': 'userunknown',
  'INT-P3': 'userunknown',
  'INT-P4': 'userunknown',
  'POL-P5': 'virusdetected',
  'INT-P7': 'mailboxfull',
  'POL-P8': 'policyviolation',
  // INT-Tn: a temporary issue inside Facebook's own system
  ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`INT-T${i + 1}`, 'systemerror' as const])),
};

export const GATEWAY_PROVIDERS: Provider[] = [
  {
    name: 'MessageLabs',
    hosts: /\b(?:messagelabs\.com|symanteccloud\.com|email security\.cloud)\b/i,
    rules: [
      { reason: 'securityerror', source: 'sisimai rhost/messagelabs.rb', phrases: ['please turn on smtp authentication'] },
      {
        reason: 'userunknown',
        source: 'sisimai rhost/messagelabs.rb',
        phrases: ['no such user', 'invalid recipient', 'recipient mailbox is not allowed', 'mailbox is not allowed'],
      },
      { reason: 'badreputation', source: 'sisimai rhost/messagelabs.rb', phrases: ['connection rejected by policy'] },
      {
        reason: 'rejected',
        source: 'sisimai rhost/messagelabs.rb',
        phrases: [
          'sender envelope domain not allowed',
          'your domain has been blocked',
          'your email address has been blocked',
          'badmailfrom list',
          'has been blacklisted',
        ],
      },
      { reason: 'blocked', source: 'sisimai rhost/messagelabs.rb', phrases: ['your ip is in the pbl', 'your ip address has been '] },
      { reason: 'spamdetected', source: 'sisimai rhost/messagelabs.rb', phrases: ['message filtered', 'filtered by outbound scanning'] },
      { reason: 'failedstarttls', source: 'sisimai rhost/messagelabs.rb', phrases: ['tls/sslv3 connection required'] },
      { reason: 'toomanyconn', source: 'sisimai rhost/messagelabs.rb', phrases: ['too many recipients received this hour', 'too many messages'] },
      // Email Security.cloud's RFC 5322 refusals (knowledge.broadcom.com/external/article/169652)
      { reason: 'notcompliantrfc', source: ML, phrases: ['550 requested action aborted [4]', 'has detected that this message is not rfc 5322'] },
      { reason: 'authfailure', source: ML, phrases: ['domain authentication fail'] },
      { reason: 'contenterror', source: ML, phrases: ['stray linefeeds in message'] },
      { reason: 'norelaying', source: ML, phrases: [' as a relay, '] },
    ],
  },
  {
    name: 'Mimecast',
    hosts: /\bmimecast\b|\bMCSpamSignature\b/i,
    rules: [
      // Mimecast reports its anti-malware signature hits as "security policies"
      {
        reason: 'virusdetected',
        source: 'Mimecast SMTP error codes community.mimecast.com; sisimai rhost/mimecast.rb',
        phrases: ['email rejected due to security policies'],
      },
      { reason: 'userunknown', source: 'sisimai rhost/mimecast.rb', phrases: ['invalid recipient'] },
      {
        reason: 'spamdetected',
        source: 'sisimai lib/sisimai/reason/spamdetected.rb ("message considered as spam or virus")',
        phrases: ['message considered as spam'],
      },
      ...MIMECAST_RULES,
    ],
  },
  {
    name: 'Cloudflare',
    hosts: /\bmx\.cloudflare\.net\b|developers\.cloudflare\.com\/email-routing/i,
    rules: [
      { reason: 'blocked', source: CF, phrases: ['found on one or more dnsbls'] },
      { reason: 'systemerror', source: CF, phrases: ['upstream error'] },
    ],
  },
  {
    name: 'Zoho',
    hosts: /\b(?:zoho\.(?:com|eu|in|jp)|zohomail\.(?:com|eu|in)|zohocorp\.com)\b|detected by zoho mail/i,
    rules: [
      { reason: 'authfailure', source: ZO, phrases: ['email rejected per dmarc policy'] },
      { reason: 'blocked', source: ZO, phrases: ['greylisted, try again after some time'] },
      // Zoho's "flagged as Spam" at RCPT refuses the sender, before any content was sent
      { reason: 'rejected', source: ZO, phrases: ['email cannot be delivered. reason: email flagged as spam', 'mail rejected by destination domain'] },
      { reason: 'policyviolation', source: ZO, phrases: ['email policy violation detected', 'mailbox delivery restricted by policy error'] },
      { reason: 'systemerror', source: ZO, phrases: ['temporary system error'] },
      { reason: 'userunknown', source: ZO, phrases: ['user does not exist'] },
      { reason: 'virusdetected', source: ZO, phrases: [' detected by zoho mail'] },
    ],
  },
  {
    name: 'Facebook',
    hosts: /\b(?:facebook\.com|facebookmail\.com)\b/i,
    codeTable: {
      pattern: /\b(POL|MSG|RCP|INT|DNS|CON)-([PT]\d)\b/,
      key: (m) => `${m[1]}-${m[2]}`,
      source: FB,
      table: FACEBOOK_CODES,
    },
    rules: [],
  },
  {
    name: 'IUA',
    hosts: /\b(?:email\.ua|i\.ua)\b/i,
    // every refusal links its page: https://mail.i.ua/err/<n>/
    codeTable: {
      pattern: /\.i\.ua\/err\/(\d{1,2})\//i,
      key: (m) => m[1],
      source: IUA,
      table: {
        1: 'norelaying',
        2: 'userunknown',
        3: 'suspend',
        4: 'mailboxfull',
        5: 'toomanyconn',
        6: 'norelaying',
        7: 'blocked',
        8: 'rejected',
        9: 'blocked',
        10: 'filtered',
      },
    },
    rules: [],
  },
];
