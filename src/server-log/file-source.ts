/**
 * Reads a log file line by line in bounded memory (one read buffer plus at most one pending
 * line), through rotation: at end of file it looks at the path again, and when the path now
 * names another file (logrotate's rename + create: new inode) it reads the rest of the old one
 * and goes on with the new one from its start; when the file got shorter (copytruncate) it
 * starts over at the beginning. Both are counted, neither is fatal.
 */
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { fileError } from './errors.ts';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './lines.ts';
import type { ParseStats } from './types.ts';

export interface FileReadOptions {
  stats: ParseStats;
  maxLineBytes?: number;
  /** keep reading new lines until `signal` aborts (a live run); otherwise stop at end of file */
  follow?: boolean;
  signal?: AbortSignal;
  pollMs?: number;
  chunkBytes?: number;
  /** byte offset to start at (a line boundary): a live follow starts at the send, not the file's start */
  start?: number;
  /** called each time the reader is at the end of the file (all lines so far are out) */
  onEnd?: () => void;
}

/** Waits `ms`, or less when `signal` aborts. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

async function openLog(file: string): Promise<{ fh: FileHandle; ino: number }> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
    const st = await fh.stat();
    if (st.isDirectory()) {
      await fh.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    return { fh, ino: st.ino };
  } catch (err) {
    throw fileError(file, err);
  }
}

export async function* fileLines(file: string, opts: FileReadOptions): AsyncGenerator<string> {
  const { stats, signal } = opts;
  const splitter = new LineSplitter(opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, stats);
  const buf = Buffer.allocUnsafe(opts.chunkBytes ?? 256 * 1024);
  let { fh, ino } = await openLog(file);
  let pos = opts.start ?? 0;
  try {
    while (!signal?.aborted) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead > 0) {
        pos += bytesRead;
        yield* splitter.push(buf.subarray(0, bytesRead));
        continue;
      }
      // end of file: rotated, truncated, or simply at the end?
      const now = await stat(file).catch(() => undefined);
      if (now && now.ino !== ino) {
        yield* splitter.end();
        stats.rotations++;
        await fh.close();
        ({ fh, ino } = await openLog(file));
        pos = 0;
        continue;
      }
      if (now && now.size < pos) {
        splitter.reset();
        stats.rotations++;
        pos = 0;
        continue;
      }
      opts.onEnd?.();
      if (!opts.follow) break;
      // between the rename and the create of a rotation the path is missing for a moment
      await sleep(opts.pollMs ?? 250, signal);
    }
    yield* splitter.end();
  } finally {
    await fh.close().catch(() => {});
  }
}
