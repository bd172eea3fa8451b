/**
 * Receiver-report throughput and memory: typical DMARC aggregate reports read per second
 * (target ≥ 1,000/s), and the peak RSS while streaming a generated 200,000-record report
 * (~73 MB of XML, gzip-compressed like a real one; target < 300 MB), once parsed only and once
 * imported into a history store. The big runs each happen in a fresh child process so that
 * their peak RSS is their own. Prints a table, writes bench/results/reports.json.
 *   node bench/reports.bench.ts [--records 200000]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { HistoryStore } from '../src/record/store.ts';
import { bufferSource, readReportFile, readReports } from '../src/receiver-reports/index.ts';
import { importFile } from '../src/receiver-reports/import.ts';
import { ReportStore } from '../src/receiver-reports/store.ts';
import { aggregateXml, gzip, recordXml } from '../test/fixtures/receiver-reports/build.ts';
import { printTable, writeResult, type Row } from './support/results.ts';

const arg = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

/** Child mode: stream one big file (parse only, or import into a store) and report the peak RSS. */
if (arg('--child')) {
  const file = arg('--child')!;
  const t0 = performance.now();
  let records = 0;
  let total = 0;
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  if (process.argv.includes('--import')) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-rr-bench-store-'));
    const store = new ReportStore(HistoryStore.open(path.join(dir, 'h.sqlite')));
    const out = await importFile(store, file, { maxBytes: 100 * 1024 * 1024 });
    records = store.counts().records;
    if (out[0]?.status !== 'stored') throw new Error(`import failed: ${JSON.stringify(out)}`);
    store.history.close();
    rmSync(dir, { recursive: true, force: true });
  } else {
    const items = await readReportFile(file, {
      maxBytes: 100 * 1024 * 1024,
      sink: () => ({
        meta: () => {},
        record: (r) => {
          records++;
          total += r.count;
        },
      }),
    });
    if (!items[0]?.result.ok) throw new Error(`parse failed: ${JSON.stringify(items[0])}`);
  }
  clearInterval(timer);
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  console.log(JSON.stringify({ records, total, seconds: (performance.now() - t0) / 1000, peakRssBytes: peak }));
  process.exit(0);
}

const BIG = Number(arg('--records') ?? 200_000);

async function generateBig(file: string, n: number): Promise<number> {
  const gz = createGzip({ level: 6 });
  const out = createWriteStream(file);
  gz.pipe(out);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!gz.write(s)) await once(gz, 'drain');
  };
  await write(aggregateXml({ org: 'big-reporter.example', reportId: 'bench-200k', records: [] }).replace('</feedback>\n', ''));
  let batch = '';
  for (let i = 0; i < n; i++) {
    batch += recordXml({
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      count: (i % 50) + 1,
      dkim: i % 3 ? 'pass' : 'fail',
      envelopeFrom: 'bounce.canary.test',
    }).replace(/>\s+</g, '><');
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch + '</feedback>\n');
  gz.end();
  await once(out, 'finish');
  return bytes;
}

// typical reports: what Google/Microsoft send a small domain daily, 1-10 records
const typical = [1, 3, 10].map((n) =>
  Buffer.from(aggregateXml({ reportId: `t-${n}`, records: Array.from({ length: n }, (_, i) => ({ ip: `198.51.100.${i + 1}`, count: i + 1 })) })),
);
const typicalGz = typical.map((b) => gzip(b));

/** Reports per second, the median of five 1-second rounds (the machine is shared; one round can be unlucky). */
async function rate(
  label: string,
  inputs: Buffer[],
  rounds = 5,
  roundMs = 1000,
): Promise<{ label: string; reports: number; perSecond: number; rounds: number[] }> {
  for (let i = 0; i < 200; i++) await readReports(bufferSource('warm.xml', inputs[i % inputs.length]));
  const perRound: number[] = [];
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < roundMs) {
      for (let i = 0; i < 100; i++) {
        const items = await readReports(bufferSource('r.xml', inputs[(n + i) % inputs.length]));
        if (!items[0].result.ok) throw new Error('a typical report did not parse');
      }
      n += 100;
    }
    perRound.push(n / ((performance.now() - t0) / 1000));
    total += n;
  }
  const sorted = [...perRound].sort((a, b) => a - b);
  return { label, reports: total, perSecond: sorted[Math.floor(sorted.length / 2)], rounds: perRound.map(Math.round) };
}

const plain = await rate('typical aggregate reports (1-10 records, .xml)', typical);
const zipped = await rate('typical aggregate reports (1-10 records, .xml.gz)', typicalGz);

const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-rr-bench-'));
const bigFile = path.join(dir, 'big.xml.gz');
const xmlBytes = await generateBig(bigFile, BIG);
const self = fileURLToPath(import.meta.url);
const child = (extra: string[]) => {
  const r = spawnSync(process.execPath, [self, '--child', bigFile, ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { records: number; seconds: number; peakRssBytes: number };
};
const parse = child([]);
const imported = child(['--import']);
const gzBytes = statSync(bigFile).size;
rmSync(dir, { recursive: true, force: true });

const targets = { reportsPerSecond: 1000, peakRssMB: 300 };
const mb = (b: number) => b / 1048576;
const result = {
  lab: false,
  cpus: os.cpus().length,
  loadavg: os.loadavg(),
  typical: [plain, zipped],
  big: { records: BIG, xmlMB: mb(xmlBytes), gzMB: mb(gzBytes), parse, import: imported },
  targets,
  met: { rate: Math.min(plain.perSecond, zipped.perSecond) >= targets.reportsPerSecond, rss: mb(parse.peakRssBytes) < targets.peakRssMB },
};
const rows: Row[] = [
  ['figure', 'value', 'target', ''],
  [
    plain.label,
    `${Math.round(plain.perSecond).toLocaleString('en-US')} /s`,
    `≥ ${targets.reportsPerSecond} /s`,
    plain.perSecond >= targets.reportsPerSecond ? 'met' : 'NOT MET',
  ],
  [
    zipped.label,
    `${Math.round(zipped.perSecond).toLocaleString('en-US')} /s`,
    `≥ ${targets.reportsPerSecond} /s`,
    zipped.perSecond >= targets.reportsPerSecond ? 'met' : 'NOT MET',
  ],
  [
    `${BIG.toLocaleString('en-US')}-record report (${mb(xmlBytes).toFixed(1)} MB XML, ${mb(gzBytes).toFixed(1)} MB gz): parse time`,
    `${parse.seconds.toFixed(1)} s`,
  ],
  ['… peak RSS while streaming it (parse)', `${mb(parse.peakRssBytes).toFixed(0)} MB`, `< ${targets.peakRssMB} MB`, result.met.rss ? 'met' : 'NOT MET'],
  [
    '… import into the history store: time / peak RSS',
    `${imported.seconds.toFixed(1)} s / ${mb(imported.peakRssBytes).toFixed(0)} MB`,
    `< ${targets.peakRssMB} MB`,
    mb(imported.peakRssBytes) < targets.peakRssMB ? 'met' : 'NOT MET',
  ],
];
printTable('receiver reports', rows);
writeResult('reports', result);
