import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { parseBounce, adviceFor } from '../../src/classify/index.ts';

const fx = (name: string): Buffer => readFileSync(fileURLToPath(new URL(`../fixtures/bounces/${name}`, import.meta.url)));

test('Postfix DSN with the Telekom NOWL rejection: badreputation, hard, Telekom advice, tag found', () => {
  const r = parseBounce(fx('postfix-telekom.eml'));
  expect(r.kind).toBe('dsn');
  expect(r.recipients).toHaveLength(1);
  const x = r.recipients[0];
  expect(x.finalRecipient).toBe('seed@t-online.de');
  expect(x.status).toBe('5.7.1');
  expect(x.replyCode).toBe(554);
  expect(x.action).toBe('failed');
  expect(x.remoteMta).toBe('mx00.t-online.de');
  expect(['blocked', 'badreputation']).toContain(x.reason);
  expect(x.hardBounce).toBe(true);
  expect(r.returned.tag).toBe('abc123');
  expect(r.returned.messageId).toBe('<abc123@mailcanary.example.org>');
  expect(r.returned.envelopeFrom).toBe('canary+abc123@example.org');
  const advice = adviceFor({ diagnostic: x.diagnosticCode ?? '', status: x.status, remoteMta: x.remoteMta });
  expect(advice[0].provider).toContain('Telekom');
  expect(advice[0].action).toContain('tosa@rx.t-online.de');
});

test('Exim non-DSN bounce: userunknown from the RCPT TO transcript', () => {
  const r = parseBounce(fx('exim-userunknown.eml'));
  expect(r.kind).toBe('nonstandard-bounce');
  expect(r.recipients.map((x) => x.finalRecipient)).toEqual(['nobody@example.com']);
  expect(r.recipients[0]).toMatchObject({ reason: 'userunknown', status: '5.1.1', replyCode: 550, hardBounce: true });
  expect(r.returned.tag).toBe('ex1m');
});

test('Exchange Online NDR (quoted-printable text, S3150): blocked with Microsoft delisting advice', () => {
  const r = parseBounce(fx('exchange-ndr.eml'));
  expect(r.kind).toBe('dsn');
  expect(r.recipients[0]).toMatchObject({ finalRecipient: 'seed@outlook.com', reason: 'blocked', status: '5.7.1', replyCode: 550 });
  expect(r.returned.tag).toBe('ms1');
  expect(adviceFor({ diagnostic: r.recipients[0].diagnosticCode ?? '' }).map((a) => a.id)).toContain('microsoft-s3150');
});

test('Gmail plain-text failure: mailboxfull, sender not mistaken for the recipient', () => {
  const r = parseBounce(fx('gmail-nonstandard.eml'));
  expect(r.recipients[0]).toMatchObject({ finalRecipient: 'seed@example.net', reason: 'mailboxfull', status: '5.2.2', replyCode: 552 });
});

test('qmail: queue lifetime exceeded is expired', () => {
  const r = parseBounce(fx('qmail-expired.eml'));
  expect(r.recipients[0]).toMatchObject({ finalRecipient: 'seed@slow.example.com', reason: 'expired' });
});

test('ARF report is feedback, not a bounce', () => {
  const r = parseBounce(fx('arf-abuse.eml'));
  expect(r.kind).toBe('feedback');
  expect(r.feedbackType).toBe('abuse');
  expect(r.recipients[0]).toMatchObject({ finalRecipient: 'seed@example.net', reason: 'feedback', hardBounce: null });
  expect(r.returned.tag).toBe('arf1');
});

test('RFC 3834 auto-reply with null Return-Path is vacation, not a bounce', () => {
  const r = parseBounce(fx('auto-reply.eml'));
  expect(r.kind).toBe('auto-reply');
  expect(r.recipients[0].reason).toBe('vacation');
});

test('ordinary mail is not-a-bounce with a note', () => {
  const r = parseBounce(fx('not-a-bounce.eml'));
  expect(r.kind).toBe('not-a-bounce');
  expect(r.recipients).toEqual([]);
  expect(r.notes.join(' ')).toMatch(/neither/);
});

test('truncated DSN (cut inside the text part) still yields a recipient and reason', () => {
  const r = parseBounce(fx('truncated-dsn.eml'));
  expect(r.recipients.length).toBeGreaterThan(0);
  expect(r.recipients[0].finalRecipient).toBe('seed@t-online.de');
  expect(r.recipients[0].reason).not.toBe('undefined');
});

test('malformed inputs never throw', () => {
  const inputs: Array<string | Buffer> = [
    '',
    '\n\n\n',
    'garbage without headers',
    Buffer.from([0xff, 0xfe, 0x00, 0x01]),
    'Content-Type: multipart/report; boundary="x"\n\n--x\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n!!!notbase64',
    'Content-Type: text/plain; charset=x-unknown-charset\nFrom: MAILER-DAEMON@x\nSubject: Undelivered Mail\n\n<a@b.example>: 550 5.1.1 user unknown\n',
  ];
  for (const i of inputs) {
    const r = parseBounce(i);
    expect(Array.isArray(r.recipients)).toBe(true);
  }
  expect(parseBounce('').notes.join(' ')).toMatch(/empty input/);
  const cs = parseBounce(inputs[5]);
  expect(cs.recipients[0]).toMatchObject({ finalRecipient: 'a@b.example', reason: 'userunknown' });
});

test('a 5 MB returned attachment is not decoded and parsing stays fast', () => {
  const big = 'A'.repeat(5 * 1024 * 1024);
  const raw = fx('postfix-telekom.eml')
    .toString('latin1')
    .replace(
      '--A1B2C3.1747036805/mail.example.org--',
      `--A1B2C3.1747036805/mail.example.org\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${big}\n--A1B2C3.1747036805/mail.example.org--`,
    );
  const r = parseBounce(raw);
  expect(r.recipients[0].finalRecipient).toBe('seed@t-online.de');
  expect(r.returned.tag).toBe('abc123');
});
