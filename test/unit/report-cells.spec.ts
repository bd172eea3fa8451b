import { expect, test } from '@playwright/test';
import { HistoryStore } from '../../src/record/store.ts';
import type { CheckRecord, MessageRecord } from '../../src/record/types.ts';
import { cellOk, cellReason, testFailure } from '../../src/report/classes.ts';
import { buildReportData, type ReportData } from '../../src/report/data.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { renderStatic } from '../../src/report/static.ts';
import { whyLines } from '../../src/report/why.ts';
import { dkimFailRun } from '../fixtures/record/failed-cells.ts';
import { readingRun } from '../fixtures/record/placements.ts';

/**
 * What a matrix cell and the drill-down say about one message: a test that failed although its
 * message landed where the seed expects (the receiver reported dkim=fail) is a failed cell and is
 * not counted as expected; a refused login is named once; the "why" row of a spam message comes
 * from the provider's decoded verdict headers; the receiver reports' period reads as UTC.
 */
const T0 = Date.parse('2026-11-01T02:00:00Z');

function cellOf(d: ReportData, seed: string, variant: string): number[] {
  const si = d.seeds.findIndex((s) => s.id === seed);
  const vi = d.variants.indexOf(variant);
  for (let i = 0, c = 0; i < d.results.length; i += 4, c += d.cellWidth)
    if (d.results[i + 1] === si && d.results[i + 2] === vi) return d.cells.slice(c, c + d.cellWidth);
  throw new Error(`no cell ${seed}/${variant}`);
}

function summaryOk(d: ReportData, provider: string): [number, number] {
  const pi = d.providers.indexOf(provider);
  const w = 4 + d.classes.length;
  for (let i = 0; i < d.summary.length; i += w) if (d.summary[i + 1] === pi) return [d.summary[i + 2], d.summary[i + 3]];
  throw new Error(`no summary row for ${provider}`);
}

test('a failed test whose message landed as expected is a failed cell naming the failing method, outside "as expected"', () => {
  const s = HistoryStore.open(':memory:');
  s.writeRun(dkimFailRun(T0));
  const d = buildReportData(s, { now: T0 });
  s.close();
  const auth = d.focus!.messages.find((m) => m.seedId === 'tonline' && m.variant === 'plain')!.auth;
  expect(auth.dkim).toBe('fail');
  const [, , ok, , , failure] = cellOf(d, 'tonline', 'plain');
  expect(ok).toBe(0);
  expect(d.texts[failure]).toBe('dkim=fail dmarc=fail');
  // a passed test keeps its placement verdict and no failure
  expect(cellOf(d, 'tonline', 'html-with-link').slice(2)).toEqual([1, -1, -1, -1]);
  // tonline: 1 of 2 as expected, not 2 of 2; outlook's other message went to Archive that night: 0 of 2
  expect(summaryOk(d, 'tonline')).toEqual([1, 2]);
  expect(summaryOk(d, 'outlook')).toEqual([0, 2]);
  const st = renderStatic(d).sections;
  const cell = /<td class="cell v-inbox unexpected-cell failed-cell" data-seed="tonline" data-variant="plain"[^>]*>(.*?)<\/td>/.exec(st);
  expect(cell, 'the tonline plain cell is marked failed').not.toBeNull();
  expect(cell![1]).toContain('<span class="unexpected">✗ dkim=fail dmarc=fail</span>');
  expect(cell![1]).not.toContain('expected inbox');
  expect(st).toMatch(/<tr class="" data-provider="tonline"><th scope="row">tonline<\/th><td class="num short" data-label="as expected">1 of 2 · 50 %/);
  const focus = d.focus!.messages.find((m) => m.seedId === 'tonline' && m.variant === 'plain')!;
  expect([focus.ok, focus.failure]).toEqual([0, 'dkim=fail dmarc=fail']);
});

test('test failures: failing methods by name, a failure without one as "test failed", placement failures and skips untouched', () => {
  const base = { verdict: 'inbox', expected: 'inbox', testStatus: 'failed' };
  expect(testFailure({ ...base, auth: { spf: 'pass', dkim: 'fail', dmarc: 'pass', arc: 'none' } })).toBe('dkim=fail');
  expect(testFailure({ ...base, auth: { spf: 'softfail', dkim: 'pass', dmarc: 'none' } })).toBe('dmarc=none spf=softfail');
  expect(testFailure({ ...base, testStatus: 'timedOut', auth: { spf: 'pass', dkim: 'pass', dmarc: 'pass' } })).toBe('test failed');
  expect(testFailure({ ...base, testStatus: 'passed', auth: { dkim: 'fail' } })).toBeUndefined();
  // the placement is the failure already: the cell says "expected inbox"
  expect(testFailure({ ...base, verdict: 'spam', auth: { dkim: 'fail' } })).toBeUndefined();
  expect(cellOk({ ...base, verdict: 'spam', auth: {} })).toBe(0);
  expect(cellOk({ ...base, auth: { dkim: 'fail' } })).toBe(0);
  expect(cellOk({ ...base, testStatus: 'passed', auth: {} })).toBe(1);
  expect(cellOk({ ...base, verdict: 'seed-unreachable', auth: {} })).toBe(-1);
});

test('a refused login is named once in the cell', () => {
  expect(
    cellReason({
      verdict: 'seed-unreachable',
      detail: 'seed mailbox could not be read after 3 attempt(s): login refused for seed@gmail.lab.test: Authentication failed.',
    }),
  ).toBe('login refused for seed@gmail.lab.test: Authentication failed.');
  expect(
    cellReason({ verdict: 'seed-unreachable', detail: 'seed mailbox could not be read after 3 attempt(s): AUTHENTICATIONFAILED Invalid credentials' }),
  ).toBe('login refused: AUTHENTICATIONFAILED Invalid credentials');
  expect(cellReason({ verdict: 'seed-unreachable', detail: 'seed mailbox could not be read after 3 attempt(s): connect ECONNREFUSED 127.0.0.1:993' })).toBe(
    'seed mailbox could not be read after 3 attempt(s): connect ECONNREFUSED 127.0.0.1:993',
  );
});

test('why: the provider verdict header decoded with its raw reason, failing auth, the local score; nothing for an inbox as expected', () => {
  const s = HistoryStore.open(':memory:');
  s.writeRun(dkimFailRun(T0));
  const d = buildReportData(s, { now: T0 });
  s.close();
  const gmx = d.focus!.messages.find((m) => m.seedId === 'gmx' && m.variant === 'html-with-link')!;
  expect(gmx.why).toEqual(['X-UI-Filterresults: junk, level 10 (junk:10;V03:K0:lab-suspicious-tld;mailcanary-lab)']);
  expect(d.focus!.messages.find((m) => m.seedId === 'gmx' && m.variant === 'plain')!.why).toBeUndefined();
  expect(d.focus!.messages.find((m) => m.seedId === 'tonline' && m.variant === 'plain')!.why).toEqual([
    'the provider wrote no spam verdict header',
    'authentication: dkim=fail dmarc=fail',
  ]);
  const rspamd = {
    vendor: 'rspamd',
    header: 'X-Spamd-Result',
    raw: 'default: True [12.4 / 15.0]; DBL_SPAM(6.5)[x.test]; R_DKIM_REJECT(1.0); MIME_GOOD(-0.1)',
    spam: true,
    score: 12.4,
    threshold: 15,
    rules: [
      { name: 'MIME_GOOD', score: -0.1, options: [] },
      { name: 'R_DKIM_REJECT', score: 1, options: [] },
      { name: 'DBL_SPAM', score: 6.5, options: ['x.test'] },
    ],
    fromProvider: true,
  };
  const forged = { vendor: 'spamassassin', header: 'X-Spam-Status', raw: 'No, score=-5', spam: false, score: -5, fromProvider: false };
  const evidence = { spam: { verdicts: [forged, rspamd] } };
  const score = {
    state: 'scored',
    scorer: 'rspamd',
    url: 'rspamd://127.0.0.1:11333',
    score: 9.2,
    threshold: 15,
    action: 'add header',
    rules: [{ name: 'DBL_SPAM', score: 6.5, options: [] }],
    ms: 3,
  };
  expect(whyLines({ verdict: 'spam', auth: { spf: 'pass', dkim: 'pass' }, evidence, contentScore: score }, 0)).toEqual([
    'X-Spamd-Result: spam, score 12.4 of 15: DBL_SPAM(6.5), R_DKIM_REJECT(1)',
    'local rspamd score before sending: 9.2 of 15 (add header): DBL_SPAM(6.5)',
  ]);
  // only a header the sender could have written: said so, never read as the provider's word
  expect(whyLines({ verdict: 'spam', auth: {}, evidence: { spam: { verdicts: [forged] } } }, 0)).toEqual([
    'no verdict header written by the provider (the spam headers found sit where the sender could have written them)',
  ]);
  expect(whyLines({ verdict: 'bounced', auth: {} }, 0)).toEqual([]);
});

test('the receiver reports period reads as UTC to the second, like every other time of the page', () => {
  const s = HistoryStore.open(':memory:');
  const b = readingRun(0, { t0: T0 });
  const check: CheckRecord = {
    runId: b.run.runId,
    checkId: 'receiver-reports',
    title: 'receiver reports › canary.test',
    target: 'canary.test',
    status: 'pass',
    summary: '2 aggregate report(s)',
    details: { from: '2026-10-25T02:25:55.933Z', to: '2026-11-01T02:25:55.933Z' },
  };
  b.checks.push(check);
  s.writeRun(b);
  const html = renderReportHtml(buildReportData(s, { now: T0 }), { nonce: 'N' });
  s.close();
  expect(html).toContain('Reports with a period from 2026-10-25 02:25:55 UTC to 2026-11-01 02:25:55 UTC.');
  expect(html).not.toContain('2026-10-25T02:25:55.933Z</');
});

test('every message row carries the cell width the views read', () => {
  const s = HistoryStore.open(':memory:');
  s.writeRun(dkimFailRun(T0));
  const d = buildReportData(s, { now: T0 });
  s.close();
  expect(d.cells.length).toBe((d.results.length / 4) * d.cellWidth);
  expect(d.focus!.messages.every((m: MessageRecord & { ok: number }) => [1, 0, -1].includes(m.ok))).toBe(true);
});
