import { test, expect } from '@playwright/test';
import { cachingResolver, createResolver, lookup, parseServer, resolverWithTimeout } from '../../src/shared/dns/resolver.ts';
import { fakeResolver } from '../support/fake-resolver.ts';
import { canonicalIp, ptrName, sameIp } from '../../src/shared/dns/names.ts';
import { evaluateSpf } from '../../src/posture/spf/evaluate.ts';
import { startMiniDns } from '../fixtures/posture/mini-dns.ts';

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code,
  );

test.describe('fakeResolver', () => {
  const r = fakeResolver({
    'a.test': { A: ['192.0.2.1'], TXT: ['v=spf1 -all', ['part1', 'part2']] },
    'alias.test': { CNAME: 'a.test' },
    'deep.sub.test': { A: ['192.0.2.2'] },
    '*.wild.test': { A: ['127.0.0.2'] },
  });
  test('node:dns semantics', async () => {
    expect(await r('A.Test.', 'A')).toEqual(['192.0.2.1']);
    expect(await r('a.test', 'TXT')).toEqual([['v=spf1 -all'], ['part1', 'part2']]);
    expect(await codeOf(r('nope.test', 'A'))).toBe('ENOTFOUND');
    expect(await codeOf(r('a.test', 'MX'))).toBe('ENODATA');
    // empty non-terminal: exists, no data (RFC 8020)
    expect(await codeOf(r('sub.test', 'A'))).toBe('ENODATA');
    expect(await r('alias.test', 'A')).toEqual(['192.0.2.1']);
    expect(await r('alias.test', 'CNAME')).toEqual(['a.test']);
    expect(await r('1.2.0.192.wild.test', 'A')).toEqual(['127.0.0.2']);
    expect(r.queries.length).toBeGreaterThan(5);
  });
  test('hooks: failures, latency, hang', async () => {
    const f = fakeResolver({ 'a.test': { A: ['192.0.2.1'] } }, { fail: (n) => (n === 'a.test' ? 'ESERVFAIL' : undefined), latencyMs: 20 });
    const t0 = performance.now();
    expect(await codeOf(f('a.test', 'A'))).toBe('ESERVFAIL');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
    const hang = resolverWithTimeout(fakeResolver({}, { fail: () => 'hang' }), 50);
    expect(await codeOf(hang('a.test', 'A'))).toBe('ETIMEOUT');
  });
  test('lookup() returns data, never throws for DNS outcomes', async () => {
    expect(await lookup(r, 'a.test', 'A')).toEqual({ ok: true, records: ['192.0.2.1'] });
    expect(await lookup(r, 'nope.test', 'A')).toEqual({ ok: false, none: true, code: 'ENOTFOUND' });
    const t = await lookup(resolverWithTimeout(fakeResolver({}, { fail: () => 'hang' }), 20), 'x.test', 'A');
    expect(t).toMatchObject({ ok: false, none: false, code: 'ETIMEOUT', error: 'DNS timeout' });
  });
  test('cachingResolver asks each question once and hands out copies', async () => {
    const base = fakeResolver({ 'a.test': { MX: [{ exchange: 'mx.a.test', priority: 10 }] } });
    const c = cachingResolver(base);
    const [x, y] = await Promise.all([c('a.test', 'MX'), c('A.TEST.', 'MX')]);
    x[0].priority = 99;
    expect(y[0].priority).toBe(10);
    expect((await c('a.test', 'MX'))[0].priority).toBe(10);
    expect(base.queries.length).toBe(1);
  });
});

test.describe('names', () => {
  test('PTR names (RFC 1035 3.5, RFC 3596 2.5)', () => {
    expect(ptrName('192.0.2.25')).toBe('25.2.0.192.in-addr.arpa');
    expect(ptrName('2001:db8::25')).toBe('5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
    expect(ptrName('::ffff:192.0.2.1')).toBe('1.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa');
    expect(() => ptrName('mail.test')).toThrow(/not an IP address/);
    expect(sameIp('2001:DB8:0:0::25', '2001:db8::25')).toBe(true);
    expect(sameIp('192.0.2.1', '::ffff:192.0.2.1')).toBe(false);
    expect(canonicalIp('2001:db8::1')).toHaveLength(32);
  });
  test('parseServer', () => {
    expect(parseServer('127.0.0.1:5353')).toBe('127.0.0.1:5353');
    expect(parseServer('[::1]:53')).toBe('[::1]:53');
    expect(parseServer('::1')).toBe('::1');
    expect(() => parseServer('resolver.test')).toThrow(/not an IP address/);
  });
});

test.describe('createResolver against a local UDP DNS server', () => {
  test('answers, NXDOMAIN, REFUSED, timeout; and mailauth SPF through it', async () => {
    const dns = await startMiniDns({
      A: { 'mail.lab.test': ['192.0.2.25'] },
      TXT: { 'lab.test': ['v=spf1 a:mail.lab.test -all'] },
      MX: { 'lab.test': [{ priority: 10, exchange: 'mail.lab.test' }] },
      refuse: ['refused.test'],
      silent: ['silent.test'],
    });
    try {
      const r = createResolver({ servers: [`127.0.0.1:${dns.port}`], timeoutMs: 200, tries: 1 });
      expect(await r('mail.lab.test', 'A')).toEqual(['192.0.2.25']);
      expect(await r('lab.test', 'TXT')).toEqual([['v=spf1 a:mail.lab.test -all']]);
      expect(await r('lab.test', 'MX')).toEqual([{ priority: 10, exchange: 'mail.lab.test' }]);
      expect(await codeOf(r('nope.lab.test', 'A'))).toBe('ENOTFOUND');
      expect(await codeOf(r('refused.test', 'A'))).toBe('EREFUSED');
      expect(await codeOf(r('silent.test', 'A'))).toBe('ETIMEOUT');
      expect((await evaluateSpf('192.0.2.25', 'a@lab.test', 'mail.lab.test', r)).result).toBe('pass');
      expect((await evaluateSpf('192.0.2.99', 'a@lab.test', 'mail.lab.test', r)).result).toBe('fail');
    } finally {
      await dns.close();
    }
  });
});
