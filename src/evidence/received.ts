/**
 * Received trace field parser (RFC 5321 §4.4 Time-stamp-line, RFC 5322 §3.6.7):
 *   from <helo> (<rdns> [<ip>]) by <host> via <link> with <protocol> id <id> for <rcpt>; <date>
 * Real MTAs put the useful facts in comments - the connecting IP, the TLS version and cipher -
 * and each vendor words them differently, so clauses are split on their keywords and the
 * comments are searched with the formats of Postfix, Exim, Sendmail, Gmail and Microsoft.
 */
import { findIp, parseIp } from './ip.ts';
import { parseMailDate } from './mail-date.ts';
import type { IpAddress } from './ip.ts';
import { clean } from './text.ts';

export interface TlsInfo {
  /** true when the hop used TLS (ESMTPS & co., RFC 3848 / RFC 8314) or a TLS comment says so */
  used: boolean;
  /** normalised `TLSv1.3`, when stated */
  version?: string;
  cipher?: string;
}

export interface ReceivedHop {
  /** HELO/EHLO name the client gave */
  helo?: string;
  /** reverse-DNS name the receiver found for the client */
  rdns?: string;
  /** the connecting IP the receiver saw */
  ip?: IpAddress;
  /** the receiving host */
  by?: string;
  via?: string;
  /** `ESMTP`, `ESMTPS`, `LMTP`, ... upper-cased */
  with?: string;
  id?: string;
  for?: string;
  /** ms since epoch of the stamp, when it parses */
  date?: number;
  dateText?: string;
  tls?: TlsInfo;
  comments: string[];
}

export type ReceivedParse = { ok: true; hop: ReceivedHop } | { ok: false; error: string };

export const MAX_RECEIVED_LENGTH = 16 * 1024;
const MAX_DEPTH = 64;
const CLAUSES = new Set(['from', 'by', 'via', 'with', 'id', 'for']);
/** RFC 3848 / RFC 6531 WITH protocol types that mean TLS was used */
const TLS_PROTOCOLS = /^(?:E?SMTPS|ESMTPSA|LMTPS|LMTPSA|UTF8SMTPS|UTF8SMTPSA|UTF8LMTPS|UTF8LMTPSA|SMTPS)$/;

interface Clause {
  words: string[];
  comments: string[];
}

/** Parse one Received field body. Never throws; a line without any clause is an error. */
export function parseReceived(value: string): ReceivedParse {
  if (typeof value !== 'string') return { ok: false, error: 'Received value is not a string' };
  if (value.length > MAX_RECEIVED_LENGTH) return { ok: false, error: `Received line is ${value.length} characters, over the ${MAX_RECEIVED_LENGTH} limit` };
  const clauses = new Map<string, Clause>();
  const allComments: string[] = [];
  let current: Clause | undefined;
  let dateStart = -1;
  const s = value;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      // same white-space class as the word scanner below, so every branch advances
      i++;
    } else if (c === '(') {
      const start = i;
      let depth = 0;
      for (; i < s.length; i++) {
        if (s[i] === '\\') {
          i++;
        } else if (s[i] === '(') {
          if (++depth > MAX_DEPTH) return { ok: false, error: `comments nested deeper than ${MAX_DEPTH}` };
        } else if (s[i] === ')') {
          if (--depth === 0) break;
        }
      }
      if (depth !== 0) return { ok: false, error: 'unterminated comment in Received line' };
      i++;
      const text = s.slice(start + 1, i - 1);
      allComments.push(text);
      current?.comments.push(text);
    } else if (c === ';') {
      // the date-time follows the last top-level ";" (RFC 5322 §3.6.7)
      dateStart = i + 1;
      i++;
      current = undefined;
    } else {
      const start = i;
      const close = c === '<' ? '>' : c === '[' ? ']' : '';
      if (close) {
        const end = s.indexOf(close, i + 1);
        i = end === -1 ? s.length : end + 1;
      } else {
        i++; // always consume the first character: guarantees progress on any input
        while (i < s.length && !/[\s(;]/.test(s[i])) i++;
      }
      const word = s.slice(start, i);
      if (dateStart >= 0) continue; // words of the date
      const lower = word.toLowerCase();
      if (CLAUSES.has(lower) && !clauses.has(lower)) {
        current = { words: [], comments: [] };
        clauses.set(lower, current);
      } else if (current) {
        if (current.words.length < 16) current.words.push(word);
      }
    }
  }
  if (clauses.size === 0) return { ok: false, error: 'no from/by/with/id/for clause in Received line' };

  const hop: ReceivedHop = { comments: allComments.slice(0, 16).map(clean) };
  const from = clauses.get('from');
  if (from) {
    const helo = from.words[0];
    if (helo) {
      hop.helo = clean(helo);
      const literal = parseIp(helo);
      if (literal && helo.startsWith('[')) hop.ip = literal;
    }
    for (const comment of from.comments) {
      const ip = findIp(comment);
      if (ip && !hop.ip) hop.ip = ip;
      // `(rdns [ip])`, `(rdns. [ip])`, Exim `(helo=name)` is not an rdns
      const m = /^\s*([A-Za-z0-9.-]+?)\.?\s*\[/.exec(comment);
      if (m && !hop.rdns && m[1].toLowerCase() !== 'unknown') hop.rdns = m[1];
    }
    // Microsoft: `from NAME (2603:10b6:...)` puts a bare address in the comment - covered above
    if (!hop.ip && from.words[1]) {
      const ip = parseIp(from.words[1]);
      if (ip) hop.ip = ip;
    }
  }
  const first = (k: string): string | undefined => {
    const w = clauses.get(k)?.words[0];
    return w === undefined ? undefined : clean(w);
  };
  const by = first('by');
  if (by) hop.by = by;
  const via = first('via');
  if (via) hop.via = via;
  const withWords = clauses.get('with')?.words ?? [];
  if (withWords[0]) hop.with = clean(withWords[0]).toUpperCase();
  const id = first('id');
  if (id) hop.id = id;
  const rcpt = first('for');
  if (rcpt) hop.for = rcpt.replace(/^<|>$/g, '');
  if (dateStart >= 0) {
    const text = s
      .slice(dateStart)
      .replace(/\([^()]*\)/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    hop.dateText = clean(text.slice(0, 80));
    const t = parseMailDate(text);
    if (t !== undefined) hop.date = t;
  }
  hop.tls = detectTls(hop.with, withWords, allComments);
  return { ok: true, hop };
}

/** Normalise `TLS1_3`, `TLSv1.3`, `TLS1.3` to `TLSv1.3`. */
function tlsVersion(v: string): string {
  const m = /^TLS\s*v?(\d)[._](\d)$/i.exec(v);
  return m ? `TLSv${m[1]}.${m[2]}` : v;
}

function detectTls(protocol: string | undefined, withWords: string[], comments: string[]): TlsInfo | undefined {
  const tls: TlsInfo = { used: false };
  let known = false;
  if (protocol) {
    known = true;
    if (TLS_PROTOCOLS.test(protocol)) tls.used = true;
  }
  for (const comment of comments) {
    // Gmail `(version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256)`,
    // Microsoft `(version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)`, Sendmail `version=TLSv1.3`
    const v = /\bversion=(TLS\s*v?\d[._]\d)/i.exec(comment);
    const ci = /\bcipher=([A-Za-z0-9_-]+)/i.exec(comment);
    // Postfix `(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) ...)`
    const p = /\busing (TLS\s*v?\d[._]\d)(?: with cipher ([A-Za-z0-9_-]+))?/i.exec(comment);
    // Exim `with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384`
    const e = /^\s*(TLS\s*v?\d[._]\d)\s*$/i.exec(comment);
    const version = v?.[1] ?? p?.[1] ?? e?.[1];
    const cipher = ci?.[1] ?? p?.[2];
    if (version || cipher) {
      tls.used = true;
      known = true;
      if (version && !tls.version) tls.version = tlsVersion(version.replace(/\s+/g, ''));
      if (cipher && !tls.cipher) tls.cipher = cipher;
    }
  }
  const t = withWords.findIndex((w) => w.toLowerCase() === 'tls');
  if (t > 0 && withWords[t + 1]) {
    tls.used = true;
    known = true;
    if (!tls.cipher) tls.cipher = clean(withWords[t + 1]);
  }
  return known ? tls : undefined;
}
