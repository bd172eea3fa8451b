/**
 * The data of the HTML report, built from the history store. Heavy detail (evidence, bounce,
 * raw headers) is carried for the focus run only; the history is carried as compact integer
 * rows with lookup tables, so a year of nightly runs (365 × 60 results) stays well under 1 MB.
 */
import type { HistoryStore } from '../record/index.ts';
import type { CheckRecord, MessageRecord, RunRecord } from '../record/index.ts';

export interface ReportData {
  version: 1;
  generatedAt: number;
  /** the run whose matrix and messages are shown in full (the latest, unless asked) */
  focus?: { run: RunRecord; messages: MessageRecord[]; checks: CheckRecord[] };
  runs: Array<{ id: string; t: number; lab: boolean; status: string; regressions: number }>;
  seeds: Array<{ id: string; provider: string }>;
  variants: string[];
  providers: string[];
  verdicts: string[];
  /** flat rows of 4: run index, seed index, variant index, verdict index */
  results: number[];
  checkTitles: string[];
  checkStatuses: string[];
  /** flat rows of 3: run index, check title index, status index */
  checks: number[];
}

function indexer(): { list: string[]; idx: (s: string) => number } {
  const list: string[] = [];
  const map = new Map<string, number>();
  return {
    list,
    idx: (s) => {
      let i = map.get(s);
      if (i === undefined) {
        i = list.length;
        list.push(s);
        map.set(s, i);
      }
      return i;
    },
  };
}

export interface BuildOptions {
  /** run to show in full; default the latest */
  runId?: string;
  /** only runs that started in this window (ms since epoch) */
  from?: number;
  to?: number;
  now?: number;
}

export function buildReportData(store: HistoryStore, opts: BuildOptions = {}): ReportData {
  const window = { from: opts.from, to: opts.to };
  const runs = store.runs(window);
  const focusId = opts.runId ?? runs[runs.length - 1]?.runId;
  const focusBundle = focusId ? store.bundle(focusId) : undefined;
  if (opts.runId && !focusBundle) throw new Error(`no run ${opts.runId} in ${store.file}: list the runs with \`npm run report -- --list\``);
  const runIndex = new Map(runs.map((r, i) => [r.runId, i]));
  const seeds = indexer();
  const seedProvider = new Map<string, string>();
  const variants = indexer();
  const providers = indexer();
  const verdicts = indexer();
  for (const v of ['inbox', 'spam', 'bounced', 'missing', 'rejected', 'deferred', 'send-failed', 'seed-unreachable', 'skipped']) verdicts.idx(v);
  const results: number[] = [];
  const all = store.messageSummaries(window);
  // seeds and variants in a stable order: by id, as most users name seeds by provider
  for (const m of [...all].sort((a, b) => a.seedId.localeCompare(b.seedId))) {
    if (!seedProvider.has(m.seedId)) seedProvider.set(m.seedId, m.provider);
  }
  const seedIds = [...seedProvider.keys()];
  for (const s of seedIds) {
    seeds.idx(s);
    providers.idx(seedProvider.get(s)!);
  }
  for (const v of [...new Set(all.map((m) => m.variant))].sort()) variants.idx(v);
  for (const m of all) {
    const ri = runIndex.get(m.runId);
    if (ri === undefined) continue;
    results.push(ri, seeds.idx(m.seedId), variants.idx(m.variant), verdicts.idx(String(m.verdict)));
  }
  const titles = indexer();
  const statuses = indexer();
  for (const s of ['pass', 'warn', 'fail', 'unknown', 'error']) statuses.idx(s);
  const checks: number[] = [];
  for (const c of store.checkSummaries(window)) {
    const ri = runIndex.get(c.runId);
    if (ri === undefined) continue;
    checks.push(ri, titles.idx(c.title), statuses.idx(c.status));
  }
  return {
    version: 1,
    generatedAt: opts.now ?? Date.now(),
    ...(focusBundle ? { focus: focusBundle } : {}),
    runs: runs.map((r) => ({ id: r.runId, t: r.startedAt, lab: r.lab, status: r.status, regressions: r.gate?.regressions.length ?? 0 })),
    seeds: seeds.list.map((id) => ({ id, provider: seedProvider.get(id) ?? 'unknown' })),
    variants: variants.list,
    providers: providers.list,
    verdicts: verdicts.list,
    results,
    checkTitles: titles.list,
    checkStatuses: statuses.list,
    checks,
  };
}
