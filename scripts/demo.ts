/**
 * `npm run demo`: starts the local lab (installing its Debian packages on first use when run
 * as root), runs the placement suite against it exactly as a user runs it against real
 * providers, and stops the lab again.
 *
 *   npm run demo                          healthy lab
 *   npm run demo -- --scenario dkim-broken  the user's DKIM key no longer matches DNS
 *   npm run demo -- --scenario dkim-broken-one-domain  only family.test's DKIM key no longer matches
 *   npm run demo -- --keep                leave the lab running afterwards
 *
 * The lab Postfix's own log (its maillog_file) is the user's server log: before the suites one
 * ordinary message goes to council.lab.test, a domain no seed watches, whose filter refuses the
 * server by IP reputation; the `server-log` project finds it, and the demo prints that reading's
 * rejections of real mail and outbound volume once. Afterwards `npm run server-log -- --messages`
 * shows each test message's delivery attempts and the receivers' replies. Every line is marked
 * [LAB] and every time there has one form (2026-12-02T01:26:10Z).
 *
 * Each skipped test and unknown check is listed with its reason. A scenario that says what it shows
 * (lab/scenarios.ts `shows`) is then set against the run: which tests it expects to fail and why,
 * and whether the run failed exactly those; the demo exits 0 when it did and 1 when not (a
 * scenario without `shows` exits with the suite's status).
 *
 * Every result is labelled LAB: the providers are simulations on loopback.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labPaths, labTopology, setScenario, startLab, stopLab } from '../lab/index.ts';
import { sendToUnwatchedDomain } from '../lab/real-mail.ts';
import { HistoryStore, previousServerLogReading } from '../src/record/index.ts';
import { checkScenarioShows } from '../lab/scenario-shows.ts';
import { flatten } from '../lab/suite-runner.ts';
import { demoOutcome, skippedLines, warnedLines } from './support/demo-outcome.ts';
import { labLines, realMailLines } from './support/server-log-lines.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const scenarioAt = args.indexOf('--scenario');
const scenario = scenarioAt >= 0 ? args[scenarioAt + 1] : 'healthy';
const passThrough = args.filter((a, i) => a !== '--keep' && a !== '--scenario' && (scenarioAt < 0 || i !== scenarioAt + 1));

console.log(`[LAB] starting the local mail lab (scenario: ${scenario}) — results are simulations, not real provider results`);
await startLab();
let status: number;
const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'mc-demo-'));
const resultsJson = path.join(resultsDir, 'results.json');
try {
  const active = await setScenario(scenario);
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  // every suite: placement, DNS posture, server posture, content and the server's log, as a user's nightly run
  const postfixLog = labPaths(labTopology().stateDir).postfixLog;
  const env = {
    ...process.env,
    // what the scenario's sender does differently (the spammy variant), as the lab tests pass it
    ...active.suiteEnv,
    MAILCANARY_LOG_FILE: process.env.MAILCANARY_LOG_FILE || postfixLog,
    MAILCANARY_ENV_FILE: process.env.MAILCANARY_ENV_FILE || 'lab/lab.env',
    MAILCANARY_SEEDS: process.env.MAILCANARY_SEEDS || 'lab/seeds.lab.ts',
    MAILCANARY_STATE_DIR: process.env.MAILCANARY_STATE_DIR || '.mailcanary/lab',
    // lab history and report are kept apart from a user's real ones
    MAILCANARY_HISTORY: process.env.MAILCANARY_HISTORY || '.mailcanary/lab/history.sqlite',
    MAILCANARY_REPORT_DIR: process.env.MAILCANARY_REPORT_DIR || 'mailcanary-report/lab',
  };
  const real = await sendToUnwatchedDomain(root, env);
  console.log(
    real.notSent
      ? `[LAB] one ordinary message to ${real.to} (no seed watches it) could not be submitted: ${real.notSent}`
      : `[LAB] one ordinary message sent to ${real.to} (no seed watches it): ${real.refused ? "refused, as your server's log shows" : 'no refusal logged yet'}`,
  );
  const result = spawnSync(process.execPath, [cli, 'test', ...passThrough], {
    cwd: root,
    stdio: 'inherit',
    env: { ...env, MAILCANARY_RESULTS_JSON: resultsJson },
  });
  const suiteStatus = result.status ?? 1;
  let tests: ReturnType<typeof flatten> = [];
  try {
    tests = flatten(JSON.parse(readFileSync(resultsJson, 'utf8')));
  } catch {
    /* no results: the run stopped before any test, which the scenario check reports */
  }
  console.log('');
  for (const line of skippedLines(tests)) console.log(line);
  for (const line of warnedLines(tests)) console.log(line);
  const shows = active.shows ? checkScenarioShows(active, tests) : undefined;
  if (shows) for (const line of shows.lines) console.log(line);
  else console.log(`[LAB] scenario ${active.name}: ${active.description}`);
  printRealMail(env.MAILCANARY_HISTORY, real.sentAt);
  console.log("\n[LAB] your server's log (the lab Postfix's maillog_file), the sender's side of this run's test messages:");
  // only the test messages: the rejections and volume of this run are the project's reading above
  const log = spawnSync(process.execPath, [path.join(root, 'scripts/server-log.ts'), '--hours', '1', '--messages'], { cwd: root, env, encoding: 'utf8' });
  for (const line of labLines(`${log.stdout ?? ''}${log.stderr ?? ''}`.replace(/\n+$/, '').split('\n'))) console.log(line);
  const outcome = demoOutcome({ shows, suiteStatus, serverLogStatus: log.status ?? 1, tests });
  console.log('');
  for (const line of outcome.lines) console.log(line);
  status = outcome.code;
} finally {
  rmSync(resultsDir, { recursive: true, force: true });
  if (!keep) await stopLab();
  else console.log('[LAB] left running: `npm run lab -- stop` stops it');
}
process.exit(status);

/** The `server-log` project's reading of this run, from the lab history: rejections of real mail and outbound volume. */
function printRealMail(history: string, since: number): void {
  let store: HistoryStore | undefined;
  try {
    store = HistoryStore.open(path.resolve(root, history), { readOnly: true });
    const r = previousServerLogReading(store, { until: Date.now(), lab: true });
    // a reading from an earlier demo (this run left the project out) is not this run's
    if (!r || r.until < since) {
      console.log('\n[LAB] the server-log project recorded no reading (see its test above)');
      return;
    }
    console.log('');
    for (const l of labLines(realMailLines(r))) console.log(l);
  } catch (err) {
    console.log(`\n[LAB] could not read the server-log reading from ${history}: ${(err as Error).message}`);
  } finally {
    store?.close();
  }
}
