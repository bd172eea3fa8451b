import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { readServerLog } from '../../src/server-log/read.ts';
import { parseEnvelope } from '../../src/server-log/envelope.ts';
import { parseLogLine } from '../../src/server-log/parse-line.ts';
import { syslogTime } from './server-log-fixtures.ts';

const NOW = Date.UTC(2026, 11, 1, 20, 0, 0);
const UTC = { now: NOW, utcOffsetMinutes: 0 };

test.describe('log line envelopes', () => {
  test('classic syslog (RFC 3164), as /var/log/mail.log and Postfix maillog_file write it', () => {
    const at = NOW - 64_000;
    const r = parseEnvelope(`${syslogTime(at)} mail postfix/smtp[2104]: 4ZkQ7w1Lh2z9sRH: removed`, UTC);
    expect(r).toEqual({ time: at, host: 'mail', program: 'postfix/smtp', pid: 2104, message: '4ZkQ7w1Lh2z9sRH: removed' });
    // single-digit day padded with a space, a syslog_name with a slash, fractional seconds
    const f = parseEnvelope('Dec  1 19:28:56.123456 mail postfix/submission/smtpd[77]: connect from unknown[198.51.100.7]', UTC);
    expect(f).toMatchObject({ time: Date.UTC(2026, 11, 1, 19, 28, 56, 123), program: 'postfix/submission/smtpd', pid: 77 });
    // with the priority in front, as read off the wire
    expect(parseEnvelope('<22>Dec  1 19:28:56 mail postfix/qmgr[9]: x', UTC)).toMatchObject({ program: 'postfix/qmgr', message: 'x' });
  });

  test('the year of a year-less line is the one that puts it at or before the clock', () => {
    const newYear = { now: Date.UTC(2027, 0, 1, 0, 10, 0), utcOffsetMinutes: 0 };
    expect(parseEnvelope('Dec 31 23:59:58 mail postfix/smtp[1]: x', newYear)?.time).toBe(Date.UTC(2026, 11, 31, 23, 59, 58));
    expect(parseEnvelope('Jan  1 00:05:00 mail postfix/smtp[1]: x', newYear)?.time).toBe(Date.UTC(2027, 0, 1, 0, 5, 0));
    // a day ahead of the clock is last year's (the log is older than the clock, never newer)
    expect(parseEnvelope('Dec  3 10:00:00 mail postfix/smtp[1]: x', UTC)?.time).toBe(Date.UTC(2025, 11, 3, 10, 0, 0));
    // a few hours ahead is clock skew between server and this machine, still this year
    expect(parseEnvelope('Dec  1 22:00:00 mail postfix/smtp[1]: x', UTC)?.time).toBe(Date.UTC(2026, 11, 1, 22, 0, 0));
    // the zone offset applies to zone-less times: 20:28 at +01:00 is 19:28 UTC
    expect(parseEnvelope('Dec  1 20:28:56 mail postfix/smtp[1]: x', { now: NOW, utcOffsetMinutes: 60 })?.time).toBe(Date.UTC(2026, 11, 1, 19, 28, 56));
  });

  test('ISO timestamps (rsyslog file format) with and without a zone', () => {
    expect(parseEnvelope('2026-12-01T19:28:56.123456+00:00 mail postfix/smtp[2104]: 4Xyz: removed', UTC)).toEqual({
      time: Date.UTC(2026, 11, 1, 19, 28, 56, 123),
      host: 'mail',
      program: 'postfix/smtp',
      pid: 2104,
      message: '4Xyz: removed',
    });
    expect(parseEnvelope('2026-12-01T20:28:56+01:00 mail postfix/qmgr[5]: x', UTC)?.time).toBe(Date.UTC(2026, 11, 1, 19, 28, 56));
    expect(parseEnvelope('2026-12-01T19:28:56Z mail postfix/qmgr[5]: x', UTC)?.time).toBe(Date.UTC(2026, 11, 1, 19, 28, 56));
  });

  test('RFC 5424 with and without structured data', () => {
    const r = parseEnvelope('<22>1 2026-12-01T19:28:56.003Z mail.example.org postfix/smtp 2104 - - 4Xyz: removed', UTC);
    expect(r).toEqual({ time: Date.UTC(2026, 11, 1, 19, 28, 56, 3), host: 'mail.example.org', program: 'postfix/smtp', pid: 2104, message: '4Xyz: removed' });
    const sd = parseEnvelope(
      '<22>1 2026-12-01T19:28:56Z mail postfix/qmgr - - [timeQuality tzKnown="1" isSynced="1"][origin ip="192.0.2.25"] \uFEFF4Xyz: removed',
      UTC,
    );
    expect(sd).toMatchObject({ program: 'postfix/qmgr', message: '4Xyz: removed' });
    expect(sd?.pid).toBeUndefined();
  });

  test('journald JSON export: MESSAGE, SYSLOG_IDENTIFIER, _PID, __REALTIME_TIMESTAMP', () => {
    const us = (Date.UTC(2026, 11, 1, 19, 28, 56) * 1000 + 123456).toString();
    const line = JSON.stringify({ __REALTIME_TIMESTAMP: us, _HOSTNAME: 'mail', SYSLOG_IDENTIFIER: 'postfix/smtp', _PID: '2104', MESSAGE: '4Xyz: removed' });
    expect(parseEnvelope(line, UTC)).toEqual({
      time: Date.UTC(2026, 11, 1, 19, 28, 56, 123),
      host: 'mail',
      program: 'postfix/smtp',
      pid: 2104,
      message: '4Xyz: removed',
    });
    // a message that is not valid UTF-8 comes as an array of bytes
    const bytes = JSON.stringify({ SYSLOG_IDENTIFIER: 'postfix/qmgr', MESSAGE: [...Buffer.from('4Xyz: removed')] });
    expect(parseEnvelope(bytes, UTC)?.message).toBe('4Xyz: removed');
    expect(parseEnvelope('{"MESSAGE": 5}', UTC)).toBeNull();
    expect(parseEnvelope('{"MESSAGE": "x", ', UTC)).toBeNull();
  });

  test("Exim's own main log, with pid and zone when log_selector adds them", () => {
    expect(parseEnvelope('2026-12-01 19:28:56 1rAbCd-000123-Xy Completed', UTC)).toEqual({
      time: Date.UTC(2026, 11, 1, 19, 28, 56),
      program: 'exim',
      message: '1rAbCd-000123-Xy Completed',
    });
    expect(parseEnvelope('2026-12-01 20:28:56.250 +0100 [4242] 1rAbCd-000123-Xy Completed', UTC)).toMatchObject({
      time: Date.UTC(2026, 11, 1, 19, 28, 56, 250),
      pid: 4242,
    });
  });

  test('garbage, truncated and unknown formats are garbage, never a throw', () => {
    for (const bad of [
      '',
      'hello world',
      'Dec',
      'Foo  1 19:28:56 mail postfix/smtp[1]: x',
      '2026-12-01',
      '{',
      '\u0000\u0001\u0002',
      'Dec  1 19:28',
      '<999999>1 x',
    ]) {
      expect(() => parseLogLine(bad, UTC)).not.toThrow();
      expect(parseLogLine(bad, UTC).kind, JSON.stringify(bad)).not.toBe('events');
    }
    expect(parseLogLine('Dec  1 19:28', UTC).kind).toBe('garbage');
    // a readable line of another daemon is ignored, not garbage
    expect(parseLogLine('Dec  1 19:28:56 mail dovecot: imap-login: Login: user=<x>', UTC).kind).toBe('ignored');
    expect(parseLogLine('Dec  1 19:28:56 mail postfix/smtpd[5]: connect from unknown[198.51.100.7]', UTC).kind).toBe('ignored');
  });
});

test.describe('hostile log input', () => {
  const REAL = [
    'Dec  1 19:28:56 mail postfix/smtp[2104]: 3F1A22C0B9: to=<u@example.net>, relay=mx.example.net[2001:db8::25]:25, delay=1.2, delays=0.1/0.01/1.1/0, dsn=4.7.1, status=deferred (host mx.example.net[2001:db8::25] said: 451 4.7.1 Try again later (in reply to RCPT TO command))',
    '2026-12-01 19:30:01 1rAbCd-000123-Xy ** jane@example.net R=dnslookup T=remote_smtp H=mx.example.net [203.0.113.5]: SMTP error from remote mail server after RCPT TO:<jane@example.net>: 550 5.1.1 User unknown',
    JSON.stringify({
      __REALTIME_TIMESTAMP: '1796153336000000',
      SYSLOG_IDENTIFIER: 'postfix/qmgr',
      _PID: '9',
      MESSAGE: '3F1A22C0B9: from=<a@example.org>, size=10, nrcpt=1 (queue active)',
    }),
    '<22>1 2026-12-01T19:28:56Z mail postfix/qmgr 5 - - 3F1A22C0B9: removed',
  ];

  test('arbitrary strings and real lines cut at every position: data, never a throw', async () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => ['events', 'ignored', 'garbage'].includes(parseLogLine(s, UTC).kind)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...REAL), fc.nat(), fc.string({ maxLength: 20 }), (line, cut, junk) => {
        const at = cut % (line.length + 1);
        const r = parseLogLine(line.slice(0, at) + junk, UTC);
        return ['events', 'ignored', 'garbage'].includes(r.kind);
      }),
      { numRuns: 3000 },
    );
    // a record cut inside the sender's address, closed again by junk: a line of data, not a throw
    const cut = REAL[2].slice(0, REAL[2].indexOf('from=<') + 8) + '"}';
    expect(['ignored', 'garbage']).toContain(parseLogLine(cut, UTC).kind);
    const lines = REAL.flatMap((l) => Array.from({ length: l.length + 1 }, (_, i) => l.slice(0, i)));
    const r = await readServerLog(lines, { now: NOW, since: NOW - 86_400_000, utcOffsetMinutes: 0 });
    expect(r.stats.lines).toBe(lines.length);
    expect(r.stats.used + r.stats.ignored + r.stats.garbage).toBe(lines.length);
  });
});
