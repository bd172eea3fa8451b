/**
 * The RFC 8601 §2.2 grammar construct by construct, with headers written for the test
 * (example.org / .example names), and the IANA registry checks (RFC 8601 §6).
 */
import { test, expect } from '@playwright/test';
import { parseAuthResults } from '../../src/evidence/authres.ts';
import type { AuthResHeader } from '../../src/evidence/authres.ts';

/** The header of a parse that must succeed. */
function header(value: string): AuthResHeader {
  const p = parseAuthResults(value);
  if (!p.ok) throw new Error(`${JSON.stringify(value)}: ${p.error.kind} error: ${p.error.message}`);
  return p.header;
}

test('CFWS: comments before and after every token, before "=", after values, nested with quoted-pairs', () => {
  const h = header(
    '(lead) mx.example.org (id) 1 (ver) ; (semi) dkim (m) / (s) 1 (v) = (eq) pass (res) reason (r) = (r2) "ok" (after) header (p) . (q) d (n) = (x) a.example (tail (nested \\) still) \\( out)',
  );
  expect(h).toMatchObject({ authservId: 'mx.example.org', version: '1', strict: true, violations: [] });
  const r = h.results[0];
  expect(r).toMatchObject({ method: 'dkim', methodVersion: '1', result: 'pass', reason: 'ok', props: { 'header.d': 'a.example' } });
  // the last comment is kept verbatim, quoted-pairs and all: the nesting closed at the matching ")"
  expect(r.comments.at(-1)).toBe('tail (nested \\) still) \\( out');
  expect(r.comments).toEqual(expect.arrayContaining(['res', 'after', 'p', 'q', 'x']));
});

test('quoted-string values: quoted-pairs are unescaped, ";" and "(" inside are data', () => {
  const h = header('mx.example.org; dkim=fail reason="key \\"k1\\" (old); back\\\\slash" header.d="a.example"');
  expect(h.results[0].reason).toBe('key "k1" (old); back\\slash');
  expect(h.results[0].props['header.d']).toBe('a.example');
  expect(h.strict).toBe(true);
});

test('"none" without any method, with version, comments and upper case', () => {
  for (const v of ['mx.example.org; none', 'mx.example.org 1 (v1) ; (c) NONE (c2)', 'mx.example.org;\r\n\tnone']) {
    const h = header(v);
    expect(h.results, v).toEqual([]);
    expect(h.strict, v).toBe(true);
  }
  expect(header('mx.example.org 1; none').version).toBe('1');
  // "none" is the only resinfo allowed then
  expect(parseAuthResults('mx.example.org; none; spf=pass').ok).toBe(false);
});

test('versions after the authserv-id and after methods, with CFWS around "/"', () => {
  const h = header('mx.example.org 1; dkim/1=pass header.d=a.example; spf (c) / (d) 1 = fail smtp.mailfrom=a.example');
  expect(h.version).toBe('1');
  expect(h.results.map((r) => [r.method, r.methodVersion, r.result])).toEqual([
    ['dkim', '1', 'pass'],
    ['spf', '1', 'fail'],
  ]);
  const bad = parseAuthResults('mx.example.org; dkim/v1=pass');
  expect(!bad.ok && bad.error.kind).toBe('syntax');
});

test('reason=: one, right after the result; a second one or one after the properties is a violation', () => {
  const one = header('mx.example.org; dmarc=fail reason="p=reject" header.from=a.example');
  expect(one.results[0].reason).toBe('p=reject');
  expect(one.strict).toBe(true);
  const two = header('mx.example.org; dkim=fail reason=first reason="second" header.d=a.example');
  expect(two.results[0].reason).toBe('first');
  expect(two.strict).toBe(false);
  expect(two.violations.map((v) => v.message)).toEqual([expect.stringContaining('second reason=')]);
  const late = header('mx.example.org; dkim=fail header.d=a.example reason="late"');
  expect(late.results[0].reason).toBe('late');
  expect(late.violations.map((v) => v.message)).toEqual([expect.stringContaining('after the properties')]);
});

test('local-part@domain values: Dot-string with atext specials, a quoted local-part, "@domain" alone', () => {
  const h = header(
    'mx.example.org; spf=pass smtp.mailfrom=bounce+id=7/x?y@a.example; dkim=pass header.i=@a.example; auth=pass smtp.auth="first last"@a.example',
  );
  expect(h.results.map((r) => Object.values(r.props)[0])).toEqual(['bounce+id=7/x?y@a.example', '@a.example', '"first last"@a.example']);
  expect(h.strict).toBe(true);
  // the part after "@" must be a domain-name of two labels or more (RFC 6376 §3.5)
  const single = header('mx.example.org; spf=pass smtp.mailfrom=user@localhost');
  expect(single.results[0].props['smtp.mailfrom']).toBe('user@localhost');
  expect(single.strict).toBe(false);
  const quotedBad = header('mx.example.org; auth=pass smtp.auth="a b"@-bad.example');
  expect(quotedBad.strict).toBe(false);
});

test('empty and missing values: "" is valid, "prop=" is a violation read as "", "prop" alone a syntax error', () => {
  const quoted = header('mx.example.org; spf=pass smtp.mailfrom="" smtp.helo=h.a.example');
  expect(quoted.results[0].props).toEqual({ 'smtp.mailfrom': '', 'smtp.helo': 'h.a.example' });
  expect(quoted.strict).toBe(true);
  const empty = header('mx.example.org; spf=pass smtp.mailfrom= (c) smtp.helo=h.a.example; dkim=pass header.d=');
  expect(empty.results.map((r) => r.props)).toEqual([{ 'smtp.mailfrom': '', 'smtp.helo': 'h.a.example' }, { 'header.d': '' }]);
  expect(empty.strict).toBe(false);
  expect(empty.violations.filter((v) => v.message.includes('empty value'))).toHaveLength(2);
  const missing = parseAuthResults('mx.example.org; spf=pass smtp.mailfrom; dkim=pass');
  expect(!missing.ok && missing.error.kind).toBe('syntax');
});

test('registry: unknown methods, ptypes and properties are read and listed, registered ones are not', () => {
  const h = header('mx.example.org; x-tls=pass smtp.tlsversion=TLSv1.3; dkim=pass foo.bar=1 header.d=a.example; arc=pass smtp.client-ip=192.0.2.9');
  expect(h.results.map((r) => `${r.method}=${r.result}`)).toEqual(['x-tls=pass', 'dkim=pass', 'arc=pass']);
  expect(h.results[1].props).toEqual({ 'foo.bar': '1', 'header.d': 'a.example' });
  expect(h.strict).toBe(true);
  const listed = h.unregistered.map((u) => u.message);
  expect(listed).toEqual([
    expect.stringContaining('method "x-tls"'),
    expect.stringContaining('ptype "foo"'),
    expect.stringContaining('property "smtp.client-ip" is not registered for the arc method'),
  ]);
  expect(h.unregistered.every((u) => u.kind === 'semantic' && typeof u.offset === 'number')).toBe(true);
  const known = header(
    'mx.example.org; arc=pass smtp.remote-ip=192.0.2.9 header.oldest-pass=0; smime=pass body.smime-identifier=u@a.example body.smime-part=1; dkim=pass header.d=a.example header.i=@a.example header.a=rsa-sha256 header.s=s1 header.b=abc; iprev=pass policy.iprev=192.0.2.9; dnswl=pass dns.zone=list.example policy.ip=127.0.10.1; rrvs=pass smtp.rcptto=u@a.example',
  );
  expect(known.unregistered).toEqual([]);
  // an unregistered result of a registered method stays a semantic error, with the parse kept
  const bad = parseAuthResults('mx.example.org; spf=ok smtp.mailfrom=a.example');
  expect(!bad.ok && bad.error.kind).toBe('semantic');
  expect(!bad.ok && bad.header?.results[0].props).toEqual({ 'smtp.mailfrom': 'a.example' });
});

test('a trailing ";" is a violation; the results are kept', () => {
  const h = header('mx.example.org; spf=pass smtp.mailfrom=a.example; dkim=pass header.d=a.example ;  ');
  expect(h.results).toHaveLength(2);
  expect(h.strict).toBe(false);
  expect(h.warnings).toContain('trailing ";"');
});

test('upper-case keywords: methods, results, ptypes and properties fold to lower case, values do not', () => {
  const h = header('MX.Example.ORG; SPF=PASS SMTP.MAILFROM=User@A.Example; DKIM/1=Pass Header.D=A.Example Reason="Good"');
  expect(h.authservId).toBe('MX.Example.ORG');
  expect(h.results.map((r) => [r.method, r.result, r.props, r.registered])).toEqual([
    ['spf', 'pass', { 'smtp.mailfrom': 'User@A.Example' }, true],
    ['dkim', 'pass', { 'header.d': 'A.Example' }, true],
  ]);
  // reason after the property, but read case-insensitively
  expect(h.results[1].reason).toBe('Good');
});

test('authserv-id as a quoted-string, with quoted-pairs and UTF-8 (RFC 8616 §3)', () => {
  expect(header('"mx\\"1.example.org" (c); none').authservId).toBe('mx"1.example.org');
  expect(header('"mx.bücher.example"; none').authservId).toBe('mx.bücher.example');
  const unquoted = parseAuthResults('mx.bücher.example; none');
  expect(!unquoted.ok && unquoted.error.kind).toBe('syntax');
});

test('RFC 8616: UTF-8 local-parts and U-label domains are grammar-valid values', () => {
  const h = header('mx.example.org; dkim=pass header.i=jörg@bücher.example header.d=bücher.example; spf=pass smtp.mailfrom="jörg müller"@bücher.example');
  expect(h.results[0].props).toEqual({ 'header.i': 'jörg@bücher.example', 'header.d': 'bücher.example' });
  expect(h.results[1].props['smtp.mailfrom']).toBe('"jörg müller"@bücher.example');
  expect(h.strict).toBe(true);
});

test('a property name after the "." must be a Keyword: anything else is a violation, read leniently', () => {
  const h = header('mx.example.org; dkim=pass header.d=a.example policy.x.y=1');
  expect(h.results[0].props).toEqual({ 'header.d': 'a.example', 'policy.x.y': '1' });
  expect(h.violations.map((v) => v.message)).toEqual([expect.stringContaining('property "policy.x.y"')]);
  expect(header('mx.example.org; dkim=pass header.d=a.example header.s=sel-1').strict).toBe(true);
});

test('an ARC-Authentication-Results payload given as Authentication-Results: read, with the instance, and reported', () => {
  const h = header('i=2; relay.example.org; spf=pass smtp.mailfrom=a.example; dkim=pass header.i=@a.example');
  expect(h).toMatchObject({ authservId: 'relay.example.org', instance: 2, strict: false });
  expect(h.results.map((r) => `${r.method}=${r.result}`)).toEqual(['spf=pass', 'dkim=pass']);
  expect(h.violations[0].message).toContain('RFC 8617 §4.1.2');
  // "i=" anywhere else is an ordinary (unregistered) method
  const later = header('mx.example.org; i=1; spf=pass');
  expect(later.results.map((r) => r.method)).toEqual(['i', 'spf']);
  expect(later.instance).toBeUndefined();
});

test('Keyword is an Ldh-str: "_" in a method, result or property is read and reported', () => {
  const h = header('mx.example.org; x_scan=no_virus smtp.mail_from=a.example');
  expect(h.results[0]).toMatchObject({ method: 'x_scan', result: 'no_virus', props: { 'smtp.mail_from': 'a.example' } });
  expect(h.violations.map((v) => v.message)).toEqual([
    expect.stringContaining('"x_scan"'),
    expect.stringContaining('"no_virus"'),
    expect.stringContaining('"smtp.mail_from"'),
  ]);
});
