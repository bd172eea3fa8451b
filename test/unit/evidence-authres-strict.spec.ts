import { test, expect } from '@playwright/test';
import { parseAuthResults } from '../../src/evidence/authres.ts';

test('comments anywhere CFWS is allowed, also around the "." of ptype.property (RFC 8601 §2.2)', () => {
  const p = parseAuthResults(
    'mx.example.net (c1) 1 (c2); spf (c3) = (c4) pass (c5) smtp (c6) . (c7) mailfrom (c8) = (c9) sender@example.org (c10); dkim=pass header.(c11)d=example.org header .i=@example.org',
  );
  expect(p.ok).toBe(true);
  if (!p.ok) return;
  expect(p.header).toMatchObject({ authservId: 'mx.example.net', version: '1', strict: true, violations: [] });
  expect(p.header.results[0]).toMatchObject({ method: 'spf', result: 'pass', props: { 'smtp.mailfrom': 'sender@example.org' } });
  expect(p.header.results[0].comments).toEqual(expect.arrayContaining(['c5', 'c7', 'c10']));
  expect(p.header.results[1].props).toEqual({ 'header.d': 'example.org', 'header.i': '@example.org' });
});

test('Microsoft result words: accepted in Microsoft headers, still a semantic error elsewhere', () => {
  const ms = parseAuthResults(
    'spf=pass (sender IP is 198.51.100.7) smtp.mailfrom=example.org; dkim=timeout (key query timed out) header.d=example.org;dmarc=bestguesspass action=none header.from=example.org;compauth=pass reason=109',
  );
  expect(ms.ok).toBe(true);
  if (ms.ok) expect(ms.header.results.map((r) => `${r.method}=${r.result}`)).toEqual(['spf=pass', 'dkim=timeout', 'dmarc=bestguesspass', 'compauth=pass']);
  const hotmail = parseAuthResults('hotmail.com; dmarc=bestguesspass action=none header.from=example.org');
  expect(hotmail.ok).toBe(true);
  const other = parseAuthResults('mx.example.net; dmarc=bestguesspass header.from=example.org');
  expect(other.ok).toBe(false);
  if (!other.ok) expect(other.error.kind).toBe('semantic');
  const dkim = parseAuthResults('mx.example.net; dkim=timeout header.d=example.org');
  expect(!dkim.ok && dkim.error.kind).toBe('semantic');
});

test('Microsoft stray domain segment after a real authserv-id is skipped, not fatal', () => {
  const p = parseAuthResults(
    'mx.microsoft.com 1; spf=pass smtp.mailfrom=example.org; outlook.com; dkim=pass header.d=example.org; dmarc=pass action=none header.from=example.org',
  );
  expect(p.ok).toBe(true);
  if (!p.ok) return;
  expect(p.header.results.map((r) => r.method)).toEqual(['spf', 'dkim', 'dmarc']);
  expect(p.header.strict).toBe(false);
  expect(p.header.violations[0].message).toContain('stray segment');
  // the same bare word in an ordinary receiver's header is still a syntax error
  const q = parseAuthResults('mx.example.net; spf=pass smtp.mailfrom=example.org; example.org; dkim=pass header.d=example.org');
  expect(!q.ok && q.error.kind).toBe('syntax');
});

test('unquoted values the grammar does not allow: a syntax violation reported, the lenient reading kept', () => {
  const p = parseAuthResults('mx.example.net; dkim=pass header.d=example.org header.b=Ab/Cd+9=; bimi=pass policy.authority-uri=https://example.org/a.pem');
  expect(p.ok).toBe(true);
  if (!p.ok) return;
  expect(p.header.results[0].props['header.b']).toBe('Ab/Cd+9=');
  expect(p.header.results[1].props['policy.authority-uri']).toBe('https://example.org/a.pem');
  expect(p.header.strict).toBe(false);
  expect(p.header.violations.length).toBeGreaterThanOrEqual(2);
  expect(p.header.violations.every((v) => v.kind === 'syntax' && typeof v.offset === 'number')).toBe(true);
  expect(p.header.violations[0].message).toContain('"Ab/Cd+9="');
  const clean = parseAuthResults('mx.example.net; dkim=pass header.d=example.org header.b="Ab/Cd+9="');
  expect(clean.ok && clean.header.strict).toBe(true);
});

test('a domain-valued property with an empty label is a grammar violation, still read', () => {
  const p = parseAuthResults('mx.example.net; dmarc=fail header.from=..example; dkim=pass header.i=@example.org');
  expect(p.ok).toBe(true);
  if (!p.ok) return;
  expect(p.header.results[0].props['header.from']).toBe('..example');
  expect(p.header.strict).toBe(false);
  expect(p.header.violations.map((v) => v.message)).toEqual([expect.stringContaining('header.from="..example" is not a domain-name')]);
});
