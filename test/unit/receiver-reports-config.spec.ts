import { expect, test } from '@playwright/test';
import { bounceAccountFromEnv } from '../../src/config/bounce.ts';
import { maxBytesFromEnv } from '../../src/receiver-reports/index.ts';
import { reportMailboxFromEnv } from '../../src/receiver-reports/collect-imap.ts';

test('the report mailbox: off without REPORTS_IMAP_HOST, the bounce mailbox rules otherwise', () => {
  expect(reportMailboxFromEnv({ SMTP_HOST: 'mail.example.org', SMTP_USER: 'u', SMTP_PASS: 'p' })).toEqual({ mailbox: null, problems: [] });
  const { mailbox, problems } = reportMailboxFromEnv({
    REPORTS_IMAP_HOST: 'imap.example.org',
    SMTP_USER: 'me@example.org',
    SMTP_PASS: 'secret',
    REPORTS_IMAP_MAILBOX: 'DMARC',
  });
  expect(problems).toEqual([]);
  expect(mailbox).toMatchObject({
    mailbox: 'DMARC',
    password: 'secret',
    account: {
      id: 'report-mailbox',
      imap: { host: 'imap.example.org', port: 993, secure: true, user: 'me@example.org', passwordEnv: 'SMTP_PASS', rejectUnauthorized: true },
    },
  });
  const plain = reportMailboxFromEnv({
    REPORTS_IMAP_HOST: 'imap.example.org',
    REPORTS_IMAP_USER: 'r',
    REPORTS_IMAP_PASS: 'p',
    REPORTS_IMAP_TLS: 'none',
    REPORTS_IMAP_PORT: 'x',
  });
  expect(plain.problems.map((p) => p.field)).toEqual(['REPORTS_IMAP_TLS', 'REPORTS_IMAP_PORT']);
  expect(plain.problems[0].fix).toContain('REPORTS_IMAP_ALLOW_PLAINTEXT_AUTH=true');
  expect(reportMailboxFromEnv({ REPORTS_IMAP_HOST: 'imap.example.org' }).problems).toEqual([expect.objectContaining({ field: 'REPORTS_IMAP_USER' })]);
  // the bounce mailbox reads its own variables as before
  const b = bounceAccountFromEnv({
    SMTP_HOST: 'mail.example.org',
    BOUNCE_IMAP_USER: 'b',
    BOUNCE_IMAP_PASS: 'bp',
    BOUNCE_IMAP_TLS: 'starttls',
    REPORTS_IMAP_PORT: '1',
  });
  expect(b.account).toMatchObject({
    id: 'bounce-mailbox',
    imap: { host: 'mail.example.org', port: 143, secure: false, user: 'b', passwordEnv: 'BOUNCE_IMAP_PASS' },
  });
  expect(bounceAccountFromEnv({ BOUNCE_WATCH: 'false', SMTP_HOST: 'h', SMTP_USER: 'u', SMTP_PASS: 'p' }).account).toBeNull();
});

test('MAILCANARY_REPORTS_MAX_MB sets the decompressed-size cap, checked', () => {
  expect(maxBytesFromEnv({})).toBe(50 * 1024 * 1024);
  expect(maxBytesFromEnv({ MAILCANARY_REPORTS_MAX_MB: '100' })).toBe(100 * 1024 * 1024);
  expect(() => maxBytesFromEnv({ MAILCANARY_REPORTS_MAX_MB: '0.5' })).toThrow(/MAILCANARY_REPORTS_MAX_MB="0\.5" is not a whole number of MB/);
});

test('BOUNCE_POLL_MS is a whole number of milliseconds in range, like every other number setting', () => {
  const base = { SMTP_HOST: 'mail.example.org', BOUNCE_IMAP_USER: 'b', BOUNCE_IMAP_PASS: 'bp' };
  expect(bounceAccountFromEnv(base).account?.pollIntervalMs).toBe(1000);
  expect(bounceAccountFromEnv({ ...base, BOUNCE_POLL_MS: '250' }).account?.pollIntervalMs).toBe(250);
  for (const bad of ['1s', '-5', '0', '2.5']) {
    const r = bounceAccountFromEnv({ ...base, BOUNCE_POLL_MS: bad });
    expect(r.problems, bad).toEqual([
      { field: 'BOUNCE_POLL_MS', message: `'${bad}' is not a whole number from 100 to 600000`, fix: 'set BOUNCE_POLL_MS to a number like 1000' },
    ]);
  }
});
