/**
 * SMTP reply parsing (RFC 5321 §4.2): pure functions over lines the server sent. Server text is
 * hostile: it is kept as data, cut to a sane length, and never interpreted beyond the grammar.
 */

export interface SmtpReply {
  code: number;
  /** text of each line without the code and separator */
  lines: string[];
  /** RFC 3463 enhanced status code when the server gives one (RFC 2034 §3) */
  enhanced?: string;
}

/** Printable, bounded form of server text for reports. */
export function clean(text: string, max = 300): string {
  const s = text.replace(/[^\x20-\x7e]/g, '?');
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * Feeds one line. Returns `done` when it is the last line of a reply (`ddd ` or bare `ddd`,
 * RFC 5321 §4.2.1), `more` for a continuation line (`ddd-`), `bad` for a line that is no reply.
 */
export function classifyLine(line: string): { kind: 'done' | 'more' | 'bad'; code?: number; text: string } {
  const m = /^([2-5]\d\d)([ -]?)(.*)$/.exec(line);
  if (!m) return { kind: 'bad', text: line };
  return { kind: m[2] === '-' ? 'more' : 'done', code: Number(m[1]), text: m[3] };
}

export function makeReply(code: number, lines: string[]): SmtpReply {
  const enhanced = /^([245]\.\d{1,3}\.\d{1,3})\b/.exec(lines[0] ?? '')?.[1];
  return { code, lines, ...(enhanced ? { enhanced } : {}) };
}

export function replyText(r: SmtpReply): string {
  return clean(`${r.code} ${r.lines.join(' / ')}`);
}

/** The domain (or address literal) a greeting or EHLO reply announces: its first word (RFC 5321 §4.1.1.1, §4.2). */
export function announcedName(r: SmtpReply): string | undefined {
  const first = (r.lines[0] ?? '').trim().split(/\s+/)[0];
  if (!first) return undefined;
  return /^(\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?\.?)$/i.test(first) ? first.replace(/\.$/, '').toLowerCase() : undefined;
}

export interface EhloInfo {
  name?: string;
  /** upper-case keyword → its parameters (RFC 5321 §4.1.1.1 ehlo-line) */
  keywords: Map<string, string[]>;
}

export function parseEhlo(r: SmtpReply): EhloInfo {
  const keywords = new Map<string, string[]>();
  for (const line of r.lines.slice(1)) {
    const [kw, ...params] = line.trim().split(/[\s=]+/);
    // repeated keywords merge: servers send both `AUTH PLAIN` and the pre-standard `AUTH=PLAIN`
    if (kw && /^[a-z0-9][a-z0-9-]*$/i.test(kw)) keywords.set(kw.toUpperCase(), [...(keywords.get(kw.toUpperCase()) ?? []), ...params]);
  }
  return { name: announcedName(r), keywords };
}

/** SASL mechanisms offered (RFC 4954 §3), including the pre-standard `AUTH=` form some servers still send. */
export function authMechanisms(info: EhloInfo): string[] {
  const mechs = [...(info.keywords.get('AUTH') ?? [])];
  return [...new Set(mechs.map((m) => m.toUpperCase()))].filter((m) => /^[A-Z0-9_-]+$/.test(m));
}

export type Verdict = 'accepted' | 'deferred' | 'refused';

export function verdictOf(code: number): Verdict {
  return code < 400 ? 'accepted' : code < 500 ? 'deferred' : 'refused';
}
