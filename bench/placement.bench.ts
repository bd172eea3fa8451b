/**
 * Fan-out of the placement loop: a run over every lab seed × both variants must take
 * less than twice the slowest single delivery plus 5 s. Each figure is the wall time of the
 * whole user suite (`npx playwright test`, Playwright start-up included) against the lab:
 * - single: one seed, one variant, for every lab seed (the blackhole's "delivery" is its timeout);
 * - full: all seeds × all variants in one run.
 *
 *   node bench/placement.bench.ts [--repeat N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labStatus, setScenario, startLab, stopLab } from '../lab/index.ts';
import { ROOT, runUserSuite } from '../lab/suite-runner.ts';

const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 1;
const seedIds = ['lab-gmail', 'lab-tonline', 'lab-gmx', 'lab-outlook', 'lab-blackhole'];

const wasRunning = (await labStatus()).healthy;
await startLab();
await setScenario('healthy');
const dir = path.join(ROOT, '.mailcanary', 'bench');
mkdirSync(dir, { recursive: true });

async function timed(env: Record<string, string>): Promise<{ ms: number; code: number; verdicts: string[] }> {
  const run = await runUserSuite({ env });
  return { ms: run.ms, code: run.code, verdicts: run.tests.filter((t) => t.verdict).map((t) => `${t.fullTitle}: ${t.verdict}`) };
}

const single: Record<string, number> = {};
for (const id of seedIds) {
  const file = path.join(dir, `seeds-${id}.ts`);
  writeFileSync(file, `import seeds from '../../lab/seeds.lab.ts';\nexport default seeds.filter((s) => s.id === '${id}');\n`);
  let best = Infinity;
  for (let i = 0; i < repeat; i++) best = Math.min(best, (await timed({ MAILCANARY_SEEDS: file, MAILCANARY_VARIANTS: 'plain' })).ms);
  single[id] = best;
}
let full = Infinity;
let fullRun: { ms: number; code: number; verdicts: string[] } | undefined;
for (let i = 0; i < repeat; i++) {
  const r = await timed({});
  if (r.ms < full) [full, fullRun] = [r.ms, r];
}
if (!wasRunning) await stopLab();

const slowest = Math.max(...Object.values(single));
const budget = 2 * slowest + 5000;
const messages = fullRun!.verdicts.length;
const rows = [
  ...Object.entries(single).map(([id, ms]) => [`single delivery: ${id} (1 message)`, `${(ms / 1000).toFixed(2)} s`]),
  [`full run: ${seedIds.length} seeds × 2 variants (${messages} messages)`, `${(full / 1000).toFixed(2)} s`],
  ['target: < 2 × slowest single + 5 s', `${(budget / 1000).toFixed(2)} s`],
  ['full / slowest single', (full / slowest).toFixed(2)],
  ['met', full < budget ? 'yes' : 'NO'],
];
const w = Math.max(...rows.map((r) => r[0].length));
console.log('\nplacement fan-out on the lab (wall time of `npx playwright test`, best of ' + repeat + ')');
for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(
  path.join(ROOT, 'bench/results/placement.json'),
  JSON.stringify(
    { when: new Date().toISOString(), lab: true, singleMs: single, fullMs: full, messages, budgetMs: budget, met: full < budget, fullExitCode: fullRun!.code },
    null,
    2,
  ),
);
process.exit(full < budget ? 0 : 1);
