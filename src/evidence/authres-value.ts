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

const isLetDig = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0x80;

/** RFC 5322 §3.2.3 atext: letters, digits, these, and UTF8-non-ascii (RFC 6532 §3.2). */
const ATEXT_SPECIALS = new Set([..."!#$%&'*+-/=?^_`{|}~"].map((ch) => ch.charCodeAt(0)));
const isAtext = (c: number): boolean => isLetDig(c) || ATEXT_SPECIALS.has(c);

/** RFC 2045 §5.1 token: no SPACE, CTLs or tspecials (UTF-8 is judged by readPvalue, which knows whether the value is an address). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

/**
 * domain-name = sub-domain 1*("." sub-domain), sub-domain = Let-dig [Ldh-str] (RFC 6376 §3.5),
 * with U-label characters (RFC 8616 §3); `s` from `from` to its end. A char loop: this runs for
 * every address-valued property.
 */
export function isDomainName(s: string, from = 0): boolean {
  let labels = 0;
  let len = 0;
  let prev = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      if (len === 0 || prev === 0x2d) return false;
      labels++;
      len = 0;
    } else if (isLetDig(c) || (c === 0x2d && len > 0)) len++;
    else return false;
    prev = c;
  }
  return len > 0 && prev !== 0x2d && labels >= 1;
}

/** Dot-string = Atom *("." Atom) (RFC 5321 §4.1.2), over `s` up to `to`. */
export function isDotString(s: string, to = s.length): boolean {
  let len = 0;
  for (let i = 0; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      if (len === 0) return false;
      len = 0;
    } else if (isAtext(c)) len++;
    else return false;
  }
  return len > 0;
}

/**
 * Is an unquoted value a pvalue: a token, or `[local-part] "@" domain-name`? `at` is the index of
 * its last "@" (-1: none). (A quoted-string is always one; a quoted local-part is checked by the
 * caller, which sees the quotes.)
 */
export function isUnquotedPvalue(s: string, at = s.lastIndexOf('@')): boolean {
  if (at < 0) return isToken(s);
  return (at === 0 || isDotString(s, at)) && isDomainName(s, at + 1);
}

/**
 * A pvalue at the cursor: a quoted-string, a quoted local-part with its `@domain-name`
 * (RFC 5321 §4.1.2 Quoted-string, kept with its quotes as the address is written), or an
 * unquoted run read leniently and checked against the grammar. `utf8` marks an unquoted value
 * that is neither address nor domain-name but holds UTF-8: RFC 2045 §5.1 token is US-ASCII, and
 * RFC 6532 §3.2 lets UTF-8 into quoted-strings and addresses only. Undefined on a scanner error.
 */
export function readPvalue(sc: Scanner): { value: string; strict: boolean; utf8: boolean } | undefined {
  const start = sc.pos;
  if (sc.peek() === '"') {
    const q = sc.readQuoted();
    if (q === undefined || sc.peek() !== '@') return q === undefined ? undefined : { value: q, strict: true, utf8: false };
    sc.pos++;
    const domain = sc.readLooseValue();
    return domain && { value: sc.src.slice(start, sc.pos), strict: isDomainName(domain.value), utf8: false };
  }
  const v = sc.readLooseValue();
  if (v === undefined) return undefined;
  // token characters only (the scanner's flag, no "@") make a token; the rest is checked here
  const strict = v.at >= 0 || !v.strict ? isUnquotedPvalue(v.value, v.at) : true;
  // a bare domain-name is a pvalue too, and takes U-labels (RFC 8616 §3)
  const utf8 = v.at < 0 && !v.ascii && !isDomainName(v.value);
  return { value: v.value, strict: strict && !utf8, utf8: utf8 && strict };
}
