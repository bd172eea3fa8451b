/** ARC-Authentication-Results (RFC 8617 §4.1.2): the Authentication-Results payload after `i=`. */
import { MAX_AUTHRES_LENGTH, parseAuthResults } from './authres.ts';
import type { AuthResParse } from './authres-types.ts';

/**
 * Parse an ARC-Authentication-Results field body: `i=<1..50>;` then the RFC 8601 payload
 * (RFC 8617 §4.1.2, §4.2.1 for the instance range).
 */
export function parseArcAuthResults(value: string): AuthResParse {
  if (typeof value !== 'string' || value.length > MAX_AUTHRES_LENGTH) return parseAuthResults(value);
  const m = /^[ \t\r\n]*i[ \t\r\n]*=[ \t\r\n]*([0-9]{1,2})[ \t\r\n]*;/i.exec(value);
  if (!m) return { ok: false, error: { kind: 'syntax', message: 'ARC-Authentication-Results must start with "i=<instance>;" (RFC 8617 §4.1.2)', offset: 0 } };
  const instance = Number(m[1]);
  if (instance < 1 || instance > 50) {
    return { ok: false, error: { kind: 'syntax', message: `ARC instance i=${instance} is outside 1..50 (RFC 8617 §4.2.1)`, offset: 0 } };
  }
  const parsed = parseAuthResults(value.slice(m[0].length));
  if (!parsed.ok && parsed.error.offset !== undefined) parsed.error.offset += m[0].length;
  if (parsed.header) parsed.header.instance = instance;
  return parsed;
}
