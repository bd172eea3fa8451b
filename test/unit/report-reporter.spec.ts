import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { FullConfig, FullResult, Suite } from '@playwright/test/reporter';
import PlacementReporter from '../../reporters/placement-reporter.ts';
import { HistoryStore } from '../../src/record/store.ts';
import type { ResultInput } from '../../src/record/from-results.ts';
import { fakeCase, HEADERS_DKIM_FAIL, checkResult, placementResult, sendResult, withEnvAndLogs } from '../fixtures/record/results.ts';

/** the reporter's clock reads `at` (default: an hour after the fixtures' runs), never the real one */
async function runReporter(results: ResultInput[], env: Record<string, string>, shard: FullConfig['shard'] = null, at = T0 + 3_600_000) {
  const { value, logs } = await withEnvAndLogs(env, async () => {
    const rep = new PlacementReporter({ now: () => at });
    const suite = { allTests: () => results.map((r, i) => fakeCase(r, i)[0]) } as unknown as Suite;
    rep.onBegin({ shard } as FullConfig, suite);
    results.forEach((r, i) => rep.onTestEnd(...fakeCase(r, i)));
    const out = await rep.onEnd({ status: 'passed' } as FullResult);
    return { out, planEnv: process.env.MAILCANARY_SHARD_PLAN };
  });
  return { ...value, logs };
}

const T0 = Date.parse('2026-01-14T10:00:00Z');
const healthy = (id: string, t: number) => [sendResult(id, t), placementResult(id, { seedId: 'lab-gmail', variant: 'plain', verdict: 'inbox' })];

test('records the run, gates against the previous one, writes report and JUnit, fails the run on a regression', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-reporter-'));
  const env = { MAILCANARY_HISTORY: path.join(dir, 'h.sqlite'), MAILCANARY_REPORT_DIR: path.join(dir, 'report'), MAILCANARY_WEBHOOK_URL: '' };
  const first = await runReporter(healthy('mc1', T0), env);
  expect(first.out).toBeUndefined();
  expect(first.logs.join('\n')).toMatch(/no baseline yet/);
  const broken = [
    sendResult('mc2', T0 + 1000),
    placementResult('mc2', { seedId: 'lab-gmail', variant: 'plain', verdict: 'inbox', headers: HEADERS_DKIM_FAIL }),
  ];
  const second = await runReporter(broken, env);
  expect(second.out).toEqual({ status: 'failed' });
  expect(second.logs.join('\n')).toContain('✘ auth: lab-gmail: dkim pass → fail (plain)');
  expect(readFileSync(path.join(dir, 'report', 'gate-junit.xml'), 'utf8')).toMatch(/failures="2"/);
  expect(readFileSync(path.join(dir, 'report', 'index.html'), 'utf8')).toContain('Content-Security-Policy');
  const warn = await runReporter(healthy('mc3', T0 + 2000), { ...env, MAILCANARY_GATE: 'warn' });
  expect(warn.out).toBeUndefined();
  const store = HistoryStore.open(env.MAILCANARY_HISTORY, { readOnly: true });
  expect(store.runs().map((r) => [r.runId, r.gate?.regressions.length])).toEqual([
    ['mc1', 0],
    ['mc2', 2],
    ['mc3', 0],
  ]);
  store.close();
});

test("on a shard it records nothing and plans the shard's sending; MAILCANARY_HISTORY=off disables", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-reporter-'));
  const env = { MAILCANARY_HISTORY: path.join(dir, 'h.sqlite'), MAILCANARY_REPORT_DIR: path.join(dir, 'report') };
  const shard = await runReporter(healthy('mc1', T0), env, { current: 1, total: 2 });
  expect(shard.out).toBeUndefined();
  expect(JSON.parse(shard.planEnv!)).toEqual([{ seedId: 'lab-gmail', variant: 'plain' }]);
  expect(shard.logs.join('\n')).toMatch(/shard 1\/2: history, gate and report are written by/);
  expect(existsSync(env.MAILCANARY_HISTORY)).toBe(false);
  await runReporter(healthy('mc1', T0), { ...env, MAILCANARY_HISTORY: 'off' });
  expect(existsSync(path.join(dir, 'report'))).toBe(false);
});

test('a store that cannot be written fails the run with a clear message', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-reporter-'));
  const r = await runReporter(healthy('mc1', T0), {
    MAILCANARY_HISTORY: path.join(dir, 'h.sqlite'),
    MAILCANARY_RETENTION_DAYS: 'soon',
    MAILCANARY_REPORT_DIR: path.join(dir, 'report'),
  });
  expect(r.out).toEqual({ status: 'failed' });
  expect(r.logs.join('\n')).toMatch(/could not record the run: MAILCANARY_RETENTION_DAYS="soon"/);
});

test("retention counts from the reporter's clock: a run past MAILCANARY_RETENTION_DAYS is removed, newer ones stay", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-reporter-'));
  const env = {
    MAILCANARY_HISTORY: path.join(dir, 'h.sqlite'),
    MAILCANARY_REPORT_DIR: path.join(dir, 'report'),
    MAILCANARY_WEBHOOK_URL: '',
    MAILCANARY_RETENTION_DAYS: '30',
  };
  const DAY = 86_400_000;
  await runReporter(healthy('mc1', T0), env, null, T0 + DAY);
  await runReporter(healthy('mc2', T0 + 20 * DAY), env, null, T0 + 20 * DAY + 60_000);
  const third = await runReporter(healthy('mc3', T0 + 31 * DAY), env, null, T0 + 31 * DAY + 60_000);
  expect(third.logs.join('\n')).toContain('1 run(s) past retention removed');
  const store = HistoryStore.open(env.MAILCANARY_HISTORY, { readOnly: true });
  expect(store.runs().map((r) => r.runId)).toEqual(['mc2', 'mc3']);
  store.close();
  expect(readFileSync(path.join(dir, 'report', 'gate-junit.xml'), 'utf8')).toContain(
    `timestamp="${new Date(T0 + 31 * DAY + 60_000).toISOString().slice(0, 19)}"`,
  );
});

test('a check that threw fails the gate on the first run, with a line naming the check and the message', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-reporter-'));
  const env = { MAILCANARY_HISTORY: path.join(dir, 'h.sqlite'), MAILCANARY_REPORT_DIR: path.join(dir, 'report'), MAILCANARY_WEBHOOK_URL: '' };
  const bug = 'mailcanary bug: the spf check threw TypeError: x is undefined (at src/posture/checks/spf.ts:12:3)';
  const r = await runReporter([...healthy('mc1', T0), checkResult('spf › canary.test', 'error', bug)], env);
  expect(r.out).toEqual({ status: 'failed' });
  const logs = r.logs.join('\n');
  expect(logs).toMatch(/no baseline yet/);
  expect(logs).toContain(`✘ check-error: check spf › canary.test: error: ${bug}`);
  expect(readFileSync(path.join(dir, 'report', 'gate-junit.xml'), 'utf8')).toContain('type="check-error"');
  const store = HistoryStore.open(env.MAILCANARY_HISTORY, { readOnly: true });
  expect(store.bundle('mc1')?.checks.map((c) => c.status)).toEqual(['error']);
  expect(store.run('mc1')?.gate?.regressions).toEqual([`check spf › canary.test: error: ${bug}`]);
  store.close();
});
