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

/**
 * The minute a run id of newRunId names (UTC), or undefined for an id given some other way. Every
 * shard of a run shares its id (MAILCANARY_RUN_ID), so what follows from the run's time (the
 * rotation part) is read from here and agrees across shards started minutes or a slot apart.
 */
export function runIdTime(runId: string): number | undefined {
  const m = /^mc(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})[0-9a-z]{4}$/.exec(runId);
  if (!m) return undefined;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  return Number.isNaN(t) || new Date(t).getUTCMonth() !== +m[2] - 1 ? undefined : t;
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
