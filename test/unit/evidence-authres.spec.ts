import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parseAuthResults, parseArcAuthResults } from '../../src/evidence/index.ts';
import { compareParse } from '../../scripts/support/authres-compare.ts';
import type { ExpectedParse } from '../../scripts/support/authres-compare.ts';

interface Case {
  id: string;
  header: string;
  expected: ExpectedParse;
  props_complete?: boolean;
}

const cases = JSON.parse(readFileSync(new URL('../fixtures/evidence/authres-grammar.json', import.meta.url), 'utf8')) as Case[];

test.describe('Authentication-Results grammar (own fixtures)', () => {
  for (const c of cases) {
    test(c.id, () => {
      const diffs = compareParse(parseAuthResults(c.header), c.expected, { propsComplete: c.props_complete });
      expect(diffs).toEqual([]);
    });
  }
});

test('comments are kept per result, in order', () => {
  const p = parseAuthResults('mx.google.com; dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=a.example (tail)');
  expect(p.ok).toBe(true);
  if (!p.ok) return;
  expect(p.header.results[0].comments).toEqual(['p=REJECT sp=REJECT dis=NONE', 'tail']);
});

test('leniencies are recorded as warnings', () => {
  const p = parseAuthResults('mx.example.org; dkim=pass header.b=ab/cd x-bits=1024;');
  expect(p.ok).toBe(true);
  if (!p.ok) return;
  expect(p.header.warnings).toEqual(expect.arrayContaining(['trailing ";"', 'property without ptype', 'special characters in an unquoted value']));
  expect(p.header.results[0].props).toEqual({ 'header.b': 'ab/cd', 'x-bits': '1024' });
});

test('semantic error keeps the parse and flags the result', () => {
  const p = parseAuthResults('mx.example.org; spf=pass; dkim=hardfail header.d=a.example');
  expect(p.ok).toBe(false);
  if (p.ok) return;
  expect(p.error.kind).toBe('semantic');
  expect(p.error.message).toContain('dkim=hardfail');
  expect(p.header?.results.map((r) => [r.method, r.registered])).toEqual([
    ['spf', true],
    ['dkim', false],
  ]);
});

test('syntax errors carry an offset and quote the input safely', () => {
  const p = parseAuthResults('mx.example.org; spf=pass\r\nX-Injected: yes stray');
  expect(p.ok).toBe(false);
  if (p.ok) return;
  expect(p.error.kind).toBe('syntax');
  expect(p.error.offset).toBeGreaterThan(0);
  expect(p.error.message).not.toContain('\n');
});

test('ARC-Authentication-Results: instance and payload', () => {
  const p = parseArcAuthResults('i=2; mx.google.com; dkim=pass header.i=@a.example; spf=pass smtp.mailfrom=a.example');
  expect(p.ok).toBe(true);
  if (!p.ok) return;
  expect(p.header.instance).toBe(2);
  expect(p.header.authservId).toBe('mx.google.com');
  expect(p.header.results.map((r) => r.method)).toEqual(['dkim', 'spf']);
  expect(parseArcAuthResults('mx.google.com; dkim=pass').ok).toBe(false);
  const big = parseArcAuthResults('i=51; mx.google.com; none');
  expect(big.ok).toBe(false);
  if (!big.ok) expect(big.error.message).toContain('1..50');
});

test('oversized header is refused with a clear error', () => {
  const p = parseAuthResults('mx.example.org; ' + 'spf=pass; '.repeat(10_000));
  expect(p.ok).toBe(false);
  if (!p.ok) expect(p.error.message).toMatch(/over the \d+ limit/);
});
