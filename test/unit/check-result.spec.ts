import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

/**
 * The suites' `reportCheck` decides a check test's outcome. Its effect (failed, skipped) is only
 * visible from outside the run, so a small Playwright run of test/fixtures/check-result is
 * started and its JSON report read.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('@playwright/test/package.json')), 'cli.js');

interface JsonTest {
  status: string;
  annotations: Array<{ type: string; description?: string }>;
  results: Array<{ status: string; errors: Array<{ message?: string }>; annotations?: Array<{ type: string; description?: string }> }>;
}
interface JsonSpec {
  title: string;
  tests: JsonTest[];
}

function runFixture(): Map<string, JsonTest> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'mc-check-result-'));
  const report = path.join(out, 'report.json');
  // the nested run must not think it is a worker of this one
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEST_|PW_|PLAYWRIGHT_)/.test(k)));
  const r = spawnSync(process.execPath, [cli, 'test', '-c', 'test/fixtures/check-result/playwright.config.ts'], {
    cwd: root,
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: report, MC_FIXTURE_OUT: path.join(out, 'results') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  // two tests fail (error, fail): the run exits 1; anything else means it did not run
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(1);
  const json = JSON.parse(readFileSync(report, 'utf8')) as { suites: Array<{ specs: JsonSpec[] }> };
  return new Map(json.suites.flatMap((s) => s.specs).map((s) => [s.title, s.tests[0]]));
}

test('error fails the test with the exception and where it was thrown; unknown skips; pass passes; fail fails', async () => {
  test.setTimeout(90_000);
  const t = runFixture();
  expect([...t.keys()].sort()).toEqual(['error', 'fail', 'pass', 'unknown']);

  const error = t.get('error')!;
  expect(error.results[0].status).toBe('failed');
  const message = error.results[0].errors
    .map((e) => e.message ?? '')
    .join('\n')
    // eslint-disable-next-line no-control-regex -- removes the terminal colour codes
    .replace(/\u001b\[[0-9;]*m/g, '');
  expect(message).toMatch(/mailcanary bug: the mx check threw TypeError: .+ \(at src\/shared\/dns\/names\.ts:\d+:\d+\)/);
  expect(message).toMatch(/\nthrown from:\n {2}normalizeDomain \(src\/shared\/dns\/names\.ts:\d+:\d+\)\n/);
  expect(message).toMatch(/\n {2}checkMx \(src\/posture\/checks\/mx\.ts:\d+:\d+\)\n/);
  expect(message).toContain('not a verdict on your setup');
  // our text carries no absolute path (the runner's own stack of the failed expect follows it)
  expect(message.split('expect(received)')[0]).not.toContain(root);
  const annotations = [...error.annotations, ...(error.results[0].annotations ?? [])];
  expect(annotations.find((a) => a.type === 'error')?.description).toContain('TypeError');
  expect(annotations.some((a) => a.type === 'skip')).toBe(false);

  const unknown = t.get('unknown')!;
  expect(unknown.results[0].status).toBe('skipped');
  const skipAnn = [...unknown.annotations, ...(unknown.results[0].annotations ?? [])].find((a) => a.type === 'skip');
  expect(skipAnn?.description).toMatch(/^unknown: .*DNS error ESERVFAIL/);

  expect(t.get('pass')!.results[0].status).toBe('passed');
  const fail = t.get('fail')!;
  expect(fail.results[0].status).toBe('failed');
  expect(fail.results[0].errors.map((e) => e.message ?? '').join('\n')).toContain('Fix:');
  // the check's words only: not Playwright's `expect(received).not.toBe(expected)` around them
  const failText = fail.results[0].errors.map((e) => `${e.message ?? ''}\n${(e as { stack?: string }).stack ?? ''}`).join('\n');
  expect(failText).not.toContain('expect(received)');
  expect(failText).not.toContain('Object.is equality');
});
