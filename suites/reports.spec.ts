import { test } from '@playwright/test';
import { reportCheck, type ReportableCheck } from './check-result.ts';
import { reportsConfigured, runReportsCheck } from '../src/receiver-reports/check.ts';

/**
 * What receivers report back: new DMARC aggregate and TLS-RPT reports are collected from the
 * report mailbox (REPORTS_IMAP_*; read-only, each report stored once), held against the test
 * mail in the history and their sources classified. The test fails on a new unknown source
 * sending as the domain, the own sources' DMARC pass rate below MAILCANARY_REPORTS_PASS_RATE
 * (98 %), TLS failures, or a reporter silent for more than MAILCANARY_REPORTS_SILENT_DAYS (3);
 * each finding is a `receiver-report` annotation, the whole evaluation the `check` attachment.
 * Not configured: skipped with the reason.
 */
test.describe('receiver reports @reports', () => {
  test('receiver reports', async ({}, testInfo) => {
    test.setTimeout(180_000);
    const conf = reportsConfigured(process.env);
    test.skip('skip' in conf, 'skip' in conf ? conf.skip : '');
    if ('skip' in conf) return;
    const result = await runReportsCheck(process.env, conf.mailbox, { now: Date.now() });
    for (const f of result.details.findings) testInfo.annotations.push({ type: 'receiver-report', description: `${f.kind}: ${f.line}` });
    const { id, title, target, status, summary, fix } = result;
    await reportCheck(result as unknown as ReportableCheck & Record<string, unknown>, testInfo, { id, title, target, status, summary, fix });
  });
});
