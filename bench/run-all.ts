/**
 * `npm run bench`: runs every bench one after another (each in its own process, so one's heap
 * does not colour the next one's figures), then prints one table of the headline figures from
 * bench/results/*.json and writes it to bench/results/summary.json.
 *
 *   node bench/run-all.ts [--only latency,fanout] [--skip placement] [--collect]
 *
 * `--collect` runs nothing and only tabulates the results already on disk. Benches that need the
 * lab start it themselves (and stop it again if it was not running); with MAILCANARY_LAB_* set,
 * they use that lab instance.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lab/suite-runner.ts';
import { printTable, writeResult, type Row } from './support/results.ts';
import { headline } from './support/headlines.ts';

// fast offline benches first, the lab ones last
const ORDER = ['parsers', 'server-log', 'bounces', 'reports', 'dns', 'report', 'history', 'server', 'placement', 'latency', 'fanout'];
const list = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? (process.argv[i + 1] ?? '').split(',').filter(Boolean) : null;
};
const only = list('--only');
const skip = list('--skip') ?? [];
const collect = process.argv.includes('--collect');

const ran: Record<string, { code: number | null; ms: number }> = {};
if (!collect) {
  for (const name of ORDER) {
    const file = path.join(ROOT, 'bench', `${name}.bench.ts`);
    if ((only && !only.includes(name)) || skip.includes(name) || !existsSync(file)) continue;
    console.log(`\n=== bench/${name}.bench.ts`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [file], { cwd: ROOT, stdio: 'inherit', env: process.env });
    ran[name] = { code: r.status, ms: Date.now() - t0 };
    if (r.status !== 0) console.log(`bench/${name}.bench.ts exited ${r.status}`);
  }
}

const rows: Row[] = [['figure', 'value', 'target', '']];
const sources: Record<string, unknown> = {};
for (const name of ORDER) {
  const file = path.join(ROOT, 'bench/results', `${name}.json`);
  if (!existsSync(file)) continue;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    rows.push([`${name}: results unreadable`, (err as Error).message.slice(0, 40)]);
    continue;
  }
  sources[name] = data;
  for (const r of headline(name, data)) rows.push([`${name}: ${r[0]}`, r[1], r[2], r[3]]);
}
printTable('mailcanary benchmarks (bench/results/*.json)', rows);
writeResult('summary', { ran, rows: rows.slice(1).map(([figure, value, target, met]) => ({ figure, value, target, met })) });
process.exit(Object.values(ran).some((r) => r.code !== 0) ? 1 : 0);
