import { test, expect } from '@playwright/test';
import { fakeResolver } from '../support/fake-resolver.ts';
import type { FakeZone } from '../support/fake-resolver.ts';
import { DEFAULT_LISTS, parseListSpec } from '../../src/posture/lists/list-data.ts';
import { decodeListAnswer, listQueryName, queryList } from '../../src/posture/lists/query.ts';
import { checkList, checkTld } from '../../src/posture/checks/lists.ts';
import { hostOf, isSuspiciousTld, SUSPICIOUS_TLDS, SUSPICIOUS_TLD_SOURCE } from '../../src/knowledge/tld-reputation.ts';
import { postureContext } from '../../src/posture/run.ts';
import { healthyConfig } from '../fixtures/posture/zones.ts';

const zen = DEFAULT_LISTS.find((l) => l.zone === 'zen.spamhaus.org')!;
const dbl = DEFAULT_LISTS.find((l) => l.zone === 'dbl.spamhaus.org')!;
const dnswl = DEFAULT_LISTS.find((l) => l.zone === 'list.dnswl.org')!;
const lab = parseListSpec('bl.lab.test:ip4+ip6');

// one fake list zone answering each kind of answer
const zone: FakeZone = {
  '2.0.0.127.zen.spamhaus.org': { A: ['127.0.0.2', '127.0.0.4'], TXT: ['Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL1'] },
  '10.2.0.192.zen.spamhaus.org': { A: ['127.0.0.10'] },
  '20.2.0.192.zen.spamhaus.org': { A: ['127.255.255.254'] },
  '30.2.0.192.zen.spamhaus.org': { A: ['198.51.100.1'] },
  'bad.test.dbl.spamhaus.org': { A: ['127.0.1.4'] },
  '25.2.0.192.list.dnswl.org': { A: ['127.0.5.2'] },
  '26.2.0.192.list.dnswl.org': { A: ['127.0.0.255'] },
  '5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.lab.test': { A: ['127.0.0.2'] },
};
const ctx = (hooks = {}) => postureContext(healthyConfig(), fakeResolver(zone, hooks), { queryTimeoutMs: 100 });

test.describe('DNS lists', () => {
  test('query names follow RFC 5782', () => {
    expect(listQueryName(zen, '192.0.2.10')).toBe('10.2.0.192.zen.spamhaus.org');
    expect(listQueryName(zen, '2001:db8::25')).toBe('5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org');
    expect(listQueryName(dbl, 'Bad.Test.')).toBe('bad.test.dbl.spamhaus.org');
  });

  test('listed, not listed and resolver refused are told apart', async () => {
    const listed = await checkList(zen, '127.0.0.2', ctx());
    expect(listed.status).toBe('fail');
    expect(listed.summary).toContain('SBL: Spamhaus Block List');
    expect(listed.summary).toContain('XBL');
    expect(listed.details?.reason).toContain('SBL1');
    expect(listed.fix).toContain('https://check.spamhaus.org/');

    const clean = await checkList(zen, '192.0.2.99', ctx());
    expect(clean.status).toBe('pass');
    expect(clean.details?.outcome).toBe('not-listed');

    const refused = await checkList(zen, '192.0.2.20', ctx());
    expect(refused.status).toBe('unknown');
    expect(refused.summary).toMatch(/^unknown: use your own resolver/);
    expect(refused.summary).toContain('public/open resolver');
    expect(refused.fix).toContain('MAILCANARY_DNS_SERVERS');
  });

  test('PBL listing is a failure with its meaning', async () => {
    const r = await checkList(zen, '192.0.2.10', ctx());
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('PBL');
  });

  test('answers outside 127/8 (NXDOMAIN rewriting) are unknown, never listed', async () => {
    const r = await checkList(zen, '192.0.2.30', ctx());
    expect(r.status).toBe('unknown');
    expect(r.summary).toContain('outside 127.0.0.0/8');
  });

  test('REFUSED rcode and timeouts are unknown', async () => {
    const refused = await queryList(zen, '192.0.2.99', fakeResolver(zone, { fail: () => 'EREFUSED' }));
    expect(refused.outcome).toBe('refused');
    const r = await checkList(zen, '192.0.2.99', ctx({ fail: () => 'ETIMEOUT' }));
    expect(r.status).toBe('unknown');
    expect(r.summary).toContain('DNS timeout');
    const hang = await checkList(zen, '192.0.2.99', ctx({ fail: () => 'hang' }));
    expect(hang.status).toBe('unknown');
  });

  test('DBL domain listing', async () => {
    const r = await checkList(dbl, 'bad.test', ctx());
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('phishing domain');
    expect((await checkList(dbl, 'good.test', ctx())).status).toBe('pass');
  });

  test('dnswl.org category and trust are decoded; its refusal code is unknown', async () => {
    const r = await checkList(dnswl, '192.0.2.25', ctx());
    expect(r.status).toBe('pass');
    expect(r.details?.dnswl).toEqual([{ category: 5, categoryName: 'service/network providers', trust: 2, trustName: 'medium' }]);
    expect((await checkList(dnswl, '192.0.2.26', ctx())).status).toBe('unknown');
    const not = await checkList(dnswl, '192.0.2.27', ctx());
    expect(not.status).toBe('pass');
    expect(not.summary).toContain('not on dnswl.org');
  });

  test('an extra lab list works for IPv6', async () => {
    const r = await checkList(lab, '2001:db8::25', ctx());
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('listed (127.0.0.2)');
  });

  test('decodeListAnswer is pure', () => {
    expect(decodeListAnswer(zen, []).outcome).toBe('not-listed');
    expect(decodeListAnswer(zen, ['127.255.255.252']).outcome).toBe('refused');
    expect(decodeListAnswer(zen, ['127.0.0.3']).meanings[0]).toContain('SBL CSS');
    expect(decodeListAnswer(dbl, ['127.0.1.255']).outcome).toBe('refused');
  });

  test('the list set covers the issue and declares families', () => {
    expect(DEFAULT_LISTS.map((l) => l.zone)).toEqual([
      'zen.spamhaus.org',
      'dbl.spamhaus.org',
      'b.barracudacentral.org',
      'bl.spamcop.net',
      'psbl.surriel.com',
      'bl.mailspike.net',
      'dnsbl-1.uceprotect.net',
      'list.dnswl.org',
    ]);
    expect(() => parseListSpec('not a zone')).toThrow(/is not a DNS zone/);
    expect(() => parseListSpec('bl.lab.test:ip4:maybe')).toThrow(/"allow" or "block"/);
  });
});

test.describe('suspicious TLDs', () => {
  test('isSuspiciousTld works on hosts, URLs and addresses', () => {
    expect(isSuspiciousTld('promo.example.top')).toBe(true);
    expect(isSuspiciousTld('https://Click.Example.XYZ./path?q=1')).toBe(true);
    expect(isSuspiciousTld('user@mail.example.tk')).toBe(true);
    expect(isSuspiciousTld('canary.test')).toBe(false);
    expect(isSuspiciousTld('example.com')).toBe(false);
    expect(isSuspiciousTld('top')).toBe(false);
    expect(isSuspiciousTld('not a url ://')).toBe(false);
    expect(hostOf('https://a.b.test:8443/x')).toBe('a.b.test');
  });

  test('the data carries its source and date', () => {
    expect(SUSPICIOUS_TLD_SOURCE.source).toContain('Spamhaus');
    expect(SUSPICIOUS_TLD_SOURCE.compiled).toMatch(/^\d{4}-\d{2}$/);
    expect(new Set(SUSPICIOUS_TLDS.map((t) => t.tld)).size).toBe(SUSPICIOUS_TLDS.length);
  });

  test('check warns with a fix', async () => {
    const r = await checkTld('news.example.top');
    expect(r.status).toBe('warn');
    expect(r.fix).toContain('.top');
    expect((await checkTld('canary.test')).status).toBe('pass');
  });
});
