/**
 * Lines of a byte stream, split on LF only, for JSON lines.
 *
 * JSON text never holds a raw LF: RFC 8259 §7 requires every character below U+0020 inside a
 * string to be escaped. It may hold U+2028 and U+2029 raw, and node:readline ends a line at those
 * (and at a lone CR), so a Subject carrying U+2028 would cut its record in two. Here a line ends at
 * LF; a CR right before it belongs to the line ending (CRLF). Each line is decoded as UTF-8 on its
 * own and must be valid: a replacement character would change the data without a word. A line
 * longer than `maxBytes` stops the read before it fills the memory.
 */

export interface Line {
  /** 1-based line number */
  n: number;
  text: string;
}

export interface LineOptions {
  /** the longest line accepted, in bytes before its LF */
  maxBytes: number;
  /** builds the error for line `n` (the caller names its file) */
  error: (n: number, what: string) => Error;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export async function* linesOf(input: AsyncIterable<Uint8Array | string>, opts: LineOptions): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let n = 0;
  const line = (): Line => {
    n++;
    let bytes = Buffer.concat(parts, size);
    if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    parts = [];
    size = 0;
    try {
      return { n, text: utf8.decode(bytes) };
    } catch {
      throw opts.error(n, 'not valid UTF-8');
    }
  };
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const lf = buf.indexOf(0x0a, start);
      const end = lf === -1 ? buf.length : lf;
      size += end - start;
      if (size > opts.maxBytes) throw opts.error(n + 1, `line is longer than ${megabytes(opts.maxBytes)}`);
      if (end > start) parts.push(buf.subarray(start, end));
      if (lf === -1) break;
      yield line();
      start = lf + 1;
    }
  }
  if (size > 0) yield line();
}

function megabytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${Math.round(bytes / (1 << 20))} MB` : `${bytes} bytes`;
}
