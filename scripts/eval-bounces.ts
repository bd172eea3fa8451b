/**
 * Evaluate src/classify against a bounce corpus: a folder with manifest.json (array of
 * { file, reason, status, replycode, status_is_sisimai_pseudo, all_recipients[] }) and the
 * messages it names. Prints per-file mismatches and agreement rates for reason, status and
 * reply code.
 *
 *   node scripts/eval-bounces.ts <folder> [--json out.json] [--quiet]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseBounce } from '../src/classify/index.ts';

interface Expected { status: string; replycode: string | number; reason: string }
interface ManifestEntry extends Expected { file: string; status_is_sisimai_pseudo?: boolean; all_recipients?: Expected[] }

function fail(msg: string): never {
  console.error(`eval-bounces: ${msg}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const folder = args.find((a) => !a.startsWith('--'));
if (!folder) fail('usage: node scripts/eval-bounces.ts <folder-with-manifest.json> [--json out.json] [--quiet]');
const dir = resolve(folder);
const manifestPath = join(dir, 'manifest.json');
if (!existsSync(manifestPath)) fail(`no manifest.json in ${dir}: pass the corpus folder that holds manifest.json and the messages it lists`);
let manifest: ManifestEntry[];
try {
  manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ManifestEntry[];
  if (!Array.isArray(manifest)) throw new Error('top level is not an array');
} catch (e) {
  fail(`manifest.json is not a JSON array of entries (${(e as Error).message})`);
}
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const quiet = args.includes('--quiet');

const isPseudo = (s: string): boolean => /^\d\.0\.9\d\d$/.test(s);
const tally = { n: 0, reason: 0, statusN: 0, status: 0, replyN: 0, reply: 0, rcptN: 0, rcptReason: 0, missing: 0 };
const mismatches: string[] = [];
const confusion = new Map<string, number>();
const t0 = performance.now();

for (const m of manifest) {
  const path = join(dir, m.file);
  if (!existsSync(path)) {
    tally.missing++;
    mismatches.push(`${m.file}: file missing`);
    continue;
  }
  const report = parseBounce(readFileSync(path));
  tally.n++;
  const expectList = m.all_recipients && m.all_recipients.length ? m.all_recipients : [m];
  const got = report.recipients;
  const problems: string[] = [];
  expectList.forEach((exp, i) => {
    const r = got[i];
    const gotReason = r?.reason ?? 'undefined';
    tally.rcptN++;
    if (gotReason === exp.reason) tally.rcptReason++;
    if (i > 0) {
      if (gotReason !== exp.reason) problems.push(`rcpt#${i + 1} reason ${gotReason} != ${exp.reason}`);
      return;
    }
    if (gotReason === exp.reason) tally.reason++;
    else {
      problems.push(`reason ${gotReason} != ${exp.reason}`);
      const k = `${exp.reason} -> ${gotReason}`;
      confusion.set(k, (confusion.get(k) ?? 0) + 1);
    }
    if (exp.status && !isPseudo(exp.status) && !m.status_is_sisimai_pseudo) {
      tally.statusN++;
      if (r?.status === exp.status) tally.status++;
      else problems.push(`status ${r?.status ?? '-'} != ${exp.status}`);
    }
    if (exp.replycode !== '' && exp.replycode !== undefined && exp.replycode !== null) {
      tally.replyN++;
      if (String(r?.replyCode ?? '') === String(exp.replycode)) tally.reply++;
      else problems.push(`replycode ${r?.replyCode ?? '-'} != ${exp.replycode}`);
    }
  });
  if (problems.length) mismatches.push(`${m.file} [${report.kind}${report.mtaModule ? '/' + report.mtaModule : ''}]: ${problems.join('; ')}`);
}
const ms = performance.now() - t0;
const pct = (a: number, b: number): string => (b ? ((100 * a) / b).toFixed(1) + '%' : 'n/a');

if (!quiet) for (const line of mismatches) console.log(line);
console.log('');
if (!quiet && confusion.size) {
  console.log('reason confusions (expected -> got):');
  for (const [k, v] of [...confusion.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(3)}  ${k}`);
  console.log('');
}
const rows = [
  ['messages', String(tally.n), ''],
  ['reason (first recipient)', `${tally.reason}/${tally.n}`, pct(tally.reason, tally.n)],
  ['reason (all recipients)', `${tally.rcptReason}/${tally.rcptN}`, pct(tally.rcptReason, tally.rcptN)],
  ['status (present in message)', `${tally.status}/${tally.statusN}`, pct(tally.status, tally.statusN)],
  ['reply code (where carried)', `${tally.reply}/${tally.replyN}`, pct(tally.reply, tally.replyN)],
  ['files missing', String(tally.missing), ''],
  ['time', `${ms.toFixed(0)} ms`, `${tally.n ? ((tally.n / ms) * 1000).toFixed(0) : 0} msg/s`],
];
for (const [a, b, c] of rows) console.log(`${a.padEnd(30)} ${b.padStart(10)} ${c.padStart(8)}`);
if (jsonOut) {
  writeFileSync(jsonOut, JSON.stringify({ tally, mismatches, confusion: Object.fromEntries(confusion) }, null, 2));
}
