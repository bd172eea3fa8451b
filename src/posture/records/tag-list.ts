/**
 * The `tag=value; tag=value` lists of DNS TXT records: DKIM keys (RFC 6376 §3.2), DMARC
 * (RFC 7489 §6.4), TLS-RPT (RFC 8460 §3) and BIMI records share this syntax. White space
 * around tags and values is not part of them; an empty part (a trailing `;`) is allowed.
 * Each record type applies its own rules (which tags, case, duplicates) to the parts.
 */
export type TagPart =
  /** `name=value`, both trimmed, the name as written */
  | { name: string; value: string; malformed?: undefined }
  /** a part that is not `tag=value` (no `=`, or nothing before it), trimmed */
  | { malformed: string };

/** The non-empty parts of a tag list, in record order. */
export function parseTagList(record: string): TagPart[] {
  const parts: TagPart[] = [];
  for (const raw of record.split(';')) {
    const part = raw.trim();
    if (!part) continue;
    const eq = part.indexOf('=');
    parts.push(eq < 1 ? { malformed: part } : { name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  }
  return parts;
}

/** tag → value of the well-formed parts (a later duplicate wins, as a plain map would have it). */
export function tagMap(parts: TagPart[], lowerCaseNames = false): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const p of parts) if (p.malformed === undefined) tags[lowerCaseNames ? p.name.toLowerCase() : p.name] = p.value;
  return tags;
}
