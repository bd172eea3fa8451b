/**
 * The span of log a reading covers: from the end of the previous run's reading (kept in the
 * history) to now, so consecutive runs read every line once; the first reading, or one after
 * the history lost the previous, looks back `windowMs` (MAILCANARY_LOG_WINDOW_HOURS). Pure:
 * `now` is the injected clock.
 */
export interface ReadingWindow {
  since: number;
  until: number;
  /** `previous-run`: since the previous reading ended; `default`: the last `windowMs` */
  basis: 'previous-run' | 'default';
}

export function readingWindow(opts: { now: number; windowMs: number; previousUntil?: number }): ReadingWindow {
  const { now, windowMs, previousUntil } = opts;
  if (!Number.isFinite(now)) throw new Error(`readingWindow: now is not a time (${now})`);
  if (!(windowMs > 0)) throw new Error(`readingWindow: windowMs must be positive (${windowMs})`);
  // a previous end in the future (a clock set back since) would give an empty or negative window
  if (previousUntil !== undefined && Number.isFinite(previousUntil) && previousUntil < now) return { since: previousUntil, until: now, basis: 'previous-run' };
  return { since: now - windowMs, until: now, basis: 'default' };
}

/** `since the previous run (2026-12-01 22:04:45 UTC)` / `the last 24 h`. */
export function describeWindow(w: ReadingWindow): string {
  if (w.basis === 'previous-run') return `since the previous run (${new Date(w.since).toISOString().replace('T', ' ').slice(0, 19)} UTC)`;
  const hours = (w.until - w.since) / 3_600_000;
  return `the last ${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}
