import { expect, test } from '@playwright/test';
import { senderConfigFromEnv } from '../../src/config/sender.ts';
import { ConfigError } from '../../src/config/errors.ts';

const good = {
  SMTP_HOST: 'mail.example.org',
  SMTP_PORT: '587',
  SMTP_TLS: 'starttls',
  SMTP_USER: 'monitor@example.org',
  SMTP_PASS: 's3cret-pass',
  MAIL_FROM: 'monitor@example.org',
};

test('a complete .env gives a config and no problems', () => {
  const { config, problems } = senderConfigFromEnv(good);
  expect(problems).toEqual([]);
  expect(config.smtp).toMatchObject({ host: 'mail.example.org', port: 587, tls: 'starttls', rejectUnauthorized: true });
  expect(config.envelopeFrom).toBe('monitor@example.org');
  expect(config.tagSeparator).toBe('-');
  expect(config.linkUrl).toBe('https://example.org/');
});

test('an empty environment names every missing variable with its fix', () => {
  const { problems } = senderConfigFromEnv({});
  const fields = problems.map((p) => p.field);
  expect(fields).toEqual(expect.arrayContaining(['SMTP_HOST', 'MAIL_FROM']));
  for (const p of problems) expect(p.fix).toBeTruthy();
});

test('bad values are named, not silently defaulted', () => {
  const { problems } = senderConfigFromEnv({ ...good, SMTP_PORT: '99999', SMTP_TLS: 'maybe', MAIL_FROM: 'not-an-address', ENVELOPE_TAG_SEPARATOR: '#' });
  expect(problems.map((p) => p.field).sort()).toEqual(['ENVELOPE_TAG_SEPARATOR', 'MAIL_FROM', 'SMTP_PORT', 'SMTP_TLS']);
});

test('a password over a plain connection is refused unless explicitly allowed', () => {
  const refused = senderConfigFromEnv({ ...good, SMTP_TLS: 'none' });
  expect(refused.problems.map((p) => p.field)).toContain('SMTP_TLS');
  const allowed = senderConfigFromEnv({ ...good, SMTP_TLS: 'none', SMTP_ALLOW_PLAINTEXT_AUTH: 'true' });
  expect(allowed.problems).toEqual([]);
});

test('the envelope tag can be turned off', () => {
  expect(senderConfigFromEnv({ ...good, ENVELOPE_TAG_SEPARATOR: 'none' }).config.tagSeparator).toBeNull();
  expect(senderConfigFromEnv({ ...good, ENVELOPE_TAG_SEPARATOR: '+' }).config.tagSeparator).toBe('+');
});

test('ConfigError lists every problem and never includes the password', () => {
  const err = new ConfigError(senderConfigFromEnv({ ...good, SMTP_PORT: 'x', SMTP_TLS: 'none' }).problems);
  expect(err.message).toContain('SMTP_PORT');
  expect(err.message).toContain('fix:');
  expect(err.message).not.toContain('s3cret-pass');
});

test('MAILCANARY_REQUIRE_ALL_SEEDS is a yes/no setting, off unless set', () => {
  expect(senderConfigFromEnv(good).config.requireAllSeeds).toBe(false);
  expect(senderConfigFromEnv({ ...good, MAILCANARY_REQUIRE_ALL_SEEDS: 'true' }).config.requireAllSeeds).toBe(true);
  const bad = senderConfigFromEnv({ ...good, MAILCANARY_REQUIRE_ALL_SEEDS: 'always' });
  expect(bad.problems).toEqual([
    {
      field: 'MAILCANARY_REQUIRE_ALL_SEEDS',
      message: "'always' is not a yes/no value",
      fix: 'set MAILCANARY_REQUIRE_ALL_SEEDS=true or MAILCANARY_REQUIRE_ALL_SEEDS=false',
    },
  ]);
});
