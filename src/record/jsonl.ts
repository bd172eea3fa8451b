/**
 * Export and import of the history as JSON lines: one header line, then per run one `run` line
 * followed by its `message` and `check` lines and, for a run that read the server's log, its
 * `server-log` line (version 2). Streams line by line (a year of history is tens of
 * MB); import writes run by run, each in one transaction, and names the line of any bad input.
 *
 * Any string survives the trip: JSON.stringify escapes every control character and lone
 * surrogate (QuoteJSONString of ECMA-262, since ES2019), and the export also escapes
 * U+2028 and U+2029, which JSON allows raw (RFC 8259 §7) but line-oriented tools take for line
 * ends. The import splits on LF only (src/shared/lines.ts), so files with those characters raw
 * (written before they were escaped) import as well.
 */
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { once } from 'node:events';
import { linesOf } from '../shared/lines.ts';
import type { HistoryStore } from './store.ts';
import { readingFromJson, type ServerLogReading } from '../server-log/index.ts';
import { serverLogReading, writeServerLogReading } from './server-log-store.ts';
import type { CheckRecord, MessageRecord, RunBundle, RunRecord } from './types.ts';

export const JSONL_FORMAT = 'mailcanary-history';
export const JSONL_VERSION = 2;
/** The longest line import reads (and export writes): far above any real record, below a memory problem. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** One record as a JSON line: U+2028/U+2029 escaped (they occur only inside strings there). */
function jsonLine(obj: unknown): string {
  return JSON.stringify(obj).replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
}

export async function exportJsonl(store: HistoryStore, file: string, opts: { maxLineBytes?: number } = {}): Promise<{ runs: number; lines: number }> {
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const out = createWriteStream(file);
  let lines = 0;
  const write = async (obj: unknown, what: string) => {
    lines++;
    const line = jsonLine(obj);
    const bytes = Buffer.byteLength(line);
    if (bytes > max) {
      out.destroy();
      await once(out, 'close');
      rmSync(file, { force: true });
      throw new Error(`${what} is ${bytes} bytes as a JSON line, more than the ${max} an import reads: nothing was exported`);
    }
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write({ type: 'header', format: JSONL_FORMAT, version: JSONL_VERSION, exportedAt: new Date().toISOString() }, 'the header');
  const runs = store.runs();
  for (const r of runs) {
    const b = store.bundle(r.runId)!;
    const run = `run ${JSON.stringify(r.runId)}`;
    await write({ type: 'run', ...b.run }, run);
    for (const m of b.messages) await write({ type: 'message', ...m }, `message ${JSON.stringify(`${m.seedId}/${m.variant}`)} of ${run}`);
    for (const c of b.checks) await write({ type: 'check', ...c }, `check ${JSON.stringify(c.title)} of ${run}`);
    const log = serverLogReading(store, r.runId);
    if (log) await write({ type: 'server-log', ...log }, `server-log reading of ${run}`);
  }
  out.end();
  await once(out, 'finish');
  return { runs: runs.length, lines };
}

function bad(file: string, line: number, what: string): Error {
  return new Error(`${file}:${line}: ${what} (expected a file written by \`npm run report -- --export\`)`);
}

/** Imports runs from JSON lines. Runs already in the store are replaced by the imported copy. */
export async function importJsonl(store: HistoryStore, file: string, opts: { maxLineBytes?: number } = {}): Promise<{ runs: number }> {
  const lines = linesOf(createReadStream(file), { maxBytes: opts.maxLineBytes ?? MAX_LINE_BYTES, error: (n, what) => bad(file, n, what) });
  let current: RunBundle | undefined;
  let reading: ServerLogReading | undefined;
  let runs = 0;
  const flush = () => {
    if (current) {
      store.writeRun(current);
      if (reading) writeServerLogReading(store, current.run.runId, current.run.lab, reading);
      runs++;
    }
    current = undefined;
    reading = undefined;
  };
  for await (const { n, text } of lines) {
    const line = text.trim();
    if (!line) continue;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line);
    } catch {
      throw bad(file, n, 'not valid JSON');
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw bad(file, n, 'not a JSON object');
    const { type, ...rest } = obj;
    if (n === 1 || type === 'header') {
      if (type !== 'header' || rest.format !== JSONL_FORMAT) throw bad(file, n, `first line is not a ${JSONL_FORMAT} header`);
      if (typeof rest.version !== 'number' || rest.version > JSONL_VERSION)
        throw bad(file, n, `format version ${String(rest.version)} is newer than this mailcanary reads (${JSONL_VERSION})`);
      continue;
    }
    if (type === 'run') {
      flush();
      const r = rest as unknown as RunRecord;
      if (typeof r.runId !== 'string' || typeof r.startedAt !== 'number') throw bad(file, n, 'run line without runId or startedAt');
      if (r.notices !== undefined && (!Array.isArray(r.notices) || r.notices.some((x) => typeof x !== 'string')))
        throw bad(file, n, 'run line whose notices are not a list of strings');
      current = {
        run: { ...r, finishedAt: typeof r.finishedAt === 'number' ? r.finishedAt : r.startedAt, lab: !!r.lab, status: String(r.status ?? 'unknown') },
        messages: [],
        checks: [],
      };
    } else if (type === 'message' || type === 'check') {
      if (!current) throw bad(file, n, `${type} line before any run line`);
      if (rest.runId !== current.run.runId) throw bad(file, n, `${type} of run ${String(rest.runId)} inside run ${current.run.runId}`);
      if (type === 'message') {
        const m = rest as unknown as MessageRecord;
        if (typeof m.seedId !== 'string' || typeof m.variant !== 'string' || typeof m.verdict !== 'string')
          throw bad(file, n, 'message line without seedId, variant or verdict');
        current.messages.push({ ...m, provider: String(m.provider ?? 'unknown'), testStatus: String(m.testStatus ?? 'unknown'), auth: m.auth ?? {} });
      } else {
        const c = rest as unknown as CheckRecord;
        if (typeof c.title !== 'string' || typeof c.status !== 'string') throw bad(file, n, 'check line without title or status');
        current.checks.push({ ...c, checkId: String(c.checkId ?? ''), target: String(c.target ?? ''), summary: String(c.summary ?? '') });
      }
    } else if (type === 'server-log') {
      if (!current) throw bad(file, n, 'server-log line before any run line');
      if (rest.runId !== current.run.runId) throw bad(file, n, `server-log reading of run ${String(rest.runId)} inside run ${current.run.runId}`);
      const r = readingFromJson(JSON.stringify(rest));
      if (typeof r === 'string') throw bad(file, n, `server-log line: ${r}`);
      reading = r;
    } else {
      throw bad(file, n, `unknown line type ${JSON.stringify(type)}`);
    }
  }
  flush();
  return { runs };
}
