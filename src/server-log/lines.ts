/**
 * Bytes to lines in bounded memory: a line longer than `maxLineBytes` is skipped up to its
 * newline and counted (a log has no legitimate line that long: syslog daemons cut at 8 KiB,
 * Postfix's postlogd at 2,000 bytes of text), so one runaway line never holds the whole file.
 */
import type { ParseStats } from './types.ts';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export class LineSplitter {
  private parts: Buffer[] = [];
  private pending = 0;
  private skipping = false;

  private readonly maxLineBytes: number;
  private readonly stats: ParseStats;

  constructor(maxLineBytes: number, stats: ParseStats) {
    this.maxLineBytes = maxLineBytes;
    this.stats = stats;
  }

  /** The complete lines of `chunk` (with what was pending before it). */
  push(chunk: Buffer): string[] {
    const out: string[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      if (this.skipping) {
        this.skipping = false;
      } else if (this.pending + (nl - start) > this.maxLineBytes) {
        this.stats.tooLong++;
      } else {
        const piece = chunk.subarray(start, nl);
        out.push(this.pending ? Buffer.concat([...this.parts, piece]).toString('utf8') : piece.toString('utf8'));
      }
      this.parts = [];
      this.pending = 0;
      start = nl + 1;
    }
    if (start < chunk.length && !this.skipping) {
      const rest = chunk.subarray(start);
      if (this.pending + rest.length > this.maxLineBytes) {
        this.stats.tooLong++;
        this.skipping = true;
        this.parts = [];
        this.pending = 0;
      } else {
        // copy: the caller reuses its read buffer
        this.parts.push(Buffer.from(rest));
        this.pending += rest.length;
      }
    }
    return out;
  }

  /** The last line when the input ends without a newline (counted as truncated), then empty. */
  end(): string[] {
    const last = this.pending && !this.skipping ? Buffer.concat(this.parts).toString('utf8') : undefined;
    this.reset();
    if (last === undefined) return [];
    this.stats.truncated++;
    return [last];
  }

  /** Drops a partial line (the file was truncated under it). */
  reset(): void {
    this.parts = [];
    this.pending = 0;
    this.skipping = false;
  }
}
