import { expect, test } from '@playwright/test';
import { fakeResolver } from '../support/fake-resolver.ts';
import { ptrName } from '../../src/shared/dns/names.ts';
import { classifySources } from '../../src/receiver-reports/sources.ts';
import type { AggregateRecord, AggregateReport } from '../../src/receiver-reports/types.ts';

const rec = (ip: string, count: number, dkim: string, spf: string): AggregateRecord => ({
  sourceIp: ip,
  count,
  disposition: 'none',
  dkim,
  spf,
  overrideReasons: [],
  headerFrom: 'canary.test',
  envelopeFrom: null,
  envelopeTo: null,
  dkimResults: [],
  spfResults: [],
});
const report = (org: string, records: AggregateRecord[]): AggregateReport => ({
  kind: 'aggregate',
  orgName: org,
  orgEmail: null,
  extraContactInfo: null,
  reportId: `${org}-1`,
  begin: '2026-11-30T00:00:00Z',
  end: '2026-11-30T23:59:59Z',
  xmlSchema: '1.0',
  namespace: null,
  generator: null,
  errors: [],
  policy: { domain: 'canary.test', adkim: 'r', aspf: 'r', p: 'reject', sp: 'reject', pct: null, fo: null, np: null, testing: null, discoveryMethod: null },
  recordCount: records.length,
  totalCount: 0,
  records,
});

test('sources: own servers, forward-confirmed forwarders, and unknown sources ranked by urgency', async () => {
  const resolver = fakeResolver(
    {
      [ptrName('209.85.220.41')]: { PTR: ['mail-sor-f41.google.com.'] },
      'mail-sor-f41.google.com': { A: ['209.85.220.41'] },
      // a PTR claiming Google on someone else's IP: not forward-confirmed, so not a forwarder
      [ptrName('203.0.113.66')]: { PTR: ['mail-fake.google.com'] },
      'mail-fake.google.com': { A: ['209.85.220.99'] },
      [ptrName('2001:db8:77::5')]: { PTR: ['crm.vendor.example'] },
      'crm.vendor.example': { AAAA: ['2001:db8:77::5'] },
    },
    { fail: (name) => (name === ptrName('198.51.100.9') ? 'ESERVFAIL' : undefined) },
  );
  const reports = [
    report('google.com', [rec('192.0.2.25', 40, 'pass', 'pass'), rec('209.85.220.41', 3, 'pass', 'fail'), rec('203.0.113.66', 12, 'fail', 'fail')]),
    report('Outlook.com', [
      rec('2001:db8::25', 9, 'pass', 'pass'),
      rec('2001:db8:77::5', 5, 'pass', 'fail'),
      rec('198.51.100.9', 1, 'fail', 'fail'),
      rec('192.0.2.25', 2, 'pass', 'pass'),
    ]),
  ];
  const rows = await classifySources(reports, { ownIps: ['192.0.2.25'], testIps: ['2001:db8::25'], resolver });
  expect(rows.map((r) => [r.ip, r.class, r.finding, r.messages])).toEqual([
    ['2001:db8:77::5', 'unknown', 'unknown-passing', 5],
    ['203.0.113.66', 'unknown', 'spoofing', 12],
    ['198.51.100.9', 'unknown', 'spoofing', 1],
    ['192.0.2.25', 'own', null, 42],
    ['2001:db8::25', 'own', null, 9],
    ['209.85.220.41', 'forwarder', null, 3],
  ]);
  const by = new Map(rows.map((r) => [r.ip, r]));
  expect(by.get('192.0.2.25')).toMatchObject({ why: 'configured sending IP', reporters: ['google.com', 'Outlook.com'], dmarcPass: 42 });
  expect(by.get('2001:db8::25')!.why).toBe('seen in test mail');
  expect(by.get('209.85.220.41')).toMatchObject({ ptr: 'mail-sor-f41.google.com', why: expect.stringContaining('Google') });
  expect(by.get('203.0.113.66')!.ptr).toBeNull();
  expect(by.get('2001:db8:77::5')).toMatchObject({ ptr: 'crm.vendor.example', dmarcPass: 5 });
  expect(by.get('198.51.100.9')!.dnsError).toMatch(/SERVFAIL/i);
});
