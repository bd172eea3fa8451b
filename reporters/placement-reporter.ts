import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { chooseBaseline, compareRuns } from '../src/gate/compare.ts';
import type { GateResult } from '../src/gate/compare.ts';
import { gateJUnit } from '../src/gate/junit.ts';
import { parseGateMode } from '../src/gate/mode.ts';
import { notifyWebhook } from '../src/notify/webhook.ts';
import { historyConfigFromEnv, historyOff } from '../src/record/config.ts';
import { collectRun } from '../src/record/from-results.ts';
import type { ResultInput } from '../src/record/from-results.ts';
import { HistoryStore } from '../src/record/store.ts';
import { writeReport } from '../src/report/write.ts';
import { shardPlan } from '../src/send/shard-plan.ts';
import { ReportStore } from '../src/receiver-reports/index.ts';
import { serverLogOfRun } from './server-log-results.ts';
import { addServerLogFindings } from '../src/gate/server-log.ts';
import { serverLogBaseline, writeServerLogReading } from '../src/record/server-log-store.ts';

/**
 * The placement reporter: records the run in the history store, compares it with its
 * baseline (the regression gate), writes the HTML report and the gate's JUnit XML, and posts a
 * webhook on regressions. It reads only annotations and attachments, so it gives the same result
 * on a plain run and on `npx playwright merge-reports` of a sharded run. On a shard
 * (`--shard=i/n`) it records nothing: the merge does, once, with every shard's results.
 *
 * Environment: MAILCANARY_HISTORY (store path, `off` to disable), MAILCANARY_RETENTION_DAYS,
 * MAILCANARY_GATE (`fail` default, `warn`, `off`), MAILCANARY_REPORT_DIR (default
 * `mailcanary-report`), MAILCANARY_JUNIT (default `<report dir>/gate-junit.xml`),
 * MAILCANARY_WEBHOOK_URL (optional).
 */
/** a path as the user best reads it: relative inside the working directory, absolute outside */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

const READ_LIMIT = 4 * 1024 * 1024;
const WANTED = new Set(['delivery.json', 'received-headers.txt', 'check', 'server-log.json']);

function attachmentText(a: TestResult['attachments'][number]): string | undefined {
  if (a.body) return a.body.toString('utf8');
  if (a.path && existsSync(a.path) && statSync(a.path).size <= READ_LIMIT) return readFileSync(a.path, 'utf8');
  return undefined;
}

export interface PlacementReporterOptions {
  /** the clock for the run's times and the history's retention (default: the real one) */
  now?: () => number;
}

export default class PlacementReporter implements Reporter {
  private config?: FullConfig;
  private readonly results = new Map<string, ResultInput>();
  private readonly now: () => number;
  private startedAt: number;

  constructor(options: PlacementReporterOptions = {}) {
    this.now = typeof options.now === 'function' ? options.now : Date.now;
    this.startedAt = this.now();
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.startedAt = this.now();
    // a shard, or a run filtered with --grep (e.g. `--grep @family.example`, one sender domain)
    const filtered = process.argv.some((a) => /^(--grep|-g|--grep-invert)(=|$)/.test(a));
    if (config.shard || filtered) {
      // Workers start after onBegin and inherit the environment: the send step of this shard or
      // selection then sends only the messages of the placement tests it runs (suites/send.setup.ts).
      const plan = shardPlan(suite.allTests().map((t) => t.annotations));
      process.env.MAILCANARY_SHARD_PLAN = JSON.stringify(plan);
    }
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const annotations = [...test.annotations, ...(result.annotations ?? [])];
    const attachments = result.attachments
      .filter((a) => WANTED.has(a.name))
      .map((a) => ({ name: a.name, contentType: a.contentType, body: attachmentText(a) }));
    // the last result of a test is its final one (retries): it replaces earlier ones
    this.results.set(test.id, { titlePath: test.titlePath(), status: test.outcome() === 'flaky' ? 'passed' : result.status, annotations, attachments });
  }

  async onEnd(result: FullResult): Promise<{ status?: FullResult['status'] } | undefined> {
    const env = process.env;
    if (this.config?.shard) {
      console.log(
        `mailcanary: shard ${this.config.shard.current}/${this.config.shard.total}: history, gate and report are written by \`npx playwright merge-reports\``,
      );
      return undefined;
    }
    if (historyOff(env)) return undefined;
    const collected = collectRun([...this.results.values()], {
      startedAt: this.startedAt,
      finishedAt: this.now(),
      status: result.status,
      lab: env.MAILCANARY_LAB === '1' || env.MAILCANARY_LAB === 'true',
    });
    const reading = serverLogOfRun([...this.results.values()], collected.warnings);
    for (const w of collected.warnings) console.log(`mailcanary: warning: ${w}`);
    const bundle = collected.bundle;
    if (!bundle) return undefined;

    let store: HistoryStore | undefined;
    let gate: GateResult;
    let reportFile: string | undefined;
    const reportDir = path.resolve(env.MAILCANARY_REPORT_DIR?.trim() || 'mailcanary-report');
    try {
      const cfg = historyConfigFromEnv(env);
      store = HistoryStore.open(cfg.path);
      const s = store;
      const base = chooseBaseline({
        current: bundle.run,
        pinned: s.pinnedBaseline(),
        exists: (id) => !!s.run(id),
        previous: () => s.previousRun(bundle.run.startedAt, bundle.run.lab, bundle.run.runId)?.runId,
      });
      gate = compareRuns(bundle, base.runId ? s.bundle(base.runId) : undefined);
      if (reading) {
        // measured per domain against the latest earlier reading that mailed it (the log is not
        // read every run, and a window without mail to a domain says nothing about it)
        const base = serverLogBaseline(s, { until: reading.until, lab: bundle.run.lab, exclude: bundle.run.runId });
        addServerLogFindings(gate, reading.rejections, base?.rejections);
      }
      bundle.run.gate = { baselineRunId: gate.baselineRunId, regressions: gate.regressions.map((r) => r.line) };
      s.writeRun(bundle);
      if (reading) writeServerLogReading(s, bundle.run.runId, bundle.run.lab, reading);
      const pruned = s.prune(cfg.retentionDays, this.now());
      // receiver reports share the history's retention (MAILCANARY_RETENTION_DAYS)
      new ReportStore(s).prune(cfg.retentionDays, this.now());
      const gateSetting = parseGateMode(env.MAILCANARY_GATE);
      if ('error' in gateSetting) console.log(`mailcanary: MAILCANARY_GATE ${gateSetting.error}: gating as fail; ${gateSetting.fix}`);
      const mode = gateSetting.mode;
      if (mode !== 'off') this.printGate(gate, base.how);
      reportFile = writeReport(s, path.join(reportDir, 'index.html'), { runId: bundle.run.runId, now: this.now() }).file;
      const junit = path.resolve(env.MAILCANARY_JUNIT?.trim() || path.join(reportDir, 'gate-junit.xml'));
      mkdirSync(path.dirname(junit), { recursive: true });
      writeFileSync(junit, gateJUnit(gate, { timestamp: new Date(this.now()) }));
      console.log(
        `mailcanary: ${bundle.run.lab ? '[LAB] ' : ''}run ${bundle.run.runId} recorded in ${shown(cfg.path)} ` +
          `(${bundle.messages.length} message(s), ${bundle.checks.length} check(s)${reading ? `, ${reading.rejections.length} rejection group(s) from the server log` : ''}${pruned ? `, ${pruned} run(s) past retention removed` : ''}); report: ${shown(reportFile)}`,
      );
      const hook = await notifyWebhook(env.MAILCANARY_WEBHOOK_URL, gate, { lab: bundle.run.lab, reportPath: reportFile });
      if (hook) console.log(hook.sent ? `mailcanary: webhook ${hook.target} notified` : `mailcanary: webhook ${hook.target} not notified: ${hook.error}`);
      if (mode === 'fail' && gate.regressions.length && result.status === 'passed') return { status: 'failed' };
      return undefined;
    } catch (err) {
      console.log(`mailcanary: could not record the run: ${(err as Error).message}`);
      return { status: 'failed' };
    } finally {
      store?.close();
    }
  }

  private printGate(gate: GateResult, how: string): void {
    if (!gate.baselineRunId) {
      console.log(`\nmailcanary gate: ${gate.note}`);
      // a check that threw fails the gate even without a baseline
      for (const r of gate.regressions) console.log(`  ✘ ${r.kind}: ${r.line}`);
      return;
    }
    const head = `\nmailcanary gate: ${gate.regressions.length ? `${gate.regressions.length} REGRESSION(S)` : 'no regression'} against ${how} run ${gate.baselineRunId}`;
    console.log(head + (gate.regressions.length ? ':' : ''));
    for (const r of gate.regressions) console.log(`  ✘ ${r.kind}: ${r.line}`);
    if (gate.unknown.length) console.log(`  (${gate.unknown.length} item(s) not comparable, e.g. ${gate.unknown[0]})`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
