/**
 * Enhanced mail system status codes (RFC 3463, IANA registry incl. RFC 5248, 7372, 7505, 8689)
 * and SMTP reply codes (RFC 5321 §4.2): finding them in free text and what they imply.
 */
import type { Reason } from './reasons.ts';

/**
 * Status code → reason where the code alone is specific enough. Generic codes (x.0.0, 4.3.0,
 * 4.4.0, 4.5.0, 4.7.0) are deliberately absent: their meaning comes from the text.
 */
const STATUS_REASON: Record<string, Reason> = {
  '2.1.5': 'delivered',
  '4.1.6': 'hasmoved',
  '4.1.7': 'rejected',
  '4.1.8': 'rejected',
  '4.1.9': 'systemerror',
  '4.2.1': 'blocked',
  '4.2.2': 'mailboxfull',
  '4.2.3': 'exceedlimit',
  '4.2.4': 'filtered',
  '4.3.1': 'systemfull',
  '4.3.2': 'notaccept',
  '4.3.3': 'systemerror',
  '4.3.5': 'systemerror',
  '4.4.1': 'expired',
  '4.4.2': 'networkerror',
  '4.4.3': 'systemerror',
  '4.4.4': 'networkerror',
  '4.4.5': 'systemfull',
  '4.4.6': 'networkerror',
  '4.4.7': 'expired',
  '4.4.8': 'networkerror',
  '4.5.3': 'systemerror',
  '4.5.5': 'systemerror',
  '4.6.0': 'contenterror',
  '4.6.2': 'contenterror',
  '4.6.5': 'contenterror',
  '4.7.1': 'blocked',
  '4.7.2': 'blocked',
  '4.7.5': 'securityerror',
  '4.7.6': 'securityerror',
  '4.7.7': 'securityerror',
  '4.7.12': 'securityerror',
  '4.7.15': 'securityerror',
  '4.7.16': 'mesgtoobig',
  '4.7.24': 'authfailure',
  '4.7.25': 'requireptr',
  '4.7.26': 'authfailure',
  '5.1.0': 'userunknown',
  '5.1.1': 'userunknown',
  '5.1.2': 'hostunknown',
  '5.1.3': 'userunknown',
  '5.1.4': 'filtered',
  '5.1.6': 'hasmoved',
  '5.1.7': 'rejected',
  '5.1.8': 'rejected',
  '5.1.9': 'systemerror',
  '5.1.10': 'notaccept',
  '5.2.0': 'filtered',
  '5.2.1': 'filtered',
  '5.2.2': 'mailboxfull',
  '5.2.3': 'exceedlimit',
  '5.2.4': 'filtered',
  '5.3.0': 'systemerror',
  '5.3.1': 'systemfull',
  '5.3.2': 'notaccept',
  '5.3.3': 'systemerror',
  '5.3.4': 'mesgtoobig',
  '5.3.5': 'systemerror',
  '5.4.0': 'networkerror',
  '5.4.3': 'systemerror',
  '5.4.4': 'hostunknown',
  '5.5.2': 'syntaxerror',
  '5.5.3': 'toomanyconn',
  '5.5.4': 'systemerror',
  '5.5.5': 'systemerror',
  '5.5.6': 'syntaxerror',
  '5.6.0': 'contenterror',
  '5.6.1': 'contenterror',
  '5.6.2': 'contenterror',
  '5.6.3': 'contenterror',
  '5.6.5': 'contenterror',
  '5.6.6': 'contenterror',
  '5.6.7': 'contenterror',
  '5.6.8': 'contenterror',
  '5.6.9': 'contenterror',
  '5.7.0': 'securityerror',
  '5.7.1': 'securityerror',
  '5.7.2': 'securityerror',
  '5.7.3': 'securityerror',
  '5.7.4': 'securityerror',
  '5.7.5': 'securityerror',
  '5.7.6': 'securityerror',
  '5.7.7': 'securityerror',
  '5.7.8': 'securityerror',
  '5.7.9': 'securityerror',
  '5.7.10': 'securityerror',
  '5.7.11': 'securityerror',
  '5.7.13': 'suspend',
  '5.7.14': 'securityerror',
  '5.7.15': 'securityerror',
  '5.7.16': 'mesgtoobig',
  '5.7.17': 'hasmoved',
  '5.7.18': 'hasmoved',
  '5.7.19': 'securityerror',
  // RFC 7372: email authentication status codes
  '5.7.20': 'authfailure',
  '5.7.21': 'authfailure',
  '5.7.22': 'authfailure',
  '5.7.23': 'authfailure',
  '5.7.24': 'authfailure',
  '5.7.25': 'requireptr',
  '5.7.26': 'authfailure',
  // RFC 7505 null MX (5.7.27), RFC 8689 REQUIRETLS (5.7.30); 5.7.28 is the IANA "mail flood" code
  '5.7.27': 'notaccept',
  '5.7.28': 'spamdetected',
  '5.7.29': 'authfailure',
  '5.7.30': 'failedstarttls',
};

/** Reason implied by an enhanced status code alone, or undefined when the code is generic. */
export function statusReason(status: string | undefined): Reason | undefined {
  if (!status) return undefined;
  return STATUS_REASON[status];
}

/** x.y.z with class 2/4/5, subject ≤ 3 digits, detail ≤ 3 digits (RFC 3463 §2). */
export function isStatus(s: string): boolean {
  return /^[245]\.\d{1,3}\.\d{1,3}$/.test(s);
}

// Not preceded by a digit or dot and not followed by `.digit`, so IPv4 addresses and version
// numbers such as 192.0.2.5 or 5.2.3.4 are not mistaken for status codes.
const STATUS_RE = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d]|\.\d)/g;

/**
 * All enhanced status codes in a text, in order. RFC 3463 §2 gives subject and detail up to three
 * digits each and the registry uses them (5.7.509, 4.4.316, 5.2.121); the subjects in use are 0–7,
 * so `5.12.2024` is a date, not a code.
 */
export function findStatuses(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(STATUS_RE)) {
    const s = m[1];
    const sub = Number(s.split('.')[1]);
    if (sub > 7) continue;
    // "version 5.0.100", "v4.1.200": software versions, not codes
    if (/(?:version|ver\.?|\bv)\s*$/i.test(text.slice(Math.max(0, (m.index ?? 0) - 9), m.index))) continue;
    out.push(s);
  }
  return out;
}

/** x.y.0 ("other or undefined" within its subject, RFC 3463 §3) and the relay summaries below say little. */
export function isGenericStatus(s: string): boolean {
  return /^\d\.\d{1,3}\.0$/.test(s) || GENERIC_FIELD.has(s);
}

const GENERIC_FIELD = new Set(['4.4.7', '5.4.7']);

// The remote server's own reply inside a report: after a transcript marker (`<<<`, `said:`,
// `remote server returned`, `reason:`, `talk to me:`) or right after an SMTP reply code.
const REMOTE_STATUS_RE =
  /(?:<<<|said:|returned|reason:|talk to me:|response:|replied:|error:)\s*['"(]?\s*#?[245]\d\d[ -]+['"(]?#?([245]\.\d{1,3}\.\d{1,3})(?![\d]|\.\d)/gi;
const ADJACENT_STATUS_RE = /(?:^|[^\d.])[245]\d\d[ -]+['"(]?#?([245]\.\d{1,3}\.\d{1,3})(?![\d]|\.\d)/g;

/** The status code the remote server itself gave, where a text quotes its SMTP reply. */
export function remoteStatus(text: string | undefined): string | undefined {
  if (!text) return undefined;
  for (const re of [REMOTE_STATUS_RE, ADJACENT_STATUS_RE]) {
    const all = [...text.matchAll(re)].map((m) => m[1]).filter((c) => c[0] !== '2' && findStatuses(c).length);
    // "554 4.4.7 Message expired … <421 4.4.2 Connection timed out>": the wrapper's summary code
    // gives way to the reply it quotes.
    if (all.length) return all.find((c) => !isGenericStatus(c)) ?? all[0];
  }
  return undefined;
}

/**
 * Pick the status of one recipient. RFC 3464 §2.3.4 makes the Status field the reporting MTA's
 * summary and §2.3.6 the Diagnostic-Code the remote server's actual reply; the two disagree when
 * the reporting MTA maps a reply to a generic code (5.0.0, x.y.0, 4.4.7 "delivery time expired")
 * or to the wrong one (Sendmail's 5.1.1 beside a remote "550 5.7.1 … blacklisted"). So:
 *   - the field, unless the remote's own code (same class, not x.0.0) says something else, or the
 *     field is generic and any more specific code of the recipient's own text is there;
 *   - without a field, the remote's own code, else the first failure code of the text.
 * `own` is the recipient's own part of the human-readable report, consulted last.
 */
export function preferStatus(field: string | undefined, diagnostic: string | undefined, own?: string): string | undefined {
  const f = field && isStatus(field) ? field : undefined;
  const remote = remoteStatus(diagnostic);
  if (!f) {
    const fromText = diagnostic ? findStatuses(diagnostic) : [];
    return remote ?? fromText.find((s) => s[0] !== '2') ?? fromText[0] ?? (own ? remoteStatus(own) : undefined);
  }
  if (remote && remote !== f && !/^\d\.0\.0$/.test(remote) && (remote[0] === f[0] || isGenericStatus(f))) return remote;
  // The field and the remote's own code agree: nothing is more authoritative.
  if (remote === f) return f;
  if (isGenericStatus(f)) {
    const better = [diagnostic, own].flatMap((t) => (t ? findStatuses(t) : [])).find((s) => s !== f && s[0] === f[0] && !/^\d\.0\.0$/.test(s));
    if (better) return better;
  }
  return f;
}

// A reply code at the start of a line, after a transcript marker (<<<, said:, #), or right before
// an enhanced status code. Bare numbers elsewhere (sizes, ports) are not reply codes.
const REPLY_RES: RegExp[] = [
  /(?:^|[\s(;:#<>"'[])([245][0-5]\d)[ -]+\(?#?[245]\.\d{1,3}\.\d{1,3}(?![\d]|\.\d)/m,
  /(?:<<<|said:|response:|replied:|reply:|answered:|error:|failed:|failed with:|smtp;|smtp ;|smtp error \(\d+\):?|error code:|remote server returned|remote host said:|talk to me:)\s*[("']?\s*#?([245][0-5]\d)(?![\d.])/im,
  /^\s*(?:\d+\s+)?#?([245][0-5]\d)(?:[ -]|$)(?![\d.])/m,
  /\b(?:code|status)[ =:]+([245][0-5]\d)(?![\d.])/i,
  // Exim "host mx.example [192.0.2.1]: 550 ...", "<rcpt>: 550 ...", Zoho "ERROR_CODE :550" / "ResponseCode 421",
  // MailFoundry "responded with failure: 552", Sendmail "554 <rcpt>... Service unavailable"
  /(?:\]|>):\s*([245][0-5]\d)(?:[ -]|$)(?![\d.])/m,
  /(?:error_code\s*:|responsecode\s*|with failure:)\s*([245][0-5]\d)(?![\d.])/i,
  /(?:^|\s)([245][0-5]\d) (?:<[^<>\s]+>|"[^"]*"|[^\s@]+@[^\s]+)\.\.\./m,
];

/** The SMTP reply code found in a diagnostic text (RFC 5321 §4.2), if any. */
export function findReplyCode(text: string | undefined, status?: string): number | undefined {
  if (!text) return undefined;
  for (const re of REPLY_RES) {
    // every occurrence, not only the first: "554 4.4.7 expired <421 4.4.2 timed out>"
    for (const m of text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))) {
      const code = Number(m[1]);
      // A reply code that contradicts the class of a known status is probably something else.
      if (status && status[0] !== String(code)[0] && status[0] !== '2') continue;
      return code;
    }
  }
  return undefined;
}
