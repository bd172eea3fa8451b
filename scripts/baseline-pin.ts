/**
 * `npm run baseline:pin` — pins the baseline the regression gate compares every run with.
 *   npm run baseline:pin               pin the latest recorded run (e.g. after fixing the setup)
 *   npm run baseline:pin -- <runId>    pin a given run
 *   npm run baseline:pin -- --unpin    compare with the previous run again (the default)
 */
import { existsSync } from 'node:fs';
import { historyConfigFromEnv } from '../src/record/config.ts';
import { HistoryStore } from '../src/record/store.ts';

function main(): number {
  const args = process.argv.slice(2);
  const cfg = historyConfigFromEnv();
  if (!existsSync(cfg.path)) {
    console.error(`no history store at ${cfg.path}: run the suite first, or set MAILCANARY_HISTORY`);
    return 1;
  }
  const store = HistoryStore.open(cfg.path);
  try {
    if (args.includes('--unpin')) {
      store.pinBaseline(undefined);
      console.log('baseline unpinned: each run is compared with the previous run');
      return 0;
    }
    const runId = args.find((a) => !a.startsWith('-')) ?? store.latestRun()?.runId;
    if (!runId) {
      console.error('the history store has no runs yet: run the suite first');
      return 1;
    }
    store.pinBaseline(runId);
    const r = store.run(runId)!;
    console.log(`baseline pinned: run ${runId} of ${new Date(r.startedAt).toISOString()}${r.lab ? ' [lab]' : ''}`);
    return 0;
  } finally {
    store.close();
  }
}

try {
  process.exit(main());
} catch (err) {
  console.error(`baseline:pin: ${(err as Error).message}`);
  process.exit(1);
}
