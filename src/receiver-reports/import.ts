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
  const cutoff = opts.retentionDays ? (opts.now ?? store.now()) - opts.retentionDays * 86_400_000 : 0;
  const seenMail = new Set<string>();
  // reports are read one after another, so the writer of the aggregate report being read is the
  // one its item finishes: its transaction is closed before the next report opens one
  let current: AggregateWriter | null = null;
  const done: { item: ReadItem; outcome: ImportOutcome }[] = [];
  const settle = (item: ReadItem): void => {
    const w = current;
    current = null;
    const { source, messageId } = item;
    if (!item.result.ok) {
      w?.abort();
      done.push({ item, outcome: { source, status: 'error', kind: item.result.error.kind, detail: item.result.error.message } });
      return;
    }
    const r = item.result.report;
    let o: StoreOutcome;
    if (messageId && (seenMail.has(messageId) || (r.kind !== 'aggregate' && store.messageSeen(messageId)))) {
      seenMail.add(messageId);
      o = { status: 'duplicate', detail: `the report e-mail ${messageId} was read before` };
    } else if (r.kind === 'aggregate') {
      if (!w) throw new Error(`${source}: an aggregate report was read without its store writer`);
      o = w.finish(r.recordCount, r.totalCount);
    } else if (r.kind === 'tlsrpt') o = store.writeTls(r, source, messageId, cutoff);
    else o = store.writeFailure(r, source, messageId, cutoff);
    done.push({ item, outcome: { source, status: o.status, kind: r.kind, detail: o.detail } });
  };
  try {
    await readReports(src, {
      maxBytes: opts.maxBytes,
      onItem: settle,
      sink: (source, messageId) => {
        if (messageId && store.messageSeen(messageId)) {
          seenMail.add(messageId);
          return { meta: () => {}, record: () => {} };
        }
        current = store.aggregateWriter(source, messageId, cutoff);
        return current;
      },
    });
  } catch (err) {
    (current as AggregateWriter | null)?.abort();
    throw err;
  }
  // remember the e-mail once all its reports are in, so a crash halfway reads it again
  const byMail = new Map<string, string[]>();
  for (const { item, outcome } of done) if (item.messageId) byMail.set(item.messageId, [...(byMail.get(item.messageId) ?? []), outcome.status]);
  for (const [id, statuses] of byMail) if (!seenMail.has(id)) store.markMessage(id, statuses.join(','));
  return done.map((d) => d.outcome);
}

export async function importPaths(store: ReportStore, paths: string[], opts: ImportOptions = {}): Promise<ImportOutcome[]> {
  const out: ImportOutcome[] = [];
  for (const f of await listFiles(paths)) out.push(...(await importFile(store, f, opts)));
  return out;
}
