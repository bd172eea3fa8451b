/**
 * Bytes to lines in bounded memory, for every line-oriented input mailcanary reads (the history's
 * JSON lines, the server's mail log). A line ends at LF; what a caller does with a line longer
 * than `maxLineBytes` is its own policy (`onTooLong`): the mail log skips it and counts it (a
 * syslog daemon cuts at 8 KiB, Postfix's postlogd at 2,000 bytes of text, so such a line is
 * garbage), the history import stops with an error naming the line. Either way one runaway line
 * never holds the whole input in memory.
 */

export interface Line {
  /** 1-based line number, counting skipped lines too */
  n: number;
  text: string;
}

export interface SplitterOptions {
  maxLineBytes: number;
  /** called once per line longer than `maxLineBytes` (its number); throw to stop, return to skip it */
  onTooLong?: (n: number) => void;
  /** the bytes of one line, without its LF, as text (default: UTF-8, invalid bytes replaced) */
  decode?: (bytes: Buffer, n: number) => string;
}

const lenient = (bytes: Buffer): string => bytes.toString('utf8');

export class LineSplitter {
  private parts: Buffer[] = [];
  private pending = 0;
  private skipping = false;
  private n = 0;
  private readonly max: number;
  private readonly onTooLong: (n: number) => void;
  private readonly decode: (bytes: Buffer, n: number) => string;

  constructor(opts: SplitterOptions) {
    this.max = opts.maxLineBytes;
    this.onTooLong = opts.onTooLong ?? (() => undefined);
    this.decode = opts.decode ?? lenient;
  }

  /** The complete lines of `chunk` (with what was pending before it). */
  push(chunk: Uint8Array | string): Line[] {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: Line[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      this.n++;
      if (this.skipping) {
        this.skipping = false;
      } else if (this.pending + (nl - start) > this.max) {
        this.onTooLong(this.n);
      } else {
        const piece = buf.subarray(start, nl);
        out.push({ n: this.n, text: this.decode(this.pending ? Buffer.concat([...this.parts, piece]) : piece, this.n) });
      }
      this.parts = [];
      this.pending = 0;
      start = nl + 1;
    }
    if (start < buf.length && !this.skipping) {
      const rest = buf.subarray(start);
      if (this.pending + rest.length > this.max) {
        this.onTooLong(this.n + 1);
        this.skipping = true;
        this.parts = [];
        this.pending = 0;
      } else {
        // copy: the caller may reuse its read buffer
        this.parts.push(Buffer.from(rest));
        this.pending += rest.length;
      }
    }
    return out;
  }

  /** The last line when the input ends without an LF, then nothing. */
  end(): Line[] {
    const last = this.pending && !this.skipping ? Buffer.concat(this.parts) : undefined;
    this.reset();
    if (last === undefined) return [];
    this.n++;
    return [{ n: this.n, text: this.decode(last, this.n) }];
  }

  /** Drops a partial line (the file was truncated under it). */
  reset(): void {
    this.parts = [];
    this.pending = 0;
    this.skipping = false;
  }
}

export interface StrictLineOptions {
  /** the longest line accepted, in bytes before its LF */
  maxBytes: number;
  /** builds the error for line `n` (the caller names its file) */
  error: (n: number, what: string) => Error;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Lines that must arrive intact, for JSON lines. JSON text never holds a raw LF: RFC 8259 §7
 * requires every character below U+0020 inside a string to be escaped. It may hold U+2028 and
 * U+2029 raw, and node:readline ends a line at those (and at a lone CR), so a Subject carrying
 * U+2028 would cut its record in two; here only LF ends a line and a CR right before it belongs
 * to the line ending (CRLF). Each line must be valid UTF-8 (a replacement character would change
 * the data without a word) and no longer than `maxBytes`; otherwise the read stops with an error.
 */
export async function* linesOf(input: AsyncIterable<Uint8Array | string>, opts: StrictLineOptions): AsyncGenerator<Line> {
  const splitter = new LineSplitter({
    maxLineBytes: opts.maxBytes,
    onTooLong: (n) => {
      throw opts.error(n, `line is longer than ${megabytes(opts.maxBytes)}`);
    },
    decode: (bytes, n) => {
      const body = bytes.length && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
      try {
        return utf8.decode(body);
      } catch {
        throw opts.error(n, 'not valid UTF-8');
      }
    },
  });
  for await (const chunk of input) yield* splitter.push(chunk);
  yield* splitter.end();
}

function megabytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${Math.round(bytes / (1 << 20))} MB` : `${bytes} bytes`;
}
