/**
 * Provider rules: what a specific receiving provider means by its own wording. Generic text rules
 * cannot know that Yahoo's "[TSS04] temporarily deferred due to ... user complaints" is a rejection
 * of the sender rather than an IP block, or that Orange's `LPN007_416` is an unknown recipient.
 *
 * Data only. A provider applies when one of its `hosts` patterns is found in the remote MTA, the
 * reporting MTA or the diagnostic text; then its rules are tried in order and the first match wins
 * over the generic verdict. Phrases are lower-case substrings; `codes` match provider error codes.
 */
import { findCommand } from './classify.ts';
import type { Reason } from './reasons.ts';

export interface ProviderRule {
  reason: Reason;
  phrases?: string[];
  patterns?: RegExp[];
  /** only when the status/reply class is this ('4' or '5') */
  klass?: '4' | '5';
  /** only when the failure followed this SMTP command */
  command?: string;
}

export interface Provider {
  name: string;
  hosts: RegExp;
  rules: ProviderRule[];
}

export const PROVIDERS: Provider[] = [
  {
    name: 'Google',
    hosts: /\b(?:google\.com|googlemail\.com|gmail\.com|gsmtp|googlegroups\.com)\b/i,
    rules: [
      { reason: 'userunknown', phrases: ["because the address couldn't be found", 'the email account that you tried to reach does not exist. please try double-checking'] },
      { reason: 'speeding', phrases: ['receiving mail at a rate that prevents', 'receivingrateperm', 'receiving mail too quickly'] },
      { reason: 'spamdetected', phrases: ['rejected due to spam classification', 'has been blocked because it looks like spam'] },
      { reason: 'notaccept', phrases: ['null mx'] },
      { reason: 'hostunknown', phrases: ['domain name not found', 'responded with code nxdomain'], klass: '5' },
      { reason: 'networkerror', phrases: ['domain name not found', 'responded with code nxdomain', 'had no relevant answers'], klass: '4' },
      { reason: 'authfailure', phrases: ['unauthenticated email', 'does not meet the required authentication level'] },
      { reason: 'requireptr', phrases: ['does not have a ptr record', 'missing ptr record'] },
      { reason: 'badreputation', phrases: ['very low reputation of the sending', 'low reputation of the sending'] },
    ],
  },
  {
    name: 'Microsoft',
    hosts: /\b(?:outlook\.com|hotmail\.com|live\.com|protection\.outlook|exchangelabs\.com|office365|prod\.outlook)\b/i,
    rules: [
      // Directory-based edge blocking: the recipient does not exist in the tenant
      { reason: 'userunknown', phrases: ['recipient address rejected: access denied', 'resolver.adr.recipientnotfound', 'resolver.adr.recipnotfound'] },
      { reason: 'networkerror', phrases: ['dns query failed'] },
      { reason: 'blocked', phrases: ['banned sending ip', 'traffic not accepted from this ip', 'part of their network is on our block list'], patterns: [/\bs31[45]0\b/] },
      { reason: 'rejected', phrases: ['access denied, banned sender', 'sending domain is blocked'] },
      { reason: 'mailboxfull', phrases: ['mailbox full', 'recipient mailbox is full'] },
    ],
  },
  {
    name: 'FrancePTT',
    hosts: /\b(?:orange\.fr|wanadoo\.fr|laposte\.net|francetelecom|orange\.com)\b|\b(?:LPN|OFR|OUK)\d*_\d{3}\b/i,
    rules: [
      // Orange's `<family>_<nnn>` error codes: the number after the underscore carries the reason
      { reason: 'userunknown', patterns: [/\b(?:lpn|ofr|ouk)\d*_416\b/], phrases: ['adresse destinataire invalide'] },
      { reason: 'mailboxfull', patterns: [/\b(?:lpn|ofr|ouk)\d*_417\b/], phrases: ['boite du destinataire pleine'] },
      { reason: 'suspend', patterns: [/\b(?:lpn|ofr|ouk)\d*_418\b/], phrases: ['boite du destinataire archivee'] },
      { reason: 'blocked', patterns: [/\b(?:lpn|ofr|ouk)\d*_10\d\b/], phrases: ['service refuse', 'abus detecte'] },
      { reason: 'spamdetected', phrases: ['contenu du message refuse', 'message refuse pour spam'] },
    ],
  },
  {
    name: 'MessageLabs',
    hosts: /\b(?:messagelabs\.com|symanteccloud\.com|email security\.cloud)\b/i,
    rules: [
      { reason: 'securityerror', phrases: ['please turn on smtp authentication'] },
      { reason: 'userunknown', phrases: ['no such user', 'invalid recipient', 'recipient mailbox is not allowed', 'mailbox is not allowed'] },
      { reason: 'badreputation', phrases: ['connection rejected by policy'] },
      { reason: 'rejected', phrases: ['sender envelope domain not allowed', 'your domain has been blocked', 'your email address has been blocked', 'badmailfrom list', 'has been blacklisted'] },
      { reason: 'blocked', phrases: ['your ip is in the pbl', 'your ip address has been '] },
      { reason: 'spamdetected', phrases: ['message filtered', 'filtered by outbound scanning'] },
      { reason: 'failedstarttls', phrases: ['tls/sslv3 connection required'] },
      { reason: 'toomanyconn', phrases: ['too many recipients received this hour', 'too many messages'] },
    ],
  },
  {
    name: 'Yahoo',
    hosts: /\b(?:yahoo\.com|yahoo\.co\.jp|yahoodns\.net|yahooinc\.com|verizonmedia\.com|aol\.com|postmaster\.yahoo)\b/i,
    rules: [
      // TSS04/TSS09: Yahoo defers the sender as a whole (volume, complaints, missing auth): not an IP listing
      // TSS04 answered to MAIL FROM refuses the sender; the same text at other stages is about reputation
      { reason: 'rejected', phrases: ['temporarily deferred due to unexpected volume or user complaints'], command: 'MAIL' },
      { reason: 'badreputation', phrases: ['temporarily deferred due to unexpected volume or user complaints'] },
      { reason: 'rejected', phrases: [' will be permanently deferred', 'unresolvable rfc.5321'] },
      { reason: 'userunknown', phrases: ["dd this user doesn't have a ", 'mailbox not found'] },
      { reason: 'suspend', phrases: [' is no longer valid.', 'this mailbox is disabled'] },
      { reason: 'speeding', phrases: ['user is receiving mail too quickly'] },
      { reason: 'blocked', phrases: ["because the ip is in spamhaus's list", 'not accepted from ip addresses on spamhaus'] },
      { reason: 'authfailure', phrases: ['requires all senders to authenticate'] },
      { reason: 'policyviolation', phrases: ['not accepted for policy reasons'] },
      { reason: 'toomanyconn', phrases: ['max message per connection reached'] },
    ],
  },
  {
    name: 'Mimecast',
    hosts: /\bmimecast\b|\bMCSpamSignature\b/i,
    rules: [
      // Mimecast reports its anti-malware signature hits as "security policies"
      { reason: 'virusdetected', phrases: ['email rejected due to security policies', 'virus signature'] },
      { reason: 'userunknown', phrases: ['invalid recipient', 'recipient address rejected'] },
      { reason: 'spamdetected', phrases: ['message considered as spam', 'spam signature'] },
    ],
  },
  {
    name: 'Spectrum',
    hosts: /\b(?:spectrum\.net|charter\.net|rr\.com)\b|AUP#/i,
    rules: [
      // Spectrum AUP#<dir>-<nnnn> codes: 1310 is a per-sender connection/volume limit
      { reason: 'toomanyconn', patterns: [/aup#\w*-1310\b/] },
      { reason: 'blocked', patterns: [/aup#\w*-1[01]\d\d\b/] },
      { reason: 'userunknown', patterns: [/aup#\w*-1260\b/] },
    ],
  },
];

/** The provider's verdict for this diagnostic, or undefined when no provider rule applies. */
export function providerReason(where: string, diagnostic: string, status?: string, replyCode?: number, context?: string): { provider: string; reason: Reason } | undefined {
  if (!diagnostic) return undefined;
  const lower = diagnostic.toLowerCase();
  let command: string | undefined | null = null;
  const klass = status ? status[0] : replyCode !== undefined ? String(replyCode)[0] : '';
  for (const p of PROVIDERS) {
    if (!p.hosts.test(where) && !p.hosts.test(diagnostic)) continue;
    for (const r of p.rules) {
      if (r.klass && r.klass !== klass) continue;
      if (r.command) {
        if (command === null) command = findCommand(lower, false) ?? (context ? findCommand(context.toLowerCase(), false) : undefined);
        if (command !== r.command) continue;
      }
      if (r.phrases?.some((x) => lower.includes(x)) || r.patterns?.some((re) => re.test(lower))) return { provider: p.name, reason: r.reason };
    }
  }
  return undefined;
}
