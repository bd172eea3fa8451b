import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { appliedStsPolicy, stsMode, tlsReportJson, tlsResultType } from '../../lab/mx/tls-report.ts';
import { mtaStsPolicyFile } from '../../lab/services/web.ts';
import { collectRun } from '../../src/record/from-results.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { bufferSource } from '../../src/receiver-reports/decompress.ts';
import { evaluateReports, reportSettingsFromEnv } from '../../src/receiver-reports/evaluate.ts';
import { importSource } from '../../src/receiver-reports/import.ts';
import { parseTlsReport } from '../../src/receiver-reports/index.ts';
import { ReportStore } from '../../src/receiver-reports/store.ts';
import { buildReportData } from '../../src/report/data.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { sendResult } from '../fixtures/record/results.ts';
import { fakeResolver } from '../support/fake-resolver.ts';

test('a lab provider TLS report states its sessions to the MX it delivered to, in the RFC 8460 shape the parser reads', () => {
  const begin = 1_000_000_000;
  const json = tlsReportJson({
    orgName: 'gmail.lab.test',
    email: 'noreply@gmail.lab.test',
    reportId: 'r1',
    begin,
    end: begin + 86_400,
    mxHost: 'mail.canary.test',
    policy: appliedStsPolicy('canary.test', 'mail.canary.test'),
    sendingIp: '127.0.0.1',
    sessions: { successful: 3, failed: { 'certificate-expired': 2 } },
  });
  const report = parseTlsReport(JSON.stringify(json), 'lab.json');
  expect(report.policies[0]).toMatchObject({ policyDomain: 'canary.test', successful: 3, failed: 2 });
  // the policy the lab's web server serves, as a sending MTA that applied it names it (RFC 8460 §4.4)
  expect(report.policies[0]).toMatchObject({
    policyType: 'sts',
    policyStrings: ['version: STSv1', 'mode: enforce', 'mx: mail.canary.test', 'max_age: 604800'],
    mxHosts: ['mail.canary.test'],
  });
  expect(report.policies[0].failureDetails).toEqual([expect.objectContaining({ resultType: 'certificate-expired', failedSessionCount: 2 })]);
  const clean = tlsReportJson({
    ...json,
    orgName: 'x',
    email: 'e@x',
    reportId: 'r2',
    begin,
    end: begin + 1,
    mxHost: 'm',
    policy: appliedStsPolicy('d.test', 'm'),
    sendingIp: '::1',
    sessions: { successful: 1, failed: {} },
  });
  expect(clean.policies[0]).not.toHaveProperty('failure-details');
});

test('TLS errors map to the RFC 8460 §4.3 result types', () => {
  expect(tlsResultType(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }))).toBe('certificate-expired');
  expect(tlsResultType(new Error("Hostname/IP does not match certificate's altnames"))).toBe('certificate-host-mismatch');
  expect(tlsResultType(Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'ESOCKET' }))).toBe('certificate-not-trusted');
  expect(tlsResultType(Object.assign(new Error('Can not upgrade connection: STARTTLS is not supported'), { code: 'ETLS' }))).toBe('starttls-not-supported');
  expect(tlsResultType(new Error('handshake failure'))).toBe('validation-failure');
});

test('the lab reports the MTA-STS policy it serves: its lines, its mx patterns, its mode', () => {
  const served = mtaStsPolicyFile('mx.example.test');
  const policy = appliedStsPolicy('example.test', 'mx.example.test');
  expect(policy['policy-string'].join('\r\n') + '\r\n').toBe(served);
  expect(policy).toMatchObject({ 'policy-type': 'sts', 'policy-domain': 'example.test', 'mx-host': ['mx.example.test'] });
  expect(stsMode(policy)).toBe('enforce');
  expect(stsMode({ ...policy, 'policy-string': ['version: STSv1', 'mode: testing'] })).toBe('testing');
});

test('the product reads the lab TLS report: the sts policy, its mode and mx in the evaluation and the report section', async () => {
  const now = Date.parse('2031-02-03T04:05:06Z');
  const end = Math.floor(now / 1000);
  const history = HistoryStore.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-lab-tls-')), 'h.sqlite'));
  const store = new ReportStore(history, () => now);
  const json = tlsReportJson({
    orgName: 'outlook.lab.test',
    email: 'noreply-dmarc-support@outlook.lab.test',
    reportId: 'outlook-tls-1',
    begin: end - 3600,
    end,
    mxHost: 'mail.canary.test',
    policy: appliedStsPolicy('canary.test', 'mail.canary.test'),
    sendingIp: '127.0.0.1',
    sessions: { successful: 4, failed: { 'certificate-host-mismatch': 1 } },
  });
  const imported = await importSource(store, bufferSource('lab.json', Buffer.from(JSON.stringify(json))), { retentionDays: 30 });
  expect(imported.map((o) => o.status)).toEqual(['stored']);
  const summary = await evaluateReports(history, store, reportSettingsFromEnv({}), { now, resolver: fakeResolver({}) });
  expect(summary.tls).toEqual([
    {
      reporter: 'outlook.lab.test',
      policyDomain: 'canary.test',
      policyType: 'sts',
      mode: 'enforce',
      mxHosts: ['mail.canary.test'],
      successful: 4,
      failed: 1,
      failures: { 'certificate-host-mismatch': 1 },
    },
  ]);
  const check = { id: 'receiver-reports', title: 'receiver reports', target: 'lab', status: 'fail', summary: 'findings', details: summary };
  const reports = {
    titlePath: ['', 'reports', 'reports.spec.ts', 'receiver reports @reports', 'receiver reports'],
    status: 'failed' as const,
    annotations: [{ type: 'mailcanary.check', description: JSON.stringify({ ...check, details: undefined }) }],
    attachments: [{ name: 'check', contentType: 'application/json', body: JSON.stringify(check) }],
  };
  history.writeRun(collectRun([sendResult('mc1', now), reports], { startedAt: now, finishedAt: now, status: 'failed' }).bundle!);
  const html = renderReportHtml(buildReportData(history, { now }));
  const section = html.slice(html.indexOf('<section id="receiver-reports"'), html.indexOf('</section>', html.indexOf('<section id="receiver-reports"')));
  expect(section).toContain(
    '<tr><td>outlook.lab.test</td><td>canary.test</td><td>sts · mode enforce · mx mail.canary.test</td><td>4</td><td>1</td><td>certificate-host-mismatch 1</td></tr>',
  );
  history.close();
});
