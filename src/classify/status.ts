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
  '4.3.4': 'mesgtoobig',
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
  // RFC 7372 §3 registers the authentication codes for both classes (X.7.20-X.7.26)
  '4.7.20': 'authfailure',
  '4.7.21': 'authfailure',
  '4.7.22': 'authfailure',
  '4.7.23': 'authfailure',
  '4.7.24': 'authfailure',
  '4.7.25': 'requireptr',
  '4.7.26': 'authfailure',
  // RFC 8617 §7.2.2 (ARC validation), RFC 8689 §5 (REQUIRETLS) are X.7.29 and X.7.30 in either class
  '4.7.29': 'authfailure',
  '4.7.30': 'failedstarttls',
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
  '5.4.2': 'networkerror',
  '5.4.3': 'systemerror',
  '5.4.4': 'hostunknown',
  '5.4.5': 'systemfull',
  '5.4.6': 'networkerror',
  '5.4.7': 'expired',
  // RFC 3463 §3.6: X.5.1 invalid command, X.5.2 syntax error, X.5.4 invalid command arguments
  '5.5.1': 'syntaxerror',
  '5.5.2': 'syntaxerror',
  '5.5.3': 'toomanyconn',
  '5.5.4': 'syntaxerror',
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

/**
 * Highest registered detail per subject in the IANA "SMTP Enhanced Status Codes" registry
 * (RFC 3463 X.0.0-X.7.7; RFC 3886 X.1.9; RFC 7505 X.1.10, X.7.27; RFC 4954 X.5.6, X.7.8-X.7.12;
 * RFC 4468 X.6.6; RFC 6531 X.6.7-X.6.10; RFC 5248 X.7.13-X.7.14; RFC 6710 X.7.15-X.7.16;
 * RFC 7293 X.7.17-X.7.19; RFC 7372 X.7.20-X.7.26; X.7.28 mail flood; RFC 8617 X.7.29;
 * RFC 8689 X.7.30).
 */
const REGISTERED_DETAIL = [0, 10, 4, 5, 7, 6, 10, 30];

/** Is the code in the IANA registry (rather than a vendor's own detail such as 5.7.509 or 5.1.351)? */
export function isRegistered(status: string): boolean {
  if (!isStatus(status)) return false;
  const [, sub, detail] = status.split('.').map(Number);
  return sub < REGISTERED_DETAIL.length && detail <= REGISTERED_DETAIL[sub];
}

/**
 * Reason implied by an enhanced status code alone, or undefined when the code is generic. A detail
 * the registry does not have (Exchange's 5.1.351, 5.2.121, 4.4.316) still carries its class and
 * subject (RFC 3463 §2: the subject alone classifies the status), so it reads as that subject's
 * x.y.0; such a reading is as weak as x.y.0 itself and the text may override it.
 */
export function statusReason(status: string | undefined): Reason | undefined {
  if (!status) return undefined;
  const own = STATUS_REASON[status];
  if (own || isRegistered(status) || !isStatus(status)) return own;
  return STATUS_REASON[status.replace(/\.\d+$/, '.0')];
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

/** x.0.0: the class alone (RFC 3463 §3.1 "other undefined status"). */
const CLASS_ONLY = /^\d\.0\.0$/;
/** A zero subject or a detail starting with zero: "other" within a subject (x.y.0) or no subject (x.0.z). */
const hasZero = (s: string): boolean => s.includes('.0');

/**
 * The one code a text gives. Failure codes are taken in order of appearance (success codes only
 * when there is no failure code); x.0.0 and 4.4.7 are set
 * aside and used only when nothing else is there (RFC 3463 §3.5 on X.4.7: "the code for the
 * actual problem found when delivery was attempted should be returned rather than this code"),
 * and the rest are folded with `preferCode`.
 */
export function textStatus(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let picked: string | undefined;
  let aside: string | undefined;
  const all = findStatuses(text);
  // a transcript's "250 2.1.0 Sender ok" before the failing reply is not the recipient's status
  const failures = all.filter((c) => c[0] !== '2');
  for (const c of failures.length ? failures : all) {
    if (CLASS_ONLY.test(c) || c === '4.4.7') {
      aside = c;
      continue;
    }
    picked = picked ? preferCode(picked, c) : c;
  }
  return picked ?? aside;
}

/**
 * Choose between a recipient's Status field (RFC 3464 §2.3.4, the reporting MTA's summary) and
 * the code in its diagnostic (§2.3.6, the remote server's own reply):
 *   - when their classes differ, the field, unless the reply code that carries the text's code
 *     has the text's class ("451 4.7.1"; RFC 5321 §4.2.1: the reply code is the server's word
 *     on permanence);
 *   - a field that says only the class (x.0.0), or "other" within its subject (x.y.0, x.0.z)
 *     where the text is specific, gives way to the text; a text code of x.0.0 never wins;
 *   - summaries that MTAs use for any failure of the exchange (4.4.7 expired, 4.7.0, 5.3.z
 *     system, x.5.1/x.5.2/x.5.4/x.5.5 protocol) give way to the remote's code;
 *   - 5.1.1 keeps its place against a vague (x.y.0) or protocol (5.5.z) code, and 5.1.3
 *     ("bad address syntax") yields to a policy code (5.7.z).
 */
export function preferCode(field: string | undefined, inText: string | undefined, reply?: number): string | undefined {
  if (!field) return inText;
  if (!inText || field === inText) return field;
  const r = reply === undefined ? '' : String(reply)[0];
  // the field's class is the reporting MTA's own decision (retry or give up): only the reply that
  // carries the text's code overturns it
  if (field[0] !== inText[0]) return r === inText[0] ? inText : field;
  if (CLASS_ONLY.test(field)) return CLASS_ONLY.test(inText) ? field : inText;
  if (hasZero(field) && !hasZero(inText)) return inText;
  if (CLASS_ONLY.test(inText)) return field;
  if (field === '4.4.7' || field === '4.7.0' || field.startsWith('5.3.') || /^\d\.5\.[1245]$/.test(field)) return inText;
  if (field === '5.1.1') return hasZero(inText) || inText.startsWith('5.5.') ? field : inText;
  if (field === '5.1.3' && inText.startsWith('5.7.')) return inText;
  return field;
}

/** The reply code the text gives right before a status code ("550 5.1.1", "550-'5.7.1"), if any. */
function replyBefore(text: string, status: string): number | undefined {
  const m = new RegExp(`(?:^|[^\\d.])([245][0-5]\\d)[ -]+['"(]?#?${status.replace(/\./g, '\\.')}(?![\\d]|\\.\\d)`).exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * Pick the status of one recipient: its Status field weighed against the code of its own
 * diagnostic (`preferCode`); without a field, the diagnostic's code; `own` (the recipient's part
 * of the human-readable report) is consulted only when neither has one.
 */
export function preferStatus(field: string | undefined, diagnostic: string | undefined, own?: string): string | undefined {
  const f = field && isStatus(field) ? field : undefined;
  const inText = textStatus(diagnostic) ?? textStatus(own);
  return preferCode(f, inText, inText ? replyBefore(`${diagnostic ?? ''}\n${own ?? ''}`, inText) : undefined);
}

// A reply code at the start of a line, after a transcript marker (<<<, said:, #), or right before
// an enhanced status code. Bare numbers elsewhere (sizes, ports) are not reply codes.
const REPLY_RES: RegExp[] = [
  /(?:^|[\s(;:#<>"'[])([245][0-5]\d)[ -]+['"(]?#?[245]\.\d{1,3}\.\d{1,3}(?![\d]|\.\d)/m,
  /(?:<<<|said:|response:|replied:|reply:|answered:|error:|failed:|failed with:|smtp;|smtp ;|smtp error \(\d+\):?|error code:|remote server returned|remote host said:|talk to me:)\s*[("']?\s*#?([245][0-5]\d)(?![\d.])/im,
  /^\s*(?:\d+\s+)?#?([245][0-5]\d)(?:[ -]|$)(?![\d.])/m,
  /\b(?:code|status)[ =:]+([245][0-5]\d)(?![\d.])/i,
  // Exim "host mx.example [192.0.2.1]: 550 ...", "<rcpt>: 550 ...", Zoho "ERROR_CODE :550" / "ResponseCode 421",
  // MailFoundry "responded with failure: 552", Sendmail "554 <rcpt>... Service unavailable"
  /(?:\]|>):\s*([245][0-5]\d)(?:[ -]|$)(?![\d.])/m,
  /(?:error_code\s*:|responsecode\s*|with failure:)\s*([245][0-5]\d)(?![\d.])/i,
  // Exim "SMTP error from remote mail server after MAIL FROM:<a@b> SIZE=1543: 552 ...": the reply
  // follows the first colon after the command and its arguments
  /\bafter (?:pipelined )?(?:mail from|rcpt to|end of data|data|initial connection)\b[^\n]*?:\s*([245][0-5]\d)(?:[ -]|$)(?![\d.])/im,
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
