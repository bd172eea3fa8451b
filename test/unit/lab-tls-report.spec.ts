import { expect, test } from '@playwright/test';
import { tlsReportJson, tlsResultType } from '../../lab/mx/reports.ts';
import { parseTlsReport } from '../../src/receiver-reports/index.ts';

test('a lab provider TLS report states its sessions to the MX it delivered to, in the RFC 8460 shape the parser reads', () => {
  const begin = 1_000_000_000;
  const json = tlsReportJson({
    orgName: 'gmail.lab.test',
    email: 'noreply@gmail.lab.test',
    reportId: 'r1',
    begin,
    end: begin + 86_400,
    mxHost: 'mail.canary.test',
    domain: 'canary.test',
    sendingIp: '127.0.0.1',
    sessions: { successful: 3, failed: { 'certificate-expired': 2 } },
  });
  const report = parseTlsReport(JSON.stringify(json), 'lab.json');
  expect(report.policies[0]).toMatchObject({ policyDomain: 'canary.test', successful: 3, failed: 2 });
  expect(report.policies[0].failureDetails).toEqual([expect.objectContaining({ resultType: 'certificate-expired', failedSessionCount: 2 })]);
  const clean = tlsReportJson({
    ...json,
    orgName: 'x',
    email: 'e@x',
    reportId: 'r2',
    begin,
    end: begin + 1,
    mxHost: 'm',
    domain: 'd.test',
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
