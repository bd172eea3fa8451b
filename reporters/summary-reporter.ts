import type { FullConfig, FullResult, Reporter, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { notTestedLines, untestedRun, type TestOutcome } from '../src/run/coverage.ts';
import { bounceOffNotices } from '../src/watch/bounce-state.ts';
import { configClosingLine, configProblemsIn, configSummary } from '../src/config/errors.ts';
import { skipReasonLines, warningLines } from '../src/run/warnings.ts';

/**
 * Prints one closing line `N passed, N failed[, N skipped]` that any CI can read (or, when an
 * invalid configuration stopped the run before any test, `mailcanary: nothing ran: configuration invalid`).
 * Counts the final outcome of each test (after retries), so a flaky test counts once.
 * Above it, once per run: every check that passed with a warning, with its fix; the warnings that
 * concern the whole run (bounce watching is off) and,
 * when the run tested nothing (every placement test skipped, no test executed, a seed skipped
 * under MAILCANARY_REQUIRE_ALL_SEEDS=true), the reason, and the run fails. A run stopped by an
 * invalid configuration closes with that, each problem on its line, so a log's tail names the cause. It reads only what
 * travels with the results, so `merge-reports` prints and decides the same.
 */
export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, TestOutcome & { title: string }>();
  private sharded = false;
  /** the problems of a ConfigError that stopped the test files' loading, by their text */
  private readonly configProblems = new Map<string, { field: string; message: string }>();

  onBegin(config: FullConfig): void {
    this.sharded = !!config.shard;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.outcomes.set(test.id, {
      // below project and file, as the list reporter shows it
      title: test.titlePath().slice(3).join(' › '),
      status: test.outcome() === 'flaky' ? 'passed' : result.status,
      annotations: [...test.annotations, ...(result.annotations ?? [])],
    });
  }

  onError(error: TestError): void {
    for (const p of configProblemsIn(error.message ?? error.stack ?? '') ?? []) this.configProblems.set(`${p.field}: ${p.message}`, p);
  }

  async onEnd(result: FullResult): Promise<{ status?: FullResult['status'] } | undefined> {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const { status } of this.outcomes.values()) {
      if (status === 'passed') passed++;
      else if (status === 'skipped') skipped++;
      else failed++;
    }
    const tests = [...this.outcomes.values()];
    for (const n of bounceOffNotices(tests.flatMap((t) => t.annotations))) console.log(`\nmailcanary: warning: ${n}`);
    // a warned check passes: without its line a console that says "0 failed" hides it
    const warned = warningLines(tests, 'mailcanary: warnings');
    if (warned.length) console.log(`\n${warned.join('\n')}`);
    const skips = skipReasonLines(tests, `mailcanary: skipped (${skipped})`);
    if (skips.length) console.log(`\n${skips.join('\n')}`);
    const notTested = notTestedLines(tests);
    if (notTested.length) console.log(`\n${notTested.join('\n')}`);
    // a shard may hold only skipped tests: the merge of all shards is judged
    const invalid = this.configProblems.size ? configSummary([...this.configProblems.values()]) : undefined;
    const untested = invalid ?? (this.sharded ? undefined : untestedRun(tests));
    if (untested) console.log(`\n${untested}`);
    if (invalid && !this.outcomes.size) console.log(`\n${configClosingLine([...this.configProblems.values()])}`);
    else console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
    return untested && result.status === 'passed' ? { status: 'failed' } : undefined;
  }

  printsToStdio(): boolean {
    return false;
  }
}
