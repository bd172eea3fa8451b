/**
 * Authentication-Results parser (RFC 8601 §2.2), also used for ARC-Authentication-Results
 * (./authres-arc.ts). This module reads the field:
 *
 *   authres-header = "Authentication-Results:" [CFWS] authserv-id
 *                    [ CFWS authres-version ] ( no-result / 1*resinfo ) [CFWS] CRLF
 *   no-result      = [CFWS] ";" [CFWS] "none"
 *   resinfo        = [CFWS] ";" methodspec ...            (one result: ./authres-resinfo.ts)
 *
 * over the lexer of ./scanner.ts (RFC 5322 CFWS: nested comments, quoted-pairs, folding).
 * Own grammar, not mailauth's parser (7.1): that one reads Microsoft's stray `domain;` segment as
 * the authserv-id, keeps one `spf=` result per header, checks no result word, reports no errors.
 *
 * - Syntax errors (no authserv-id, stray tokens, bad names, unterminated comments or quotes) make
 *   the header unusable: `{ ok: false, error: { kind: 'syntax' } }`. An unregistered result of a
 *   registered method (./authres-registry.ts) is a semantic error that keeps the parse
 *   (`error.kind: 'semantic'`, `header`).
 * - Deviations real MTAs make are read leniently, listed in `header.warnings`, and those the
 *   grammar forbids in `header.violations` with offsets (`header.strict` false): a trailing ";",
 *   an ARC `i=` tag, legacy Yahoo's missing ";" after the authserv-id, and Microsoft's dialect
 *   (./authres-microsoft.ts).
 * - Methods, ptypes and properties no IANA registry defines are read and listed in
 *   `header.unregistered`.
 */
import { isAsciiToken } from './scanner.ts';
import { isMicrosoftAuthserv, isStraySegment, acceptMicrosoftWords } from './authres-microsoft.ts';
import { atAssignment, readResinfo } from './authres-resinfo.ts';
import { AuthResState } from './authres-state.ts';
import { snippet } from './text.ts';
import type { AuthResHeader, AuthResParse, AuthResult } from './authres-types.ts';

export type { AuthResult, AuthResHeader, AuthResError, AuthResParse } from './authres-types.ts';

/** Longest header value we parse; real ones are below 4 KiB, Gmail's biggest under 2 KiB. */
export const MAX_AUTHRES_LENGTH = 64 * 1024;

/** The `i=<instance>;` that starts an ARC-Authentication-Results payload (RFC 8617 §4.1.2). */
const ARC_PREFIX = /i[ \t\r\n]*=[ \t\r\n]*([0-9]{1,2})[ \t\r\n]*;/y;

/** authserv-id [ CFWS authres-version ], then the results; the field from its start. */
function parseField(st: AuthResState): AuthResParse {
  const sc = st.sc;
  if (!sc.skipCFWS()) return st.syntaxError();
  let authservId: string | null = null;
  let version: string | undefined;
  const results: AuthResult[] = [];
  ARC_PREFIX.lastIndex = sc.pos;
  const arc = sc.peek() === 'i' ? ARC_PREFIX.exec(sc.src) : null;
  if (arc) {
    // an ARC-Authentication-Results payload given as Authentication-Results: read it, report it
    st.violate(
      'ARC instance tag',
      sc.pos,
      `"i=${arc[1]};" starts an ARC-Authentication-Results payload (RFC 8617 §4.1.2), not an Authentication-Results field`,
    );
    st.instance = Number(arc[1]);
    sc.work += arc[0].length;
    sc.pos = ARC_PREFIX.lastIndex;
    if (!sc.skipCFWS()) return st.syntaxError();
  }

  if (atAssignment(st)) {
    // Microsoft 365 / Outlook.com write `spf=pass (sender IP is ...) ...` with no authserv-id.
    st.noAuthserv = true;
    st.microsoft = true;
    st.violate('no authserv-id (Microsoft format)', sc.pos);
    if (!readResinfo(st, results)) return st.syntaxError();
  } else {
    if (sc.peek() === '"') {
      const q = sc.readQuoted();
      if (q === undefined) return st.syntaxError();
      authservId = q;
    } else {
      const start = sc.pos;
      const tok = sc.readToken();
      if (tok.length === 0) {
        sc.fail(sc.atEnd() ? 'empty header: no authserv-id' : `missing authserv-id before ${snippet(sc.src.slice(sc.pos))}`);
        return st.syntaxError();
      }
      if (!isAsciiToken(tok)) {
        sc.fail(`authserv-id ${snippet(tok)} is not a token: non-ASCII or special characters must be quoted (RFC 8601 §2.2, RFC 6532 §3.2)`, start);
        return st.syntaxError();
      }
      authservId = tok;
    }
    st.microsoft = isMicrosoftAuthserv(authservId);
    if (!sc.skipCFWS()) return st.syntaxError();
    if (/[0-9]/.test(sc.peek())) {
      const start = sc.pos;
      const v = sc.readToken();
      if (!/^[0-9]+$/.test(v)) {
        sc.fail(`authres-version ${snippet(v)} is not a number`, start);
        return st.syntaxError();
      }
      version = v;
      if (!sc.skipCFWS()) return st.syntaxError();
    }
    if (sc.atEnd()) {
      sc.fail('no results after authserv-id: expected "; none" or "; method=result"');
      return st.syntaxError();
    }
    if (sc.peek() !== ';') {
      if (!atAssignment(st)) {
        sc.fail(`expected ";" after authserv-id, found ${snippet(sc.src.slice(sc.pos))}`);
        return st.syntaxError();
      }
      // legacy Yahoo: `mta1465.mail.ne1.yahoo.com  from=yahoo.com; domainkeys=pass`
      st.violate('missing ";" after authserv-id');
      if (!readResinfo(st, results)) return st.syntaxError();
    }
  }
  if (!readResults(st, results)) return st.syntaxError();
  acceptMicrosoftWords(st, results);
  return outcome(st, authservId, version, results);
}

/** The `; resinfo` list (or `; none`) up to the end of the field; false on a syntax error. */
function readResults(st: AuthResState, results: AuthResult[]): boolean {
  const sc = st.sc;
  let sawNone = false;
  for (;;) {
    if (!sc.skipCFWS()) return false;
    if (sc.atEnd()) return true;
    if (sc.peek() !== ';') return sc.fail(`expected ";" before ${snippet(sc.src.slice(sc.pos))}`);
    sc.pos++;
    const mark = sc.comments.length;
    if (!sc.skipCFWS()) return false;
    if (sc.atEnd()) {
      if (results.length > 0 || sawNone) st.violate('trailing ";"');
      else st.violate('";" without "none"');
      return true;
    }
    if (sawNone) return sc.fail('"none" must be the only result');
    if (sc.peek() === ';') {
      if (st.noAuthserv || st.microsoft) continue;
      return sc.fail('empty result between ";;"');
    }
    if (!atAssignment(st)) {
      const start = sc.pos;
      const tok = sc.readToken();
      if (tok.toLowerCase() === 'none' && results.length === 0) {
        sawNone = true;
        continue;
      }
      if (isStraySegment(st, tok)) {
        // Microsoft repeats the recipient domain as a bare segment: `header.d=none;outlook.com;`
        st.violate('stray segment skipped (Microsoft format)', start);
        if (!sc.skipCFWS()) return false;
        if (sc.atEnd() || sc.peek() === ';') continue;
      }
      return sc.fail(tok.length > 0 ? `${snippet(tok)} is not a "method=result"` : `unexpected ${snippet(sc.src.slice(start))}`, start);
    }
    if (!readResinfo(st, results, mark)) return false;
  }
}

/** The parse: ok, or a semantic error when a registered method has an unregistered result. */
function outcome(st: AuthResState, authservId: string | null, version: string | undefined, results: AuthResult[]): AuthResParse {
  const header: AuthResHeader = {
    authservId,
    results,
    warnings: st.warnings,
    violations: st.violations,
    strict: st.violations.length === 0,
    unregistered: st.unregistered,
  };
  if (version !== undefined) header.version = version;
  if (st.instance !== undefined) header.instance = st.instance;
  const bad = results.find((r) => !r.registered);
  if (bad) {
    return {
      ok: false,
      header,
      error: {
        kind: 'semantic',
        message: `${bad.method}=${bad.result}: ${snippet(bad.result)} is not a registered result for ${bad.method} (RFC 8601 §2.7)`,
      },
    };
  }
  return { ok: true, header };
}

/** Parse one Authentication-Results field body (without the field name). Never throws. */
export function parseAuthResults(value: string): AuthResParse {
  return refuse(value) ?? parseField(new AuthResState(value));
}

/**
 * parseAuthResults, and the work it took: the characters read (./scanner.ts `work`), which the
 * tests hold to a multiple of the input length so that linear time is counted, not timed.
 */
export function parseAuthResultsCounted(value: string): { parse: AuthResParse; work: number } {
  const refused = refuse(value);
  if (refused) return { parse: refused, work: 0 };
  const st = new AuthResState(value);
  return { parse: parseField(st), work: st.sc.work };
}

/** The outcome for what is no header value at all, or too long to be a real one; else undefined. */
function refuse(value: string): AuthResParse | undefined {
  if (typeof value !== 'string') {
    return { ok: false, error: { kind: 'syntax', message: 'header value is not a string' } };
  }
  if (value.length > MAX_AUTHRES_LENGTH) {
    return {
      ok: false,
      error: { kind: 'syntax', message: `header is ${value.length} characters, over the ${MAX_AUTHRES_LENGTH} limit: not a real Authentication-Results` },
    };
  }
  return undefined;
}
