/**
 * Hostile text made visible. Bidirectional controls (Unicode UAX #9: U+202A–202E, U+2066–2069,
 * U+200E/200F, U+061C) reorder what follows them, so `invoice<U+202E>fdp.exe` would read as
 * "invoiceexe.pdf"; NUL and the other C0/C1 controls, zero-width characters, the BOM and lone
 * surrogates are invisible or undisplayable. Each is shown as its code point, `⟨U+202E⟩`.
 * Tab and line ends stay, for header blocks shown as preformatted text.
 */

const HIDDEN =
  // eslint-disable-next-line no-control-regex -- control characters are what this shows
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function visible(s: string): string {
  return s.replace(HIDDEN, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** Every string inside a JSON value made visible (object keys too: they come from received mail as well). */
export function visibleDeep(v: unknown): unknown {
  if (typeof v === 'string') return visible(v);
  if (Array.isArray(v)) return v.map(visibleDeep);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[visible(k)] = visibleDeep(x);
    return out;
  }
  return v;
}
