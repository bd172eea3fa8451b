/**
 * The SMTP stage of a failure as a first-class input (RFC 5321 §3.3, §4.3.2): which command a
 * report says the reply answered, which reasons are possible at that stage, and what a reply code
 * alone says when no text or status code decides. The stage comes only from what a report states
 * (a transcript line, "in reply to", "after RCPT TO", a verb quoted in upper case), never from the
 * shape of the reply text.
 */
import type { Reason } from './vocabulary.ts';

/** Commands before DATA: content-based reasons (spam, virus, filtered) cannot happen there (RFC 5321 §3.3). */
export const BEFORE_DATA = new Set(['CONN', 'EHLO', 'HELO', 'STARTTLS', 'AUTH', 'MAIL', 'RCPT']);

/**
 * Reasons a refusal of the connection itself (the greeting, RFC 5321 §3.1 and §4.3.2 "CONNECTION
 * ESTABLISHMENT": 220, 421, 554) can have. At that point the server knows only the client's
 * address: no sender, recipient or content exists yet, so recipient, sender and content reasons
 * are impossible, and a refusal that names no cause is a block of the client (`blocked`).
 */
export const AT_GREETING = new Set<Reason>([
  'blocked',
  'badreputation',
  'requireptr',
  'toomanyconn',
  'speeding',
  'notaccept',
  'systemfull',
  'systemerror',
  'networkerror',
  'expired',
  'failedstarttls',
  'policyviolation',
]);

/**
 * Reply codes whose meaning their RFC fixes at any stage, used only when neither the text nor a
 * status code decides:
 *   - RFC 5321 §4.2.2/§4.2.3: 451 "local error in processing", 452 "insufficient system storage",
 *     552 "exceeded storage allocation";
 *   - RFC 4954 §6 and RFC 5248: 523, 524, 530, 534, 535, 538 are AUTH refusals;
 *   - RFC 7504: 521 "host does not accept mail", 556 "domain does not accept mail".
 * 452 after RCPT is also "too many recipients" (RFC 5321 §4.5.3.1.10), so it says nothing there.
 */
const REPLY_REASON: Record<number, Reason> = {
  451: 'systemerror',
  452: 'systemfull',
  521: 'notaccept',
  523: 'securityerror',
  524: 'securityerror',
  530: 'securityerror',
  534: 'securityerror',
  535: 'securityerror',
  538: 'securityerror',
  552: 'mailboxfull',
  556: 'notaccept',
};

/** The reason a reply code alone gives at a stage (see REPLY_REASON), if any. */
export function replyReason(replyCode: number | undefined, command: string | undefined): Reason | undefined {
  if (replyCode === undefined) return undefined;
  if (replyCode === 452 && command === 'RCPT') return undefined;
  // RFC 1870 §6.1: 552 to a MAIL command carrying SIZE is a message over the server's fixed limit
  if (replyCode === 552 && command === 'MAIL') return 'mesgtoobig';
  return REPLY_REASON[replyCode];
}

const VERB_STAGE: Record<string, string> = {
  helo: 'EHLO',
  ehlo: 'EHLO',
  starttls: 'STARTTLS',
  auth: 'AUTH',
  mail: 'MAIL',
  rcpt: 'RCPT',
  data: 'DATA',
  bdat: 'DATA',
  '.': 'DATA',
};

/**
 * The stage a session transcript (Sendmail's `>>> command` / `<<< reply` lines, RFC 5321 §4.1)
 * shows failing: the command before the first 4yz/5yz reply that follows a command. A failing
 * reply before any command is the greeting's (CONN) only when the transcript sent nothing but
 * QUIT after it (RFC 5321 §3.1): reports list the failing reply again above the transcript, and
 * one report may hold sessions with several hosts. Undefined when the text has no such transcript.
 */
export function transcriptStage(lowerText: string): string | undefined {
  if (!lowerText.includes('>>>') || !lowerText.includes('<<<')) return undefined;
  let last: string | undefined;
  let sent = false;
  let greetingFailed = false;
  for (const m of lowerText.matchAll(/(>>>|<<<|while talking to)[ \t]*(\S*)/g)) {
    if (m[1] === 'while talking to') {
      last = undefined;
    } else if (m[1] === '>>>') {
      const verb = VERB_STAGE[m[2].replace(/:.*$/, '')];
      if (verb) last = verb;
      if (verb) sent = true;
    } else if (/^[45]\d\d(?:[ -]|$)/.test(m[2])) {
      if (last) return last;
      greetingFailed = true;
    }
  }
  return greetingFailed && !sent ? 'CONN' : undefined;
}

/** The SMTP command a transcript or diagnostic says the failure followed. */
export function findCommand(lowerText: string): string | undefined {
  const fromTranscript = transcriptStage(lowerText);
  if (fromTranscript) return fromTranscript;
  if (/my name was rejected|greeting name .{0,40}rejected/.test(lowerText)) return 'EHLO';
  // qmail-remote.c: "Connected to HOST but greeting failed." / "... but sender was rejected."
  if (/\bbut greeting failed\b/.test(lowerText)) return 'CONN';
  if (/\bbut sender was rejected\b/.test(lowerText)) return 'MAIL';
  // Exim/1&1 "SMTP error from remote server for TEXT command" is DATA
  const forCmd = /\b(?:for|while sending|during) (rcpt(?: to)?|mail(?: from)?|text|data|end of data) command\b/.exec(lowerText);
  // qmail-remote.c: "does not like recipient." is the RCPT reply, "failed on DATA command" /
  // "failed after I sent the message" the DATA ones, "most progress was RCPT" the last stage reached
  if (/\bdoes not like recipient\b/.test(lowerText)) return 'RCPT';
  if (/\bfailed (?:on data command|after i sent the message)\b/.test(lowerText)) return 'DATA';
  const progress = /most progress was (rcpt|mail|data|ehlo|helo)\b/.exec(lowerText);
  if (progress) return progress[1] === 'rcpt' ? 'RCPT' : progress[1] === 'mail' ? 'MAIL' : progress[1].toUpperCase();
  if (forCmd) return forCmd[1].startsWith('rcpt') ? 'RCPT' : forCmd[1].startsWith('mail') ? 'MAIL' : 'DATA';
  const m =
    /(?:in reply to|after(?: pipelined)?|>>>|sent\s*<<<|command:?|\[|smtp:|did not like our(?: final)?)\s*(?:the\s+)?(rcpt[ _]to|rcpt|mail[ _]from|mail|end of data|data|ehlo|helo|starttls|auth|bdat|quit)\b/i.exec(
      lowerText,
    );
  if (m) {
    const c = m[1].toLowerCase();
    if (c.startsWith('rcpt')) return 'RCPT';
    if (c.startsWith('mail')) return 'MAIL';
    if (c === 'end of data' || c === 'data' || c === 'bdat') return 'DATA';
    return c.toUpperCase();
  }
  // Postfix "refused to talk to me" is the greeting (RFC 5321 §3.1 554 banner)
  if (/initial connection|greeting|refused to talk to me|connect(?:ion)? (?:to|from) .{0,80}(?:refused|rejected)/.test(lowerText)) return 'CONN';
  return undefined;
}

// RFC 5321 §2.4: verbs are case-insensitive on the wire, but MTAs quote them in upper case when
// they name the command a reply answered ("RCPT TO:<a@b> ... 550", "DATA: 554 ...").
const VERBS: Array<[RegExp, string]> = [
  [/\b(?:HELO|EHLO)\b/, 'EHLO'],
  [/\bSTARTTLS\b/, 'STARTTLS'],
  [/\bAUTH (?:PLAIN|LOGIN|CRAM-|DIGEST-)/, 'AUTH'],
  [/\bMAIL FROM\b/, 'MAIL'],
  [/\bRCPT(?: TO)?\b/, 'RCPT'],
  [/\b(?:DATA|BDAT)\b/, 'DATA'],
];

/** The last SMTP verb, in protocol order, quoted in upper case in a diagnostic (no other stage marker found). */
export function commandVerb(text: string): string | undefined {
  let found: string | undefined;
  for (const [re, cmd] of VERBS) if (re.test(text)) found = cmd;
  return found;
}
