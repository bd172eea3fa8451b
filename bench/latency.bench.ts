/**
 * Verdict latency: time from the lab MX finishing the IMAP APPEND of
 * a message into the seed mailbox (its `filed` event in STATE/mx-events.jsonl) to mailcanary's
 * sighting of it, for inbox and spam placement, with empty seed mailboxes and with N older
 * messages in INBOX and in the spam folder of every delivering lab seed (lab/fill.ts).
 *
 * - watcher: the library as a worker uses it (SeedWatcher per account, waiting before the send);
 *   this is the figure of the targets: what the watching adds to the provider's own filing.
 * - suite: the same messages through `npx playwright test`; here the placement worker starts
 *   only after the send step has submitted every message, so messages the lab files within
 *   ~100 ms wait for that start (Playwright start-up, not watching). Reported for context.
 *
 *   node bench/latency.bench.ts [--rounds 8] [--older 50000] [--suite-runs 2]
 */
import { latencies, measuredRun } from './support/measured-run.ts';
import { labConfig, openLab } from './support/lab-session.ts';
import { printTable, writeResult, type Row } from './support/results.ts';
import { writeSeedsFile } from './support/seeds-file.ts';
import { ms, summary } from './support/stats.ts';
import { watchRounds, type Sample } from './support/watch-rounds.ts';
import { fillMailboxes } from '../lab/fill.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && Number.isFinite(Number(process.argv[i + 1])) ? Number(process.argv[i + 1]) : dflt;
};
const rounds = arg('rounds', 8);
const older = arg('older', 50_000);
const suiteRuns = arg('suite-runs', 2);
const TARGET_P95 = 1000;
const TARGET_RATIO = 1.2;

// 4 delivering seeds + 2 more gmx-like ones: 12 messages a round, 3 of them filed as spam
const seedsFile = writeSeedsFile('latency', 6, ['lab-gmail', 'lab-tonline', 'lab-gmx', 'lab-outlook', 'lab-gmx', 'lab-gmx']);
const lab = await openLab();
const config = await labConfig(seedsFile);

interface Condition {
  older: number;
  fillMs: number;
  watcher: {
    inbox: ReturnType<typeof summary>;
    spam: ReturnType<typeof summary>;
    all: ReturnType<typeof summary>;
    delivery: ReturnType<typeof summary>;
    serverPush: ReturnType<typeof summary>;
    own: ReturnType<typeof summary>;
    imapConnections: number;
    problems: string[];
  };
  suite: { seen: ReturnType<typeof summary>; verdict: ReturnType<typeof summary>; failed: number };
}

const conditions: Condition[] = [];
try {
  for (const n of [0, older]) {
    console.error(`\n${n} older messages per folder: filling…`);
    const fill = await fillMailboxes({ count: n, empty: true });
    console.error(`  filled in ${(fill.ms / 1000).toFixed(1)} s; ${rounds} watcher round(s)…`);
    const r = await watchRounds(config, rounds, { log: (l) => console.error(`  ${l}`) });
    const of = (f: (s: Sample) => boolean) => summary(r.samples.filter(f).map((s) => s.latencyMs));
    const seen: number[] = [];
    const verdict: number[] = [];
    let failed = 0;
    for (let i = 0; i < suiteRuns; i++) {
      const run = await measuredRun({ MAILCANARY_SEEDS: seedsFile });
      const l = latencies(run.messages);
      seen.push(...l.seen);
      verdict.push(...l.verdict);
      failed += run.failed;
    }
    conditions.push({
      older: n,
      fillMs: fill.ms,
      watcher: {
        inbox: of((s) => s.placement === 'inbox'),
        spam: of((s) => s.placement === 'spam'),
        all: of(() => true),
        delivery: summary(r.samples.map((s) => s.deliveryMs)),
        serverPush: summary(r.samples.flatMap((s) => (s.serverPushMs === undefined ? [] : [s.serverPushMs]))),
        own: summary(r.samples.flatMap((s) => (s.ownMs === undefined ? [] : [s.ownMs]))),
        imapConnections: r.imapConnections,
        problems: r.problems,
      },
      suite: { seen: summary(seen), verdict: summary(verdict), failed },
    });
  }
} finally {
  await fillMailboxes({ count: 0, empty: true }).catch(() => undefined);
  await lab.close();
}

const [empty, full] = conditions;
const ratio = full.watcher.all.p95 / empty.watcher.all.p95;
const ownRatio = full.watcher.own.p95 / empty.watcher.own.p95;
const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
const rows: Row[] = [['figure', 'value', 'target', '']];
for (const c of conditions) {
  const w = c.watcher;
  const label = `${c.older} older/folder`;
  rows.push([`watcher, inbox p50/p95 (n=${w.inbox.n}), ${label}`, `${ms(w.inbox.p50)} / ${ms(w.inbox.p95)}`, 'p95 < 1000 ms', met(w.inbox.p95 < TARGET_P95)]);
  rows.push([`watcher, spam p50/p95 (n=${w.spam.n}), ${label}`, `${ms(w.spam.p50)} / ${ms(w.spam.p95)}`, 'p95 < 1000 ms', met(w.spam.p95 < TARGET_P95)]);
  rows.push([`watcher, max, ${label}`, ms(w.all.max)]);
  rows.push([`  of which server: APPEND done → EXISTS pushed, p50/p95`, `${ms(w.serverPush.p50)} / ${ms(w.serverPush.p95)}`, 'context']);
  rows.push([`  of which mailcanary: EXISTS → seen, p50/p95 (n=${w.own.n})`, `${ms(w.own.p50)} / ${ms(w.own.p95)}`, 'context']);
  rows.push([`suite, seen p50/p95 (n=${c.suite.seen.n}), ${label}`, `${ms(c.suite.seen.p50)} / ${ms(c.suite.seen.p95)}`, 'context']);
  rows.push([`suite, test end p50/p95, ${label}`, `${ms(c.suite.verdict.p50)} / ${ms(c.suite.verdict.p95)}`, 'context']);
  rows.push([`lab delivery (submitted → filed) p50, ${label}`, ms(w.delivery.p50), 'context']);
}
rows.push([`watcher p95 ${older} older / empty`, ratio.toFixed(2), `≤ ${TARGET_RATIO}`, met(ratio <= TARGET_RATIO)]);
rows.push([`mailcanary's share p95 ${older} older / empty`, ownRatio.toFixed(2), `≤ ${TARGET_RATIO}`, met(ownRatio <= TARGET_RATIO)]);
printTable(
  `verdict latency on the lab: lab MX APPEND done → sighting (${rounds} rounds × ${config.seeds.length * config.variants.length} messages per condition)`,
  rows,
);
for (const c of conditions) for (const p of c.watcher.problems) console.log(`  problem (${c.older} older): ${p}`);
const allMet = conditions.every((c) => c.watcher.inbox.p95 < TARGET_P95 && c.watcher.spam.p95 < TARGET_P95) && ratio <= TARGET_RATIO;
writeResult('latency', { rounds, older, suiteRuns, targets: { p95Ms: TARGET_P95, ratio: TARGET_RATIO }, conditions, ratio, ownRatio, met: allMet });
process.exit(0);
