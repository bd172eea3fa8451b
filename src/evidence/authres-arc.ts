/**
 * ARC-Authentication-Results (RFC 8617 §4.1.2): the Authentication-Results payload after the
 * instance tag,
 *
 *   arc-info = instance [CFWS] ";" authres-payload
 *   instance = [FWS] "i" [FWS] "=" [FWS] 1*2DIGIT [FWS]
 *
 * with the field's own leading [CFWS]. The payload is an RFC 8601 field body (./authres.ts).
 */
import { MAX_AUTHRES_LENGTH, parseAuthResults } from './authres.ts';
import { Scanner } from './scanner.ts';
import type { AuthResParse } from './authres-types.ts';

/** The instance tag at the cursor (sticky): FWS only inside it, as the ABNF above. */
const INSTANCE = /i[ \t\r\n]*=[ \t\r\n]*([0-9]{1,2})/iy;

/**
 * Parse an ARC-Authentication-Results field body: `i=<1..50>;` then the RFC 8601 payload
 * (RFC 8617 §4.1.2, §4.2.1 for the instance range).
 */
export function parseArcAuthResults(value: string): AuthResParse {
  if (typeof value !== 'string' || value.length > MAX_AUTHRES_LENGTH) return parseAuthResults(value);
  const sc = new Scanner(value);
  const missing: AuthResParse = {
    ok: false,
    error: { kind: 'syntax', message: 'ARC-Authentication-Results must start with "i=<instance>;" (RFC 8617 §4.1.2)', offset: 0 },
  };
  if (!sc.skipCFWS()) return missing;
  INSTANCE.lastIndex = sc.pos;
  const m = INSTANCE.exec(value);
  if (!m) return missing;
  sc.pos = INSTANCE.lastIndex;
  if (!sc.skipCFWS() || sc.peek() !== ';') return missing;
  const instance = Number(m[1]);
  if (instance < 1 || instance > 50) {
    return { ok: false, error: { kind: 'syntax', message: `ARC instance i=${instance} is outside 1..50 (RFC 8617 §4.2.1)`, offset: 0 } };
  }
  const start = sc.pos + 1;
  const parsed = parseAuthResults(value.slice(start));
  if (!parsed.ok && parsed.error.offset !== undefined) parsed.error.offset += start;
  if (parsed.header) parsed.header.instance = instance;
  return parsed;
}
