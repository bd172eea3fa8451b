/**
 * Split a raw header block into fields, top to bottom, unfolding per RFC 5322 §2.2.3
 * (a line starting with WSP continues the previous field; the CRLF is removed, the WSP kept).
 * Pure and linear: hostile blocks (no colon, binary junk, megabyte lines) yield warnings, not throws.
 */

export interface HeaderField {
  /** field name as written */
  name: string;
  /** lower-cased name for lookups */
  key: string;
  /** unfolded field body, leading white space removed */
  value: string;
  /** position in the block, 0 = topmost (most recently added) */
  index: number;
}

export interface HeaderBlock {
  fields: HeaderField[];
  warnings: string[];
}

/** More fields than this is not a real message; the rest are dropped with a warning. */
export const MAX_FIELDS = 2000;

export function splitHeaderBlock(raw: string): HeaderBlock {
  const fields: HeaderField[] = [];
  const warnings: string[] = [];
  if (typeof raw !== 'string') return { fields, warnings: ['header block is not a string'] };
  let skipped = 0;
  let current: { name: string; parts: string[] } | undefined;
  const flush = (): void => {
    if (!current) return;
    if (fields.length >= MAX_FIELDS) {
      if (fields.length === MAX_FIELDS) warnings.push(`more than ${MAX_FIELDS} header fields; the rest were ignored`);
    } else {
      fields.push({ name: current.name, key: current.name.toLowerCase(), value: current.parts.join('').replace(/^[ \t]+/, ''), index: fields.length });
    }
    current = undefined;
  };
  const lines = raw.split(/\r?\n/);
  for (const line of lines) {
    if (line.length === 0) break; // end of the header block (RFC 5322 §2.1)
    const c = line.charCodeAt(0);
    if (c === 0x20 || c === 0x09) {
      if (current) current.parts.push(line);
      else skipped++;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).replace(/[ \t]+$/, '') : '';
    // RFC 5322 §3.6.8 field-name: printable US-ASCII except ":"
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) {
      skipped++;
      continue;
    }
    current = { name, parts: [line.slice(colon + 1)] };
  }
  flush();
  if (skipped > 0) warnings.push(`${skipped} line(s) that are not header fields were skipped`);
  return { fields, warnings };
}
