import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { fakeResolver } from '../support/fake-resolver.ts';
import { runPostureChecks } from '../../src/posture/run.ts';
import type { CheckResult } from '../../src/posture/types.ts';
import { collectRun } from '../../src/record/from-results.ts';
import { exportJsonl, importJsonl } from '../../src/record/jsonl.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { buildReportData } from '../../src/report/data.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { healthyConfig, healthyMtaSts, zoneWithUnhandledMx } from '../fixtures/posture/zones.ts';
import { checkTestResult, sendResult } from '../fixtures/record/results.ts';

/**
 * A check that threw, from the posture runner through the history (SQLite and JSON lines) to the
 * report: it stays `error`, with its message and stack, everywhere.
 */
const T0 = Date.parse('2026-01-14T10:00:00Z');
const EVIL = '</script><img src=x onerror="window.__pwned=1">';

async function erroredMx(): Promise<CheckResult> {
  // an MX answer the code does not handle: checkMx throws a TypeError whose message we control
  const z = zoneWithUnhandledMx({
    trim: () => {
      throw new TypeError(`bad exchange ${EVIL}`);
    },
  });
  const results = await runPostureChecks(healthyConfig(), fakeResolver(z), { fetchMtaSts: healthyMtaSts });
  return results.find((r) => r.id === 'mx')!;
}

test('an `error` check is stored as error with its message and stack, and survives export and import', async () => {
  const mx = await erroredMx();
  expect(mx.status).toBe('error');
  const bundle = collectRun([sendResult('mc1', T0), checkTestResult(mx)], { startedAt: T0, finishedAt: T0, status: 'failed' }).bundle!;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-check-error-'));
  const a = HistoryStore.open(path.join(dir, 'a.sqlite'));
  a.writeRun(bundle);
  const stored = a.bundle('mc1')!.checks.find((c) => c.title === mx.title)!;
  expect(stored.status).toBe('error');
  expect(stored.summary).toContain(`TypeError: bad exchange ${EVIL}`);
  expect(stored.details).toMatchObject({
    error: { check: 'mx', name: 'TypeError', where: expect.stringMatching(/^test\/unit\/check-error-history\.spec\.ts:\d+:\d+$/) },
  });
  expect(a.checkSummaries({}).map((c) => c.status)).toEqual(['error']);

  const file = path.join(dir, 'h.jsonl');
  await exportJsonl(a, file);
  const b = HistoryStore.open(path.join(dir, 'b.sqlite'));
  expect(await importJsonl(b, file)).toEqual({ runs: 1 });
  expect(b.bundle('mc1')!.checks).toEqual(a.bundle('mc1')!.checks);
  a.close();
  b.close();
});

test('the report carries `error` as its own status, escaped, next to unknown', async () => {
  const mx = await erroredMx();
  const unknown: CheckResult = { id: 'dmarc', title: 'dmarc › canary.test', target: 'canary.test', status: 'unknown', summary: 'DNS timeout' };
  const store = HistoryStore.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-check-error-')), 'h.sqlite'));
  store.writeRun(
    collectRun([sendResult('mc1', T0), checkTestResult(mx), checkTestResult(unknown)], { startedAt: T0, finishedAt: T0, status: 'failed' }).bundle!,
  );
  const data = buildReportData(store, { now: T0 });
  store.close();
  expect(data.checkStatuses).toEqual(['pass', 'warn', 'fail', 'unknown', 'error']);
  const statusOf = (title: string) => {
    for (let i = 0; i < data.checks.length; i += 3) if (data.checkTitles[data.checks[i + 1]] === title) return data.checkStatuses[data.checks[i + 2]];
    return undefined;
  };
  expect(statusOf(mx.title)).toBe('error');
  expect(statusOf('dmarc › canary.test')).toBe('unknown');
  expect(data.focus?.checks.find((c) => c.title === mx.title)).toMatchObject({ status: 'error', details: { error: { name: 'TypeError' } } });

  const html = renderReportHtml(data, { nonce: 'N' });
  // the client draws error with its own class and icon; the hostile message stays inside the JSON block
  expect(html).toContain('.s-error');
  expect(html).toMatch(/error: '\\u26a0'/);
  expect(html).not.toContain('onerror="window');
  expect(html).not.toContain('</script><img');
});
