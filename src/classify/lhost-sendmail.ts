/**
 * Sendmail's human-readable report (savemail.c errbody(), deliver.c, usersmtp.c), read so that
 * every recipient gets its own error:
 *
 *   ----- The following addresses had permanent fatal errors -----
 *   <a@one.example>
 *       (reason: 550 5.1.1 <a@one.example>... User unknown)
 *
 *   ----- Transcript of session follows -----
 *   ... while talking to mx.one.example.:
 *   >>> RCPT To:<a@one.example>
 *   <<< 550 5.1.1 No such user
 *   550 5.1.1 <a@one.example>... User unknown
 *   ... while talking to mx.two.example.:
 *   >>> DATA
 *   <<< 554 5.7.1 Message refused
 *   554 5.0.0 Service unavailable
 *
 * The transcript holds one block per host ("... while talking to HOST:"; Sendmail 5 writes
 * "While talking to HOST:"). ">>>" lines are the commands Sendmail sent, "<<<" lines the replies
 * (a multi-line reply repeats "<<<" on each line, RFC 5321 §4.2.1), and Sendmail's own lines follow
 * them. A refused recipient gets a line of its own naming it ("550 5.1.1 <a@b>... User unknown",
 * usrerr() for that address): the remote reply just above it is its RCPT reply, even when the
 * command shown is DATA, because with PIPELINING (RFC 2920 §3.1) Sendmail prints only the last
 * command of the group while the replies answer MAIL, each RCPT and DATA in order. A reply no
 * recipient line claims answers the last command shown: a "RCPT To:<a>" names its recipient, any
 * other command (MAIL, DATA, the greeting) failed for every recipient of that session that was not
 * refused on its own. The DSN's Remote-MTA (RFC 3464 §2.3.5) names the session of a recipient the
 * transcript does not name. Pure; undefined when the report has no transcript.
 */
import { cleanAddress } from './rfc3464.ts';

export interface SendmailError {
  /** the lines that are this recipient's own error: the remote reply, then Sendmail's line */
  text: string;
  /** the SMTP command the reply answered (RFC 5321 §3.3), where the transcript shows it */
  command?: string;
}

interface Own {
  address: string;
  lines: string[];
  command?: string;
}

interface Session {
  /** the host name as written, lower-cased, without the trailing dot */
  host?: string;
  /** recipient (lower-cased) → its own lines and the command they answer */
  own: Map<string, Own>;
  /** the reply no recipient claimed and the command it answered; with Sendmail's lines after it */
  shared: string[];
  sharedCommand?: string;
  /** the session's lines that are neither commands, replies nor a recipient's line */
  other: string[];
}

export interface SendmailReport {
  sessions: Session[];
  /** the "following addresses had ... errors" list: each address (lower-cased key) and its "(reason: ...)" */
  listed: Map<string, { address: string; reason?: string }>;
}

const BANNER = /^[ \t]*-{3,}[ \t]*(.*?)[ \t]*-{3,}[ \t]*$/;
const TALKING = /^(?:\.\.\. while talking to|While talking to) ([^\s:]+?)\.?:\s*$/i;
// Sendmail's own line for one address: "550 5.1.1 <a@b>... User unknown", "<a@b>... Deferred: ..."
const OWN_LINE = /^(?:[245]\d\d(?:[ -][245]\.\d{1,3}\.\d{1,3})?\s+)?<?([^\s<>]+@[^\s<>]+?)>?\.\.\.\s+\S/;
const RCPT_TO = /^RCPT\s+To:\s*<?([^\s<>]+@[^\s<>]+?)>?(?:\s|$)/i;
// the DSN fields or the MIME boundary after the human-readable part (RFC 3464 §2, RFC 2046 §5.1.1)
const PART_END = /^--\S+$|^(?:Content-Type|Reporting-MTA|Final-Recipient|Original-Recipient|Received-From-MTA|Arrival-Date):/i;

const VERBS: Record<string, string> = { helo: 'EHLO', ehlo: 'EHLO', starttls: 'STARTTLS', auth: 'AUTH', mail: 'MAIL', rcpt: 'RCPT', data: 'DATA', '.': 'DATA' };

/** The stage an SMTP command line ("MAIL From:<a> SIZE=1", "DATA") is. */
const verbOf = (cmd: string): string | undefined => VERBS[/^(\S+?)(?::|\s|$)/.exec(cmd)?.[1]?.toLowerCase() ?? ''];

const hostName = (h: string | undefined): string | undefined =>
  h
    ?.trim()
    .toLowerCase()
    .replace(/^dns;\s*/, '')
    .replace(/\.$/, '') || undefined;

/** Sendmail's report sections, or undefined when the text has no Sendmail transcript or address list. */
export function readSendmail(report: string): SendmailReport | undefined {
  if (!/^[ \t]*-{3,}[ \t]*(?:Transcript of session follows|The following addresses had )/im.test(report)) return undefined;
  const listed = new Map<string, { address: string; reason?: string }>();
  const sessions: Session[] = [];
  let section: 'list' | 'transcript' | undefined;
  let entry: { address: string; reason?: string } | undefined;
  let cur: Session | undefined;
  // the replies read since the last line that claimed one, and the last command sent
  let pending: string[][] = [];
  let lastCmd: string | undefined;
  const session = (host?: string): Session => {
    closeSession();
    cur = { host: hostName(host), own: new Map(), shared: [], other: [] };
    sessions.push(cur);
    return cur;
  };
  const closeSession = (): void => {
    if (!cur) return;
    for (const reply of pending) claimUnowned(cur, reply, lastCmd);
    pending = [];
    lastCmd = undefined;
  };
  for (const raw of report.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const banner = BANNER.exec(line);
    if (banner) {
      closeSession();
      cur = undefined;
      section = /^Transcript of session follows/i.test(banner[1]) ? 'transcript' : /^The following addresses had /i.test(banner[1]) ? 'list' : undefined;
      entry = undefined;
      continue;
    }
    if (PART_END.test(line)) {
      closeSession();
      cur = undefined;
      section = undefined;
      continue;
    }
    if (!line.trim()) continue;
    if (section === 'list') {
      // savemail.c: the address on its own line, "    (reason: ...)" and "    (expanded from: ...)" below it
      const reason = /^\s+\(reason:\s*(.*?)\)?\s*$/.exec(line);
      if (reason && entry) entry.reason = reason[1];
      else if (/^\S/.test(line)) {
        const address = cleanAddress(line);
        entry = address?.includes('@') ? { address } : undefined;
        if (entry && !listed.has(entry.address.toLowerCase())) listed.set(entry.address.toLowerCase(), entry);
      }
      continue;
    }
    if (section !== 'transcript') continue;
    const talking = TALKING.exec(line);
    if (talking) {
      session(talking[1]);
      continue;
    }
    const s = cur ?? session();
    if (line.startsWith('>>> ')) {
      // replies still unclaimed answered the command before this one
      for (const reply of pending) claimUnowned(s, reply, lastCmd);
      pending = [];
      const cmd = line.slice(4).trim();
      lastCmd = cmd;
      const to = RCPT_TO.exec(cmd);
      if (to) mine(s, to[1]);
      continue;
    }
    if (line.startsWith('<<< ')) {
      const text = line.slice(4).trim();
      const last = pending[pending.length - 1];
      // "NNN-" continues a reply on the next line; the final line has "NNN " (RFC 5321 §4.2.1)
      if (last && /^\d{3}-/.test(last[last.length - 1])) last.push(text);
      else pending.push([text]);
      continue;
    }
    const own = OWN_LINE.exec(line.trim());
    const address = own ? cleanAddress(own[1]) : undefined;
    if (own && address?.includes('@')) {
      const r = mine(s, address);
      // the reply just above a recipient's own line is that recipient's RCPT reply (RFC 2920 §3.1)
      const reply = pending.shift();
      if (reply) {
        for (const extra of pending) claimUnowned(s, extra, lastCmd);
        pending = [];
        r.lines.push(...reply.map((l) => `<<< ${l}`));
        r.command = 'RCPT';
      }
      r.lines.push(line.trim());
      continue;
    }
    if (pending.length && /^[245]\d\d\b/.test(line.trim())) {
      // Sendmail's verdict on the reply to the last command ("554 5.0.0 Service unavailable")
      for (const reply of pending) claimUnowned(s, reply, lastCmd);
      pending = [];
      s.shared.push(line.trim());
      continue;
    }
    s.other.push(line.trim());
  }
  closeSession();
  if (!sessions.length && !listed.size) return undefined;
  return { sessions, listed };
}

function mine(s: Session, address: string): Own {
  const key = address.toLowerCase();
  let r = s.own.get(key);
  if (!r) s.own.set(key, (r = { address, lines: [] }));
  return r;
}

/** A reply no recipient line claimed: a RCPT's belongs to its recipient, any other to the session. */
function claimUnowned(s: Session, reply: string[], lastCmd: string | undefined): void {
  const to = lastCmd ? RCPT_TO.exec(lastCmd) : null;
  const lines = reply.map((l) => `<<< ${l}`);
  if (to) {
    const r = mine(s, to[1]);
    if (!r.lines.some((l) => l.startsWith('<<< '))) {
      r.lines.unshift(...lines);
      r.command = 'RCPT';
      return;
    }
  }
  // only a failure reply says why the session failed (RFC 5321 §4.2.1: 4yz, 5yz)
  if (!/^[45]/.test(reply[0] ?? '')) return;
  if (s.shared.some((l) => l.startsWith('<<< '))) return;
  s.shared.unshift(...lines);
  s.sharedCommand = lastCmd ? verbOf(lastCmd) : 'CONN';
}

/**
 * This recipient's own error in the report: its own lines in the transcript, else the failure of
 * the session its Remote-MTA names, else its "(reason: ...)" line, else the failure of the one
 * session it can have gone through. Undefined when the report says nothing about it alone.
 */
export function sendmailError(rep: SendmailReport, address: string, remoteMta?: string): SendmailError | undefined {
  const key = address.toLowerCase();
  for (const s of rep.sessions) {
    const own = s.own.get(key);
    if (own && own.lines.length) {
      const replied = own.lines.some((l) => l.startsWith('<<< '));
      // a recipient line without a reply of its own, in a session whose command failed for all
      if (!replied && s.shared.length) return { text: [...s.shared, ...own.lines].join('\n'), command: s.sharedCommand };
      return { text: own.lines.join('\n'), command: own.command };
    }
  }
  const host = hostName(remoteMta);
  const reason = rep.listed.get(key)?.reason;
  // without a Remote-MTA the session is a guess: the recipient's own "(reason: ...)" comes first
  const s = host || !reason ? sessionOf(rep, address, host) : undefined;
  if (s && s.shared.length) return { text: [...s.shared, ...s.other].join('\n'), command: s.sharedCommand };
  return reason ? { text: reason } : undefined;
}

/**
 * The session a recipient the transcript does not name went through: the one its Remote-MTA
 * names; without one, the only session that failed for all its recipients, preferring one that
 * refused no recipient on its own, then one whose host is in the recipient's domain.
 */
function sessionOf(rep: SendmailReport, address: string, host: string | undefined): Session | undefined {
  if (host) return rep.sessions.find((s) => s.host === host);
  const failed = rep.sessions.filter((s) => s.shared.length);
  if (failed.length <= 1) return failed[0];
  const silent = failed.filter((s) => !s.own.size);
  if (silent.length === 1) return silent[0];
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  const local = (silent.length ? silent : failed).filter((s) => s.host === domain || s.host?.endsWith(`.${domain}`));
  return local.length === 1 ? local[0] : undefined;
}

/** Every recipient the report names (the address list, then the transcript), each with its own error. */
export function sendmailRecipients(rep: SendmailReport): Array<{ address: string } & SendmailError> {
  const seen = new Set<string>();
  const out: Array<{ address: string } & SendmailError> = [];
  const add = (address: string): void => {
    const key = address.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    const e = sendmailError(rep, address);
    if (e) out.push({ address, ...e });
  };
  for (const e of rep.listed.values()) add(e.address);
  for (const s of rep.sessions) for (const o of s.own.values()) add(o.address);
  return out;
}
