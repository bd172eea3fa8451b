/**
 * Throughput of parseBounce on the project's own fixtures (test/fixtures/bounces), plus one
 * DSN with a 5 MB attachment. Prints messages/s and writes bench/results/bounces.json.
 *   node bench/bounces.bench.ts [iterations]
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBounce } from '../src/classify/index.ts';

const dir = fileURLToPath(new URL('../test/fixtures/bounces', import.meta.url));
// sorted: readdir order depends on the file system, and the rounds should be the same everywhere
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.eml'))
  .sort()
  .map((f) => ({ name: f, raw: readFileSync(path.join(dir, f)) }));
const iterations = Number(process.argv[2] ?? 300);

function run(label: string, inputs: Buffer[], rounds: number): { label: string; messages: number; ms: number; perSecond: number; heapMB: number } {
  for (const i of inputs) parseBounce(i); // warm-up
  const t0 = performance.now();
  let n = 0;
  for (let r = 0; r < rounds; r++)
    for (const i of inputs) {
      parseBounce(i);
      n++;
    }
  const ms = performance.now() - t0;
  return { label, messages: n, ms: Math.round(ms), perSecond: Math.round((n / ms) * 1000), heapMB: Math.round(process.memoryUsage().heapUsed / 1048576) };
}

const big = Buffer.from(
  readFileSync(path.join(dir, 'postfix-telekom.eml'), 'latin1').replace(
    '--A1B2C3.1747036805/mail.example.org--',
    `--A1B2C3.1747036805/mail.example.org\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${'QUFB'.repeat(1310720)}\n--A1B2C3.1747036805/mail.example.org--`,
  ),
  'latin1',
);

const rows = [
  run(
    'fixtures (mixed formats)',
    fixtures.map((f) => f.raw),
    iterations,
  ),
  run('DSN with 5 MB attachment', [big], 20),
];
console.log('case                          messages      ms     msg/s  heapMB');
for (const r of rows)
  console.log(
    `${r.label.padEnd(28)} ${String(r.messages).padStart(9)} ${String(r.ms).padStart(7)} ${String(r.perSecond).padStart(9)} ${String(r.heapMB).padStart(7)}`,
  );
mkdirSync(fileURLToPath(new URL('./results', import.meta.url)), { recursive: true });
writeFileSync(
  fileURLToPath(new URL('./results/bounces.json', import.meta.url)),
  JSON.stringify({ node: process.version, date: new Date().toISOString(), rows }, null, 2) + '\n',
);
