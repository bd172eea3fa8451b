/**
 * How an SPF record is read from its TXT RR (RFC 7208 sections 3.3, 4.5) and how PTR names
 * that fail to resolve are skipped (section 5.5), with zones written for the test.
 */
import { test, expect } from '@playwright/test';
import { fakeResolver, type FakeZone } from '../support/fake-resolver.ts';
import { evaluateSpf } from '../../src/posture/spf/evaluate.ts';
import { walkSpf } from '../../src/posture/spf/walk.ts';

const IP = '198.51.100.30';
const OTHER = '198.51.100.99';
const check = (zone: FakeZone, ip = IP, from = 'someone@own.test') => evaluateSpf(ip, from, 'mail.own.test', fakeResolver(zone), { timeLimitMs: 2000 });

test('§4.5: a record that ends in spaces is valid (record = version terms *SP)', async () => {
  const zone: FakeZone = { 'own.test': { TXT: ['v=spf1 a -all  '], A: [IP] } };
  expect((await check(zone)).result).toBe('pass');
  expect((await check(zone, OTHER)).result).toBe('fail');
  const walk = await walkSpf('own.test', fakeResolver(zone));
  expect(walk.problems.filter((p) => p.code === 'syntax')).toEqual([]);
  expect(walk.all).toBe('-');
  // a space inside a term is still no separator for the term before it: "ip4: 198…" is bare ip4
  const split: FakeZone = { 'own.test': { TXT: ['v=spf1 ip4: 198.51.100.30 -all '] } };
  expect((await check(split)).result).toBe('permerror');
});

test('§4.5: white space before "v=spf1" is no SPF record, for the evaluation and for the lint', async () => {
  const zone: FakeZone = { 'own.test': { TXT: [' v=spf1 ip4:198.51.100.30 -all'] } };
  expect((await check(zone)).result).toBe('none');
  const walk = await walkSpf('own.test', fakeResolver(zone));
  expect(walk.problems.map((p) => [p.level, p.code])).toEqual([['fail', 'none']]);
  expect(walk.problems[0].message).toMatch(/white space before "v=spf1".*RFC 7208 section 4\.5/);
});

test('§4.5, §4.6.1: only spaces may trail a record; a trailing tab or CR is a syntax error in both', async () => {
  for (const tail of ['\t', '\r']) {
    const zone: FakeZone = { 'own.test': { TXT: [`v=spf1 ip4:198.51.100.30 -all${tail}`] } };
    expect((await check(zone)).result, JSON.stringify(tail)).toBe('permerror');
    const walk = await walkSpf('own.test', fakeResolver(zone));
    expect(walk.problems.find((p) => p.code === 'syntax')?.message, JSON.stringify(tail)).toContain('printable US-ASCII');
  }
});

test('§3.3: the character-strings of one TXT RR are glued with no separator', async () => {
  // the split falls inside the ip4 term: only gluing without a space yields ip4:198.51.100.30
  const zone: FakeZone = { 'own.test': { TXT: [['v=spf1 ip4:', '198.51.100.30 -all']] } };
  expect((await check(zone)).result).toBe('pass');
  expect((await check(zone, OTHER)).result).toBe('fail');
  const walk = await walkSpf('own.test', fakeResolver(zone));
  expect(walk.root.record).toBe('v=spf1 ip4:198.51.100.30 -all');
  expect(walk.problems.filter((p) => p.level === 'fail')).toEqual([]);
});

test('§3.3, §4.5: a TXT RR with no character-strings beside the SPF record is no record and no crash', async () => {
  const zone: FakeZone = { 'own.test': { TXT: [['v=spf1 ip4:', '198.51.100.30 -all'], []] } };
  expect((await check(zone)).result).toBe('pass');
  const walk = await walkSpf('own.test', fakeResolver(zone));
  expect(walk.problems.some((p) => p.code === 'multiple-records')).toBe(false);
  // an empty TXT RR alone is no SPF record: none for the evaluation, "none" for the lint
  const empty: FakeZone = { 'own.test': { TXT: [[]] } };
  expect((await check(empty)).result).toBe('none');
  expect((await walkSpf('own.test', fakeResolver(empty))).problems.map((p) => p.code)).toEqual(['none']);
});

test('§5.5: PTR names answered as absolute names (trailing dot) are validated and matched', async () => {
  const zone: FakeZone = {
    'own.test': { TXT: ['v=spf1 ptr -all'] },
    '30.100.51.198.in-addr.arpa': { PTR: ['mx.own.test.'] },
    'mx.own.test': { A: [IP], MX: [{ priority: 10, exchange: 'mx.own.test.' }] },
  };
  expect((await check(zone)).result).toBe('pass');
  // the same holds for MX exchanges written with the root dot
  const mx: FakeZone = { ...zone, 'own.test': { TXT: ['v=spf1 mx:mx.own.test -all'] } };
  expect((await check(mx)).result).toBe('pass');
  expect((await check(mx, OTHER)).result).toBe('fail');
});

test('§5.5: a PTR name whose address lookup fails (a CNAME loop) is skipped and the search goes on', async () => {
  const reverse = '30.100.51.198.in-addr.arpa';
  const loop: FakeZone = {
    'own.test': { TXT: ['v=spf1 ptr'] },
    [reverse]: { PTR: ['loop.own.test.'] },
    'loop.own.test': { CNAME: 'chain.own.test.' },
    'chain.own.test': { CNAME: 'chain.own.test.' },
  };
  const resolver = fakeResolver(loop);
  // no validated name: the ptr mechanism does not match and the default result is neutral
  const r = await evaluateSpf(IP, 'someone@own.test', 'mail.own.test', resolver, { timeLimitMs: 2000 });
  expect(r.result).toBe('neutral');
  // the looping name was looked up (and failed), not dropped unasked
  expect(resolver.queries).toContainEqual({ name: 'loop.own.test', rrtype: 'A' });
  // with a second PTR name that validates, the failing one is skipped and the second matches
  const second: FakeZone = { ...loop, [reverse]: { PTR: ['loop.own.test.', 'mx.own.test.'] }, 'mx.own.test': { A: [IP] } };
  expect((await check(second)).result).toBe('pass');
});

test('§4.6.1, §3.1: a line feed inside a record (one pasted over two lines) is a syntax error in both', async () => {
  const zone: FakeZone = {
    'own.test': { TXT: ['v=spf1 ip4:198.51.100.30\n include:spf.partner.test ~all'] },
    'spf.partner.test': { TXT: ['v=spf1 ip4:203.0.113.0/24 -all'] },
  };
  // "ip4:198.51.100.30\n" is no ip4 term: permerror even for the address it names
  expect((await check(zone)).result).toBe('permerror');
  expect((await check(zone, OTHER)).result).toBe('permerror');
  const walk = await walkSpf('own.test', fakeResolver(zone));
  const syntax = walk.problems.find((p) => p.code === 'syntax');
  expect(syntax?.level).toBe('fail');
  expect(syntax?.message).toContain('character "\\n" at position 24');
  // the same record on one line is valid
  const fixed: FakeZone = { ...zone, 'own.test': { TXT: ['v=spf1 ip4:198.51.100.30 include:spf.partner.test ~all'] } };
  expect((await check(fixed)).result).toBe('pass');
  expect((await walkSpf('own.test', fakeResolver(fixed))).problems.filter((p) => p.level === 'fail')).toEqual([]);
});
