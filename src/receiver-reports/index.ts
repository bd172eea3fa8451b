/**
 * Receiver reports: reading DMARC aggregate (RFC 7489 appendix C, RFC 9990), SMTP TLS
 * (RFC 8460) and DMARC failure reports (RFC 6591) from files, compressed files and report
 * e-mails. What a report says, or why it cannot be read, comes back as data (`ReadItem`);
 * only I/O failures (a file that cannot be opened) throw.
 */
import { parseAggregate, type AggregateSink } from './aggregate.ts';
import { bufferSource, capped, DEFAULT_MAX_DECOMPRESSED, fileSource, openContainer, type ByteSource, type Member } from './decompress.ts';
import { parseFailureReport } from './failure.ts';
import { extractMail } from './mime-extract.ts';
import { parseTlsReport } from './tls-rpt.ts';
import { ReportError, type ReadItem, type Report } from './types.ts';

export * from './types.ts';
export { parseAggregate, checkDoctype } from './aggregate.ts';
export type { AggregateSink } from './aggregate.ts';
export { parseTlsReport } from './tls-rpt.ts';
export { parseFailureReport } from './failure.ts';
export { extractMail } from './mime-extract.ts';
export { bufferSource, fileSource, openContainer, sniffContainer, DEFAULT_MAX_DECOMPRESSED } from './decompress.ts';
export type { ByteSource } from './decompress.ts';

export interface ReadOptions {
  /** decompressed-size cap per member and size cap of JSON and e-mail input (bytes) */
  maxBytes?: number;
  /** aggregate records go here instead of into `report.records` (for streaming into a store) */
  sink?: (source: string, messageId: string | null) => AggregateSink | undefined;
}

type Format = 'xml' | 'json' | 'email' | 'empty' | 'unknown';

/** What a (decompressed) member holds, from its first bytes. */
function sniffFormat(head: Buffer): Format {
  const s = head
    .toString('latin1')
    .replace(/^\xEF\xBB\xBF/, '')
    .trimStart();
  if (!s) return head.length ? 'unknown' : 'empty';
  if (s.startsWith('<')) return 'xml';
  if (s.startsWith('{') || s.startsWith('[')) return 'json';
  // RFC 5322 §2.2: a header field name, a colon (mbox "From " lines too)
  if (/^(From |[!-9;-~]+:)/.test(s)) return 'email';
  return 'unknown';
}

async function collect(chunks: AsyncIterable<Buffer>, max: number, name: string): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of capped(chunks, max, name)) out.push(c);
  return Buffer.concat(out);
}

const fail = (source: string, messageId: string | null, err: ReportError): ReadItem => ({
  source,
  messageId,
  result: { ok: false, error: { kind: err.kind, message: err.message } },
});
const ok = (source: string, messageId: string | null, report: Report): ReadItem => ({ source, messageId, result: { ok: true, report } });

type Ctx = Required<Pick<ReadOptions, 'maxBytes'>> & ReadOptions & { emit: (item: ReadItem) => void };

async function readMember(m: Member, messageId: string | null, ctx: Ctx, inMail: boolean): Promise<void> {
  const format = sniffFormat(m.head);
  if (format === 'empty') throw new ReportError('empty', `${m.name}: the report is empty`);
  if (format === 'xml') return ctx.emit(ok(m.name, messageId, await parseAggregate(m.chunks, m.name, ctx.sink?.(m.name, messageId))));
  if (format === 'json') return ctx.emit(ok(m.name, messageId, parseTlsReport((await collect(m.chunks, ctx.maxBytes, m.name)).toString('utf8'), m.name)));
  if (format === 'email' && !inMail) return readMail(await collect(m.chunks, ctx.maxBytes, m.name), m.name, ctx);
  throw new ReportError('unknown-format', `${m.name}: neither XML (DMARC aggregate), JSON (TLS-RPT) nor a report e-mail; nothing to read`);
}

async function readMail(raw: Buffer, name: string, ctx: Ctx): Promise<void> {
  const mail = extractMail(raw, name);
  if (mail.feedback) {
    try {
      return ctx.emit(ok(name, mail.messageId, parseFailureReport(mail.feedback, name)));
    } catch (err) {
      if (err instanceof ReportError) return ctx.emit(fail(name, mail.messageId, err));
      throw err;
    }
  }
  if (!mail.attachments.length) {
    return ctx.emit(
      fail(
        name,
        mail.messageId,
        new ReportError(
          'no-report-in-message',
          `${name}: the e-mail${mail.subject ? ` "${mail.subject.slice(0, 80)}"` : ''} has no DMARC or TLS report attachment (.xml, .xml.gz, .zip, .json, .json.gz) and no feedback-report part`,
        ),
      ),
    );
  }
  for (const a of mail.attachments) await readSource(bufferSource(a.name, a.bytes), ctx, mail.messageId, true);
}

async function readSource(src: ByteSource, ctx: Ctx, messageId: string | null, inMail: boolean): Promise<void> {
  try {
    if (src.size === 0) throw new ReportError('empty', `${src.name}: the file is empty`);
    const members = await openContainer(src, ctx.maxBytes);
    for (const m of members) {
      try {
        await readMember(m, messageId, ctx, inMail);
      } catch (err) {
        if (!(err instanceof ReportError)) throw err;
        ctx.emit(fail(m.name, messageId, err));
      }
    }
  } catch (err) {
    if (err instanceof ReportError) return ctx.emit(fail(src.name, messageId, err));
    throw err;
  }
}

/**
 * Reads every report in one source (a file or bytes in memory). `onItem` gets each report the
 * moment it is read, before the next one is started (a streaming sink finishes it there).
 */
export async function readReports(src: ByteSource, opts: ReadOptions & { onItem?: (item: ReadItem) => void } = {}): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  const emit = (item: ReadItem) => {
    items.push(item);
    opts.onItem?.(item);
  };
  await readSource(src, { ...opts, maxBytes: opts.maxBytes ?? DEFAULT_MAX_DECOMPRESSED, emit }, null, false);
  return items;
}

/** Reads every report in a file. */
export async function readReportFile(file: string, opts: ReadOptions = {}, name = file): Promise<ReadItem[]> {
  return readReports(await fileSource(file, name), opts);
}

/** The decompressed-size cap from `MAILCANARY_REPORTS_MAX_MB` (whole MB ≥ 1), checked. */
export function maxBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MAILCANARY_REPORTS_MAX_MB?.trim();
  if (!raw) return DEFAULT_MAX_DECOMPRESSED;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 4096) {
    throw new Error(
      `MAILCANARY_REPORTS_MAX_MB=${JSON.stringify(raw)} is not a whole number of MB between 1 and 4096: set it to e.g. 50, or unset it for the default (50)`,
    );
  }
  return n * 1024 * 1024;
}
export { ReportStore } from './store.ts';
export { evaluateReports, reportSettingsFromEnv } from './evaluate.ts';
export type { ReportsSummary, ReporterStats, TlsStats } from './evaluate.ts';
