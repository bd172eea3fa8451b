/**
 * The mail log's policy on the shared line splitter (src/shared/lines.ts): a line longer than
 * `maxLineBytes` is skipped up to its newline and counted, and a last line without a newline (a
 * file cut mid-write) is read and counted as truncated.
 */
import { LineSplitter as Splitter } from '../shared/lines.ts';
import type { ParseStats } from './types.ts';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export class LineSplitter {
  private readonly splitter: Splitter;
  private readonly stats: ParseStats;

  constructor(maxLineBytes: number, stats: ParseStats) {
    this.stats = stats;
    this.splitter = new Splitter({ maxLineBytes, onTooLong: () => void stats.tooLong++ });
  }

  /** The complete lines of `chunk` (with what was pending before it). */
  push(chunk: Buffer): string[] {
    return this.splitter.push(chunk).map((l) => l.text);
  }

  /** The last line when the input ends without a newline (counted as truncated), then empty. */
  end(): string[] {
    const last = this.splitter.end();
    if (last.length) this.stats.truncated++;
    return last.map((l) => l.text);
  }

  /** Drops a partial line (the file was truncated under it). */
  reset(): void {
    this.splitter.reset();
  }
}
