import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import type { Locator } from '@playwright/test';
import { HistoryStore } from '../../src/record/store.ts';
import { writeReport } from '../../src/report/write.ts';
import { dkimFailRun } from '../fixtures/record/failed-cells.ts';
import { readingRun } from '../fixtures/record/placements.ts';
import { chromiumPerFile } from './report-support.ts';

/**
 * The report in Debian's Chromium on a run whose failures hide behind good placements: a test
 * that failed on dkim=fail with its message in the inbox is a red-framed cell that says so, the
 * drill-down says why a message was spam and numbers its hops 1..n, a trend of one day spans the
 * day before to the day after, and at 390 px every check's summary and fix and every placement
 * count is on the screen while 1440 px keeps the tables as tables.
 */
const T0 = Date.parse('2026-11-01T02:00:00Z');
const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-report-cells-'));
const store = HistoryStore.open(path.join(dir, 'h.sqlite'));
const focus = dkimFailRun(T0);
// a second run two hours later on the same UTC day: the trend still has one point per provider
const later = readingRun(3, { t0: T0 + 7_200_000 });
later.run.runId = 'mc003b';
for (const m of [...later.messages, ...later.checks]) m.runId = 'mc003b';
store.writeRun(focus);
store.writeRun(later);
const file = writeReport(store, path.join(dir, 'index.html'), { runId: focus.run.runId, now: T0 + 4 * 86_400_000 }).file;
store.close();
const url = pathToFileURL(file).href;

const browser = chromiumPerFile();

async function box(l: Locator) {
  const b = await l.boundingBox();
  expect(b, 'the element is laid out').not.toBeNull();
  return b!;
}

test('a failed test with its message in the inbox is a red-framed cell naming what failed; why and hops in the drill-down', async () => {
  const page = await browser().newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await expect(page.locator('html[data-ready="1"]')).toBeAttached();
  const cell = page.locator('#matrix td.cell[data-seed="tonline"][data-variant="plain"]');
  await expect(cell).toHaveClass(/failed-cell/);
  await expect(cell.locator('.unexpected')).toHaveText('✗ dkim=fail dmarc=fail');
  expect(await cell.evaluate((e) => getComputedStyle(e).boxShadow)).toContain('rgb(139, 0, 0)');
  // a passed cell of the same placement has no frame
  const fine = page.locator('#matrix td.cell[data-seed="tonline"][data-variant="html-with-link"]');
  expect(await fine.evaluate((e) => getComputedStyle(e).boxShadow)).toBe('none');
  await expect(page.locator('#summary-table tr[data-provider="tonline"] td').first()).toHaveText('1 of 2 · 50 %');

  await page.locator('#matrix td.cell[data-seed="gmx"][data-variant="html-with-link"] button.open').click();
  await expect(page.locator('#drill h2')).toHaveText('Message gmx / html-with-link');
  await expect(page.locator('#drill tr[data-key="why"] li')).toHaveText([
    'X-UI-Filterresults: junk, level 10 (junk:10;V03:K0:lab-suspicious-tld;mailcanary-lab)',
  ]);
  const hops = page.locator('#drill table.hops tbody tr');
  expect(await hops.evaluateAll((rows) => (rows as HTMLTableRowElement[]).map((r) => r.cells[0].textContent))).toEqual(['1', '2']);
  // the field positions stay readable, in their own column (the GMX verdict field sits above the hops)
  expect(await hops.evaluateAll((rows) => (rows as HTMLTableRowElement[]).map((r) => r.cells[r.cells.length - 1].textContent))).toEqual(['field 5', 'field 6']);

  await page.locator('#matrix td.cell[data-seed="tonline"][data-variant="plain"] button.open').click();
  await expect(page.locator('#drill tr[data-key="test failed"] td')).toHaveText('dkim=fail dmarc=fail');
  await page.close();
});

test('a trend of one UTC day spans the day before to the day after', async () => {
  const page = await browser().newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await expect(page.locator('html[data-ready="1"]')).toBeAttached();
  const chart = page.locator('#trends .chart[data-provider="gmail"]');
  await expect(chart.locator('canvas').first()).toBeAttached();
  // both runs are on 2026-11-04
  await expect(chart).toHaveAttribute('data-x-range', '2026-11-03/2026-11-05');
  await page.close();
});

test('at 390 px every check summary and fix and every placement count is on the screen; 1440 px keeps the tables', async ({}, testInfo) => {
  const page = await browser().newPage({ viewport: { width: 390, height: 900 } });
  await page.goto(url);
  await expect(page.locator('html[data-ready="1"]')).toBeAttached();
  await testInfo.attach('report-cells-390px.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  const inView = async (l: Locator, what: string) => {
    const b = await box(l);
    expect(b.x, `${what} starts on the screen`).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width, `${what} ends on the screen`).toBeLessThanOrEqual(390);
    expect(b.width, `${what} is wide enough to read`).toBeGreaterThan(150);
  };
  const rows = page.locator('#dns table.checks tbody tr');
  const n = await rows.count();
  expect(n).toBe(8);
  for (let i = 0; i < n; i++) await inView(rows.nth(i).locator('td.summary-cell'), `check ${i + 1}: summary`);
  // the stacked cells name their columns, the table head is out of the way
  expect(
    await rows
      .first()
      .locator('td.summary-cell')
      .evaluate((e) => getComputedStyle(e, '::before').content),
  ).toBe('"summary"');
  await expect(page.locator('#dns table.checks thead')).toBeHidden();
  // the one check of the fixture with a fix (the others have none: their empty cell takes no room)
  const fix = page.locator('#dns table.checks tbody td.fix-cell:not(.empty)');
  await expect(fix).toHaveCount(1);
  await inView(fix, 'the check with a fix: how to fix');
  await expect(fix).toContainText('publish the policy file');
  for (const c of await page.locator('#summary-table tbody td').all()) {
    const b = await box(c);
    expect(b.x + b.width, `summary cell ${await c.getAttribute('data-label')}`).toBeLessThanOrEqual(390);
  }
  await expect(page.locator('#summary-table tr[data-provider="gmx"] td[data-class="spam"]')).toContainText('1 · 50 %');

  await page.setViewportSize({ width: 1440, height: 900 });
  const first = rows.first();
  expect(await first.locator('td.summary-cell').evaluate((e) => getComputedStyle(e).display)).toBe('table-cell');
  const [sum, fx] = [await box(first.locator('td.summary-cell')), await box(first.locator('td.fix-cell'))];
  expect(fx.y, 'summary and fix share one table row').toBe(sum.y);
  expect(await page.locator('#summary-table thead').evaluate((e) => getComputedStyle(e).display)).toBe('table-header-group');
  await page.close();
});
