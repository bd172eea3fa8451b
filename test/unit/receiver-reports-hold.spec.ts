import { expect, test } from '@playwright/test';
import type { MessageRecord } from '../../src/record/types.ts';
import { holdAgainst, sentToReporter } from '../../src/receiver-reports/hold.ts';
import type { AggregateRecord, AggregateReport } from '../../src/receiver-reports/types.ts';

const BEGIN = Date.parse('2026-11-30T00:00:00Z');

function rec(ip: string, count: number, dkim = 'pass', spf = 'pass'): AggregateRecord {
  return {
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
  };
}

function report(records: AggregateRecord[], org = 'google.com', email = 'noreply-dmarc-support@google.com'): AggregateReport {
  return {
    kind: 'aggregate',
    orgName: org,
    orgEmail: email,
    extraContactInfo: null,
    reportId: 'g-1',
    begin: '2026-11-30T00:00:00Z',
    end: '2026-11-30T23:59:59Z',
    xmlSchema: '1.0',
    namespace: null,
    generator: null,
    errors: [],
    policy: { domain: 'canary.test', adkim: 'r', aspf: 'r', p: 'reject', sp: 'reject', pct: null, fo: null, np: null, testing: null, discoveryMethod: null },
    recordCount: records.length,
    totalCount: records.reduce((n, r) => n + r.count, 0),
    records,
  };
}

function msg(n: number, ip: string | null, auth: Record<string, string>, over: Partial<MessageRecord> = {}): MessageRecord {
  return {
    runId: 'mc1',
    seedId: 'gmail',
    provider: 'gmail',
    variant: `v${n}`,
    verdict: 'inbox',
    testStatus: 'passed',
    address: 'me@gmail.com',
    submittedAt: BEGIN + 3_600_000 * (n + 1),
    auth,
    evidence: {
      fromDomain: 'canary.test',
      received: ip ? { acceptance: { ip: { address: ip, family: ip.includes(':') ? 'ipv6' : 'ipv4' } } } : {},
      // the seed's detail: signatures and the SPF identity of canary.test itself, so aligned
      dkim: auth.dkim ? [{ result: auth.dkim, domain: 'canary.test', alignment: 'strict' }] : [],
      ...(auth.spf ? { spf: { result: auth.spf, domain: 'canary.test', identity: 'mailfrom', alignment: 'strict' } } : {}),
      ...(auth.dmarc ? { dmarc: { result: auth.dmarc } } : {}),
    },
    ...over,
  };
}

test('the receiver of a report is found by its domain, the preset list or the seed address', () => {
  expect(sentToReporter(msg(0, '192.0.2.25', {}), report([]))).toBe(true);
  expect(sentToReporter(msg(0, '192.0.2.25', {}, { provider: 'gmx', address: 'me@gmx.de' }), report([]))).toBe(false);
  // lab and custom seeds: the seed's own domain
  expect(sentToReporter(msg(0, '::1', {}, { provider: 'custom', address: 'seed@gmail.lab.test' }), report([], 'gmail.lab.test', 'dmarc@gmail.lab.test'))).toBe(
    true,
  );
  expect(sentToReporter(msg(0, '::1', {}, { provider: 'gmx', address: 'x@gmx.net' }), report([], 'GMX', 'noreply-dmarc@sicher.gmx.net'))).toBe(true);
});

test('test mail is held against the report per sending IP, with the differences flagged', () => {
  const messages = [
    msg(0, '2001:db8::25', { dkim: 'pass', spf: 'pass', dmarc: 'pass' }),
    msg(1, '2001:db8::25', { dkim: 'pass', spf: 'pass', dmarc: 'pass' }),
    msg(2, '192.0.2.25', { dkim: 'pass', spf: 'pass', dmarc: 'pass' }),
    msg(3, '198.51.100.7', { dkim: 'pass', spf: 'fail', dmarc: 'pass' }),
    msg(4, null, {}, { verdict: 'missing' }),
    // outside the window, another receiver, another From domain: not held against this report
    msg(5, '192.0.2.25', { dkim: 'pass' }, { submittedAt: BEGIN - 1000 }),
    msg(6, '192.0.2.25', { dkim: 'pass' }, { provider: 'outlook', address: 'me@outlook.com' }),
    msg(7, '192.0.2.25', { dkim: 'pass' }, { evidence: { fromDomain: 'other.example', received: { acceptance: { ip: { address: '192.0.2.25' } } } } }),
  ];
  const held = holdAgainst(report([rec('2001:db8::25', 5), rec('192.0.2.25', 1, 'fail', 'fail'), rec('203.0.113.66', 40, 'fail', 'fail')]), messages);
  expect(held).toMatchObject({ reporter: 'google.com', reportId: 'g-1', domain: 'canary.test', unattributed: 1 });
  expect(held.rows.map((r) => [r.ip, r.sent, r.reported?.count ?? null, r.flags])).toEqual([
    ['192.0.2.25', 1, 1, ['dkim-differs', 'spf-differs', 'dmarc-differs']],
    ['198.51.100.7', 1, null, ['ip-absent']],
    ['2001:db8::25', 2, 5, []],
  ]);
  expect(held.rows[2].seen.dkim).toEqual({ pass: 2 });
  expect(held.rows[0].reported).toMatchObject({ dkim: { fail: 1 }, dmarc: { fail: 1 }, disposition: { none: 1 } });
  // fewer messages in the report than mailcanary sent through the IP
  const under = holdAgainst(report([rec('2001:db8::25', 1)]), messages.slice(0, 2));
  expect(under.rows[0].flags).toEqual(['count-below-sent']);
});

test('the seed side is compared as DMARC-aligned results, not the raw Authentication-Results', () => {
  const ip = '198.51.100.25';
  // dkim=pass and spf=pass at the seed, but from an ESP's signature and bounce domain: DMARC fails
  const viaEsp = msg(
    0,
    ip,
    { dkim: 'pass', spf: 'pass', dmarc: 'fail' },
    {
      evidence: {
        fromDomain: 'canary.test',
        received: { acceptance: { ip: { address: ip } } },
        dkim: [{ result: 'pass', domain: 'esp.example', alignment: 'none' }],
        spf: { result: 'pass', domain: 'bounces.esp.example', identity: 'mailfrom', alignment: 'none' },
        dmarc: { result: 'fail' },
      },
    },
  );
  const espReport = report([rec(ip, 1, 'fail', 'fail')]);
  const held = holdAgainst(espReport, [viaEsp]);
  expect(held.rows[0].seen).toEqual({ dkim: { fail: 1 }, spf: { fail: 1 }, dmarc: { fail: 1 } });
  // the raw results (dkim=pass, spf=pass) would have flagged dkim-differs and spf-differs here
  expect(viaEsp.auth).toMatchObject({ dkim: 'pass', spf: 'pass' });
  expect(held.rows[0].flags).toEqual([]);
  // the same report against mail that did align: the receiver's fail is a real difference
  const aligned = holdAgainst(espReport, [msg(1, ip, { dkim: 'pass', spf: 'pass', dmarc: 'pass' })]);
  expect(aligned.rows[0].flags).toEqual(['dkim-differs', 'spf-differs', 'dmarc-differs']);
  // adkim=s: a relaxed match (a subdomain signing) is not aligned
  const relaxed = msg(
    2,
    ip,
    { dkim: 'pass' },
    {
      evidence: {
        fromDomain: 'canary.test',
        received: { acceptance: { ip: { address: ip } } },
        dkim: [{ result: 'pass', domain: 'mail.canary.test', alignment: 'relaxed' }],
      },
    },
  );
  const strict = report([rec(ip, 1, 'fail', 'fail')]);
  strict.policy.adkim = 's';
  expect(holdAgainst(strict, [relaxed]).rows[0].seen.dkim).toEqual({ fail: 1 });
  expect(holdAgainst(report([rec(ip, 1, 'pass', 'fail')]), [relaxed]).rows[0].seen.dkim).toEqual({ pass: 1 });
  // evidence stored without per-signature detail: unknown, never compared
  const bare = msg(3, ip, { dkim: 'pass' }, { evidence: { fromDomain: 'canary.test', received: { acceptance: { ip: { address: ip } } } } });
  const unknown = holdAgainst(espReport, [bare]);
  expect(unknown.rows[0].seen.dkim).toEqual({ unknown: 1 });
  expect(unknown.rows[0].flags).toEqual([]);
});
