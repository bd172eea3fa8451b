import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { labPaths, labTopology } from '../../lab/index.ts';
import { runUserSuite } from './support.ts';
import { launchChromium } from './report-support.ts';

/**
 * A wrong BOUNCE_IMAP_PASS against the lab's Dovecot: the run still gives every verdict, but it
 * says, once and clearly, that bounces were not watched: a warning on every placement test that
 * waited, one line in the summary, one line in the report's header. The refused password is not
 * tried again test after test, and appears nowhere.
 */
const WRONG = 'mc-Wrong-Bounce-7d41c0aa';

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test('wrong BOUNCE_IMAP_PASS: every placement test carries the warning, the summary and the report say it once', async () => {
  test.setTimeout(170_000);
  const log = labPaths(labTopology().stateDir).dovecotLog;
  const logStart = existsSync(log) ? statSync(log).size : 0;
  const out = mkdtempSync(path.join(os.tmpdir(), 'mc-bounce-lab-'));
  const run = await runUserSuite({
    env: {
      BOUNCE_IMAP_PASS: WRONG,
      MAILCANARY_VARIANTS: 'plain',
      MAILCANARY_HISTORY: path.join(out, 'history.sqlite'),
      MAILCANARY_REPORT_DIR: path.join(out, 'report'),
      MAILCANARY_GATE: 'off',
    },
    args: ['--project=send', '--project=placement', '--workers=2', '--reporter=json,line,./reporters/summary-reporter.ts,./reporters/placement-reporter.ts'],
    timeoutMs: 150_000,
  });
  // the verdicts are those of a healthy lab: bounce watching is a helper, its failure fails no test
  expect(run.code, run.output).toBe(0);
  const placement = run.tests.filter((t) => t.annotations.some((a) => a.type === 'mailcanary.plan'));
  expect(placement.length).toBe(5);
  const expected =
    /^bounce watching is off: the bounce mailbox monitor@canary\.test at 127\.0\.0\.1:\d+ refused the login with BOUNCE_IMAP_USER and BOUNCE_IMAP_PASS \(AUTHENTICATIONFAILED: Authentication failed\.\); it is not tried again with this password in this run\. Fix: set BOUNCE_IMAP_USER and BOUNCE_IMAP_PASS to the login of the mailbox that receives the bounces for monitor@canary\.test, or BOUNCE_WATCH=false/;
  for (const t of placement) {
    // (the JSON report lists a test's runtime annotations with the test and with its result)
    const warnings = new Set(
      t.annotations.filter((a) => a.type === 'warning' && a.description?.startsWith('bounce watching is off')).map((a) => a.description),
    );
    expect([...warnings], t.fullTitle).toEqual([expect.stringMatching(expected)]);
  }
  const warning = placement[0].annotations.find((a) => a.type === 'warning')!.description!;
  // one line in the summary for the whole run, before the closing count
  expect(run.output.split('\n').filter((l) => l.includes('bounce watching is off'))).toEqual([`mailcanary: warning: ${warning}`]);
  expect(run.output).toMatch(/mailcanary: warning: bounce watching is off[^\n]*\n+\d+ passed, 0 failed/);

  // Dovecot saw one refused login per worker at most, not one per test
  const refused = readFileSync(log, 'utf8')
    .slice(logStart)
    .split('\n')
    .filter((l) => l.includes('monitor@canary.test') && /mismatch/i.test(l));
  expect(refused.length).toBeGreaterThanOrEqual(1);
  expect(refused.length).toBeLessThanOrEqual(2);
  test.info().annotations.push({
    type: 'figures',
    description: `${placement.length} placement tests on 2 workers, ${refused.length} refused login(s) at Dovecot, run ${run.ms} ms`,
  });

  // the report's header carries the same line
  const report = path.join(out, 'report', 'index.html');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(report).href);
    await expect(page.locator('header #run-notices li')).toHaveText([warning]);
  } finally {
    await browser.close();
  }

  // the wrong password is nowhere: not in the output, the results, the state folder or the report
  expect(run.output).not.toContain(WRONG);
  const root = path.dirname(run.stateDir);
  for (const f of [...files(root), ...files(out)]) expect(readFileSync(f).includes(WRONG), f).toBe(false);
});
