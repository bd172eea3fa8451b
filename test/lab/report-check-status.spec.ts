import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { fakeResolver } from '../support/fake-resolver.ts';
import { runPostureChecks } from '../../src/posture/run.ts';
import { collectRun } from '../../src/record/from-results.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { writeReport } from '../../src/report/write.ts';
import { healthyConfig, healthyMtaSts, zoneWithUnhandledMx } from '../fixtures/posture/zones.ts';
import { checkTestResult, sendResult } from '../fixtures/record/results.ts';
import { launchChromium } from './report-support.ts';

/**
 * In a real browser, every check status reads without colour (icon and word), and a check that
 * threw shows `error` with its message and stack as text, apart from `unknown`.
 */
const T0 = Date.parse('2026-01-14T10:00:00Z');
const EVIL = '<img src=x onerror="window.__pwned=1">';

test('check statuses show icon and word; an error shows its message and stack as text', async () => {
  const bad = zoneWithUnhandledMx(
    {
      trim: () => {
        throw new TypeError(`bad exchange ${EVIL}`);
      },
    },
    { '_dmarc.canary.test': null },
  );
  const checks = await runPostureChecks(healthyConfig(), fakeResolver(bad, { fail: (n) => (n === '_smtp._tls.canary.test' ? 'ESERVFAIL' : undefined) }), {
    fetchMtaSts: healthyMtaSts,
  });
  const byId = (id: string) => checks.find((c) => c.id === id)!;
  expect(byId('mx').status).toBe('error');
  expect(byId('tls-rpt').status).toBe('unknown');
  expect(byId('dmarc').status).toBe('fail');
  expect(byId('spf').status).toBe('pass');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-report-status-'));
  const store = HistoryStore.open(path.join(dir, 'h.sqlite'));
  store.writeRun(collectRun([sendResult('mcs', T0), ...checks.map(checkTestResult)], { startedAt: T0, finishedAt: T0, status: 'failed' }).bundle!);
  const file = writeReport(store, path.join(dir, 'report.html')).file;
  store.close();

  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    await expect(page.locator('html[data-ready="1"]')).toBeAttached();
    const row = (title: string) => page.locator('#dns table.checks tr').filter({ hasText: title });

    const mx = row(byId('mx').title);
    await expect(mx.locator('span.status')).toHaveText('⚠ error');
    await expect(mx.locator('span.status')).toHaveAttribute('data-status', 'error');
    await expect(mx).toContainText(`mailcanary bug: the mx check threw TypeError: bad exchange ${EVIL}`);
    await expect(mx.locator('pre.stack')).toContainText(/checkMx \(src\/posture\/checks\/mx\.ts:\d+:\d+\)/);
    await expect(mx).toContainText('not a verdict on your setup');

    await expect(row(byId('tls-rpt').title).locator('span.status')).toHaveText('? unknown');
    await expect(row(byId('dmarc').title).locator('span.status')).toHaveText('✗ fail');
    await expect(row(byId('spf').title).locator('span.status')).toHaveText('✓ pass');
    // the error stands out from unknown without colour too: its own icon and word, its own look
    const look = async (title: string) =>
      row(title)
        .locator('span.status')
        .evaluate((e) => getComputedStyle(e).backgroundImage + getComputedStyle(e).backgroundColor + getComputedStyle(e).fontWeight);
    expect(await look(byId('mx').title)).not.toBe(await look(byId('tls-rpt').title));

    // the history strip names the status in its tooltip
    const strip = page
      .locator('#dns table.dns-history tr')
      .filter({ hasText: byId('mx').title })
      .locator('.strip span');
    await expect(strip).toHaveAttribute('title', /: ⚠ error$/);
    await expect(strip).toHaveAttribute('data-status', 'error');

    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('#app img').count()).toBe(0);
  } finally {
    await browser.close();
  }
});
