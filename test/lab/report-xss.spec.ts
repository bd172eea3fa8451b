import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { collectRun } from '../../src/record/from-results.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { writeReport } from '../../src/report/write.ts';
import { placementResult, sendResult, checkResult, HEADERS_PASS } from '../fixtures/record/results.ts';
import { BIDI, LONG, readingHistory } from '../fixtures/record/placements.ts';
import { launchChromium } from './report-support.ts';

/**
 * Spam can carry HTML: payloads planted in the Subject, in header fields (Received, Authentication-Results
 * comments, raw headers), in a DSN diagnostic and its advice, and in a DNS check summary must show up
 * as text in the report, and no script may run (no dialog, no global set, no network request).
 */
const PAYLOADS = [
  '<script>window.__pwned="script"</script>',
  '<img src=x onerror="window.__pwned=\'img\'">',
  '"><svg onload=window.__pwned="svg">',
  '</script><script>window.__pwned="break-out"</script>',
];

test('planted <script> and <img onerror> payloads render as text and never run', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-xss-'));
  const store = HistoryStore.open(path.join(dir, 'h.sqlite'));
  const T0 = Date.parse('2026-01-14T10:00:00Z');
  const evilHeaders =
    `Subject: ${PAYLOADS[0]}\r\nX-Evil: ${PAYLOADS[1]}\r\n` +
    HEADERS_PASS.replace('mail.canary.test (mail.canary.test', `${PAYLOADS[2].replace(/[ "]/g, '')} (mail.canary.test`).replace(
      '(p=none arc=none)',
      `(${PAYLOADS[3]})`,
    );
  const bounce = {
    state: 'bounced',
    source: 'dsn',
    receivedAt: T0,
    reason: 'blocked',
    hardBounce: true,
    status: '5.7.1',
    diagnostic: `smtp; 550 5.7.1 ${PAYLOADS[1]} ${PAYLOADS[0]}`,
    remoteMta: PAYLOADS[2],
    advice: [{ id: 'x', provider: 'gmail', reason: 'blocked', meaning: PAYLOADS[3], action: PAYLOADS[0], link: 'javascript:window.__pwned="link"' }],
  };
  const results = [
    sendResult('mcx', T0),
    placementResult('mcx', { seedId: 'lab-gmail', variant: 'plain', verdict: 'inbox', subject: PAYLOADS.join(' '), headers: evilHeaders }),
    placementResult('mcx', { seedId: 'lab-gmail', variant: 'html', verdict: 'bounced', bounce }),
    checkResult(`spf › ${PAYLOADS[1]}`, 'fail', PAYLOADS[0]),
  ];
  store.writeRun(collectRun(results, { startedAt: T0, finishedAt: T0, status: 'failed' }).bundle!);
  const file = writeReport(store, path.join(dir, 'report.html')).file;
  store.close();

  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const requests: string[] = [];
    const cspViolations: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(pathToFileURL(file).href);
    await expect(page.locator('html[data-ready="1"]')).toBeAttached();

    // the message drill-down shows the payloads literally
    await page.locator('td.cell[data-seed="lab-gmail"][data-variant="plain"]').click();
    const drill = page.locator('#drill');
    await expect(drill).toContainText(PAYLOADS[0]);
    await expect(drill.locator('pre.raw')).toContainText(`X-Evil: ${PAYLOADS[1]}`);
    await expect(drill.locator('table.authres')).toContainText(PAYLOADS[3]);
    await page.locator('td.cell[data-seed="lab-gmail"][data-variant="html"]').click();
    await expect(drill).toContainText(`550 5.7.1 ${PAYLOADS[1]}`);
    await expect(drill.locator('table.advice')).toContainText('javascript:window.__pwned');
    await expect(page.locator('#dns')).toContainText(`spf › ${PAYLOADS[1]}`);

    // nothing ran, nothing was injected as markup, nothing was fetched
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('#app img, #app svg, #app script, #app a[href]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    // the page's own script and styles were allowed by the CSP (no violation from our code)
    expect(cspViolations).toEqual([]);

    // defence in depth: even markup that slipped into the document cannot run a script under the CSP
    const blocked = await page.evaluate(async () => {
      const d = document.createElement('div');
      d.innerHTML = '<img src=x onerror="window.__pwned=\'csp\'">';
      document.body.appendChild(d);
      const s = document.createElement('script');
      s.textContent = 'window.__pwned="inline"';
      document.body.appendChild(s);
      await new Promise((r) => setTimeout(r, 200));
      return (window as unknown as { __pwned?: unknown }).__pwned;
    });
    expect(blocked).toBeUndefined();
  } finally {
    await browser.close();
  }
});

/**
 * Text that hides or reorders itself: bidi controls and NUL show as their code points
 * (`⟨U+202E⟩`), and 200,000-character values wrap or are cut instead of widening the page.
 */
test('bidi controls and NUL show as ⟨U+…⟩; 200,000-character strings wrap; a bad date reads "invalid date"', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-xss-bidi-'));
  const store = HistoryStore.open(path.join(dir, 'h.sqlite'));
  const T0 = Date.parse('2026-11-01T02:00:00Z');
  for (const b of readingHistory(T0, 3, { hostile: true })) store.writeRun(b);
  // the subject of a run recorded from results is capped when stored
  store.writeRun(
    collectRun(
      [
        sendResult('mcz', T0 + 3 * 86_400_000, false),
        placementResult('mcz', { seedId: 'gmx', provider: 'gmx', variant: 'plain', verdict: 'inbox', subject: `${BIDI} ${LONG}`, lab: false }),
      ],
      { startedAt: T0, finishedAt: T0, status: 'passed' },
    ).bundle!,
  );
  const capped = store.bundle('mcz')!.messages[0].subject!;
  expect(capped.length).toBeLessThan(1100);
  expect(capped.endsWith(`… [${BIDI.length + 1 + LONG.length} characters]`)).toBe(true);
  const file = writeReport(store, path.join(dir, 'report.html'), { runId: 'mc002' }).file;
  store.close();

  const browser = await launchChromium();
  try {
    for (const width of [1440, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${pathToFileURL(file).href}#run=mc002&seed=gmail-main&variant=plain`);
      await expect(page.locator('html[data-ready="1"]')).toBeAttached();
      const drill = page.locator('#drill');
      await expect(drill).toContainText('invoice⟨U+202E⟩fdp.exe');
      await expect(drill).toContainText('nul⟨U+0000⟩byte');
      await expect(drill.locator('table.hops')).toContainText('invalid date');
      await expect(drill.locator('pre.raw')).toContainText('X-Nul: nul⟨U+0000⟩byte');
      // the subject shown in full detail is capped; the long detail wraps inside the page
      const subject = await drill.locator('table.kv tr', { hasText: 'subject' }).locator('td').textContent();
      expect(subject!.length).toBeLessThan(1100);
      // no live control character anywhere in the rendered text
      // eslint-disable-next-line no-control-regex
      const live = await page.evaluate(() => /[\u0000\u202A-\u202E\u2066-\u2069]/.test(document.body.innerText));
      expect(live).toBe(false);
      await expect(page.locator('#dns table.checks')).toContainText('invoice⟨U+202E⟩fdp.exe');
      await expect(page.locator('#matrix td.cell[data-seed="tonline"][data-variant="plain"] .reason summary')).toContainText('⟨U+202E⟩');
      const w = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(w.doc, `page is ${w.doc} px wide in a ${width} px window`).toBeLessThanOrEqual(w.view);
      expect(errors).toEqual([]);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
