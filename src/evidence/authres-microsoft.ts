/**
 * Microsoft 365 / Outlook.com's Authentication-Results dialect. Its headers deviate from
 * RFC 8601 §2.2 in ways no other receiver does, and mailauth's parser (7.1) takes the stray
 * segment for the authserv-id, so the dialect is recognised here and read on purpose:
 *
 * - no authserv-id at all: the field starts with `spf=pass (sender IP is ...)`;
 * - the recipient domain repeated as a bare segment: `header.d=none;outlook.com;`, also after a
 *   real authserv-id;
 * - result words no RFC registers: `dmarc=bestguesspass` (no DMARC record, but one would have
 *   passed), `dkim=timeout` (key lookup timed out), per Microsoft's "Anti-spam message headers"
 *   documentation. Accepted in Microsoft's headers only; elsewhere they stay semantic errors.
 *
 * `compauth` is Microsoft's own (unregistered) method and takes pass/fail/softpass/none anyway.
 */
import type { AuthResState } from './authres-state.ts';
import type { AuthResult } from './authres-types.ts';

export const MICROSOFT_RESULTS: Readonly<Record<string, readonly string[]>> = {
  dmarc: ['bestguesspass'],
  dkim: ['timeout'],
  spf: ['timeout'],
};

/** authserv-ids of Microsoft 365 / Outlook.com / Hotmail receivers. */
const MICROSOFT_AUTHSERV = /(?:^|\.)(?:outlook\.com|hotmail\.com|microsoft\.com|office365\.com|live\.com|msn\.com|exchangelabs\.com)$/i;

/** A bare domain as Microsoft repeats it between results. */
const BARE_DOMAIN = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i;

/** Microsoft's own method, which marks a header as Microsoft's whatever its authserv-id. */
const COMPAUTH = /\bcompauth[ \t\r\n]*=/i;

/** Is the authserv-id one of Microsoft's receivers (whose result words and stray segments are accepted)? */
export function isMicrosoftAuthserv(authservId: string): boolean {
  return MICROSOFT_AUTHSERV.test(authservId);
}

/** true when Microsoft's headers use this otherwise unregistered result word. */
export function isMicrosoftResult(method: string, result: string): boolean {
  const extra = Object.hasOwn(MICROSOFT_RESULTS, method) ? MICROSOFT_RESULTS[method] : undefined;
  return extra !== undefined && extra.includes(result);
}

/**
 * Is the bare word `tok` one of Microsoft's stray segments? In a header without authserv-id or
 * from a Microsoft authserv-id any word is; elsewhere a bare domain is when the field carries
 * Microsoft's `compauth=` result (looked up once per field: a field of many segments stays linear).
 */
export function isStraySegment(st: AuthResState, tok: string): boolean {
  if (tok.length === 0) return false;
  if (st.noAuthserv || st.microsoft) return true;
  if (!BARE_DOMAIN.test(tok)) return false;
  if (st.compauth === undefined) {
    st.compauth = COMPAUTH.test(st.sc.src);
    st.sc.work += st.sc.src.length;
  }
  return st.compauth;
}

/** Marks Microsoft's own result words as registered in a Microsoft header, with a warning each. */
export function acceptMicrosoftWords(st: AuthResState, results: readonly AuthResult[]): void {
  if (!st.microsoft) return;
  for (const r of results) {
    if (!r.registered && isMicrosoftResult(r.method, r.result)) {
      r.registered = true;
      st.warn(`Microsoft result word ${r.method}=${r.result}`);
    }
  }
}
