/**
 * HTML report build time and file size for one year of nightly history (365 runs × 60 results,
 * 12 DNS checks per run): read from the store, build the data, render the self-contained file.
 * Targets: under 2 s and under 3 MB.
 *   node bench/report.bench.ts [runs=365] [rounds=5]
 * Prints a table and writes bench/results/report.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HistoryStore } from '../src/record/store.ts';
import { buildReportData } from '../src/report/data.ts';
import { renderReportHtml } from '../src/report/html.ts';
import { writeReport } from '../src/report/write.ts';
import { nightlyRun } from '../test/fixtures/record/year.ts';

const runs = Number(process.argv[2] ?? 365);
const rounds = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-bench-report-'));
const store = HistoryStore.open(path.join(dir, 'history.sqlite'));
for (let i = 0; i < runs; i++) store.writeRun(nightlyRun(i));

const total: number[] = [];
const dataMs: number[] = [];
let bytes = 0;
let dataBytes = 0;
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  const data = buildReportData(store);
  const t1 = performance.now();
  const html = renderReportHtml(data);
  writeFileSync(path.join(dir, 'report.html'), html);
  total.push(performance.now() - t0);
  dataMs.push(t1 - t0);
  bytes = Buffer.byteLength(html);
  dataBytes = Buffer.byteLength(JSON.stringify(data));
}
writeReport(store, path.join(dir, 'index.html'));
store.close();
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const result = {
  runs,
  resultsPerRun: 60,
  rounds,
  buildMedianMs: Math.round(med(total)),
  buildMaxMs: Math.round(Math.max(...total)),
  readAndShapeMedianMs: Math.round(med(dataMs)),
  fileBytes: bytes,
  fileMB: +(bytes / 1e6).toFixed(2),
  dataMB: +(dataBytes / 1e6).toFixed(2),
  targets: { buildMs: 2000, fileMB: 3 },
  withinTargets: med(total) < 2000 && bytes < 3e6,
  node: process.version,
};
console.table([
  { figure: `report build, ${runs} runs × 60 results (median of ${rounds})`, value: `${result.buildMedianMs} ms (target < 2000)` },
  { figure: 'report build (max)', value: `${result.buildMaxMs} ms` },
  { figure: '  of which: store read + data shaping', value: `${result.readAndShapeMedianMs} ms` },
  { figure: 'report file size', value: `${result.fileMB} MB (target < 3)` },
  { figure: '  of which: embedded data', value: `${result.dataMB} MB` },
]);
console.log(`report: ${path.join(dir, 'index.html')}`);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'report.json'), `${JSON.stringify(result, null, 2)}\n`);
