import { expect, test } from '@playwright/test';
import { collectRun } from '../../src/record/from-results.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { buildReportData, SUMMARY_WIDTH } from '../../src/report/data.ts';
import { renderStatic } from '../../src/report/static.ts';
import { placementResult, sendResult } from '../fixtures/record/results.ts';
import { senderResult } from '../fixtures/record/senders.ts';

const T0 = Date.parse('2031-05-05T00:00:00Z');

function store() {
  const s = HistoryStore.open(':memory:');
  const id = 'mc203105050000aaaa';
  const results = [
    sendResult(id, T0),
    senderResult(id, 'family', 'spam', undefined, 'gmail', 'plain'),
    senderResult(id, 'family', 'inbox', undefined, 'gmail', 'html'),
    senderResult(id, 'club', 'inbox', undefined, 'gmail', 'plain'),
    senderResult(id, 'club', 'inbox', undefined, 'gmail', 'html'),
    senderResult(id, 'system', 'inbox', undefined, 'gmail', 'plain'),
  ];
  s.writeRun(collectRun(results, { startedAt: T0, finishedAt: T0, status: 'failed' }).bundle!);
  return s;
}

test('the matrix groups its columns by sending domain and the summary counts per domain', () => {
  const s = store();
  const d = buildReportData(s, { now: T0 });
  expect(d.domains).toEqual(['club.example', 'family.example', 'mail.example.org']);
  expect(d.variants).toEqual([
    'html from club.example',
    'plain from club.example',
    'html from family.example',
    'plain from family.example',
    'plain from mail.example.org (system mail)',
  ]);
  expect(d.variantDomain).toEqual([0, 0, 1, 1, 2]);
  const rows: number[][] = [];
  for (let i = 0; i < d.domainSummary.length; i += SUMMARY_WIDTH) rows.push(d.domainSummary.slice(i, i + SUMMARY_WIDTH));
  // run, domain (-1 = all), as expected, tested
  expect(rows.map((r) => r.slice(0, 4))).toEqual([
    [0, -1, 4, 5],
    [0, 0, 2, 2],
    [0, 1, 1, 2],
    [0, 2, 1, 1],
  ]);
  const html = renderStatic(d).sections;
  expect(html).toContain('id="domain-summary-table"');
  expect(html).toMatch(/data-domain="family\.example"><th scope="row">family\.example<\/th><td class="num short" data-label="as expected">1 of 2 · 50 %/);
  expect(html).toContain(
    '<tr class="domains"><td colspan="2"></td><th scope="colgroup" colspan="2">club.example</th><th scope="colgroup" colspan="2">family.example</th><th scope="colgroup" colspan="1">mail.example.org</th></tr>',
  );
  s.close();
});

test('a run with one sender has no domain table and no domain heading', () => {
  const s = HistoryStore.open(':memory:');
  const id = 'mc203105050000bbbb';

  s.writeRun(
    collectRun([sendResult(id, T0), placementResult(id, { seedId: 'gmail', variant: 'plain', verdict: 'inbox' })], {
      startedAt: T0,
      finishedAt: T0,
      status: 'passed',
    }).bundle!,
  );
  const d = buildReportData(s, { now: T0 });
  expect(d.domains).toEqual([]);
  const html = renderStatic(d).sections;
  expect(html).not.toContain('domain-summary-table');
  expect(html).not.toContain('class="domains"');
  s.close();
});
