/**
 * JavaScript strings in SQLite TEXT columns, without loss.
 *
 * SQLite keeps TEXT as UTF-8 here, and UTF-8 cannot encode a lone surrogate (an unpaired UTF-16
 * code unit, e.g. half of an emoji cut off by a header that was truncated by code units): node:sqlite
 * writes U+FFFD in its place and the value read back is no longer the one written. Hostile mail
 * carries such strings in Subjects and headers, so a well-formed string is stored as TEXT as it is
 * (readable with any SQLite tool) and any other string as a BLOB holding its WTF-8 form
 * (https://simonsapin.github.io/wtf-8/: UTF-8 where a lone surrogate is the three bytes
 * ED A0..BF 80..BF that generalised UTF-8 gives its code point), which decodes to the exact code
 * units. A TEXT value never equals a BLOB (https://sqlite.org/datatype3.html §4.1), and both forms
 * are one-to-one, so keys and lookups stay exact. NUL is kept in both forms: node:sqlite binds and
 * reads text with its byte length.
 */

const HAS_LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The column value that keeps `s` exactly: the string itself, or its WTF-8 bytes. */
export function toColumn(s: string): string | Uint8Array {
  if (!HAS_LONE_SURROGATE.test(s)) return s;
  // at most 3 bytes per UTF-16 code unit (a pair, 2 units, takes 4)
  const out = new Uint8Array(s.length * 3);
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else if (c < 0x10000) {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    } else {
      out[o++] = 0xf0 | (c >> 18);
      out[o++] = 0x80 | ((c >> 12) & 0x3f);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  return out.slice(0, o);
}

/** toColumn for an optional value: undefined and null become SQL NULL. */
export function toColumnOpt(s: string | null | undefined): string | Uint8Array | null {
  return s === undefined || s === null ? null : toColumn(s);
}

/** The string a column value stands for (the inverse of toColumn). */
export function fromColumn(v: unknown): string {
  if (!(v instanceof Uint8Array)) return String(v);
  // one code unit per byte at most (4 bytes give 2 units)
  const units = new Uint16Array(v.length);
  let u = 0;
  for (let i = 0; i < v.length;) {
    const b = v[i];
    const n = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (n < 0 || i + n >= v.length) throw notWtf8();
    let c = n === 0 ? b : b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const x = v[i + k];
      if ((x & 0xc0) !== 0x80) throw notWtf8();
      c = (c << 6) | (x & 0x3f);
    }
    // overlong forms and code points past U+10FFFF are not UTF-8 (RFC 3629 §3); surrogates are WTF-8
    if ((n === 2 && c < 0x800) || (n === 3 && (c < 0x10000 || c > 0x10ffff))) throw notWtf8();
    i += n + 1;
    if (c >= 0x10000) {
      units[u++] = 0xd800 + ((c - 0x10000) >> 10);
      units[u++] = 0xdc00 + ((c - 0x10000) & 0x3ff);
    } else units[u++] = c;
  }
  let out = '';
  for (let at = 0; at < u; at += 8192) out += String.fromCharCode(...units.subarray(at, Math.min(u, at + 8192)));
  return out;
}

/** fromColumn for an optional value: SQL NULL becomes undefined. */
export function fromColumnOpt(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : fromColumn(v);
}

function notWtf8(): Error {
  return new Error(
    'the history store holds a BLOB in a text column that is not WTF-8 text: it was not written by mailcanary; restore the store from an export (`npm run report -- --import FILE`)',
  );
}
