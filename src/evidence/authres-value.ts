/**
 * The RFC 8601 §2.2 pvalue grammar, for telling a value the grammar allows from one only the
 * lenient reading accepts:
 *
 *   pvalue = [CFWS] ( value / [ [ local-part ] "@" ] domain-name ) [CFWS]
 *   value  = token / quoted-string          (RFC 2045 §5.1)
 *
 * local-part is RFC 5321 §4.1.2 (Dot-string or Quoted-string), domain-name RFC 6376 §3.5
 * (at least two sub-domains); RFC 8616 §3 lets both carry UTF-8 (RFC 6532 §3.2 extends atext
 * with non-ASCII characters), so U-labels and UTF-8 local-parts are grammar-valid.
 */
import { isTokenChar } from './scanner.ts';
import type { Scanner } from './scanner.ts';

/** RFC 5322 §3.2.3 atext, plus UTF8-non-ascii (RFC 6532 §3.2). */
const ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uffff]+$/;
/** RFC 6376 §3.5 sub-domain = Let-dig [Ldh-str], with U-label characters (RFC 8616 §3). */
const SUB_DOMAIN = /^[A-Za-z0-9\u0080-\uffff](?:[A-Za-z0-9\u0080-\uffff-]*[A-Za-z0-9\u0080-\uffff])?$/;

/** RFC 2045 §5.1 token: no SPACE, CTLs or tspecials (non-ASCII allowed per RFC 6532). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

/** domain-name = sub-domain 1*("." sub-domain) (RFC 6376 §3.5). */
export function isDomainName(s: string): boolean {
  const labels = s.split('.');
  return labels.length >= 2 && labels.every((l) => SUB_DOMAIN.test(l));
}

/** Dot-string = Atom *("." Atom) (RFC 5321 §4.1.2). */
export function isDotString(s: string): boolean {
  return s.split('.').every((a) => ATOM.test(a));
}

/**
 * Is an unquoted value a pvalue: a token, or `[local-part] "@" domain-name`? (A quoted-string is
 * always one; a quoted local-part is checked by the caller, which sees the quotes.)
 */
export function isUnquotedPvalue(s: string): boolean {
  if (isToken(s)) return true;
  const at = s.lastIndexOf('@');
  if (at < 0) return false;
  const local = s.slice(0, at);
  return (local === '' || isDotString(local)) && isDomainName(s.slice(at + 1));
}

/**
 * A pvalue at the cursor: a quoted-string, a quoted local-part with its `@domain-name`
 * (RFC 5321 §4.1.2 Quoted-string, kept with its quotes as the address is written), or an
 * unquoted run read leniently and checked against the grammar. Undefined on a scanner error.
 */
export function readPvalue(sc: Scanner): { value: string; strict: boolean } | undefined {
  const start = sc.pos;
  if (sc.peek() === '"') {
    const q = sc.readQuoted();
    if (q === undefined || sc.peek() !== '@') return q === undefined ? undefined : { value: q, strict: true };
    sc.pos++;
    const domain = sc.readLooseValue();
    return domain && { value: sc.src.slice(start, sc.pos), strict: isDomainName(domain.value) };
  }
  const v = sc.readLooseValue();
  return v && { value: v.value, strict: isUnquotedPvalue(v.value) };
}
