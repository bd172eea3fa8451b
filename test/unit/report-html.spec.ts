import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { collectRun } from '../../src/record/from-results.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { buildReportData } from '../../src/report/data.ts';
import { renderReportHtml, scriptSafeJson } from '../../src/report/html.ts';
import { clipWords } from '../../src/shared/clip.ts';
import { checkResult, placementResult, sendResult } from '../fixtures/record/results.ts';

const T0 = Date.parse('2026-01-14T10:00:00Z');
const EVIL = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">\u2028';

function storeWithRuns(n: number): HistoryStore {
  const store = HistoryStore.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-report-')), 'h.sqlite'));
  for (let i = 0; i < n; i++) {
    const id = `mc${i}`;
    const results = [
      sendResult(id, T0 + i * 86_400_000),
      placementResult(id, { seedId: 'lab-gmail', variant: 'plain', verdict: i % 3 ? 'inbox' : 'spam', subject: EVIL }),
      placementResult(id, { seedId: 'lab-out', provider: 'outlook', variant: 'html', verdict: 'missing' }),
      checkResult('spf › canary.test', i % 2 ? 'pass' : 'fail', EVIL),
    ];
    store.writeRun(collectRun(results, { startedAt: T0, finishedAt: T0, status: 'passed' }).bundle!);
  }
  return store;
}

test('report data: compact history rows, full detail for the focus run only', () => {
  const store = storeWithRuns(5);
  const d = buildReportData(store, { now: T0 });
  expect(d.runs.map((r) => r.id)).toEqual(['mc0', 'mc1', 'mc2', 'mc3', 'mc4']);
  expect(d.focus?.run.runId).toBe('mc4');
  expect(d.focus?.messages[0].rawHeaders).toContain('Received:');
  expect(d.seeds).toEqual([
    { id: 'lab-gmail', provider: 'gmail' },
    { id: 'lab-out', provider: 'outlook' },
  ]);
  expect(d.results.length).toBe(5 * 2 * 4);
  // run 0, lab-gmail, plain → spam
  expect(d.verdicts[d.results[3]]).toBe('spam');
  expect(d.checks.length).toBe(5 * 3);
  expect(buildReportData(store, { runId: 'mc1' }).focus?.run.runId).toBe('mc1');
  expect(() => buildReportData(store, { runId: 'nope' })).toThrow(/no run nope/);
  expect(buildReportData(store, { from: T0 + 2 * 86_400_000, to: T0 + 3 * 86_400_000 }).runs.map((r) => r.id)).toEqual(['mc2', 'mc3']);
  store.close();
});

test('hostile strings cannot leave the JSON data block', () => {
  const json = scriptSafeJson({ s: EVIL });
  expect(json).not.toMatch(/[<>&\u2028]/);
  expect(JSON.parse(json)).toEqual({ s: EVIL });
});

test('the HTML is self-contained, has a nonce CSP, and carries no raw hostile markup', () => {
  const store = storeWithRuns(3);
  const html = renderReportHtml(buildReportData(store), { nonce: 'TESTNONCE' });
  store.close();
  expect(html).toContain(`content="default-src 'none'; script-src 'nonce-TESTNONCE'; style-src 'nonce-TESTNONCE'`);
  expect(html).not.toMatch(/<script(?![^>]*(nonce="TESTNONCE"|type="application\/json"))/);
  expect(html).not.toContain('onerror="window');
  expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
  expect(html).toContain('uPlot');
  // every <script>/<style> element carries the nonce, except the JSON data block
  expect(html.match(/<script nonce="TESTNONCE">/g)).toHaveLength(2);
  expect(renderReportHtml(buildReportData(storeWithRuns(1)))).toMatch(/nonce-[A-Za-z0-9+/]{24}'/);
});

test('a long bounce reason is cut in the static page exactly as clipWords cuts it, the whole text one click away', () => {
  const store = HistoryStore.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-report-')), 'h.sqlite'));
  const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
  const diagnostic = `smtp; 554 5.7.1 ${words}`;
  const results = [
    sendResult('mc1', T0),
    placementResult('mc1', {
      seedId: 'lab-tonline',
      provider: 'tonline',
      variant: 'plain',
      verdict: 'bounced',
      bounce: { status: '5.7.1', replyCode: 554, reason: 'blocked', diagnostic },
    }),
  ];
  store.writeRun(collectRun(results, { startedAt: T0, finishedAt: T0, status: 'failed' }).bundle!);
  const html = renderReportHtml(buildReportData(store, { now: T0 }), { nonce: 'TESTNONCE' });
  const whole = `554 5.7.1 (blocked): ${words}`;
  const cut = clipWords(whole, 140);
  // cut after a whole word, never inside one
  expect(cut).toMatch(/ word\d+…$/);
  expect(whole.startsWith(`${cut.slice(0, -1)} `)).toBe(true);
  expect(html).toContain(`<summary>${cut}</summary>`);
  expect(html).toContain(`<div class="whole">${whole}</div>`);
  // the page's script cuts with the same function
  expect(html).toContain('var clipWords = function clipWords(');
});
