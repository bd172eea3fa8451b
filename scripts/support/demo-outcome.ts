/**
 * What `npm run demo` says after the suites and the status it exits with. Pure.
 *
 * A skipped test or an `unknown` check is listed with its reason, so "unknown" in a lab run is
 * never left unexplained, and a check that passed with a warning with its fix. A scenario that says which tests it fails (lab/scenarios.ts `shows`)
 * makes the demo a check of the lab: exit 0 when the run failed exactly those tests, 1 when not;
 * a scenario without `shows` exits with the suite's own status.
 */
import type { ShowsCheck } from '../../lab/scenario-shows.ts';
import { warningLines } from '../../src/run/warnings.ts';

export interface DemoTest {
  fullTitle: string;
  status: string;
  annotations: ReadonlyArray<{ type: string; description?: string }>;
}

/** The reason of a skipped test: Playwright's `skip` annotation (the DNS and server suites write `unknown: …` there). */
export function skipReason(t: DemoTest): string {
  const r = t.annotations.find((a) => a.type === 'skip' && a.description)?.description ?? t.annotations.find((a) => a.type === 'mailcanary.skip')?.description;
  return r?.trim() || 'no reason given';
}

/** `[LAB] skipped or unknown (2):` and one line per such test with its reason; nothing when none was skipped. */
export function skippedLines(tests: readonly DemoTest[]): string[] {
  const skipped = tests.filter((t) => t.status === 'skipped');
  if (!skipped.length) return [];
  return [`[LAB] skipped or unknown (${skipped.length}), each with its reason:`, ...skipped.map((t) => `  - ${t.fullTitle}: ${skipReason(t)}`)];
}

/** `[LAB] warnings (6), each with its fix:` and one line per check that passed with a warning. */
export function warnedLines(tests: readonly DemoTest[]): string[] {
  return warningLines(
    tests.map((t) => ({ title: t.fullTitle, annotations: t.annotations })),
    '[LAB] warnings',
  );
}

export interface DemoOutcomeInput {
  /** the scenario check, when the scenario says what it shows */
  shows?: ShowsCheck;
  /** exit status of the Playwright run */
  suiteStatus: number;
  /** exit status of the closing server-log reading */
  serverLogStatus: number;
  tests: readonly DemoTest[];
}

export function demoOutcome(input: DemoOutcomeInput): { code: number; lines: string[] } {
  const lines: string[] = [];
  let code: number;
  if (input.shows) {
    code = input.shows.ok ? 0 : 1;
    const failed = input.tests.some((t) => t.status !== 'passed' && t.status !== 'skipped');
    // every test passed, yet the suite is red: the regression gate or a reporter failed the run
    if (input.shows.ok && !failed && input.suiteStatus !== 0) {
      code = input.suiteStatus;
      lines.push(`[LAB] every test passed or was skipped, but the suite exited ${input.suiteStatus} (see the gate's and reporters' lines above)`);
    }
    lines.push(
      code === 0
        ? `[LAB] exit 0: the run showed what the scenario says${failed ? ` (the suite itself exited ${input.suiteStatus} for the expected failures)` : ''}`
        : `[LAB] exit ${code}: the run did not show what the scenario says`,
    );
  } else {
    code = input.suiteStatus;
    lines.push(`[LAB] this scenario names no expected failures: exit ${code}, the suite's own status`);
  }
  if (input.serverLogStatus !== 0) {
    code = code || 1;
    lines.push(`[LAB] npm run server-log exited ${input.serverLogStatus}: exit ${code}`);
  }
  return { code, lines };
}
