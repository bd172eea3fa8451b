/** Cutting text for one-line display: at a word boundary, marked with an ellipsis. */

/**
 * `text` cut to at most `max` characters at the last space before the limit (or at the limit when
 * a word is longer than a fifth of it), with "…" appended; text within the limit is returned as is.
 * A surrogate pair is never split.
 */
export function clipWords(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  const space = cut.search(/\s\S*$/);
  if (space >= max * 0.8) cut = cut.slice(0, space);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** `text` without a reply code it starts with when `code` already says it ("554 5.7.1 554 5.7.1 …"). */
export function withoutLeadingCode(text: string, code: string): string {
  if (!code) return text;
  let t = text.trimStart();
  for (const part of code.split(' ')) if (t.startsWith(`${part} `) || t === part) t = t.slice(part.length).trimStart();
  return t;
}
