/**
 * History store write time per run: one nightly run (60 results with evidence and raw headers,
 * 12 DNS checks) written in one WAL transaction with synchronous=FULL, over a year of runs.
 *   node bench/history.bench.ts [runs=365]
 * Prints a table and writes bench/results/history.json.
 */
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJsonl, importJsonl } from '../src/record/jsonl.ts';
import { HistoryStore } from '../src/record/store.ts';
import { nightlyRun } from '../test/fixtures/record/year.ts';

const runs = Number(process.argv[2] ?? 365);
const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-bench-history-'));
const file = path.join(dir, 'history.sqlite');
const store = HistoryStore.open(file);
const bundles = Array.from({ length: runs }, (_, i) => nightlyRun(i));
const times: number[] = [];
for (const b of bundles) {
  const t0 = performance.now();
  store.writeRun(b);
  times.push(performance.now() - t0);
}
store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
const pct = (p: number) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(p * times.length))];
const t1 = performance.now();
// the gate's read: the run before the newest one (on the fixtures' own dates, not today's)
const prev = store.previousRun(bundles[bundles.length - 1].run.startedAt, false);
const baseline = prev ? store.bundle(prev.runId) : undefined;
const readMs = performance.now() - t1;
const jsonl = path.join(dir, 'h.jsonl');
const t2 = performance.now();
await exportJsonl(store, jsonl);
const exportMs = performance.now() - t2;
store.close();
const other = HistoryStore.open(path.join(dir, 'imported.sqlite'));
const t3 = performance.now();
await importJsonl(other, jsonl);
const importMs = performance.now() - t3;
other.close();

const result = {
  runs,
  resultsPerRun: bundles[0].messages.length,
  checksPerRun: bundles[0].checks.length,
  writeMedianMs: +pct(0.5).toFixed(2),
  writeP95Ms: +pct(0.95).toFixed(2),
  writeMaxMs: +Math.max(...times).toFixed(2),
  readBaselineMs: +readMs.toFixed(2),
  baselineMessages: baseline?.messages.length ?? 0,
  storeMB: +(statSync(file).size / 1e6).toFixed(1),
  exportMs: Math.round(exportMs),
  exportMB: +(statSync(jsonl).size / 1e6).toFixed(1),
  importMs: Math.round(importMs),
  node: process.version,
};
console.table([
  { figure: 'write one run (median)', value: `${result.writeMedianMs} ms` },
  { figure: 'write one run (p95)', value: `${result.writeP95Ms} ms` },
  { figure: 'write one run (max)', value: `${result.writeMaxMs} ms` },
  { figure: 'read the baseline run', value: `${result.readBaselineMs} ms` },
  { figure: `store size after ${runs} runs`, value: `${result.storeMB} MB` },
  { figure: 'export JSONL', value: `${result.exportMs} ms, ${result.exportMB} MB` },
  { figure: 'import JSONL', value: `${result.importMs} ms` },
]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'history.json'), `${JSON.stringify(result, null, 2)}\n`);
