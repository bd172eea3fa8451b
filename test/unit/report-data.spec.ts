import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { compareRuns } from '../../src/gate/compare.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { asExpected, cellReason, classOf, CLASSES } from '../../src/report/classes.ts';
import { buildReportData, rollingRates, type ReportData } from '../../src/report/data.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { renderStatic, reportDate } from '../../src/report/static.ts';
import { visible } from '../../src/report/visible.ts';
import { clipWords, withoutLeadingCode } from '../../src/shared/clip.ts';
import { BIDI, LONG, NUL, readingHistory, readingRun } from '../fixtures/record/placements.ts';

const T0 = Date.parse('2026-11-01T02:00:00Z');
const DAY = 86_400_000;

function store(nights = 30, hostile = false): HistoryStore {
  const s = HistoryStore.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-report-data-')), 'h.sqlite'));
  for (const b of readingHistory(T0, nights, { hostile })) s.writeRun(b);
  return s;
}

/** The summary row of run `runId` for `provider` (undefined: all providers) as { class: count }. */
function summaryOf(d: ReportData, runId: string, provider?: string): { ok: number; tested: number; counts: Record<string, number> } {
  const ri = d.runs.findIndex((r) => r.id === runId);
  const pi = provider === undefined ? -1 : d.providers.indexOf(provider);
  const w = 4 + d.classes.length;
  for (let i = 0; i < d.summary.length; i += w) {
    if (d.summary[i] !== ri || d.summary[i + 1] !== pi) continue;
    const counts: Record<string, number> = {};
    d.classes.forEach((c, k) => {
      if (d.summary[i + 4 + k]) counts[c] = d.summary[i + 4 + k];
    });
    return { ok: d.summary[i + 2], tested: d.summary[i + 3], counts };
  }
  throw new Error(`no summary row for ${runId}/${provider}`);
}

test('summary: counts per provider and overall, Gmail tabs their own class, untested outcomes outside the share', () => {
  const s = store();
  const d = buildReportData(s, { runId: 'mc029', now: T0 });
  s.close();
  expect(summaryOf(d, 'mc029', 'gmail')).toEqual({ ok: 3, tested: 4, counts: { inbox: 1, 'inbox:promotions': 2, 'inbox:updates': 1 } });
  expect(summaryOf(d, 'mc029', 'tonline')).toEqual({ ok: 0, tested: 2, counts: { bounced: 2 } });
  // the blackhole expects missing; the office seed could not be read: counted, not tested
  expect(summaryOf(d, 'mc029', 'custom')).toEqual({ ok: 2, tested: 2, counts: { missing: 2, 'seed-unreachable': 2 } });
  const all = summaryOf(d, 'mc029');
  expect(all.tested).toBe(12);
  expect(Object.values(all.counts).reduce((a, b) => a + b, 0)).toBe(14);
  // lab runs are summarised on their own
  expect(d.runs.find((r) => r.id === 'lab029')?.lab).toBe(true);
  expect(summaryOf(d, 'lab029', 'gmail').tested).toBe(4);
});

test('placement classes: tabs, other folders, expectations, the Promotions seed setting', () => {
  expect(classOf('inbox', 'promotions')).toBe('inbox:promotions');
  expect(classOf('inbox', 'primary')).toBe('inbox');
  expect(classOf('inbox', 'nonsense')).toBe('inbox');
  expect(classOf('other-folder:Archive')).toBe('other-folder');
  expect(classOf('inbox:promotions')).toBe('unknown');
  expect(classOf('weird')).toBe('unknown');
  expect(CLASSES.indexOf('inbox:promotions')).toBeLessThan(CLASSES.indexOf('spam'));
  expect(asExpected({ verdict: 'inbox', tab: 'promotions', expected: 'inbox' })).toBe(1);
  expect(asExpected({ verdict: 'inbox', tab: 'promotions', expected: 'inbox', promotionsRegression: true })).toBe(0);
  expect(asExpected({ verdict: 'missing', expected: 'missing' })).toBe(1);
  expect(asExpected({ verdict: 'other-folder:Archive', expected: 'inbox' })).toBe(0);
  expect(asExpected({ verdict: 'skipped', expected: 'inbox' })).toBe(-1);
  expect(asExpected({ verdict: 'deferred', expected: 'inbox' })).toBe(0);
});

test('the gate reports primary → promotions only for a seed that counts Promotions', () => {
  const base = readingRun(1, { t0: T0 });
  const cur = readingRun(2, { t0: T0 });
  const main = (b: typeof base) => b.messages.find((m) => m.seedId === 'gmail-main' && m.variant === 'plain')!;
  main(base).tab = 'primary';
  main(cur).tab = 'promotions';
  expect(compareRuns(cur, base).regressions.filter((r) => r.seedId === 'gmail-main')).toEqual([]);
  main(cur).promotionsRegression = true;
  const found = compareRuns(cur, base).regressions.filter((r) => r.seedId === 'gmail-main');
  expect(found.map((r) => [r.before, r.after])).toEqual([['inbox', 'inbox:promotions']]);
  expect(found[0].line).toContain('inbox (primary tab) → inbox (promotions tab)');
});

test('cell reasons: status and reason word without the code twice, login refused, the skip reason', () => {
  expect(
    cellReason({
      verdict: 'bounced',
      bounce: { status: '5.7.1', replyCode: 554, reason: 'badreputation', diagnostic: 'smtp; 554 5.7.1 IP=1.2.3.4 None/bad reputation (NOWL)' },
    }),
  ).toBe('554 5.7.1 (badreputation): IP=1.2.3.4 None/bad reputation (NOWL)');
  expect(
    cellReason({ verdict: 'seed-unreachable', detail: 'seed mailbox could not be read after 3 attempt(s): AUTHENTICATIONFAILED Invalid credentials' }),
  ).toBe('login refused: AUTHENTICATIONFAILED Invalid credentials');
  expect(cellReason({ verdict: 'skipped', detail: 'skipped: no password: SEED_X is not set' })).toBe('skipped: no password: SEED_X is not set');
  expect(cellReason({ verdict: 'inbox', detail: 'found in INBOX' })).toBeUndefined();
  expect(withoutLeadingCode('554 5.7.1 Rejected by policy', '554 5.7.1')).toBe('Rejected by policy');
  expect(withoutLeadingCode('Rejected 554', '554')).toBe('Rejected 554');
  const line = 'tonline / plain: inbox → bounced (What to do: ask the postmaster to allowlist your address)';
  expect(clipWords(line, 60)).toBe('tonline / plain: inbox → bounced (What to do: ask the…');
  expect(clipWords('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}…`);
  expect(clipWords('short', 10)).toBe('short');
  // a surrogate pair is never cut in half
  expect(clipWords(`${'a'.repeat(9)}😀😀`, 10)).toBe(`${'a'.repeat(9)}…`);
});

test('checks of a run are ordered failures → warnings → unknown → passes', () => {
  const s = store(30);
  const d = buildReportData(s, { runId: 'mc029', now: T0 });
  s.close();
  const ri = d.runs.findIndex((r) => r.id === 'mc029');
  const statuses: string[] = [];
  for (let i = 0; i < d.checks.length; i += 3) if (d.checks[i] === ri) statuses.push(d.checkStatuses[d.checks[i + 2]]);
  expect(statuses).toEqual(['fail', 'warn', 'unknown', 'pass', 'pass', 'pass', 'pass', 'pass']);
  expect(d.focus!.checks.map((c) => c.status)).toEqual(statuses);
  // the check history covers every run in the window, not the last 90
  expect(new Set(d.checks.filter((_, i) => i % 3 === 0)).size).toBe(d.runs.length);
});

test('hostile text: bidi controls and NUL made visible, escaped in the static HTML, subjects capped', () => {
  expect(visible(BIDI)).toBe('invoice⟨U+202E⟩fdp.exe');
  expect(visible(NUL)).toBe('nul⟨U+0000⟩byte');
  expect(visible('a\uD800b')).toBe('a⟨U+D800⟩b');
  expect(visible('tab\tand\r\nlines 😀')).toBe('tab\tand\r\nlines 😀');
  const s = store(3, true);
  const d = buildReportData(s, { runId: 'mc002', now: T0 });
  s.close();
  const m = d.focus!.messages.find((x) => x.seedId === 'gmail-main' && x.variant === 'plain')!;
  expect(m.subject!.startsWith('invoice⟨U+202E⟩fdp.exe nul⟨U+0000⟩byte')).toBe(true);
  expect(m.subject!.length).toBeLessThan(1100);
  expect(JSON.stringify(d)).not.toMatch(/\\u0000|\u202E/);
  const html = renderReportHtml(d, { nonce: 'N' });
  // eslint-disable-next-line no-control-regex
  expect(html).not.toMatch(/[\u0000\u202A-\u202E]/);
  const st = renderStatic(d);
  expect(st.sections).toContain('invoice⟨U+202E⟩fdp.exe');
  expect(LONG.length).toBe(200_000);
});

test('static HTML escapes every value and needs no script', () => {
  const s = HistoryStore.open(':memory:');
  const b = readingRun(0, { t0: T0 });
  b.messages[0].seedId = '"><img src=x onerror=alert(1)>';
  b.checks[0].title = '<script>alert(1)</script>';
  s.writeRun(b);
  const st = renderStatic(buildReportData(s, { now: T0 }));
  s.close();
  expect(st.sections).toContain('data-seed="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  expect(st.sections).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(st.sections).not.toMatch(/<img|<script/);
  expect(st.sections).toContain('id="summary-table"');
  expect(st.header).toContain('run mc000');
});

test('dates: UTC, and a malformed stored date reads "invalid date" instead of breaking the page', () => {
  expect(reportDate(Date.parse('2026-12-01T20:00:00Z'))).toBe('2026-12-01 20:00:00 UTC');
  expect(reportDate('not a date')).toBe('invalid date');
  expect(reportDate(Number.NaN)).toBe('invalid date');
  expect(reportDate(8.64e15 + 1)).toBe('invalid date');
  expect(reportDate(undefined)).toBe('');
  const s = HistoryStore.open(':memory:');
  const b = readingRun(0, { t0: T0 });
  b.run.startedAt = 8.64e15 + 5;
  s.writeRun(b);
  const st = renderStatic(buildReportData(s, { now: T0 }));
  s.close();
  expect(st.header).toContain('started invalid date');
});

test('7-day rates: UTC days, the six days before count, older ones drop out', () => {
  const days = new Map<number, [number, number, number]>([
    [T0, [1, 2, 2]],
    [T0 + DAY, [2, 2, 2]],
    [T0 + 7 * DAY, [0, 2, 1]],
  ]);
  expect(rollingRates(days)).toEqual([
    [T0, 50, 100, 2],
    [T0 + DAY, 75, 100, 4],
    [T0 + 7 * DAY, 50, 75, 4],
  ]);
  const s = store(10);
  const d = buildReportData(s, { now: T0 });
  s.close();
  const real = d.rates.filter((r) => !r.lab).map((r) => r.provider);
  const lab = d.rates.filter((r) => r.lab).map((r) => r.provider);
  expect(real).toContain('gmail');
  expect(lab).toContain('gmail');
  for (const r of d.rates) for (const [day] of r.points) expect(day % DAY).toBe(0);
});
