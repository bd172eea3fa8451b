/**
 * SPF to the letter of RFC 7208, one test per section, with zones written for the test
 * (documentation addresses, .test names).
 */
import { test, expect } from '@playwright/test';
import { fakeResolver, type FakeZone } from '../support/fake-resolver.ts';
import { evaluateSpf } from '../../src/posture/spf/evaluate.ts';
import { walkSpf } from '../../src/posture/spf/walk.ts';

const IP = '198.51.100.20';
const zone = (records: Record<string, string>, extra: FakeZone = {}): FakeZone => {
  const z: FakeZone = { ...extra };
  for (const [name, txt] of Object.entries(records)) z[name] = { ...(z[name] ?? {}), TXT: [txt] };
  return z;
};
const evalOne = async (record: string, opts: { helo?: string; from?: string; extra?: FakeZone; mode?: 'rfc7208' | 'lenient' } = {}) =>
  evaluateSpf(IP, opts.from ?? 'sender@own.test', opts.helo ?? 'mail.own.test', fakeResolver(zone({ 'own.test': record }, opts.extra)), {
    timeLimitMs: 2000,
    mode: opts.mode,
  });

test('§5.6: a bare "ip6" (no network) is a syntax error, permerror, even for an IPv4 client', async () => {
  expect((await evalOne('v=spf1 -all ip6')).result).toBe('permerror');
  expect((await evalOne('v=spf1 ip6:2001:db8::/32 ip4:198.51.100.0/24 -all')).result).toBe('pass');
});

test('§6.2: "exp=" needs a domain-spec; "exp=-all" and an empty "exp=" are permerror', async () => {
  expect((await evalOne('v=spf1 exp=-all')).result).toBe('permerror');
  expect((await evalOne('v=spf1 exp= -all')).result).toBe('permerror');
});

test('§6: exp= and redirect= each at most once, else permerror', async () => {
  const extra = zone({ 'msg.own.test': 'Not from here', 'other.test': 'v=spf1 -all' });
  expect((await evalOne('v=spf1 exp=msg.own.test -all exp=msg.own.test', { extra })).result).toBe('permerror');
  expect((await evalOne('v=spf1 redirect=other.test redirect=other.test', { extra })).result).toBe('permerror');
  const once = await evalOne('v=spf1 exp=msg.own.test -all', { extra });
  expect(once).toMatchObject({ result: 'fail', explanation: 'Not from here' });
});

test('§7.1: "%" must be followed by "{", "%", "_" or "-"; c, r, t only in exp text; unknown letters are errors', async () => {
  expect((await evalOne('v=spf1 -exists:%(ir).bl.own.test ?all')).result).toBe('permerror');
  expect((await evalOne('v=spf1 exists:foo%.bl.own.test ?all')).result).toBe('permerror');
  expect((await evalOne('v=spf1 -all exp=%{r}.own.test')).result).toBe('permerror');
  expect((await evalOne('v=spf1 a:%{a}.own.test -all')).result).toBe('permerror');
});

test('§4.6.1, A.3: an unknown mechanism anywhere in the record is permerror; unknown modifiers are ignored', async () => {
  expect((await evalOne('v=spf1 ip4:198.51.100.20 -all moo')).result).toBe('permerror');
  expect((await evalOne('v=spf1 ip4:198.51.100.20 -all moo=cow')).result).toBe('pass');
});

test('§4.3, §2.3, §7.1: the domain-spec is checked before macro expansion; an invalid HELO in %{h} makes the term not match', async () => {
  const extra: FakeZone = { 'mail.own.test': { A: [IP] } };
  // a valid HELO expands to a name that matches
  expect((await evalOne('v=spf1 a:%{h} -all', { helo: 'mail.own.test', extra })).result).toBe('pass');
  // "JUMPIN' JUPITER" and a domain literal are no FQDN: no match, so "-all" decides (not permerror)
  expect((await evalOne('v=spf1 a:%{h} -all', { helo: "JUMPIN' JUPITER", extra })).result).toBe('fail');
  expect((await evalOne('v=spf1 a:%{h} -all', { helo: `[${IP}]`, extra })).result).toBe('fail');
  // the HELO identity itself (null reverse-path) of a name that is no FQDN has no policy: none
  const r = await evaluateSpf(IP, '', 'OEMCOMPUTER', fakeResolver(zone({})), { timeLimitMs: 2000 });
  expect(r.result).toBe('none');
});

test('lenient mode exists for comparison with receivers that accept sloppy records', async () => {
  expect((await evalOne('v=spf1 -all ip6', { mode: 'lenient' })).result).toBe('fail');
  expect((await evalOne('v=spf1 -all ip6')).result).toBe('permerror');
});

test('own-record lint (walkSpf): every RFC 7208 syntax error of the record is a failing problem', async () => {
  const cases: Array<[string, RegExp]> = [
    ['v=spf1 -all ip6', /ip6/],
    ['v=spf1 exp=-all', /domain-spec/],
    ['v=spf1 exp=a.own.test -all exp=b.own.test', /more than 1 exp/],
    ['v=spf1 redirect=a.own.test redirect=a.own.test', /more than 1 redirect/],
    ['v=spf1 exists:foo%.own.test -all', /%/],
    ['v=spf1 ip4:198.51.100.20 moo -all', /Unknown mechanism/],
    ['v=spf1 a:own.test\rptr -all', /printable US-ASCII/],
  ];
  for (const [record, msg] of cases) {
    const w = await walkSpf('own.test', fakeResolver(zone({ 'own.test': record }, { 'own.test': { A: [IP] } })));
    const p = w.problems.find((x) => x.code === 'syntax');
    expect(p, record).toBeDefined();
    expect(p!.level).toBe('fail');
    expect(p!.message).toMatch(msg);
    expect(p!.message).toContain('permerror');
  }
  const clean = await walkSpf('own.test', fakeResolver(zone({ 'own.test': 'v=spf1 ip4:198.51.100.0/24  -all' })));
  expect(clean.problems.filter((x) => x.code === 'syntax')).toEqual([]);
});

test('§4.5, §5.2: an include target among other TXT records, reached again through a CNAME alias, is no loop', async () => {
  const extra: FakeZone = {
    'spf.partner.test': {
      TXT: ['site-verification=4711', 'v=spf1 ip4:203.0.113.0/24 ?include:relay.partner.test -all', 'Another TXT record.'],
    },
    'alias.own.test': { CNAME: 'spf.partner.test.' },
    'relay.partner.test': { TXT: ['v=spf1 a -all'], A: ['198.51.100.77'] },
  };
  const record = 'v=spf1 include:spf.partner.test include:alias.own.test -all';
  const resolver = () => fakeResolver(zone({ 'own.test': record }, extra));
  const at = (ip: string) => evaluateSpf(ip, 'sender@own.test', 'mail.own.test', resolver(), { timeLimitMs: 2000 });
  // an unlisted client: both includes are evaluated in full (3 lookups each) and do not match
  const unlisted = await at(IP);
  expect(unlisted.result).toBe('fail');
  expect(unlisted.lookups?.count).toBe(6);
  expect((await at('203.0.113.5')).result).toBe('pass');
  // the relay's "a" matches under "?include": the partner's result is neutral, which no include matches
  expect((await at('198.51.100.77')).result).toBe('fail');
  const walk = await walkSpf('own.test', resolver());
  expect(walk.problems.filter((p) => p.level === 'fail')).toEqual([]);
  expect(walk.lookups).toBe(6);
  expect(walk.root.children.map((c) => [c.via, c.domain, c.record])).toEqual([
    ['include', 'spf.partner.test', 'v=spf1 ip4:203.0.113.0/24 ?include:relay.partner.test -all'],
    ['include', 'alias.own.test', 'v=spf1 ip4:203.0.113.0/24 ?include:relay.partner.test -all'],
  ]);
});
