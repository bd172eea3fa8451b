/**
 * Tags make every test message findable: in our own header, in the Subject, and in the
 * envelope sender as a subaddress (RFC 5233 style `local-tag@domain`), which is where
 * bounces are addressed (RFC 5321 §4.5.5), so a DSN can be matched to its test message
 * even when the returned copy of the message is missing.
 */
export const TAG_HEADER = 'X-Mailcanary-Tag';

/** `mc` + UTC yyyymmddhhmm + 4 random base36 chars, e.g. `mc202611272010k3f9`. */
export function newRunId(now: Date = new Date(), random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 12);
  let rand = '';
  for (let i = 0; i < 4; i++) rand += Math.floor(random() * 36).toString(36);
  return `mc${stamp}${rand}`;
}

/** Fixed width, so that searching for one tag never matches another (`.01` vs `.01a`). */
export function messageTag(runId: string, index: number): string {
  return `${runId}.${index.toString(36).padStart(3, '0')}`;
}

export const TAG_PATTERN = /\bmc\d{12}[a-z0-9]{4}\.[a-z0-9]{3}\b/;

export function runIdOfTag(tag: string): string {
  return tag.slice(0, tag.indexOf('.'));
}

/** `monitor@example.org` + tag → `monitor-<tag>@example.org` (or unchanged when tagging is off). */
export function taggedAddress(address: string, tag: string, separator: string | null): string {
  if (!separator) return address;
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}${separator}${tag}${address.slice(at)}`;
}

/** Finds our tag in any address or text (a DSN's To:, Delivered-To:, Original-Envelope-Id…). */
export function findTag(text: string): string | null {
  return TAG_PATTERN.exec(text.toLowerCase())?.[0] ?? null;
}
