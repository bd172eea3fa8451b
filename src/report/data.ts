/**
 * The data of the HTML report, built from the history store. Every decision is made here (the
 * placement class, "as expected", the cell's reason, the change since the baseline, the order of
 * the checks, the summary counts, the 7-day rates), so the static HTML and the script show the
 * same thing. Heavy detail (evidence, bounce, raw headers) is carried for the focus run only;
 * the history travels as flat integer rows with lookup tables, so a year stays small.
 * Every string that came from outside is made visible here (visible.ts).
 */
import { capSubject } from '../record/index.ts';
import type { HistoryStore } from '../record/index.ts';
import type { CheckRecord, MessageRecord, RunRecord } from '../record/index.ts';
import { CLASSES, cellOk, cellReason, classOf, shownVerdict, testFailure } from './classes.ts';
import { whyLines } from './why.ts';
import { visible, visibleDeep } from './visible.ts';
import { realMailData, type RealMailData } from './server-log-data.ts';
import { columnsOf } from './columns.ts';

/** The message fields the drill-down shows (the focus run only). */
export type FocusMessage = MessageRecord & { shown: string; ok: 1 | 0 | -1; reason?: string; failure?: string; why?: string[] };

export interface ReportRun {
  id: string;
  t: number;
  lab: boolean;
  status: string;
  /** index of the baseline run in `runs` (the gate's, else the previous run of the same kind), -1 for none */
  baseline: number;
  /** what concerns the whole run (bounce watching is off, no seed was tested): one line each */
  notices: string[];
  /** the gate's regression lines, as recorded */
  regressions: string[];
  /** whether the gate ran for this run */
  gated: boolean;
}

export interface ReportData {
  version: 2;
  generatedAt: number;
  /** the run shown first (the latest, unless asked), with every message in full */
  focus?: { run: RunRecord; messages: FocusMessage[]; checks: CheckRecord[] };
  runs: ReportRun[];
  seeds: Array<{ id: string; provider: string }>;
  variants: string[];
  providers: string[];
  /** sending domains of runs with several senders (seeds/senders.ts); empty otherwise */
  domains: string[];
  /** per variant: index into `domains`, -1 for a variant without a sender */
  variantDomain: number[];
  /** per variant: its matrix column heading, without the domain its group heading names */
  variantHeads: string[];
  /** rows of SUMMARY_WIDTH like `summary`, per sending domain (-1 = all) */
  domainSummary: number[];
  classes: readonly string[];
  /** interned strings: shown verdicts, expectations, reasons, check summaries and fixes */
  texts: string[];
  /** shown verdicts (`inbox:promotions`, `other-folder:Archive`, …) */
  verdicts: string[];
  /** flat rows of 4: run index, seed index, variant index, verdict index */
  results: number[];
  /** one row of CELL_WIDTH per row of `results`: class, expected text, as expected (1/0/-1; 0 for a failed test), reason text or -1, baseline verdict when it differs or -1, what failed in a test whose placement was as expected (`dkim=fail`) or -1 */
  cells: number[];
  /** CELL_WIDTH, for the views */
  cellWidth: number;
  /** rows of SUMMARY_WIDTH: run, provider (-1 = all), as expected, tested, then one count per class */
  summary: number[];
  checkTitles: string[];
  checkStatuses: string[];
  /** flat rows of 3 per run in the order failures → warnings → unknown → passes: run, title, status */
  checks: number[];
  /** one row of 2 per row of `checks`: summary text, fix text or -1 */
  checkTexts: number[];
  /** per provider and kind (lab and real never share a series): points [UTC day ms, % as expected and % in the inbox (any Gmail tab) over the 7 days ending that day, messages counted] */
  rates: Array<{ provider: string; lab: boolean; points: Array<[number, number, number, number]> }>;
  /** the focus run's reading of the server's own log (server-log-data.ts), when it has one */
  realMail?: RealMailData;
}

export const CELL_WIDTH = 6;
export const SUMMARY_WIDTH = 4 + CLASSES.length;
/** error and fail first: what needs a change comes before what is fine */
export const CHECK_ORDER: Record<string, number> = { error: 0, fail: 1, warn: 2, unknown: 3, pass: 4 };
const DAY = 86_400_000;

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
  /** run to show first; default the latest */
  runId?: string;
  /** only runs that started in this window (ms since epoch) */
  from?: number;
  to?: number;
  now?: number;
}

/** The baseline of each run: the gate's when it is in the window, else the previous run of the same kind. */
function baselines(runs: RunRecord[]): number[] {
  const at = new Map(runs.map((r, i) => [r.runId, i]));
  const lastOfKind: Record<string, number> = {};
  return runs.map((r, i) => {
    const kind = r.lab ? 'lab' : 'real';
    const prev = lastOfKind[kind] ?? -1;
    lastOfKind[kind] = i;
    const g = r.gate?.baselineRunId;
    return g !== undefined && at.has(g) ? at.get(g)! : prev;
  });
}

/** One UTC day of a provider: tested messages as expected, tested messages, tested messages in the inbox. */
export type DayCount = [ok: number, tested: number, inbox: number];

const pct = (x: number, n: number) => (n ? Math.round((1000 * x) / n) / 10 : 0);

/**
 * Per UTC day with results, the shares over the 7 days ending that day (that day and the six
 * before): a few messages a night give a readable line instead of a 0/50/100 % zigzag.
 */
export function rollingRates(days: Map<number, DayCount>): Array<[number, number, number, number]> {
  const keys = [...days.keys()].sort((a, b) => a - b);
  let from = 0;
  const sum: DayCount = [0, 0, 0];
  return keys.map((d) => {
    const add = days.get(d)!;
    for (let j = 0; j < 3; j++) sum[j] += add[j];
    while (keys[from] <= d - 7 * DAY) {
      const drop = days.get(keys[from++])!;
      for (let j = 0; j < 3; j++) sum[j] -= drop[j];
    }
    return [d, pct(sum[0], sum[1]), pct(sum[2], sum[1]), sum[1]];
  });
}

/** Count rows keyed `run:group` as flat rows, by run then group (-1, the total, first). */
function summaryRows(counts: Map<string, number[]>): number[] {
  const out: number[] = [];
  const keyed = [...counts.entries()].map(([k, row]) => [...k.split(':').map(Number), row] as [number, number, number[]]);
  for (const [ri, gi, row] of keyed.sort((a, b) => a[0] - b[0] || a[1] - b[1])) out.push(ri, gi, ...row);
  return out;
}

export function buildReportData(store: HistoryStore, opts: BuildOptions = {}): ReportData {
  const window = { from: opts.from, to: opts.to };
  const runs = store.runs(window);
  const focusId = opts.runId ?? runs[runs.length - 1]?.runId;
  const focusBundle = focusId ? store.bundle(focusId) : undefined;
  if (opts.runId && !focusBundle) throw new Error(`no run ${opts.runId} in ${store.file}: list the runs with \`npm run report -- --list\``);
  const runIndex = new Map(runs.map((r, i) => [r.runId, i]));
  const base = baselines(runs);
  const texts = indexer();
  const all = store.messageSummaries(window).filter((m) => runIndex.has(m.runId));

  // seeds and variants in a stable order: by id, as most users name seeds by provider
  const seedProvider = new Map<string, string>();
  for (const m of [...all].sort((a, b) => a.seedId.localeCompare(b.seedId))) if (!seedProvider.has(m.seedId)) seedProvider.set(m.seedId, m.provider);
  const seeds = [...seedProvider.keys()];
  const seedIdx = new Map(seeds.map((s, i) => [s, i]));
  const providers = [...new Set(seeds.map((s) => seedProvider.get(s)!))];
  const providerIdx = new Map(providers.map((p, i) => [p, i]));
  // variants grouped by sending domain (one-sender variants first), so a domain's columns stand together
  const { variants, domains, variantDomain, heads } = columnsOf(all, focusBundle?.messages ?? []);
  const variantIdx = new Map(variants.map((v, i) => [v, i]));

  // shown verdict per run × seed × variant, for the change since the baseline
  const shownAt = new Map<string, string>();
  const key = (ri: number, m: MessageRecord) => `${ri}\u0000${m.seedId}\u0000${m.variant}`;
  for (const m of all) shownAt.set(key(runIndex.get(m.runId)!, m), shownVerdict(m));

  const results: number[] = [];
  const cells: number[] = [];
  const verdicts = indexer();
  for (const v of ['inbox', 'spam', 'bounced', 'missing', 'rejected', 'deferred', 'send-failed', 'seed-unreachable', 'skipped']) verdicts.idx(v);
  const counts = new Map<string, number[]>();
  const domainCounts = new Map<string, number[]>();
  const daily = new Map<string, Map<number, DayCount>>();
  const bump = (ri: number, pi: number, cls: number, ok: number, into = counts) => {
    const k = `${ri}:${pi}`;
    let row = into.get(k);
    if (!row) into.set(k, (row = new Array(2 + CLASSES.length).fill(0)));
    if (ok >= 0) {
      row[0] += ok;
      row[1]++;
    }
    row[2 + cls]++;
  };
  for (const m of all) {
    const ri = runIndex.get(m.runId)!;
    const shown = shownVerdict(m);
    const cls = CLASSES.indexOf(classOf(String(m.verdict), m.tab));
    const ok = cellOk(m);
    const failure = testFailure(m);
    const reason = cellReason(m);
    const b = base[ri];
    const was = b >= 0 ? shownAt.get(key(b, m)) : undefined;
    results.push(ri, seedIdx.get(m.seedId)!, variantIdx.get(m.variant)!, verdicts.idx(visible(shown)));
    cells.push(
      cls,
      texts.idx(visible(m.expected ?? 'inbox')),
      ok,
      reason === undefined ? -1 : texts.idx(visible(reason)),
      was !== undefined && was !== shown ? texts.idx(visible(was)) : -1,
      failure === undefined ? -1 : texts.idx(visible(failure)),
    );
    const pi = providerIdx.get(seedProvider.get(m.seedId)!)!;
    bump(ri, pi, cls, ok);
    bump(ri, -1, cls, ok);
    if (m.sender) {
      bump(ri, domains.indexOf(m.sender.domain), cls, ok, domainCounts);
      bump(ri, -1, cls, ok, domainCounts);
    }
    if (ok >= 0) {
      const run = runs[ri];
      const dk = `${m.provider}\u0000${run.lab ? 1 : 0}`;
      let days = daily.get(dk);
      if (!days) daily.set(dk, (days = new Map()));
      const d = Math.floor(run.startedAt / DAY) * DAY;
      const cell = days.get(d) ?? [0, 0, 0];
      cell[0] += ok;
      cell[1]++;
      if (CLASSES[cls].startsWith('inbox')) cell[2]++;
      days.set(d, cell);
    }
  }
  const summary = summaryRows(counts);
  const domainSummary = summaryRows(domainCounts);

  const titles = indexer();
  const statuses = indexer();
  for (const s of ['pass', 'warn', 'fail', 'unknown', 'error']) statuses.idx(s);
  const checks: number[] = [];
  const checkTexts: number[] = [];
  const rank = (s: string) => CHECK_ORDER[s] ?? CHECK_ORDER.unknown;
  const checkRows = store
    .checkSummaries(window)
    .filter((c) => runIndex.has(c.runId))
    .map((c) => ({ c, ri: runIndex.get(c.runId)! }))
    .sort((a, b) => a.ri - b.ri || rank(a.c.status) - rank(b.c.status) || a.c.title.localeCompare(b.c.title));
  for (const { c, ri } of checkRows) {
    const fix = c.fix;
    checks.push(ri, titles.idx(visible(c.title)), statuses.idx(CHECK_ORDER[c.status] === undefined ? 'unknown' : c.status));
    checkTexts.push(texts.idx(visible(c.summary)), fix ? texts.idx(visible(fix)) : -1);
  }

  const focus = focusBundle
    ? {
        run: visibleDeep(focusBundle.run) as RunRecord,
        checks: focusBundle.checks.map((c) => visibleDeep(c) as CheckRecord).sort((a, b) => rank(a.status) - rank(b.status) || a.title.localeCompare(b.title)),
        messages: focusBundle.messages.map((m) => {
          const reason = cellReason(m);
          const failure = testFailure(m);
          const ok = cellOk(m);
          const why = whyLines(m, ok);
          return {
            ...(visibleDeep({ ...m, subject: capSubject(m.subject) }) as MessageRecord),
            shown: visible(shownVerdict(m)),
            ok,
            ...(reason ? { reason: visible(reason) } : {}),
            ...(failure ? { failure: visible(failure) } : {}),
            ...(why.length ? { why: why.map(visible) } : {}),
          };
        }),
      }
    : undefined;
  const realMail = focusBundle ? realMailData(store, focusBundle.run.runId) : undefined;
  return {
    version: 2,
    generatedAt: opts.now ?? Date.now(),
    ...(focus ? { focus } : {}),
    ...(realMail ? { realMail } : {}),
    runs: runs.map((r, i) => ({
      id: visible(r.runId),
      t: r.startedAt,
      lab: r.lab,
      status: visible(r.status),
      baseline: base[i],
      regressions: (r.gate?.regressions ?? []).map(visible),
      gated: !!r.gate,
      notices: (r.notices ?? []).map(visible),
    })),
    seeds: seeds.map((id) => ({ id: visible(id), provider: visible(seedProvider.get(id)!) })),
    variants: variants.map(visible),
    providers: providers.map(visible),
    domains: domains.map(visible),
    variantDomain,
    variantHeads: heads.map(visible),
    domainSummary,
    classes: CLASSES,
    texts: texts.list,
    verdicts: verdicts.list,
    results,
    cells,
    cellWidth: CELL_WIDTH,
    summary,
    checkTitles: titles.list,
    checkStatuses: statuses.list,
    checks,
    checkTexts,
    rates: [...daily.entries()]
      .map(([k, days]) => ({ provider: visible(k.split('\u0000')[0]), lab: k.endsWith('\u00001'), points: rollingRates(days) }))
      .sort((a, b) => Number(a.lab) - Number(b.lab) || a.provider.localeCompare(b.provider)),
  };
}
