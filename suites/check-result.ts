import { expect, test, type TestInfo } from '@playwright/test';
import type { CheckStatus } from '../src/posture/types.ts';

/** What the DNS and server checks return; the fields the suites and reporters rely on. */
export interface ReportableCheck {
  id: string;
  title: string;
  target: string;
  status: CheckStatus;
  summary: string;
  fix?: string;
  warnings?: string[];
  details?: unknown;
}

/** The exception's first frames, as the check runner recorded them (`details.error.stack`). */
function errorFrames(result: ReportableCheck): string[] {
  const d = result.details as { error?: { stack?: unknown } } | undefined;
  const stack = d?.error?.stack;
  return Array.isArray(stack) ? stack.filter((f): f is string => typeof f === 'string') : [];
}

/**
 * Turns one check result into the test's outcome, the same way for every check suite:
 * pass → passes; warn → passes with `warning`/`fix` annotations; unknown (the network or DNS
 * did not answer) → skipped with the reason; fail → fails with what is wrong and the fix;
 * error (the check threw: a bug of mailcanary) → fails with the exception and where it was thrown.
 * The result travels as an attachment and a `mailcanary.check` annotation for the reporters.
 */
export async function reportCheck(result: ReportableCheck & Record<string, unknown>, testInfo: TestInfo, annotation: object = result): Promise<void> {
  testInfo.annotations.push({ type: 'mailcanary.check', description: JSON.stringify(annotation) });
  await testInfo.attach('check', { body: JSON.stringify(result, null, 2), contentType: 'application/json' });
  for (const w of result.warnings ?? []) testInfo.annotations.push({ type: 'warning', description: w });
  if (result.status === 'warn' && result.fix) testInfo.annotations.push({ type: 'fix', description: result.fix });
  if (result.status === 'error') {
    const frames = errorFrames(result);
    // not `at …` lines: the runner would take them for its own stack and rewrite them
    const text = [result.summary, ...(frames.length ? ['thrown from:', ...frames.map((f) => `  ${f}`)] : []), result.fix ?? ''].filter(Boolean).join('\n');
    testInfo.annotations.push({ type: 'error', description: text });
    expect(result.status, text).not.toBe('error');
  }
  if (result.status === 'unknown') {
    testInfo.annotations.push({ type: 'unknown', description: `${result.summary}${result.fix ? ` — ${result.fix}` : ''}` });
    test.skip(true, `unknown: ${result.summary}`);
  }
  if (result.status === 'fail') {
    // the check's own words are the whole message: no matcher boilerplate, no code frame of this file
    const failure = new Error(`${result.summary}\nFix: ${result.fix ?? '(none)'}`);
    failure.stack = failure.message;
    throw failure;
  }
}
