import { mailboxContents } from '../../src/receiver-reports/check.ts';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { compareRuns } from '../../src/gate/compare.ts';
import { collectRun, type ResultInput } from '../../src/record/from-results.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { bufferSource } from '../../src/receiver-reports/decompress.ts';
import { evaluateReports, reportSettingsFromEnv } from '../../src/receiver-reports/evaluate.ts';
import { importSource } from '../../src/receiver-reports/import.ts';
import { ReportStore } from '../../src/receiver-reports/store.ts';
import { buildReportData } from '../../src/report/data.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { aggregateXml, tlsReport } from '../fixtures/receiver-reports/build.ts';
import { fakeResolver } from '../support/fake-resolver.ts';
import { sendResult } from '../fixtures/record/results.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const DAY = 86_400;
const begin = Math.floor(NOW / 1000 / DAY) * DAY - 2 * DAY;
// org_name and report_id as a hostile reporter writes them (XML-escaped in the file, markup once parsed)
const EVIL_ORG = 'Evil &lt;script&gt;window.__pwned=1&lt;/script&gt; \u202Egro.elgoog';
const EVIL_ID = '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\u2066id';

async function evaluated() {
  const history = HistoryStore.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-rr-report-')), 'h.sqlite'));
  const store = new ReportStore(history, () => NOW);
  const xml = aggregateXml({
    org: EVIL_ORG,
    reportId: EVIL_ID,
    begin,
    end: begin + DAY - 1,
    records: [
      { ip: '198.51.100.25', count: 40 },
      { ip: '203.0.113.66', count: 7, dkim: 'fail', spf: 'fail', disposition: 'reject' },
    ],
  });
  const tls = {
    ...tlsReport(),
    'organization-name': '<b>tls</b>\u202Eorg',
    'date-range': { 'start-datetime': new Date(begin * 1000).toISOString(), 'end-datetime': new Date((begin + DAY - 1) * 1000).toISOString() },
  };
  const out = [
    ...(await importSource(store, bufferSource('evil.xml', Buffer.from(xml)), { retentionDays: 400 })),
    ...(await importSource(store, bufferSource('tls.json', Buffer.from(JSON.stringify(tls))), { retentionDays: 400 })),
  ];
  expect(out.map((o) => o.status)).toEqual(['stored', 'stored']);
  const settings = reportSettingsFromEnv({ MAILCANARY_SENDING_IPS: '198.51.100.25' });
  const summary = await evaluateReports(history, store, settings, { now: NOW, resolver: fakeResolver({}) });
  return { history, summary };
}

function reportsResult(summary: unknown, status: string): ResultInput {
  const check = { id: 'receiver-reports', title: 'receiver reports', target: 'imap.lab.test/INBOX', status, summary: 'findings', details: summary };
  return {
    titlePath: ['', 'reports', 'reports.spec.ts', 'receiver reports @reports', 'receiver reports'],
    status: status === 'fail' ? 'failed' : 'passed',
    annotations: [{ type: 'mailcanary.check', description: JSON.stringify({ ...check, details: undefined }) }],
    attachments: [{ name: 'check', contentType: 'application/json', body: JSON.stringify(check) }],
  };
}

test('the evaluation: per reporter volume and pass rate, the sources classified, TLS failures, the findings', async () => {
  const { summary } = await evaluated();
  expect(summary.perReporter).toHaveLength(1);
  expect(summary.perReporter[0]).toMatchObject({
    domain: 'canary.test',
    reports: 1,
    messages: 47,
    dmarcPass: 40,
    disposition: { none: 40, reject: 7 },
    sources: { own: 40, unknown: 7 },
  });
  expect(summary.sources.map((s) => [s.ip, s.class, s.finding])).toEqual([
    ['203.0.113.66', 'unknown', 'spoofing'],
    ['198.51.100.25', 'own', null],
  ]);
  expect(summary.tls[0]).toMatchObject({
    policyType: 'sts',
    mode: 'testing',
    mxHosts: ['*.mail.company-y.example'],
    successful: 5326,
    failed: 303,
    failures: { 'certificate-expired': 100, 'starttls-not-supported': 200, 'validation-failure': 3 },
  });
  expect(summary.findings.map((f) => f.kind).sort()).toEqual(['new-unknown-source', 'tls-failures']);
});

test('report section: hostile org_name, report_id and bidi controls from reports are shown as text, never markup', async () => {
  const { history, summary } = await evaluated();
  const bundle = collectRun([sendResult('mc1', NOW), reportsResult(summary, 'fail')], { startedAt: NOW, finishedAt: NOW, status: 'failed' }).bundle!;
  history.writeRun(bundle);
  const html = renderReportHtml(buildReportData(history, { now: NOW }));
  const section = html.slice(html.indexOf('<section id="receiver-reports"'), html.indexOf('</section>', html.indexOf('<section id="receiver-reports"')));
  expect(section).toContain('What receivers report back');
  expect(section).toContain('203.0.113.66');
  expect(section).toContain('spoofing: unknown and failing');
  expect(section).toContain('certificate-expired 100');
  expect(section).toContain('<td>sts · mode testing · mx *.mail.company-y.example</td>');
  // the reporter's markup arrives as escaped text, its bidi controls as code points
  expect(section).toContain('Evil &lt;script&gt;window.__pwned=1&lt;/script&gt; ⟨U+202E⟩gro.elgoog');
  expect(section).toContain('&lt;b&gt;tls&lt;/b&gt;⟨U+202E⟩org');
  expect(section).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;⟨U+2066⟩id');
  expect(section).not.toMatch(/<script|<img|<b>|\u202E|\u2066/);
  expect(html).not.toContain('<script>window.__pwned');
  expect(html).not.toMatch(/<img src=x/);
});

test('gate: the reports findings fail it with and without a baseline, a passing reports check does not', async () => {
  const { summary } = await evaluated();
  const failing = collectRun([sendResult('mc2', NOW), reportsResult(summary, 'fail')], { startedAt: NOW, finishedAt: NOW, status: 'failed' }).bundle!;
  expect(failing.checks[0]).toMatchObject({ checkId: 'receiver-reports', status: 'fail' });
  const g = compareRuns(failing, undefined);
  expect(g.regressions.map((r) => [r.kind, r.subject])).toEqual([
    ['receiver-report', 'new-unknown-source'],
    ['receiver-report', 'tls-failures'],
  ]);
  expect(g.regressions[0].line).toMatch(/^receiver reports: new unknown source 203\.0\.113\.66 sent 7 message/);
  expect(g.compared.filter((c) => c.kind === 'receiver-report')).toHaveLength(1);
  const passing = collectRun([sendResult('mc3', NOW), reportsResult({ ...summary, findings: [] }, 'pass')], {
    startedAt: NOW,
    finishedAt: NOW,
    status: 'passed',
  }).bundle!;
  const g2 = compareRuns(passing, failing);
  expect(g2.regressions).toEqual([]);
  // a pass → fail of the reports check is counted once, as findings, not also as a DNS regression
  expect(compareRuns(failing, passing).regressions.map((r) => r.kind)).toEqual(['receiver-report', 'receiver-report']);
});

test('settings: a bad pass-rate threshold or sending IP is named with the fix', () => {
  expect(() => reportSettingsFromEnv({ MAILCANARY_REPORTS_PASS_RATE: '120' })).toThrow(/MAILCANARY_REPORTS_PASS_RATE="120" is not a number from 0 to 100/);
  expect(() => reportSettingsFromEnv({ MAILCANARY_SENDING_IPS: 'mail.example' })).toThrow(/MAILCANARY_SENDING_IPS: "mail.example" is not an IPv4 or IPv6/);
  expect(reportSettingsFromEnv({})).toMatchObject({ passRateMin: 0.98, silentDays: 3, days: 7 });
});

test('the unknown summary counts what the report mailbox holds truthfully: bounces are no reports', () => {
  const o = (source: string, status: 'stored' | 'duplicate' | 'expired' | 'error') => ({ source, status, kind: 'aggregate', detail: '' });
  expect(mailboxContents({ messages: 0, alreadyRead: 0, outcomes: [] })).toBe('it is empty');
  // seven DSNs share the mailbox, none held a report
  expect(mailboxContents({ messages: 7, alreadyRead: 0, outcomes: [] })).toBe('7 message(s) there, none a report');
  // an unreadable attachment is no report either
  expect(mailboxContents({ messages: 2, alreadyRead: 0, outcomes: [o('imap:u/INBOX#1', 'error')] })).toBe('2 message(s) there, none a report');
  // two report e-mails (one read before, one with two expired reports) among five messages
  expect(mailboxContents({ messages: 5, alreadyRead: 1, outcomes: [o('imap:u/INBOX#4', 'expired'), o('imap:u/INBOX#4', 'expired')] })).toBe(
    '5 message(s) there, 2 of them report e-mail(s) with nothing from that period',
  );
});
