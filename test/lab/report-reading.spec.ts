import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { HistoryStore } from '../../src/record/store.ts';
import { writeReport } from '../../src/report/write.ts';
import { readingHistory } from '../fixtures/record/placements.ts';
import { launchChromium } from './report-support.ts';

/**
 * The report read as a mail admin reads it, in Debian's Chromium: at 1440 px and at 390 px (a
 * phone) the page is no wider than the screen, an accessibility audit (axe-core, WCAG 2.2 A/AA
 * rules) finds nothing serious or critical, the static HTML answers without JavaScript, and
 * choosing another run or following a deep link changes every section.
 */
const T0 = Date.parse('2026-11-01T02:00:00Z');
const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-report-reading-'));
const store = HistoryStore.open(path.join(dir, 'h.sqlite'));
for (const b of readingHistory(T0, 30)) store.writeRun(b);
const file = writeReport(store, path.join(dir, 'index.html'), { runId: 'mc029', now: T0 + 31 * 86_400_000 }).file;
store.close();
const url = pathToFileURL(file).href;

async function audit(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join('; ')}`,
    );
}

test('at 1440 px and 390 px: no horizontal overflow, no serious or critical accessibility violation', async ({}, testInfo) => {
  const browser = await launchChromium();
  try {
    for (const width of [1440, 390]) {
      // axe-core runs its frames through the context (it needs one made with newContext)
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}#run=mc029&seed=tonline&variant=plain`);
      await expect(page.locator('html[data-ready="1"]')).toBeAttached();
      await expect(page.locator('#drill')).toBeVisible();
      await testInfo.attach(`report-${width}px.png`, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
      const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth }));
      expect(widths.doc, `page is ${widths.doc} px wide in a ${width} px window`).toBeLessThanOrEqual(widths.view);
      expect(widths.body).toBeLessThanOrEqual(widths.view);
      expect(await audit(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});

test('summary first: counts and shares per provider, Gmail tabs as their own class, changes since the baseline', async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await expect(page.locator('html[data-ready="1"]')).toBeAttached();
    const first = await page.locator('#run-view > section').first().getAttribute('id');
    expect(first).toBe('summary');
    const gmail = page.locator('#summary-table tr[data-provider="gmail"]');
    await expect(gmail.locator('td[data-class="inbox:promotions"]')).toContainText('2 · 50 %');
    await expect(gmail.locator('td[data-class="inbox:updates"]')).toContainText('1 · 25 %');
    // gmail-news counts Promotions as a regression: 3 of 4 as expected
    await expect(gmail.locator('td').first()).toContainText('3 of 4 · 75 %');
    const tonline = page.locator('#summary-table tr[data-provider="tonline"]');
    await expect(tonline.locator('td[data-class="bounced"]')).toContainText('2 · 100 %');
    // the cell names the tab, the reason and the change since the baseline
    const cell = (seed: string, variant: string) => page.locator(`#matrix td.cell[data-seed="${seed}"][data-variant="${variant}"]`);
    await expect(cell('gmail-main', 'html-with-link')).toHaveAttribute('data-class', 'inbox:promotions');
    await expect(cell('gmail-main', 'html-with-link')).toContainText('Promotions tab');
    await expect(cell('gmail-main', 'html-with-link').locator('.was')).toHaveText('was inbox');
    await expect(cell('tonline', 'plain').locator('.reason')).toContainText('554 5.7.1 (badreputation): IP=203.0.113.5 - None/bad reputation (NOWL)');
    await expect(cell('tonline', 'plain').locator('.reason')).not.toContainText('5.7.1 554 5.7.1');
    await expect(cell('office', 'plain').locator('.reason')).toContainText('login refused: AUTHENTICATIONFAILED');
    await expect(cell('blackhole', 'plain')).not.toHaveClass(/unexpected-cell/);
    // a long gate line is cut at a word, the whole text one click away
    const line = page.locator('#gate .regressions li').first();
    await expect(line.locator('summary')).toHaveText(/ fill in…$/);
    await line.locator('summary').click();
    await expect(line.locator('.whole')).toContainText('on the Telekom postmaster page)');
    // checks: failures, then warnings, then the rest
    const order = await page.locator('#dns table.checks tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(order).toEqual(['fail', 'warn', 'unknown', 'pass', 'pass', 'pass', 'pass', 'pass']);
  } finally {
    await browser.close();
  }
});

test('one chosen run drives header, summary, regressions, matrix and checks; deep links name run, seed and message', async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await expect(page.locator('html[data-ready="1"]')).toBeAttached();
    await expect(page.locator('#run-line')).toContainText('run mc029');
    await page.selectOption('#f-run', { label: (await page.locator('#f-run option', { hasText: '· mc010' }).textContent())! });
    await expect(page.locator('#run-line')).toContainText('run mc010');
    expect(page.url()).toContain('#run=mc010');
    await expect(page.locator('#summary caption')).toContainText('run mc010');
    await expect(page.locator('#gate')).toContainText('None.');
    await expect(page.locator('#matrix td.cell[data-seed="tonline"][data-variant="plain"]')).toHaveAttribute('data-class', 'inbox');
    await expect(page.locator('#dns table.checks tbody tr').first()).toHaveAttribute('data-status', 'warn');
    // lab runs keep their own strips, never mixed into the real ones
    await expect(page.locator('#trends h3')).toHaveText(['Real runs', 'Lab runs (simulated providers)LAB']);

    // a deep link to another run and a seed
    await page.goto(`${url}#run=lab029&seed=gmx`);
    await expect(page.locator('#lab-banner')).toContainText('LAB RUN');
    await expect(page.locator('#run-line')).toContainText('run lab029');
    await expect(page.locator('#matrix td.cell.target[data-seed="gmx"]')).toHaveCount(2);
    // and to one message of the run shown in full: its evidence opens
    await page.goto(`${url}#run=mc029&seed=gmx&variant=html-with-link`);
    await page.reload();
    await expect(page.locator('#drill h2')).toHaveText('Message gmx / html-with-link');
    await expect(page.locator('#drill')).toContainText('#run=mc029&seed=gmx&variant=html-with-link');
    // keyboard: a cell's button opens its evidence
    await page.locator('#matrix td.cell[data-seed="outlook"][data-variant="plain"] button.open').focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#drill h2')).toHaveText('Message outlook / plain');
  } finally {
    await browser.close();
  }
});

test('without JavaScript the summary, the regressions, the matrix and the checks are there', async () => {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    await expect(page.locator('html[data-ready="1"]')).toHaveCount(0);
    await expect(page.locator('#summary-table tr.total')).toContainText('all providers');
    await expect(page.locator('#gate .regressions li')).toHaveCount(2);
    await expect(page.locator('#matrix tbody tr[data-seed]')).toHaveCount(7);
    await expect(page.locator('#matrix td.cell[data-seed="tonline"][data-variant="plain"]')).toContainText('bounced');
    await expect(page.locator('#dns table.checks tbody tr').first()).toContainText('✗ fail');
    await expect(page.locator('#page-header')).toContainText('run mc029');
  } finally {
    await browser.close();
  }
});
