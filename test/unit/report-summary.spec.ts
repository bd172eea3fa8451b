import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { FullConfig, FullResult, Reporter, Suite } from '@playwright/test/reporter';
import PlacementReporter from '../../reporters/placement-reporter.ts';
import SummaryReporter from '../../reporters/summary-reporter.ts';
import type { ResultInput } from '../../src/record/from-results.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { buildReportData } from '../../src/report/data.ts';
import { checkResult, fakeCase, placementResult, sendResult, skippedPlacement, withEnvAndLogs } from '../fixtures/record/results.ts';

/**
 * The reporters of `playwright.config.ts` (placement, then summary) on one run: a run that tested
 * no seed fails with one line naming the unset variables, and a bounce mailbox that was not watched
 * is reported once for the run, in the summary and in the recorded run (the report's header).
 */
async function runReporters(results: ResultInput[], opts: { env?: Record<string, string>; status?: FullResult['status']; shard?: FullConfig['shard'] } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-summary-'));
  const env = {
    MAILCANARY_HISTORY: path.join(dir, 'h.sqlite'),
    MAILCANARY_REPORT_DIR: path.join(dir, 'report'),
    MAILCANARY_WEBHOOK_URL: '',
    MAILCANARY_GATE: 'off',
    ...opts.env,
  };
  const { value: status, logs } = await withEnvAndLogs(env, async () => {
    const reporters: Reporter[] = [new PlacementReporter({ now: () => T0 + 3_600_000 }), new SummaryReporter()];
    const suite = { allTests: () => results.map((r, i) => fakeCase(r, i)[0]) } as unknown as Suite;
    for (const rep of reporters) rep.onBegin?.({ shard: opts.shard ?? null } as FullConfig, suite);
    results.forEach((r, i) => reporters.forEach((rep) => rep.onTestEnd?.(...fakeCase(r, i))));
    // as Playwright's multiplexer: a reporter's returned status is what the next one sees
    const result = { status: opts.status ?? 'passed' } as FullResult;
    for (const rep of reporters) {
      const out = await rep.onEnd?.(result);
      if (out && out.status) result.status = out.status;
    }
    return result.status;
  });
  return { status, lines: logs.join('\n').split('\n').filter(Boolean), history: env.MAILCANARY_HISTORY };
}

const T0 = Date.parse('2031-05-05T00:00:00Z');
const BOUNCE_OFF =
  'bounce watching is off: the bounce mailbox monitor@example.org at imap.example.org:993 refused the login with BOUNCE_IMAP_USER and BOUNCE_IMAP_PASS (AUTHENTICATIONFAILED: Authentication failed.); it is not tried again with this password in this run. Fix: set BOUNCE_IMAP_USER and BOUNCE_IMAP_PASS to the login of the mailbox that receives the bounces for monitor@example.org, or BOUNCE_WATCH=false to run without bounce watching';

test('every placement test skipped: the run fails with one line naming the unset variables', async () => {
  const r = await runReporters([
    sendResult('mc1', T0, false),
    skippedPlacement('gmail', 'plain', ['SEED_GMAIL_PASSWORD']),
    skippedPlacement('gmail', 'html-with-link', ['SEED_GMAIL_PASSWORD']),
    skippedPlacement('gmx', 'plain', ['SEED_GMX_PASSWORD']),
  ]);
  expect(r.status).toBe('failed');
  const line =
    'mailcanary: no seed was tested: SEED_GMAIL_PASSWORD, SEED_GMX_PASSWORD are not set (seeds gmail, gmx skipped); set them in .env or as CI secrets under the names the seeds file gives (imap.passwordEnv)';
  expect(r.lines.filter((l) => l.includes('no seed was tested'))).toEqual([line]);
  expect(r.lines.at(-1)).toBe('1 passed, 0 failed, 3 skipped');
  // the recorded run is failed too, and its report says why
  const store = HistoryStore.open(r.history, { readOnly: true });
  expect(store.run('mc1')).toMatchObject({ status: 'failed', notices: [line.replace('mailcanary: ', '')] });
  store.close();
});

test('a run without placement tests (--project=dns) is judged by its own tests; a run that executed none fails', async () => {
  const dns = await runReporters([checkResult('spf › canary.test', 'pass'), checkResult('dmarc › canary.test', 'pass')]);
  expect(dns.status).toBe('passed');
  expect(dns.lines.filter((l) => l.startsWith('mailcanary: no'))).toEqual([]);
  const skippedAll = [checkResult('spf › canary.test', 'pass'), checkResult('dmarc › canary.test', 'pass')].map((c) => ({ ...c, status: 'skipped' }));
  const none = await runReporters(skippedAll);
  expect(none.status).toBe('failed');
  expect(none.lines).toContain('mailcanary: no test was executed: all 2 test(s) were skipped');
  const unknown = skippedAll.map((c, i) => ({ ...c, annotations: [...c.annotations, { type: 'skip', description: `unknown: DNS timeout ${i}` }] }));
  expect((await runReporters(unknown)).lines).toContain(
    'mailcanary: no test was executed: all 2 test(s) were skipped (unknown: DNS timeout 0; unknown: DNS timeout 1)',
  );
  const empty = await runReporters([]);
  expect(empty.status).toBe('failed');
  expect(empty.lines).toContain('mailcanary: no test was executed: the run had no test');
});

test('MAILCANARY_REQUIRE_ALL_SEEDS=true: one skipped seed fails the run; without it the other seeds carry it', async () => {
  const tested = placementResult('mc2', { seedId: 'gmail', variant: 'plain', verdict: 'inbox', lab: false });
  const required = await runReporters([sendResult('mc2', T0, false), tested, skippedPlacement('gmx', 'plain', ['SEED_GMX_PASSWORD'], true)]);
  expect(required.status).toBe('failed');
  expect(required.lines).toContain(
    'mailcanary: MAILCANARY_REQUIRE_ALL_SEEDS=true and a seed was skipped: SEED_GMX_PASSWORD is not set (seed gmx skipped); set them in .env or as CI secrets under the names the seeds file gives (imap.passwordEnv)',
  );
  const relaxed = await runReporters([sendResult('mc3', T0, false), tested, skippedPlacement('gmx', 'plain', ['SEED_GMX_PASSWORD'], false)]);
  expect(relaxed.status).toBe('passed');
  expect(relaxed.lines.filter((l) => l.startsWith('mailcanary: no') || l.includes('REQUIRE_ALL'))).toEqual([]);
});

test('placement tests that never ran (the send step failed): the line says so, the failed run stays failed', async () => {
  const send = { ...sendResult('mc4', T0, false), status: 'failed' };
  const notRun = (seedId: string): ResultInput => ({
    ...skippedPlacement(seedId, 'plain', []),
    annotations: skippedPlacement(seedId, 'plain', []).annotations.filter((a) => a.type === 'mailcanary.plan'),
  });
  const r = await runReporters([send, notRun('gmail'), notRun('gmx')], { status: 'failed' });
  expect(r.status).toBe('failed');
  expect(r.lines).toContain('mailcanary: no seed was tested: 2 placement test(s) did not run (the send step failed or the run was interrupted)');
});

test('on a shard the run is not judged (the merge of all shards is)', async () => {
  const r = await runReporters([sendResult('mc5', T0, false), skippedPlacement('gmx', 'plain', ['SEED_GMX_PASSWORD'])], { shard: { current: 1, total: 2 } });
  expect(r.status).toBe('passed');
  expect(r.lines.filter((l) => l.includes('no seed was tested'))).toEqual([]);
});

test('bounce watching off: one summary line for the whole run, and the recorded run carries it for the report header', async () => {
  const withWarning = (seedId: string, variant: string): ResultInput => {
    const p = placementResult('mc6', { seedId, variant, verdict: 'inbox', lab: false });
    return { ...p, annotations: [...p.annotations, { type: 'warning', description: BOUNCE_OFF }] };
  };
  const r = await runReporters([
    sendResult('mc6', T0, false),
    withWarning('gmail', 'plain'),
    withWarning('gmail', 'html-with-link'),
    withWarning('gmx', 'plain'),
  ]);
  expect(r.status).toBe('passed');
  expect(r.lines.filter((l) => l.includes('bounce watching is off'))).toEqual([`mailcanary: warning: ${BOUNCE_OFF}`]);
  const store = HistoryStore.open(r.history, { readOnly: true });
  expect(store.run('mc6')?.notices).toEqual([BOUNCE_OFF]);
  expect(buildReportData(store).focus?.run.notices).toEqual([BOUNCE_OFF]);
  store.close();
  const html = readFileSync(path.join(path.dirname(r.history), 'report', 'index.html'), 'utf8');
  expect(html).toContain('bounce watching is off: the bounce mailbox monitor@example.org');
});

test('checks that passed with a warning: each listed with its fix above the closing line, the run stays green', async () => {
  const warned = (title: string, summary: string, fix: string): ResultInput => {
    const c = checkResult(title, 'warn', summary);
    const check = { ...JSON.parse(c.annotations[0].description!), fix };
    return {
      ...c,
      annotations: [
        { type: 'mailcanary.check', description: JSON.stringify(check) },
        { type: 'fix', description: fix },
      ],
    };
  };
  const r = await runReporters([
    checkResult('spf › canary.test', 'pass'),
    warned('bimi › canary.test record', 'BIMI record without a VMC', 'get a VMC for Gmail and Apple Mail to show the logo'),
    warned('tld › news.canary-shop.xyz TLD reputation', 'the .xyz TLD is often filtered', 'link a domain under a common TLD'),
  ]);
  expect(r.status).toBe('passed');
  const at = r.lines.indexOf('mailcanary: warnings (2), each with its fix:');
  expect(at).toBeGreaterThanOrEqual(0);
  expect(r.lines.slice(at + 1, at + 3)).toEqual([
    '  - dns posture @dns › bimi › canary.test record: BIMI record without a VMC — fix: get a VMC for Gmail and Apple Mail to show the logo',
    '  - dns posture @dns › tld › news.canary-shop.xyz TLD reputation: the .xyz TLD is often filtered — fix: link a domain under a common TLD',
  ]);
  expect(r.lines.at(-1)).toBe('3 passed, 0 failed');
  // no warned check, no such line
  expect((await runReporters([checkResult('spf › canary.test', 'pass')])).lines.filter((l) => l.includes('warnings ('))).toEqual([]);
});

test('skipped tests: one line per reason with its count above the closing line', async () => {
  const skippedCheck = (title: string, reason?: string): ResultInput => {
    const c = checkResult(title, 'pass');
    return { ...c, status: 'skipped', annotations: [...c.annotations, ...(reason ? [{ type: 'skip', description: reason }] : [])] };
  };
  const r = await runReporters([
    checkResult('spf › canary.test', 'pass'),
    skippedCheck('dmarc › canary.test', 'unknown: DNS timeout'),
    skippedCheck('dmarc › family.test', 'unknown: DNS timeout'),
    skippedCheck('mx › canary.test'),
  ]);
  const at = r.lines.indexOf('mailcanary: skipped (3), each with its reason:');
  expect(at, r.lines.join('\n')).toBeGreaterThanOrEqual(0);
  expect(r.lines.slice(at + 1, at + 3)).toEqual([
    '  - unknown: DNS timeout (2 tests)',
    '  - no reason given (a test it depends on failed, or the run was interrupted) (1 test)',
  ]);
  expect(r.lines.at(-1)).toBe('1 passed, 0 failed, 3 skipped');
});
