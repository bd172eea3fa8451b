import { test, expect } from '@playwright/test';
import { tlsFindings, tlsResult, certNamesHost } from '../../src/server-checks/checks/tls-eval.ts';
import type { TlsObservation } from '../../src/server-checks/checks/tls-eval.ts';
import { namesResult, looksLikeMailHost } from '../../src/server-checks/checks/banner.ts';
import { reputationResult, REPUTATION_SERVICES } from '../../src/server-checks/checks/reputation.ts';
import { contactLinks, contactDetails, isContactPage } from '../../src/server-checks/web/contact.ts';
import { parseSmtpPorts, serverConfigFromEnv } from '../../src/server-checks/config.ts';

const now = new Date('2026-06-01T00:00:00Z');
const good: TlsObservation = {
  host: 'mx.example.org',
  ip: '192.0.2.1',
  port: 25,
  mode: 'starttls',
  authBeforeTls: [],
  starttlsOffered: true,
  protocol: 'TLSv1.3',
  authorized: true,
  cert: {
    subject: 'CN=mx.example.org',
    subjectAltName: 'DNS:mx.example.org, DNS:example.org',
    validFrom: 'May  1 00:00:00 2026 GMT',
    validTo: 'Aug  1 00:00:00 2026 GMT',
  },
  authAfterTls: [],
};
const opts = { minDays: 21, now, kind: 'mx' as const };

test('a good MX observation passes', () => {
  expect(tlsFindings(good, opts)).toEqual([]);
  expect(tlsResult({ id: 'tls', title: 't', target: 'example.org' }, [good], opts).status).toBe('pass');
});

test('expired, expiring, wrong name, old TLS, AUTH before TLS and no STARTTLS each fail with a fix', () => {
  const cases: [Partial<TlsObservation>, RegExp][] = [
    [{ cert: { ...good.cert!, validTo: 'May 20 00:00:00 2026 GMT' } }, /expired on 2026-05-20/],
    [{ cert: { ...good.cert!, validTo: 'Jun 10 00:00:00 2026 GMT' } }, /expires in 9 day/],
    [{ cert: { ...good.cert!, subject: 'CN=other.example', subjectAltName: 'DNS:other.example' } }, /not mx\.example\.org/],
    [{ protocol: 'TLSv1' }, /negotiated TLSv1/],
    [{ authBeforeTls: ['PLAIN', 'LOGIN'] }, /AUTH PLAIN LOGIN before TLS/],
    [{ starttlsOffered: false }, /does not offer STARTTLS/],
    [{ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, /self-signed/],
  ];
  for (const [change, expected] of cases) {
    const r = tlsResult({ id: 'tls', title: 't', target: 'x' }, [{ ...good, ...change }], opts);
    expect(r.status, JSON.stringify(change)).toBe('fail');
    expect(r.summary).toMatch(expected);
    expect(r.fix).toBeTruthy();
  }
});

test('timeouts are unknown, a closed 465 means "not in use", a wildcard certificate matches one label', () => {
  expect(tlsResult({ id: 'tls', title: 't', target: 'x' }, [{ ...good, cert: undefined, error: 'no reply', errorKind: 'timeout' }], opts).status).toBe(
    'unknown',
  );
  expect(tlsResult({ id: 'tls', title: 't', target: 'x' }, [{ ...good, port: 465, mode: 'implicit', closed: true }], { ...opts, kind: 'smtps' }).status).toBe(
    'pass',
  );
  expect(certNamesHost({ subjectAltName: 'DNS:*.example.org', validFrom: '', validTo: '' }, 'mx.example.org')).toBe(true);
  expect(certNamesHost({ subjectAltName: 'DNS:*.example.org', validFrom: '', validTo: '' }, 'a.mx.example.org')).toBe(false);
});

test('banner names must match the forward-confirmed PTR', () => {
  const dns = { ip: '192.0.2.1', ptr: ['mail.example.org'], confirmed: ['mail.example.org'] };
  const base = { id: 'banner', title: 'b', target: 'example.org' };
  expect(namesResult(base, [{ ip: '192.0.2.1', dns, greetingName: 'mail.example.org', ehloName: 'mail.example.org' }]).status).toBe('pass');
  const bad = namesResult(base, [{ ip: '192.0.2.1', dns, greetingName: 'vps123.hoster.test', ehloName: 'mail.example.org' }]);
  expect(bad.status).toBe('fail');
  expect(bad.fix).toContain('myhostname = mail.example.org');
  expect(namesResult(base, [{ ip: '192.0.2.1', dns: { ...dns, confirmed: [] }, heloName: 'mail.example.org' }]).summary).toMatch(/does not resolve back/);
  expect(namesResult(base, [{ ip: '192.0.2.1', dns: { ip: '192.0.2.1', ptr: [], confirmed: [] }, heloName: 'mail.example.org' }]).fix).toMatch(/PTR/);
  expect(looksLikeMailHost('mx1.example.org')).toBe(true);
  expect(looksLikeMailHost('server.example.org')).toBe(false);
  const dns2 = { ip: '192.0.2.1', ptr: ['web1.example.org'], confirmed: ['web1.example.org'] };
  expect(namesResult(base, [{ ip: '192.0.2.1', dns: dns2, heloName: 'web1.example.org' }]).status).toBe('warn');
});

test('reputation decoding and joining with block lists', () => {
  const [ss, ms] = REPUTATION_SERVICES;
  expect(ss.decode('127.0.4.92')).toMatchObject({ score: 92, status: 'pass' });
  expect(ss.decode('127.0.4.75')?.status).toBe('warn');
  expect(ss.decode('127.0.4.41')?.status).toBe('fail');
  expect(ss.decode('127.0.4.101')).toBeUndefined();
  expect(ms.decode('127.0.0.11')?.status).toBe('fail');
  expect(ms.decode('127.0.0.18')?.status).toBe('pass');
  const reading = (s: typeof ss, a: string) => ({ service: s.name, zone: s.zone, query: 'q', outcome: 'reading' as const, reading: s.decode(a)! });
  const list = { zone: 'bl.example', name: 'Example BL', kind: 'block' as const, covers: ['ip4' as const] };
  expect(
    reputationResult('192.0.2.1', [reading(ss, '127.0.4.92')], [{ list, answer: { outcome: 'not-listed', query: 'q', answers: [], meanings: [] } }]).status,
  ).toBe('pass');
  const listed = reputationResult(
    '192.0.2.1',
    [reading(ss, '127.0.4.92')],
    [{ list, answer: { outcome: 'listed', query: 'q', answers: ['127.0.0.2'], meanings: ['spam source'] } }],
  );
  expect(listed.status).toBe('fail');
  expect(listed.summary).toContain('Example BL');
  expect(reputationResult('192.0.2.1', [{ service: ss.name, zone: ss.zone, query: 'q', outcome: 'unknown', error: 'DNS timeout' }], []).status).toBe('unknown');
});

test('contact pages are found by link text or path, with contact details', () => {
  const html = '<a href="/">Home</a><footer><a href="/de/impressum.html">Rechtliches</a> <a class=x href=\'/kontakt\'>Kontakt</a></footer>';
  expect(contactLinks(html).map((l) => l.href)).toEqual(['/de/impressum.html', '/kontakt']);
  expect(contactLinks('<a href="javascript:alert(1)">Impressum</a>')).toEqual([]);
  expect(contactDetails('<p>Tel.: +49 30 1234567</p><a href="mailto:a@b.de">mail</a> Hauptstraße 1, 10115 Berlin')).toEqual([
    'e-mail address',
    'phone number',
    'postal address',
  ]);
  expect(isContactPage('<h1>Impressum</h1><p>info@example.org</p>')).toBe(true);
  expect(isContactPage('<h1>Welcome</h1><p>info@example.org</p>')).toBe(false);
});

test('configuration: ports, defaults and clear errors', () => {
  expect(parseSmtpPorts('mx:2525,smtps:off')).toEqual({ mx: 2525, submission: 587, smtps: null });
  expect(() => parseSmtpPorts('imap:143')).toThrow(/MAILCANARY_SMTP_PORTS.*role:port/);
  const c = serverConfigFromEnv({ MAIL_FROM: 'me@example.org', MAILCANARY_SENDING_IPS: '192.0.2.1' });
  expect(c.domains).toEqual(['example.org']);
  expect(c.ports).toEqual({ mx: 25, submission: 587, smtps: 465 });
  expect(c.webPort).toBe(443);
  expect(() =>
    serverConfigFromEnv({ MAIL_FROM: 'me@example.org', SMTP_TLS_CA_FILE: '/nope.pem' }, () => {
      throw new Error('ENOENT');
    }),
  ).toThrow(/SMTP_TLS_CA_FILE: cannot read \/nope.pem/);
  expect(() => serverConfigFromEnv({ MAIL_FROM: 'me@example.org', MAILCANARY_RELAY_PROBE_RCPT: 'nope' })).toThrow(/MAILCANARY_RELAY_PROBE_RCPT/);
});
