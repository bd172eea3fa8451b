/**
 * `npm run report` — builds the HTML placement report from the history store, on demand.
 *   npm run report                       latest run → mailcanary-report/index.html
 *   npm run report -- --run <id>         a given run in full
 *   npm run report -- --out file.html    elsewhere
 *   npm run report -- --from 2026-01-01 --to 2026-03-31   only runs in this date range (UTC days)
 *   npm run report -- --list             list the recorded runs
 *   npm run report -- --export h.jsonl   export the history as JSON lines
 *   npm run report -- --import h.jsonl   import JSON lines (runs of the same id are replaced)
 * The store is MAILCANARY_HISTORY (default .mailcanary/history.sqlite).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { historyConfigFromEnv } from '../src/record/config.ts';
import { exportJsonl, importJsonl } from '../src/record/jsonl.ts';
import { HistoryStore } from '../src/record/store.ts';
import { writeReport } from '../src/report/write.ts';

function day(s: string | undefined, end: boolean): number | undefined {
  if (!s) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new Error(`--${end ? 'to' : 'from'} ${s}: give a date as YYYY-MM-DD`);
  return Date.parse(`${s}T00:00:00Z`) + (end ? 86_400_000 - 1 : 0);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      run: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      list: { type: 'boolean' },
      export: { type: 'string' },
      import: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: npm run report -- [--run ID] [--out FILE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] | --list | --export FILE | --import FILE');
    return 0;
  }
  const cfg = historyConfigFromEnv();
  if (!values.import && !existsSync(cfg.path)) {
    console.error(`no history store at ${cfg.path}: run the suite first (npx playwright test), or set MAILCANARY_HISTORY`);
    return 1;
  }
  const store = HistoryStore.open(cfg.path);
  try {
    if (values.import) {
      const r = await importJsonl(store, values.import);
      console.log(`imported ${r.runs} run(s) into ${cfg.path}`);
      return 0;
    }
    if (values.export) {
      const r = await exportJsonl(store, values.export);
      console.log(`exported ${r.runs} run(s) (${r.lines} lines) to ${values.export}`);
      return 0;
    }
    if (values.list) {
      const pinned = store.pinnedBaseline();
      for (const r of store.runs()) {
        console.log(
          `${new Date(r.startedAt).toISOString()}  ${r.runId}${r.lab ? '  [lab]' : ''}  ${r.status}${r.gate?.regressions.length ? `  ${r.gate.regressions.length} regression(s)` : ''}${r.runId === pinned ? '  (pinned baseline)' : ''}`,
        );
      }
      return 0;
    }
    const out = path.resolve(values.out ?? path.join(process.env.MAILCANARY_REPORT_DIR?.trim() || 'mailcanary-report', 'index.html'));
    const r = writeReport(store, out, { runId: values.run, from: day(values.from, false), to: day(values.to, true) });
    const rel = path.relative(process.cwd(), r.file);
    console.log(`report written: ${rel.startsWith('..') ? r.file : rel} (${Math.round(r.bytes / 1024)} KiB)`);
    return 0;
  } finally {
    store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`report: ${err.message}`);
    process.exit(1);
  },
);
