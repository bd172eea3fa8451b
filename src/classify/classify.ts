/**
 * Reason classification: from a diagnostic text, an enhanced status code (RFC 3463), an SMTP reply
 * code (RFC 5321 §4.2.1) and, when known, the SMTP command and DSN Action, decide the bounce reason.
 *
 * Order matters and follows the way the evidence is trusted:
 *   0. a wrapper ("message expired", "delivery temporarily suspended") that quotes the remote
 *      server's own reply is classified by that reply when the reply names a cause;
 *   1. a specific status code or a specific text phrase, checked reason by reason in an order that
 *      puts the narrow reasons (mailbox full, too big) before the broad ones (blocked); a
 *      registered code with a specific meaning (RFC 3463 §3, IANA registry) outranks the generic
 *      vocabulary, while generic codes (x.y.0, x.7.1) leave the decision to the text;
 *   2. for generic status codes, the text decides among the "system" reasons;
 *   3. only then the class of the status code, the DSN Action and the SMTP command.
 * The SMTP stage (RFC 5321 §3.3: MAIL, RCPT, DATA) is an input of its own: a recipient's existence
 * is checked at RCPT, content after DATA, so "user unknown" after DATA is a filter's cover while
 * the same words without any stage are an unknown user.
 * Pure: no I/O, never throws.
 */
import { includedIn, type Reason } from './reasons.ts';
import { recording } from './rulebook.ts';
import { REASONS } from './vocabulary.ts';
import { findReplyCode, findStatuses, isGenericStatus, isRegistered, preferStatus, statusReason } from './status.ts';
import { ldaReason } from './lda.ts';
import { AT_GREETING, BEFORE_DATA, commandVerb, findCommand, replyReason } from './stage.ts';

export { commandVerb, findCommand } from './stage.ts';

export interface ClassifyInput {
  diagnostic: string;
  status?: string;
  replyCode?: number;
  /** SMTP command during which the failure happened (`RCPT`, `MAIL`, `DATA`, `EHLO`, `CONN`…) */
  command?: string;
  /** extra context (the human-readable report) used only to find the SMTP command */
  context?: string;
  /** DSN Action field (RFC 3464 §2.3.3) */
  action?: string;
  /** DSN diagnostic-type (`smtp`, `x-unix`, `x-postfix`) */
  diagnosticType?: string;
}

export interface Classification {
  reason: Reason;
  hardBounce: boolean | null;
}

/** Reasons whose status-code verdict a text phrase may still override. */
const WEAK = new Set<Reason | undefined>([
  undefined,
  'undefined',
  'onhold',
  'systemerror',
  'securityerror',
  'expired',
  'networkerror',
  'hostunknown',
  'userunknown',
]);

const FIRST_PASS: Reason[] = [
  'mailboxfull',
  'mesgtoobig',
  'exceedlimit',
  'suspend',
  'hasmoved',
  'norelaying',
  'authfailure',
  'userunknown',
  'filtered',
  'requireptr',
  'notcompliantrfc',
  'badreputation',
  'contenterror',
  'rejected',
  'hostunknown',
  'spamdetected',
  'speeding',
  'toomanyconn',
  'blocked',
];

const SECOND_PASS: Reason[] = [
  'mailboxfull',
  'authfailure',
  'badreputation',
  'speeding',
  'spamdetected',
  'virusdetected',
  'policyviolation',
  'norelaying',
  'systemerror',
  'networkerror',
  'suspend',
  'contenterror',
  'systemfull',
  'notaccept',
  'expired',
  'failedstarttls',
  'securityerror',
  'mailererror',
];

function probe(r: Reason, s: Reason | undefined, t: string, i: ClassifyInput): boolean {
  const cmd = i.command;
  switch (r) {
    case 'userunknown':
      // RFC 5321 §3.3: MAIL names only the sender; an address refused there is the sender's (`rejected`)
      if (cmd === 'MAIL') return false;
      if (s === 'userunknown') {
        // 5.1.1 is used loosely: a relay refusal or a full mailbox can come with it
        return !(['norelaying', 'blocked', 'mailboxfull', 'hasmoved', 'rejected', 'notaccept'] as Reason[]).some((x) => includedIn(x, t));
      }
      // Only at RCPT do the words mean the mailbox does not exist (RFC 5321 §3.3); at or after
      // DATA, or with no stage to go on, they are a filter's answer (`filtered`, below).
      return cmd === 'RCPT' && includedIn('userunknown', t);
    case 'filtered':
      if (s === 'filtered') return includedIn('userunknown', t) || includedIn('filtered', t);
      if (cmd && BEFORE_DATA.has(cmd)) return false;
      return includedIn('filtered', t) || includedIn('userunknown', t);
    case 'rejected':
      if (s === 'rejected') return true;
      if (cmd === 'MAIL') return includedIn('rejected', t) || s === 'userunknown' || includedIn('userunknown', t) || includedIn('hostunknown', t);
      if (cmd === 'DATA' && s !== 'userunknown') return includedIn('rejected', t);
      if (WEAK.has(s) || s === 'securityerror' || s === 'systemerror') return includedIn('rejected', t);
      return false;
    case 'hostunknown':
      if (s === 'hostunknown') return !includedIn('networkerror', t);
      // a transient status (RFC 3463 §2, class 4) with a resolver failure ("host not found, try
      // again", X.4.3 directory server failure) has not shown that the domain is missing
      if (i.status?.startsWith('4.') && includedIn('networkerror', t)) return false;
      return includedIn('hostunknown', t);
    case 'spamdetected':
    case 'virusdetected':
      if (s === r) return true;
      if (cmd && BEFORE_DATA.has(cmd)) return false;
      return includedIn(r, t);
    case 'notcompliantrfc':
      // RFC 5322 conformance is a property of the message, which exists only after DATA
      if (cmd && BEFORE_DATA.has(cmd)) return false;
      return s === r || includedIn(r, t, !!s && !weakCode(s, i.status));
    case 'mesgtoobig':
      if (s === 'mesgtoobig') return true;
      if (s === 'exceedlimit') return false;
      return includedIn(r, t);
    case 'contenterror':
      if (s === 'spamdetected' || includedIn('spamdetected', t)) return false;
      return s === 'contenterror' || includedIn(r, t);
    case 'suspend':
      // 525 and X.7.13, "User Account Disabled" (RFC 5248, the IANA registry): the account exists and is
      // switched off, whatever the text says about the user
      return s === 'suspend' || i.replyCode === 525 || includedIn(r, t);
    case 'norelaying':
      if (cmd === 'CONN' || cmd === 'EHLO' || cmd === 'HELO') return false;
      return includedIn(r, t);
    case 'notaccept':
      return i.replyCode === 521 || i.replyCode === 556 || includedIn(r, t);
    default:
      return s === r || includedIn(r, t, !!s && !weakCode(s, i.status));
  }
}

/**
 * A status whose reason the text may override: generic codes (x.y.0, x.7.1), details the registry
 * does not have (read as their subject's x.y.0) and the WEAK reasons.
 */
function weakCode(s: Reason | undefined, status: string | undefined): boolean {
  return WEAK.has(s) || !status || isGenericStatus(status) || !isRegistered(status) || /^\d\.7\.1$/.test(status) || PROTOCOL.test(status);
}

// RFC 3463 §3.6: the protocol subject says how a command failed, not why the server refused the
// mail; MTAs also send it with refusals whose cause is in the text ("550 5.5.0 user unknown")
const PROTOCOL = /^\d\.5\.\d{1,3}$/;

/** Reasons a quoted remote reply may give instead of its wrapper (the causes, not the transport). */
export const CAUSES = new Set<Reason>([...FIRST_PASS, 'virusdetected', 'policyviolation', 'notaccept', 'failedstarttls']);

const WRAPPER =
  /\b(?:expired|delayed|deferred|delivery temporarily suspended|will be retried|retry time(?:out)?|giving up|not yet been delivered|could not be delivered for|last error|still trying|timed out)\b/;
// The quoted reply: a reply code after a quoting marker, or inside <...>, (...), '...'.
const QUOTED_REPLY =
  /(?:said:|reply:|response:|replied:|error:|reason:|returned|because:?|was:|[<('"[])\s*["']?((?:[245][0-5]\d)[ -](?:[245]\.\d{1,3}\.\d{1,3}\b)?[^<>]{4,})/g;

/** The remote reply a wrapper quotes, when the wrapper's own words come first. */
function wrappedReply(t: string): string | undefined {
  const w = WRAPPER.exec(t);
  if (!w) return undefined;
  for (const m of t.matchAll(QUOTED_REPLY)) {
    const at = m.index ?? 0;
    // the reply must be a second voice: after the wrapper's words, or the wrapper's own code stands first
    if (at + m[0].length <= w.index && !/^\s*[245]\d\d[ -]+[45]\.4\.7\b/.test(t)) continue;
    const inner = m[1].trim();
    if (inner.length < t.trim().length - 3) return inner;
  }
  return undefined;
}

/** Classify with full context (used by the DSN parser). */
export function classify(input: ClassifyInput): Classification {
  const t = (input.diagnostic || '').toLowerCase();
  // A generic status (x.0.0, x.y.0, 4.4.7) is the reporting MTA's summary; the remote reply's own
  // code in the text is more specific (RFC 3463 §3.1, §2), and preferCode weighs the two.
  const status = preferStatus(input.status, t);
  const replyCode = input.replyCode ?? findReplyCode(t, status);
  const i: ClassifyInput = {
    ...input,
    status,
    replyCode,
    command: input.command ?? findCommand(t) ?? (input.context ? findCommand(input.context.toLowerCase()) : undefined) ?? commandVerb(input.diagnostic || ''),
  };
  if (recording()) recordEveryMatch(t);
  // A local delivery agent's own report decides before any SMTP reading (see lda.ts); with one
  // recipient its words may stand in the report's text rather than the diagnostic.
  const local = status?.startsWith('2.') ? undefined : ldaReason(input.context ? `${t}\n${input.context.toLowerCase()}` : t, i.command);
  if (local) return { reason: local, hardBounce: hardOrSoft(local, status, replyCode, input.action) };
  let reason = decide(t, i);
  // The remote reply a wrapper quotes is the remote server's own voice and the wrapper's status
  // the reporting MTA's summary (4.4.7, RFC 3463 §3.5): the reply's cause wins over both.
  {
    const inner = wrappedReply(t);
    if (inner) {
      const innerStatus = findStatuses(inner)[0];
      const innerReply = findReplyCode(inner, innerStatus);
      const r = decide(inner, { ...i, status: innerStatus ?? i.status, replyCode: innerReply ?? i.replyCode, command: findCommand(inner) ?? i.command });
      if (CAUSES.has(r)) reason = r;
    }
  }
  return { reason, hardBounce: hardOrSoft(reason, status, replyCode, input.action) };
}

/**
 * While an evaluation records which entries a message matches (rulebook.ts), every reason's
 * entries are tried on the text and on the reply a wrapper quotes, not only the ones the
 * first-match order reaches: with the deciding entry switched off, a held-out run falls through
 * to the later reasons, so their entries must count as matched by this message too.
 */
function recordEveryMatch(t: string): void {
  const inner = wrappedReply(t);
  for (const r of REASONS) {
    includedIn(r, t);
    if (inner) includedIn(r, inner);
  }
}

function decide(t: string, i: ClassifyInput): Reason {
  const status = i.status;
  if (status && status.startsWith('2.')) return 'delivered';
  const s = statusReason(status);
  let dtype = (i.diagnosticType || 'smtp').toLowerCase();
  // X-Postfix and similar types often quote the remote server's SMTP reply ("refused to talk to me: 421 ...");
  // X-UNIX is a local program's output, where a reply code is the reporting MTA's own summary
  if (dtype !== 'smtp' && !dtype.startsWith('x-unix') && i.replyCode !== undefined && /(?:^|[\s:(])[245]\d\d[\s-]/.test(t)) dtype = 'smtp';
  // A rejected greeting name (RFC 5321 §4.1.1.1) is a refusal of the client host, whatever the reply says.
  if ((i.command === 'EHLO' || i.command === 'HELO') && (!s || WEAK.has(s)) && !includedIn('requireptr', t)) return 'blocked';
  // At the greeting only the client's address is known (RFC 5321 §3.1): see AT_GREETING.
  const possible = (r: Reason): boolean => i.command !== 'CONN' || AT_GREETING.has(r);
  if (dtype === 'smtp' || dtype === '') {
    for (const r of FIRST_PASS) if (possible(r) && probe(r, s, t, i)) return r;
  }
  if (weakCode(s, status) || dtype !== 'smtp') {
    for (const r of SECOND_PASS) if (possible(r) && includedIn(r, t)) return r;
  }
  if (i.command === 'CONN') return s && AT_GREETING.has(s) ? s : (replyReason(i.replyCode, 'CONN') ?? 'blocked');
  // An X-UNIX diagnostic (RFC 3464 §2.3.6) is a local program's output, and its status code the
  // MTA's translation of the program's exit status (sysexits.h): unless the text named a cause
  // above, the failing part is the mailer.
  if (dtype.startsWith('x-unix')) return 'mailererror';
  if (s) return s;
  const sub = status ? status.slice(0, 3) : '';
  if (sub === '5.6' || sub === '4.6') return 'contenterror';
  if (sub === '5.7' || sub === '4.7') return 'securityerror';
  // RFC 5321 §4.2.2: 500-504 are syntax/command errors
  if (i.replyCode !== undefined && i.replyCode >= 500 && i.replyCode <= 504) return 'syntaxerror';
  if (i.action === 'delayed' || i.action === 'expired') return 'expired';
  if (i.command === 'EHLO' || i.command === 'HELO') return 'blocked';
  const byReply = replyReason(i.replyCode, i.command);
  if (byReply) return byReply;
  if (includedIn('vacation', t)) return 'vacation';
  return t.trim() ? 'onhold' : 'undefined';
}

/**
 * Hard bounce = the failure is permanent for this recipient and a retry will not help without a
 * change (RFC 3463 §3.1 class 5, RFC 5321 §4.2.1 5yz). Temporary failures (class 4, 4yz,
 * Action: delayed) are soft. Non-failures (delivered, auto-replies, feedback) are neither: null.
 */
export function hardOrSoft(reason: Reason, status?: string, replyCode?: number, action?: string): boolean | null {
  if (reason === 'delivered' || reason === 'vacation' || reason === 'feedback') return null;
  if (action === 'delayed') return false;
  const cls = status ? status[0] : replyCode !== undefined ? String(replyCode)[0] : '';
  if (cls === '5') return true;
  if (cls === '4') return false;
  if (reason === 'expired') return true;
  if (reason === 'userunknown' || reason === 'hostunknown' || reason === 'hasmoved' || reason === 'notaccept') return true;
  return action === 'failed' ? true : null;
}

/**
 * Classify a bare rejection text, e.g. the message of a nodemailer error captured at submission
 * (`550 5.7.1 ...`). Status and reply code are read from the text when not given.
 */
export function classifyReason(text: string, status?: string, replyCode?: number): Classification {
  return classify({ diagnostic: String(text ?? ''), status, replyCode });
}
