import { expect, test } from '@playwright/test';
import { reportFindings } from '../../src/receiver-reports/findings.ts';
import type { SourceRow } from '../../src/receiver-reports/sources.ts';
import type { AggregateRecord, AggregateReport, TlsReport } from '../../src/receiver-reports/types.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const rec = (ip: string, count: number): AggregateRecord => ({
  sourceIp: ip,
  count,
  disposition: 'none',
  dkim: 'pass',
  spf: 'pass',
  overrideReasons: [],
  headerFrom: 'canary.test',
  envelopeFrom: null,
  envelopeTo: null,
  dkimResults: [],
  spfResults: [],
});
const agg = (org: string, end: string, records: AggregateRecord[]): AggregateReport => ({
  kind: 'aggregate',
  orgName: org,
  orgEmail: null,
  extraContactInfo: null,
  reportId: `${org}-${end}`,
  begin: end,
  end,
  xmlSchema: '1.0',
  namespace: null,
  generator: null,
  errors: [],
  policy: { domain: 'canary.test', adkim: 'r', aspf: 'r', p: 'reject', sp: 'reject', pct: null, fo: null, np: null, testing: null, discoveryMethod: null },
  recordCount: records.length,
  totalCount: 0,
  records,
});
const src = (ip: string, cls: SourceRow['class'], messages: number, pass: number, over: Partial<SourceRow> = {}): SourceRow => ({
  ip,
  class: cls,
  why: null,
  ptr: null,
  dnsError: null,
  messages,
  dmarcPass: pass,
  dmarcFail: messages - pass,
  reporters: ['google.com'],
  finding: cls === 'unknown' ? (pass > 0 ? 'unknown-passing' : 'spoofing') : null,
  ...over,
});
const tls = (failed: number): TlsReport => ({
  kind: 'tlsrpt',
  organizationName: 'Google Inc.',
  reportId: 't1',
  begin: '2026-11-30T00:00:00Z',
  end: '2026-11-30T23:59:59Z',
  contactInfo: null,
  policies: [
    {
      policyType: 'sts',
      policyDomain: 'canary.test',
      policyStrings: null,
      mxHosts: null,
      successful: 90,
      failed,
      failureDetails: failed
        ? [
            {
              resultType: 'certificate-expired',
              failedSessionCount: failed,
              sendingMtaIp: null,
              receivingIp: null,
              receivingMxHostname: null,
              receivingMxHelo: null,
              additionalInformation: null,
              failureReasonCode: null,
            },
          ]
        : [],
    },
  ],
});

test('report findings: new unknown sources, own pass rate, TLS failures, silent reporters', () => {
  const earlier = [
    agg('google.com', '2026-11-20T23:59:59Z', [rec('192.0.2.25', 10), rec('198.51.100.9', 1)]),
    agg('Yahoo', '2026-11-22T23:59:59Z', [rec('192.0.2.25', 3)]),
  ];
  const current = [agg('google.com', '2026-11-30T23:59:59Z', [rec('192.0.2.25', 100), rec('203.0.113.66', 7), rec('198.51.100.9', 2)])];
  const sources = [
    src('203.0.113.66', 'unknown', 7, 7, { ptr: 'crm.vendor.example' }),
    src('198.51.100.9', 'unknown', 2, 0),
    src('192.0.2.25', 'own', 100, 96),
    src('209.85.220.41', 'forwarder', 4, 4),
  ];
  const f = reportFindings({ now: NOW, current, earlier, tls: [tls(10), tls(0)], sources });
  expect(f.map((x) => x.kind)).toEqual(['new-unknown-source', 'pass-rate', 'tls-failures', 'reporter-silent']);
  expect(f[0].line).toBe(
    'new unknown source 203.0.113.66 (crm.vendor.example) sent 7 message(s) as your domain, 7 of them passing DMARC: a leaked account or a service you forgot (reported by google.com)',
  );
  expect(f[1].line).toMatch(/^DMARC pass rate of your own sources is 96\.0 % \(96 of 100 messages\), below 98\.0 %: check SPF and DKIM of 192\.0\.2\.25$/);
  expect(f[2].line).toContain('TLS: 10 of 100 session(s) to canary.test (sts) failed, certificate-expired ×10 (reported by Google Inc.');
  expect(f[3].line).toMatch(/^Yahoo has sent no aggregate report since 2026-11-22 \(8 days\)/);
  // all well: nothing to say
  expect(reportFindings({ now: NOW, current, earlier: current, tls: [tls(0)], sources: [src('192.0.2.25', 'own', 100, 100)], silentDays: 3 })).toEqual([]);
  expect(reportFindings({ now: NOW, current, earlier, tls: [], sources: [src('192.0.2.25', 'own', 100, 96)], passRateMin: 0.95, silentDays: 30 })).toEqual([]);
});
