/**
 * Evaluate src/classify against a bounce corpus: a folder with manifest.json (array of
 * { file, reason, status, replycode, status_is_sisimai_pseudo, mta_module, all_recipients[] }) and
 * the messages it names. Prints per-file mismatches, the confusion pairs, accuracy per expected
 * reason, the provider-specific subset, status and reply-code agreement, and a k-fold figure.
 *
 *   node scripts/eval-bounces.ts <folder> [--folds 5] [--repeats 3] [--json out.json] [--quiet] [--explain]
 *
 * --explain lists the messages whose verdict changes when held back, with the entries switched off.
 * --misses lists every held-back message of the first repeat classified wrongly, grouped by the
 * expected reason, with its status, reply code, action and the start of its diagnostic.
 *
 * The k-fold figure. The classifier's rules are hand-written, so "training" cannot be re-run per
 * fold; instead every phrase, provider code and provider phrase is a data entry with an id
 * (src/classify/rulebook.ts). A first pass records, per message, which entries match its text. An
 * entry is *supported* by a message when it matches and its reason is one the message is labelled
 * with (a veto entry: when the label is another reason). For each fold, every entry that matches
 * some held-back message but has no support in the other k−1 folds is switched off, and the
 * held-back messages are classified again: a rule that only the held-back messages justify (the
 * signature of a rule fitted to one file) cannot help them. Entries that match no message at all
 * come from documentation alone and stay on. Messages are assigned to folds by a hash of their
 * manifest position and the repeat number (assignment only; no rule sees it), and the figure is
 * the mean over the repeats. The gap between the plain and the k-fold figure is the part of the
 * accuracy that rests on rules supported by a single fold.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseBounce, type BounceReport } from '../src/classify/index.ts';
import { reasonEntries } from '../src/classify/reasons.ts';
import { providerEntries } from '../src/classify/providers.ts';
import { ldaEntries } from '../src/classify/lda.ts';
import { withRuleSet } from '../src/classify/rulebook.ts';

interface Expected {
  status: string;
  replycode: string | number;
  reason: string;
}
interface ManifestEntry extends Expected {
  file: string;
  status_is_sisimai_pseudo?: boolean;
  mta_module?: string;
  all_recipients?: Expected[];
}

function fail(msg: string): never {
  console.error(`eval-bounces: ${msg}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const folder = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && args[i - 1] !== '--quiet'));
if (!folder) fail('usage: node scripts/eval-bounces.ts <folder-with-manifest.json> [--folds 5] [--repeats 3] [--json out.json] [--quiet]');
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
const folds = Number(opt('--folds') ?? 5);
const repeats = Number(opt('--repeats') ?? 3);
if (!Number.isInteger(folds) || folds < 2) fail('--folds takes an integer of at least 2');
if (!Number.isInteger(repeats) || repeats < 1) fail('--repeats takes a positive integer');
const jsonOut = opt('--json');
const quiet = args.includes('--quiet');
const explain = args.includes('--explain');
const explained: string[] = [];
const showMisses = args.includes('--misses');
const missed: Array<{ expected: string; line: string }> = [];

/** MTA modules of the manifest that are one receiving provider's own system (the provider-specific subset). */
const PROVIDER_MODULES = new Set([
  'Gmail',
  'Google',
  'GSuite',
  'GoogleWorkspace',
  'Outlook',
  'Office365',
  'Microsoft',
  'ExchangeOnline',
  'Exchange2003',
  'Exchange2007',
  'Yahoo',
  'YahooInc',
  'Aol',
  'Apple',
  'FrancePTT',
  'Tencent',
  'TencentQQ',
  'GMX',
  'EinsUndEins',
  'DeutscheTelekom',
  'Domino',
  'Notes',
  'MessageLabs',
  'Mimecast',
  'Spectrum',
  'Cox',
  'GoDaddy',
  'KDDI',
  'NTTDOCOMO',
  'MailRu',
  'Yandex',
  'Zoho',
  'Facebook',
  'EZweb',
  'Verizon',
  'Biglobe',
  'IUA',
  'Cloudflare',
]);

interface Sample {
  m: ManifestEntry;
  raw: Buffer;
  expect: Expected[];
  labels: Set<string>;
}
const isPseudo = (s: string): boolean => /^\d\.0\.9\d\d$/.test(s);
const samples: Sample[] = [];
let missing = 0;
const mismatches: string[] = [];
for (const m of manifest) {
  const path = join(dir, m.file);
  if (!existsSync(path)) {
    missing++;
    mismatches.push(`${m.file}: file missing`);
    continue;
  }
  const expect = m.all_recipients && m.all_recipients.length ? m.all_recipients : [m];
  samples.push({ m, raw: readFileSync(path), expect, labels: new Set(expect.map((e) => e.reason)) });
}

// Entry id → reason, for support (an entry supports the label it names).
const entryReason = new Map<string, { reason: string; veto: boolean }>();
for (const e of reasonEntries()) entryReason.set(e.id, { reason: e.reason, veto: e.id.startsWith(`${e.reason}:unless:`) });
for (const e of providerEntries()) entryReason.set(e.id, { reason: e.reason, veto: false });
for (const e of ldaEntries()) entryReason.set(e.id, { reason: e.reason, veto: false });

// Plain pass, recording the entries each message matches.
const t0 = performance.now();
const reports: BounceReport[] = [];
const hitsOf: Array<Set<string>> = [];
for (const s of samples) {
  const hits = new Set<string>();
  reports.push(withRuleSet({ hits }, () => parseBounce(s.raw)));
  hitsOf.push(hits);
}
const ms = performance.now() - t0;
// Recording only makes matching exhaustive; the verdicts must be those of production code.
const differ = samples.filter((s, i) => JSON.stringify(parseBounce(s.raw).recipients) !== JSON.stringify(reports[i].recipients)).map((s) => s.m.file);
if (differ.length) fail(`recording changed the verdicts of ${differ.length} message(s) (${differ.slice(0, 3).join(', ')}): a bug in src/classify/rulebook.ts`);

interface Tally {
  n: number;
  first: number;
  rcptN: number;
  rcpt: number;
  statusN: number;
  status: number;
  replyN: number;
  reply: number;
  provN: number;
  prov: number;
}
const zero = (): Tally => ({ n: 0, first: 0, rcptN: 0, rcpt: 0, statusN: 0, status: 0, replyN: 0, reply: 0, provN: 0, prov: 0 });
const perReason = new Map<string, { n: number; ok: number }>();
const confusion = new Map<string, number>();

function score(s: Sample, report: BounceReport, t: Tally, detail: boolean): void {
  t.n++;
  const problems: string[] = [];
  s.expect.forEach((exp, i) => {
    const r = report.recipients[i];
    const got = r?.reason ?? 'undefined';
    t.rcptN++;
    if (got === exp.reason) t.rcpt++;
    if (i > 0) {
      if (got !== exp.reason) problems.push(`rcpt#${i + 1} reason ${got} != ${exp.reason}`);
      return;
    }
    const isProv = PROVIDER_MODULES.has(s.m.mta_module ?? '') || /(?:^|\/)rhost-/.test(s.m.file);
    if (isProv) t.provN++;
    if (got === exp.reason) {
      t.first++;
      if (isProv) t.prov++;
    } else problems.push(`reason ${got} != ${exp.reason}`);
    if (detail) {
      const pr = perReason.get(exp.reason) ?? { n: 0, ok: 0 };
      pr.n++;
      if (got === exp.reason) pr.ok++;
      perReason.set(exp.reason, pr);
      if (got !== exp.reason) confusion.set(`${exp.reason} -> ${got}`, (confusion.get(`${exp.reason} -> ${got}`) ?? 0) + 1);
    }
    if (exp.status && !isPseudo(exp.status) && !s.m.status_is_sisimai_pseudo) {
      t.statusN++;
      if (r?.status === exp.status) t.status++;
      else problems.push(`status ${r?.status ?? '-'} != ${exp.status}`);
    }
    if (exp.replycode !== '' && exp.replycode !== undefined && exp.replycode !== null) {
      t.replyN++;
      if (String(r?.replyCode ?? '') === String(exp.replycode)) t.reply++;
      else problems.push(`replycode ${r?.replyCode ?? '-'} != ${exp.replycode}`);
    }
  });
  if (detail && problems.length) mismatches.push(`${s.m.file} [${report.kind}${report.mtaModule ? '/' + report.mtaModule : ''}]: ${problems.join('; ')}`);
}

const plain = zero();
samples.forEach((s, i) => score(s, reports[i], plain, true));

// k-fold: fold of sample i in repeat r from an FNV-1a hash of (i, r).
function foldOf(i: number, r: number): number {
  let h = 0x811c9dc5;
  for (const c of `${r}:${i}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h % folds;
}
const kfold = zero();
let disabledTotal = 0;
for (let r = 0; r < repeats; r++) {
  // supporters[entry] = folds holding a message that supports it
  const support = new Map<string, Set<number>>();
  const matchedIn = new Map<string, Set<number>>();
  samples.forEach((s, i) => {
    const f = foldOf(i, r);
    for (const id of hitsOf[i]) {
      (matchedIn.get(id) ?? matchedIn.set(id, new Set()).get(id)!).add(f);
      const e = entryReason.get(id);
      const supports = e && (e.veto ? ![...s.labels].every((l) => l === e.reason) : s.labels.has(e.reason));
      if (supports) (support.get(id) ?? support.set(id, new Set()).get(id)!).add(f);
    }
  });
  for (let f = 0; f < folds; f++) {
    const disabled = new Set<string>();
    for (const [id, inFolds] of matchedIn) {
      if (!inFolds.has(f)) continue;
      const sup = support.get(id);
      if (!sup || [...sup].every((x) => x === f)) disabled.add(id);
    }
    disabledTotal += disabled.size;
    samples.forEach((s, i) => {
      if (foldOf(i, r) !== f) return;
      const rep = withRuleSet({ disabled }, () => parseBounce(s.raw));
      score(s, rep, kfold, false);
      const was = reports[i].recipients[0]?.reason ?? 'undefined';
      const now = rep.recipients[0]?.reason ?? 'undefined';
      if (showMisses && r === 0 && now !== s.expect[0].reason) {
        const rc = rep.recipients[0];
        const diag = (rc?.diagnosticCode ?? '').replace(/\s+/g, ' ').slice(0, 160);
        missed.push({
          expected: s.expect[0].reason,
          line: `${s.m.file} -> ${now} [${rc?.status ?? '-'} ${rc?.replyCode ?? '-'} ${rc?.action ?? '-'}] ${diag}`,
        });
      }
      if (explain && r === 0 && was !== now) {
        explained.push(`${s.m.file}: ${was} -> ${now} (expected ${s.expect[0].reason}) without ${[...hitsOf[i]].filter((id) => disabled.has(id)).join(' | ')}`);
      }
    });
  }
}

const pct = (a: number, b: number): string => (b ? ((100 * a) / b).toFixed(1) + '%' : 'n/a');
if (!quiet) for (const line of mismatches) console.log(line);
if (explain) {
  console.log('\nk-fold changes (repeat 1): message, plain -> held-out verdict, entries switched off');
  for (const line of explained) console.log(`  ${line}`);
}
if (showMisses) {
  console.log('\nk-fold misses (repeat 1) by expected reason: message -> verdict [status reply action] diagnostic');
  for (const m of missed.sort((a, b) => a.expected.localeCompare(b.expected) || a.line.localeCompare(b.line)))
    console.log(`  ${m.expected.padEnd(15)} ${m.line}`);
}
console.log('');
if (!quiet && confusion.size) {
  console.log('reason confusions (expected -> got):');
  for (const [k, v] of [...confusion.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(3)}  ${k}`);
  console.log('');
}
if (!quiet) {
  console.log('accuracy per expected reason (first recipient):');
  for (const [k, v] of [...perReason.entries()].sort((a, b) => b[1].n - a[1].n))
    console.log(`  ${k.padEnd(16)} ${`${v.ok}/${v.n}`.padStart(7)} ${pct(v.ok, v.n).padStart(7)}`);
  console.log('');
}
const avg = (a: number): string => (a / repeats).toFixed(1);
const rows = [
  ['messages', String(plain.n), ''],
  ['reason (first recipient)', `${plain.first}/${plain.n}`, pct(plain.first, plain.n)],
  ['reason (all recipients)', `${plain.rcpt}/${plain.rcptN}`, pct(plain.rcpt, plain.rcptN)],
  ['reason, provider-specific', `${plain.prov}/${plain.provN}`, pct(plain.prov, plain.provN)],
  ['status (present in message)', `${plain.status}/${plain.statusN}`, pct(plain.status, plain.statusN)],
  ['reply code (where carried)', `${plain.reply}/${plain.replyN}`, pct(plain.reply, plain.replyN)],
  [`k-fold reason (${folds}x${repeats}, first)`, `${avg(kfold.first)}/${avg(kfold.n)}`, pct(kfold.first, kfold.n)],
  ['k-fold reason (all recipients)', `${avg(kfold.rcpt)}/${avg(kfold.rcptN)}`, pct(kfold.rcpt, kfold.rcptN)],
  ['k-fold provider-specific', `${avg(kfold.prov)}/${avg(kfold.provN)}`, pct(kfold.prov, kfold.provN)],
  ['k-fold status', `${avg(kfold.status)}/${avg(kfold.statusN)}`, pct(kfold.status, kfold.statusN)],
  ['entries off per fold (mean)', (disabledTotal / (folds * repeats)).toFixed(1), ''],
  ['files missing', String(missing), ''],
  ['time (plain pass)', `${ms.toFixed(0)} ms`, `${plain.n ? ((plain.n / ms) * 1000).toFixed(0) : 0} msg/s`],
];
for (const [a, b, c] of rows) console.log(`${a.padEnd(32)} ${b.padStart(12)} ${c.padStart(8)}`);
if (jsonOut) {
  writeFileSync(
    jsonOut,
    JSON.stringify({ plain, kfold, folds, repeats, mismatches, confusion: Object.fromEntries(confusion), perReason: Object.fromEntries(perReason) }, null, 2),
  );
}
