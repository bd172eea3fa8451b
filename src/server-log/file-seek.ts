/**
 * Where in a log file the lines of a given time begin, found by bisection over byte offsets:
 * a live follow of a gigabyte log starts near the run's first submission after a few dozen
 * small reads instead of reading the whole file. Logs are appended in time order (syslog
 * writes as messages arrive), so the first line at or after `since` splits the file in two;
 * a probe that finds no dated line counts as "not before" and keeps the search on the safe
 * side (more is read, nothing is missed).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { parseEnvelope, type TimeContext } from './envelope.ts';
import { fileError } from './errors.ts';

const PROBE_BYTES = 64 * 1024;

/** The first dated line that starts after `pos` (or at 0) within one probe: its offset and time. */
async function probe(fh: FileHandle, pos: number, ctx: TimeContext, buf: Buffer): Promise<{ at: number; time?: number } | null> {
  const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
  let i = 0;
  if (pos > 0) {
    const nl = buf.indexOf(10, 0);
    if (nl < 0 || nl >= bytesRead) return null;
    i = nl + 1;
  }
  while (i < bytesRead) {
    const nl = buf.indexOf(10, i);
    if (nl < 0 || nl >= bytesRead) return null;
    const time = parseEnvelope(buf.toString('utf8', i, nl), ctx)?.time;
    if (time !== undefined) return { at: pos + i, time };
    i = nl + 1;
  }
  return null;
}

/** A line-boundary offset at or before the first line logged at or after `since`. */
export async function offsetAtTime(file: string, since: number, ctx: TimeContext): Promise<number> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw fileError(file, err);
  }
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.allocUnsafe(PROBE_BYTES);
    let lo = 0;
    let hi = size;
    // invariant: the line at `lo` is older than `since` (or lo = 0); nothing at or after `since` starts before lo
    while (hi - lo > PROBE_BYTES) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const p = await probe(fh, mid, ctx, buf);
      if (p?.time !== undefined && p.time < since && p.at < hi) lo = p.at;
      else hi = mid;
    }
    return lo;
  } catch (err) {
    throw fileError(file, err);
  } finally {
    await fh.close().catch(() => {});
  }
}
