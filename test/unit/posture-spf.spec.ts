import { test, expect } from '@playwright/test';
import { fakeResolver } from '../support/fake-resolver.ts';
import type { FakeZone } from '../support/fake-resolver.ts';
import { walkSpf } from '../../src/posture/spf/walk.ts';
import { evaluateSpf } from '../../src/posture/spf/evaluate.ts';
import { checkSpfPass, checkSpfRecord } from '../../src/posture/checks/spf.ts';
import { postureContext } from '../../src/posture/run.ts';
import { healthyConfig, healthyZone, IP4, IP6 } from '../fixtures/posture/zones.ts';

const spfZone = (records: Record<string, string | string[]>, extra: FakeZone = {}): FakeZone => {
  const z: FakeZone = { ...extra };
  for (const [name, txt] of Object.entries(records)) z[name] = { ...(z[name] ?? {}), TXT: Array.isArray(txt) ? txt : [txt] };
  return z;
};
const ctxFor = (zone: FakeZone, hooks = {}) => postureContext(healthyConfig(), fakeResolver(zone, hooks), { queryTimeoutMs: 100, spfTimeLimitMs: 2000 });
const codes = (w: { problems: { code: string }[] }) => w.problems.map((p) => p.code);

test.describe('SPF walker (limits RFC 7208 section 4.6.4)', () => {
  test('a tree with 11 DNS-querying terms is caught', async () => {
    // root: 5 includes; each include has 1 "a" term; plus the root's own "mx" = 5 + 5 + 1 = 11
    const records: Record<string, string> = { 'big.test': 'v=spf1 include:i1.test include:i2.test include:i3.test include:i4.test include:i5.test mx -all' };
    const extra: FakeZone = { 'big.test': { MX: [{ exchange: 'mx.big.test', priority: 10 }] }, 'mx.big.test': { A: ['192.0.2.9'] } };
    for (let i = 1; i <= 5; i++) {
      records[`i${i}.test`] = `v=spf1 a:h${i}.test -all`;
      extra[`h${i}.test`] = { A: [`198.51.100.${i}`] };
    }
    const w = await walkSpf('big.test', fakeResolver(spfZone(records, extra)));
    expect(w.lookups).toBe(11);
    expect(codes(w)).toContain('lookup-limit');
    const r = await checkSpfRecord('big.test', ctxFor(spfZone(records, extra)));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('11 DNS-querying terms');
    expect(r.fix).toContain('ip4:/ip6:');
    // exactly 10 is still fine
    records['i5.test'] = 'v=spf1 ip4:198.51.100.5 -all';
    const ok = await walkSpf('big.test', fakeResolver(spfZone(records, extra)));
    expect(ok.lookups).toBe(10);
    expect(codes(ok)).not.toContain('lookup-limit');
    // and mailauth's own evaluation agrees: an IP that matches nothing hits the limit on the 11-term tree
  });

  test('mailauth evaluation of the 11-lookup tree gives permerror for an unlisted IP', async () => {
    const records: Record<string, string> = { 'big.test': 'v=spf1 ' + Array.from({ length: 11 }, (_, i) => `a:h${i}.test`).join(' ') + ' -all' };
    const extra: FakeZone = {};
    for (let i = 0; i < 11; i++) extra[`h${i}.test`] = { A: [`198.51.100.${i + 1}`] };
    const e = await evaluateSpf('203.0.113.7', 'x@big.test', 'mail.big.test', fakeResolver(spfZone(records, extra)));
    expect(e.result).toBe('permerror');
  });

  test('a redirect loop is caught', async () => {
    const zone = spfZone({ 'loop.test': 'v=spf1 redirect=loop2.test', 'loop2.test': 'v=spf1 ip4:192.0.2.1 redirect=loop.test' });
    const w = await walkSpf('loop.test', fakeResolver(zone));
    expect(codes(w)).toContain('loop');
    expect(w.problems.find((p) => p.code === 'loop')?.message).toBe('redirect loop: loop.test → loop2.test → loop.test');
    const r = await checkSpfRecord('loop.test', ctxFor(zone));
    expect(r.status).toBe('fail');
    expect(r.fix).toContain('Break the loop');
    const e = await evaluateSpf('203.0.113.7', 'x@loop.test', 'h.loop.test', fakeResolver(zone));
    expect(e.result).toBe('permerror');
  });

  test('an include loop is caught', async () => {
    const w = await walkSpf('a.test', fakeResolver(spfZone({ 'a.test': 'v=spf1 include:b.test -all', 'b.test': 'v=spf1 include:a.test -all' })));
    expect(w.problems.find((p) => p.code === 'loop')?.message).toContain('include loop: a.test → b.test → a.test');
  });

  test('a void-lookup storm is caught', async () => {
    const zone = spfZone({ 'void.test': 'v=spf1 a:gone1.void.test mx:gone2.void.test exists:gone3.void.test include:gone4.test ip4:192.0.2.25 -all' });
    const w = await walkSpf('void.test', fakeResolver(zone));
    expect(w.voidLookups).toBe(4);
    expect(w.voidNames).toEqual(['gone1.void.test', 'gone2.void.test', 'gone3.void.test', 'gone4.test']);
    const r = await checkSpfRecord('void.test', ctxFor(zone));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('4 void lookups');
    expect(r.fix).toContain('gone1.void.test');
    // two void lookups are allowed
    const two = await walkSpf('v2.test', fakeResolver(spfZone({ 'v2.test': 'v=spf1 a:gone1.v2.test a:gone2.v2.test -all' })));
    expect(two.voidLookups).toBe(2);
    expect(codes(two)).not.toContain('void-limit');
  });

  const cases: [string, string, string, 'fail' | 'warn'][] = [
    ['+all', 'v=spf1 ip4:192.0.2.25 +all', 'plus-all', 'fail'],
    ['bare all', 'v=spf1 ip4:192.0.2.25 all', 'plus-all', 'fail'],
    ['?all', 'v=spf1 ip4:192.0.2.25 ?all', 'neutral-all', 'fail'],
    ['ptr', 'v=spf1 ptr ip4:192.0.2.25 -all', 'ptr', 'warn'],
    ['no all', 'v=spf1 ip4:192.0.2.25', 'no-all', 'warn'],
    ['syntax', 'v=spf1 ip4:192.0.2.300 -all', 'syntax', 'fail'],
    ['unknown mechanism', 'v=spf1 ip4:192.0.2.25 foo:bar -all', 'syntax', 'fail'],
  ];
  for (const [name, record, code, status] of cases) {
    test(`flags ${name}`, async () => {
      const zone = spfZone({ 'x.test': record });
      const w = await walkSpf('x.test', fakeResolver(zone));
      expect(codes(w)).toContain(code);
      const r = await checkSpfRecord('x.test', ctxFor(zone));
      expect(r.status).toBe(status);
      expect(r.fix && r.fix.length).toBeGreaterThan(10);
    });
  }

  test('redirect target supplies the effective all', async () => {
    const w = await walkSpf('r.test', fakeResolver(spfZone({ 'r.test': 'v=spf1 redirect=_spf.r.test', '_spf.r.test': 'v=spf1 ip4:192.0.2.1 ?all' })));
    expect(w.all).toBe('?');
    expect(codes(w)).toContain('neutral-all');
  });

  test('an include that ends in +all authorises everyone', async () => {
    const w = await walkSpf('x.test', fakeResolver(spfZone({ 'x.test': 'v=spf1 include:lazy.test -all', 'lazy.test': 'v=spf1 +all' })));
    expect(codes(w)).toContain('include-plus-all');
  });

  test('two SPF records, no SPF record, include without record', async () => {
    const two = await checkSpfRecord('x.test', ctxFor(spfZone({ 'x.test': ['v=spf1 -all', 'v=spf1 ip4:192.0.2.1 -all'] })));
    expect(two.status).toBe('fail');
    expect(two.summary).toContain('2 SPF records');
    const none = await checkSpfRecord('x.test', ctxFor(spfZone({ 'x.test': 'some other txt' })));
    expect(none.status).toBe('fail');
    expect(none.fix).toContain(`v=spf1 ip4:${IP4} ip6:${IP6} ~all`);
    const inc = await walkSpf('x.test', fakeResolver(spfZone({ 'x.test': 'v=spf1 include:empty.test -all', 'empty.test': 'not spf' })));
    expect(codes(inc)).toContain('include-none');
  });

  test('DNS timeout in the tree makes the record check unknown', async () => {
    const zone = spfZone({ 'x.test': 'v=spf1 include:slow.test -all', 'slow.test': 'v=spf1 -all' });
    const r = await checkSpfRecord('x.test', ctxFor(zone, { fail: (n: string) => (n === 'slow.test' ? 'ETIMEOUT' : undefined) }));
    expect(r.status).toBe('unknown');
    expect(r.summary).toContain('DNS timeout');
  });
});

test.describe('evaluateSpf (mailauth check_host through the injected resolver)', () => {
  const zone = spfZone({
    'pass.test': 'v=spf1 ip4:192.0.2.25 ip6:2001:db8::/32 -all',
    'soft.test': 'v=spf1 ip4:192.0.2.1 ~all',
    'neutral.test': 'v=spf1 ip4:192.0.2.1 ?all',
    'broken.test': 'v=spf1 ip4:192.0.2.1 include:nowhere.test -all',
    'exp.test': 'v=spf1 -all exp=why.exp.test',
    'why.exp.test': 'Not allowed from %{i}',
    'nospf.test': 'hello',
  });
  const r = fakeResolver(zone);
  const cases: [string, string, string][] = [
    ['192.0.2.25', 'a@pass.test', 'pass'],
    ['2001:db8::25', 'a@pass.test', 'pass'],
    ['203.0.113.9', 'a@pass.test', 'fail'],
    ['203.0.113.9', 'a@soft.test', 'softfail'],
    ['203.0.113.9', 'a@neutral.test', 'neutral'],
    ['203.0.113.9', 'a@nospf.test', 'none'],
    ['203.0.113.9', 'a@broken.test', 'permerror'],
  ];
  for (const [ip, from, result] of cases) {
    test(`${ip} ${from} → ${result}`, async () => {
      const e = await evaluateSpf(ip, from, 'mail.test', r);
      expect(e.result).toBe(result);
      expect(e.ip).toBe(ip);
    });
  }

  test('timeouts give temperror, never pass', async () => {
    const slow = fakeResolver(zone, { fail: () => 'ETIMEOUT' });
    expect((await evaluateSpf('192.0.2.25', 'a@pass.test', 'mail.test', slow)).result).toBe('temperror');
    const hang = fakeResolver(zone, { fail: () => 'hang' });
    const t0 = performance.now();
    expect((await evaluateSpf('192.0.2.25', 'a@pass.test', 'mail.test', hang, { timeLimitMs: 200 })).result).toBe('temperror');
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  test('the exp= text of a fail is returned sanitised', async () => {
    const e = await evaluateSpf('203.0.113.9', 'a@exp.test', 'mail.test', r);
    expect(e.result).toBe('fail');
    expect(e.explanation).toBe('Not allowed from 203.0.113.9');
  });
});

test.describe('spf check: sending IPs pass', () => {
  test('passes for the healthy zone, fails with the terms to add when an IP is missing', async () => {
    expect((await checkSpfPass('canary.test', ctxFor(healthyZone()))).status).toBe('pass');
    const z = healthyZone();
    z['canary.test'] = { ...z['canary.test'], TXT: ['v=spf1 ip4:192.0.2.25 ~all'] };
    const r = await checkSpfPass('canary.test', ctxFor(z));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('2001:db8::25 → softfail');
    expect(r.fix).toContain('Add "ip6:2001:db8::25" to the SPF record of canary.test');
  });

  test('temperror is unknown', async () => {
    const r = await checkSpfPass('canary.test', ctxFor(healthyZone(), { fail: (_n: string, t: string) => (t === 'TXT' ? 'ESERVFAIL' : undefined) }));
    expect(r.status).toBe('unknown');
  });
});
