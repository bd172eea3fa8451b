/**
 * What a lab scenario is expected to show (scenario.shows) set against a finished run of the
 * user's suite: `npm run demo` prints it, so a scenario run explains its own red tests and says
 * when the lab did not behave as the scenario describes. Pure.
 */
import type { Scenario } from './scenarios.ts';

export interface RunTest {
  fullTitle: string;
  status: string;
}

export interface ShowsCheck {
  /** the run failed exactly the tests the scenario expects to fail */
  ok: boolean;
  lines: string[];
}

const failed = (t: RunTest) => t.status !== 'passed' && t.status !== 'skipped';

export function checkScenarioShows(scenario: Scenario, tests: readonly RunTest[]): ShowsCheck {
  const expected = scenario.shows?.failing ?? [];
  const either = scenario.shows?.mayFail ?? [];
  const why = scenario.shows?.why ?? scenario.description;
  const lines = [`[LAB] scenario ${scenario.name}: ${why}`];
  if (tests.length === 0) return { ok: false, lines: [...lines, '[LAB] no test results to compare: the run ended before any test'] };
  const isExpected = (t: RunTest) => expected.some((re) => re.test(t.fullTitle));
  const isEither = (t: RunTest) => !isExpected(t) && either.some((re) => re.test(t.fullTitle));
  const expectedTests = tests.filter(isExpected);
  const eitherTests = tests.filter(isEither);
  const passedAnyway = expectedTests.filter((t) => !failed(t));
  const unexpected = tests.filter((t) => failed(t) && !isExpected(t) && !isEither(t));
  // the patterns are alternatives (titles with and without a sender): one of them must match
  const unmatched = expected.length > 0 && expectedTests.length === 0;
  if (expected.length === 0) lines.push('[LAB] expected: every test passes or is skipped');
  else lines.push(`[LAB] expected to fail: ${expectedTests.length} test(s), ${expectedTests.length - passedAnyway.length} of them failed:`);
  for (const t of expectedTests) lines.push(`  ${failed(t) ? '✘' : '✓ (expected to fail!)'} ${t.fullTitle}`);
  if (eitherTests.length) {
    lines.push(`[LAB] may fail or pass, depending on the history of earlier runs (${eitherTests.length}):`);
    for (const t of eitherTests) lines.push(`  ${failed(t) ? '✘' : '✓'} ${t.fullTitle}`);
  }
  if (unmatched) lines.push(`[LAB] no test matched ${expected.join(' or ')} (expected to fail): did the run leave out that sender or seed?`);
  if (unexpected.length) {
    lines.push(`[LAB] failed although this scenario does not explain it (${unexpected.length}):`);
    for (const t of unexpected) lines.push(`  ✘ ${t.fullTitle}`);
  }
  const ok = passedAnyway.length === 0 && unexpected.length === 0 && !unmatched;
  const rest =
    expected.length || eitherTests.length ? `the ${tests.length - expectedTests.length - eitherTests.length} other test(s)` : `all ${tests.length} test(s)`;
  lines.push(ok ? `[LAB] as the scenario expects: ${rest} passed or were skipped` : '[LAB] NOT as the scenario expects (see above)');
  return { ok, lines };
}
