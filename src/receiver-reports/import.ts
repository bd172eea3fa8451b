/**
 * Importing report files and folders into the history store: every file (folders walked,
 * hidden entries skipped) is read with `readReportFile`, each report in it stored once, and
 * one outcome per report says what was stored or why it was skipped.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileSource, type ByteSource } from './decompress.ts';
import { readReports } from './index.ts';
import { ReportStore, type AggregateWriter, type StoreOutcome } from './store.ts';
import type { ReadItem } from './types.ts';

export interface ImportOutcome {
  source: string;
  status: 'stored' | 'duplicate' | 'expired' | 'error';
  kind: string;
  detail: string;
}

export interface ImportOptions {
  maxBytes?: number;
  retentionDays?: number;
  now?: number;
}

/** Files under the given paths, in a stable order. */
export async function listFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const visit = async (p: string): Promise<void> => {
    const s = await stat(p);
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter((n) => !n.startsWith('.')).sort();
      for (const n of names) await visit(path.join(p, n));
    } else if (s.isFile()) out.push(p);
  };
  for (const p of paths) await visit(p);
  return out;
}

/** Stores the reports of one file. */
export async function importFile(store: ReportStore, file: string, opts: ImportOptions = {}, name = file): Promise<ImportOutcome[]> {
  return importSource(store, await fileSource(file, name), opts);
}

/** Stores the reports of one source; the report e-mail's Message-ID decides whether it was read before. */
export async function importSource(store: ReportStore, src: ByteSource, opts: ImportOptions = {}): Promise<ImportOutcome[]> {
  const cutoff = opts.retentionDays ? (opts.now ?? Date.now()) - opts.retentionDays * 86_400_000 : 0;
  const writers = new Map<string, AggregateWriter | null>();
  const seenMail = new Set<string>();
  let items: ReadItem[];
  try {
    items = await readReports(src, {
      maxBytes: opts.maxBytes,
      sink: (source, messageId) => {
        if (messageId && store.messageSeen(messageId)) {
          seenMail.add(messageId);
          writers.set(source, null);
          return { meta: () => {}, record: () => {} };
        }
        const w = store.aggregateWriter(source, messageId, cutoff);
        writers.set(source, w);
        return w;
      },
    });
  } catch (err) {
    for (const w of writers.values()) w?.abort();
    throw err;
  }
  const outcomes: ImportOutcome[] = [];
  for (const item of items) {
    const { source, messageId } = item;
    const w = writers.get(source);
    if (!item.result.ok) {
      w?.abort();
      outcomes.push({ source, status: 'error', kind: item.result.error.kind, detail: item.result.error.message });
      continue;
    }
    const r = item.result.report;
    let o: StoreOutcome;
    if (messageId && (seenMail.has(messageId) || (r.kind !== 'aggregate' && store.messageSeen(messageId)))) {
      o = { status: 'duplicate', detail: `the report e-mail ${messageId} was read before` };
    } else if (r.kind === 'aggregate') {
      o = w ? w.finish(r.recordCount, r.totalCount) : { status: 'duplicate', detail: 'already read' };
    } else if (r.kind === 'tlsrpt') o = store.writeTls(r, source, messageId, cutoff);
    else o = store.writeFailure(r, source, messageId, cutoff);
    outcomes.push({ source, status: o.status, kind: r.kind, detail: o.detail });
  }
  // remember the e-mail once all its reports are in, so a crash halfway reads it again
  for (const id of new Set(items.map((i) => i.messageId).filter((m): m is string => !!m))) {
    if (!seenMail.has(id)) store.markMessage(id, outcomes.filter((o) => items.find((i) => i.source === o.source)?.messageId === id).map((o) => o.status).join(','));
  }
  return outcomes;
}

export async function importPaths(store: ReportStore, paths: string[], opts: ImportOptions = {}): Promise<ImportOutcome[]> {
  const out: ImportOutcome[] = [];
  for (const f of await listFiles(paths)) out.push(...(await importFile(store, f, opts)));
  return out;
}
