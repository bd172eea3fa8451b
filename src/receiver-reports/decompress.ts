/**
 * Decompression of report containers with a cap on the decompressed size, so that a gzip or
 * zip bomb (a few hundred kB that inflate to gigabytes) stops with `decompressed-too-large`
 * instead of filling memory or disk.
 *
 * - gzip (RFC 1952) and zlib (RFC 1950): node:zlib. The gzip trailer's ISIZE (RFC 1952
 *   §2.3.1, size mod 2^32) refuses an honest bomb before anything is inflated. Input up to
 *   1 MB is inflated in one call with zlib's `maxOutputLength` at the cap (a stream per small
 *   report costs more than the inflating); larger input is streamed, the bytes that come out
 *   are counted and the stream is destroyed the moment they pass the cap.
 * - zip: yauzl 3 (maintained, streaming per member through node:zlib, reads the central
 *   directory rather than trusting local headers, validates each member's size against it).
 *   fflate would also do, but it inflates into memory by default; yauzl hands us a stream
 *   that stops when we stop reading. A member whose declared size is over the cap is refused
 *   unread; a member that lies about its size stops at the cap while streaming.
 *
 * Reports are small (a big receiver's daily aggregate report is rarely over a few MB), so
 * the default cap of 50 MB is generous; `MAILCANARY_REPORTS_MAX_MB` raises it.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip, createInflate, gunzipSync, inflateSync } from 'node:zlib';
import yauzl from 'yauzl';
import { ReportError } from './types.ts';

export const DEFAULT_MAX_DECOMPRESSED = 50 * 1024 * 1024;
/** Compressed inputs up to this size are inflated in one call (a stream costs more than the work). */
const SYNC_INFLATE_MAX = 1 << 20;
/** zip members looked at: a report zip holds one file; more is junk or an attack */
const MAX_ZIP_MEMBERS = 16;

export type Container = 'gzip' | 'zip' | 'zlib' | 'plain';

/** A sequence of bytes that can be read once, from a file or from memory. */
export interface ByteSource {
  name: string;
  /** the first bytes (at least 8 when the source has them), for sniffing */
  head: Buffer;
  /** total size in bytes */
  size: number;
  stream(): AsyncIterable<Buffer>;
  /** the whole content; only for small sources (zip, e-mail), bounded by `max` */
  bytes(max: number): Promise<Buffer>;
  /** the last 4 bytes (gzip ISIZE) */
  tail4(): Promise<Buffer | null>;
}

export function sniffContainer(head: Uint8Array): Container {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  // RFC 1950 §2.2: CMF 0x78 (deflate, 32K window) and FCHECK making CMF*256+FLG a multiple of 31
  if (head.length >= 2 && head[0] === 0x78 && ((head[0] << 8) | head[1]) % 31 === 0) return 'zlib';
  return 'plain';
}

export function bufferSource(name: string, buf: Buffer): ByteSource {
  return {
    name,
    head: buf.subarray(0, 64),
    size: buf.length,
    async *stream() {
      // hand out slices so a consumer that streams is not given one 70 MB string to decode
      for (let i = 0; i < buf.length; i += 1 << 20) yield buf.subarray(i, Math.min(buf.length, i + (1 << 20)));
    },
    bytes: async () => buf,
    tail4: async () => (buf.length >= 4 ? buf.subarray(buf.length - 4) : null),
  };
}

export async function fileSource(file: string, name = file): Promise<ByteSource> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(64, size));
    await fh.read(head, 0, head.length, 0);
    return {
      name,
      head,
      size,
      stream: () => createReadStream(file, { highWaterMark: 1 << 16 }),
      async bytes(max: number) {
        if (size > max) throw tooLarge(name, max, `the file is ${size} bytes`);
        const { readFile } = await import('node:fs/promises');
        return readFile(file);
      },
      async tail4() {
        if (size < 4) return null;
        const t = Buffer.alloc(4);
        const h = await open(file, 'r');
        try {
          await h.read(t, 0, 4, size - 4);
        } finally {
          await h.close();
        }
        return t;
      },
    };
  } finally {
    await fh.close();
  }
}

function tooLarge(name: string, max: number, what: string): ReportError {
  return new ReportError(
    'decompressed-too-large',
    `${name}: ${what}, over the decompressed-size limit of ${Math.round(max / 1048576)} MB; a DMARC or TLS report is never that large, so this is refused as a compression bomb (raise MAILCANARY_REPORTS_MAX_MB only for a report you trust)`,
  );
}

/** Passes the chunks through and throws as soon as more than `max` bytes came out. */
export async function* capped(src: AsyncIterable<Buffer>, max: number, name: string): AsyncGenerator<Buffer> {
  let n = 0;
  for await (const chunk of src) {
    n += chunk.length;
    if (n > max) throw tooLarge(name, max, `it inflates to more than ${max} bytes`);
    yield chunk;
  }
}

async function* inflateWith(src: ByteSource, make: () => NodeJS.ReadWriteStream, label: string): AsyncGenerator<Buffer> {
  const z = make();
  const input = Readable.from(src.stream());
  input.on('error', (err) => (z as unknown as Readable).destroy(err));
  input.pipe(z as unknown as NodeJS.WritableStream);
  try {
    for await (const chunk of z as unknown as AsyncIterable<Buffer>) yield chunk;
  } catch (err) {
    if (err instanceof ReportError) throw err;
    throw new ReportError(
      'unknown-format',
      `${src.name}: the ${label} data is corrupt (${(err as Error).message}); the file is damaged or not ${label} at all`,
    );
  } finally {
    input.destroy();
    (z as unknown as Readable).destroy();
  }
}

/** One decompressed member of a container. */
export interface Member {
  name: string;
  head: Buffer;
  chunks: AsyncIterable<Buffer>;
}

/** Reads up to `n` bytes from the front of a chunk stream and returns them with the rest. */
async function peek(chunks: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; chunks: AsyncIterable<Buffer> }> {
  const it = chunks[Symbol.asyncIterator]();
  const got: Buffer[] = [];
  let len = 0;
  let done = false;
  while (len < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    got.push(r.value);
    len += r.value.length;
  }
  const head = Buffer.concat(got);
  async function* rest(): AsyncGenerator<Buffer> {
    try {
      if (head.length) yield head;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return { head: head.subarray(0, n), chunks: rest() };
}

/**
 * Undoes the container layers of a source (gzip, zlib, zip; a gzip inside a zip too) and
 * returns the members with their first bytes. A plain source comes back as itself.
 */
export async function openContainer(src: ByteSource, max = DEFAULT_MAX_DECOMPRESSED, depth = 0): Promise<Member[]> {
  const kind = sniffContainer(src.head);
  if (kind === 'plain' || depth > 2) return [{ name: src.name, head: src.head, chunks: src.stream() }];
  if (kind === 'gzip' || kind === 'zlib') {
    if (kind === 'gzip') {
      const t = await src.tail4();
      // ISIZE is mod 2^32: it can only prove "too large", never "small enough"
      if (t && t.readUInt32LE(0) > max) throw tooLarge(src.name, max, `its gzip trailer says it inflates to ${t.readUInt32LE(0)} bytes`);
    }
    let chunks: AsyncIterable<Buffer>;
    if (src.size <= SYNC_INFLATE_MAX) {
      // maxOutputLength stops zlib itself at the cap, so a small bomb never allocates past it
      let out: Buffer;
      try {
        const input = await src.bytes(SYNC_INFLATE_MAX);
        out = kind === 'gzip' ? gunzipSync(input, { maxOutputLength: max + 1 }) : inflateSync(input, { maxOutputLength: max + 1 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
          throw tooLarge(src.name, max, `it inflates to more than ${max} bytes`);
        throw new ReportError(
          'unknown-format',
          `${src.name}: the ${kind} data is corrupt (${(err as Error).message}); the file is damaged or not ${kind} at all`,
        );
      }
      if (out.length > max) throw tooLarge(src.name, max, `it inflates to more than ${max} bytes`);
      chunks = bufferSource(src.name, out).stream();
    } else {
      chunks = capped(
        inflateWith(src, () => (kind === 'gzip' ? createGunzip() : createInflate()), kind),
        max,
        src.name,
      );
    }
    const p = await peek(chunks, 64);
    const inner = sniffContainer(p.head);
    if (inner !== 'plain') return openContainer(streamSource(src.name, p.head, p.chunks), max, depth + 1);
    return [{ name: src.name, head: p.head, chunks: p.chunks }];
  }
  return openZip(src, max, depth);
}

function streamSource(name: string, head: Buffer, chunks: AsyncIterable<Buffer>): ByteSource {
  return {
    name,
    head,
    size: Number.NaN,
    stream: () => chunks,
    async bytes(max: number) {
      const out: Buffer[] = [];
      for await (const c of capped(chunks, max, name)) out.push(c);
      return Buffer.concat(out);
    },
    tail4: async () => null,
  };
}

async function openZip(src: ByteSource, max: number, depth: number): Promise<Member[]> {
  const buf = await src.bytes(max);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, validateEntrySizes: true, autoClose: false, strictFileNames: false });
  } catch (err) {
    throw new ReportError('unknown-format', `${src.name}: not a readable zip archive (${(err as Error).message})`);
  }
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      // directories, and the AppleDouble companions a Mac adds (`__MACOSX/`, `._name`), are not reports
      if (!e.fileName.endsWith('/') && !/(^|\/)(__MACOSX\/|\._)/.test(e.fileName)) entries.push(e);
      if (entries.length >= MAX_ZIP_MEMBERS) resolve();
      else zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err: Error) => reject(new ReportError('unknown-format', `${src.name}: broken zip archive (${err.message})`)));
    zip.readEntry();
  });
  const reportLike = entries.filter((e) => /\.(xml|json)(\.gz)?$/i.test(e.fileName));
  const chosen = reportLike.length ? reportLike : entries;
  if (!chosen.length) {
    zip.close();
    throw new ReportError('empty', `${src.name}: the zip archive holds no file`);
  }
  const members: Member[] = [];
  for (const e of chosen) {
    const name = `${src.name} › ${e.fileName}`;
    if (e.uncompressedSize > max) {
      zip.close();
      throw tooLarge(name, max, `the zip says it inflates to ${e.uncompressedSize} bytes`);
    }
    if (e.isEncrypted()) throw new ReportError('unknown-format', `${name}: the zip member is encrypted`);
    const stream = await zip.openReadStreamPromise(e);
    const chunks = (async function* () {
      try {
        for await (const c of capped(stream as AsyncIterable<Buffer>, max, name)) yield c;
      } catch (err) {
        if (err instanceof ReportError) throw err;
        throw new ReportError('unknown-format', `${name}: the zip member is corrupt (${(err as Error).message})`);
      } finally {
        stream.destroy();
      }
    })();
    const p = await peek(chunks, 64);
    if (sniffContainer(p.head) !== 'plain') members.push(...(await openContainer(streamSource(name, p.head, p.chunks), max, depth + 1)));
    else members.push({ name, head: p.head, chunks: p.chunks });
  }
  // members stream from the in-memory buffer; the zip file object itself holds nothing else
  zip.close();
  return members;
}
