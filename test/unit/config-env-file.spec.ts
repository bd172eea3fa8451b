import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { envFileLabel, envFileProblems } from '../../src/config/env-file.ts';
import { resolveSeeds } from '../../src/config/seeds.ts';
import { loginFix } from '../../src/send/submit-failures.ts';
import { seedLoginFix } from '../../src/watch/imap-errors.ts';
import { untestedRun } from '../../src/run/coverage.ts';

/** The env file as dotenv reads it: a line it would drop is a problem with its line number; fixes name the file read. */
function envDir(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-envfile-'));
  const file = path.join(dir, 'env5');
  writeFileSync(file, text);
  return { dir, file };
}

test('a line that is not NAME=value is named by file and line, without its value', () => {
  const { dir, file } = envDir(
    [
      '# submission',
      'SMTP_HOST 127.0.0.1',
      'export SMTP_PORT=587',
      'MAIL_FROM: monitor@example.org',
      '',
      'SMTP_PASS hunter2-secret',
      'SEED_KEY="-----BEGIN',
      'still inside the quoted value',
      'END-----"',
      '   # an indented comment',
      'just words',
      'SMTP_USER=monitor@example.org',
    ].join('\n'),
  );
  const problems = envFileProblems({ MAILCANARY_ENV_FILE: file }, dir);
  expect(problems).toEqual([
    {
      field: `${file} line 2`,
      message: "'SMTP_HOST …' is not NAME=value: the line is ignored, so SMTP_HOST is not set from it",
      fix: 'write it as SMTP_HOST=<value> (an = between the name and the value, no space before it)',
    },
    {
      field: `${file} line 6`,
      message: "'SMTP_PASS …' is not NAME=value: the line is ignored, so SMTP_PASS is not set from it",
      fix: 'write it as SMTP_PASS=<value> (an = between the name and the value, no space before it)',
    },
    {
      field: `${file} line 11`,
      message: "'just …' is not NAME=value: the line is ignored, so just is not set from it",
      fix: 'write it as just=<value> (an = between the name and the value, no space before it)',
    },
  ]);
  expect(JSON.stringify(problems)).not.toContain('hunter2');
  expect(JSON.stringify(problems)).not.toContain('127.0.0.1');
  // no env file: nothing to report
  expect(envFileProblems({ MAILCANARY_ENV_FILE: path.join(dir, 'absent') }, dir)).toEqual([]);
});

test('loadConfig lists the malformed line first, and the fix of the unset variable names the file read', async () => {
  const { dir, file } = envDir('SMTP_HOST 127.0.0.1\nMAIL_FROM=monitor@example.org\n');
  writeFileSync(path.join(dir, 'seeds.ts'), 'export default [];\n');
  const env = { MAILCANARY_ENV_FILE: file, MAILCANARY_SEEDS: 'seeds.ts', MAIL_FROM: 'monitor@example.org', MAILCANARY_SENDERS: '' };
  const err = await loadConfig(dir, env).catch((e) => e);
  expect(err).toBeInstanceOf(ConfigError);
  const problems = (err as ConfigError).problems;
  expect(problems[0]).toMatchObject({ field: `${file} line 1`, fix: expect.stringContaining('write it as SMTP_HOST=') });
  const host = problems.find((p) => p.field === 'SMTP_HOST');
  expect(host?.fix).toBe(`set SMTP_HOST to your mail server in ${file}, e.g. SMTP_HOST=mail.example.org (or run \`npm run demo\` to try the lab)`);
  // without MAILCANARY_ENV_FILE the fix still tells a new user to create .env
  const plain = await loadConfig(dir, { MAILCANARY_SEEDS: 'seeds.ts', MAIL_FROM: 'monitor@example.org', MAILCANARY_SENDERS: '' }).catch((e) => e);
  expect((plain as ConfigError).problems.find((p) => p.field === 'SMTP_HOST')?.fix).toMatch(/^copy \.env\.example to \.env and set SMTP_HOST/);
});

test('the fixes of a refused login and of an unset seed password name MAILCANARY_ENV_FILE', () => {
  const root = process.cwd();
  expect(envFileLabel({}, root)).toBe('.env');
  expect(envFileLabel({ MAILCANARY_ENV_FILE: 'lab/lab.env' }, root)).toBe('lab/lab.env');
  expect(envFileLabel({ MAILCANARY_ENV_FILE: '/etc/mailcanary/env' }, root)).toBe('/etc/mailcanary/env');
  const before = process.env.MAILCANARY_ENV_FILE;
  process.env.MAILCANARY_ENV_FILE = '/etc/mailcanary/env';
  try {
    expect(loginFix({ user: 'monitor@example.org', userEnv: 'SMTP_USER', passwordEnv: 'SMTP_PASS' })).toBe(
      'check SMTP_USER and SMTP_PASS in /etc/mailcanary/env (or the CI secrets)',
    );
    const { seeds } = resolveSeeds(
      [{ id: 'posteo', address: 'me@posteo.de', provider: 'posteo', imap: { passwordEnv: 'SEED_POSTEO_PASSWORD' } }],
      { MAILCANARY_ENV_FILE: '/etc/mailcanary/env' },
      { timeoutSeconds: 60, variants: ['plain'] },
    );
    expect(seedLoginFix(seeds[0])).toBe(
      'check SEED_POSTEO_PASSWORD in /etc/mailcanary/env (or the CI secrets): the IMAP password of me@posteo.de (seed posteo)',
    );
    expect(seeds[0].skipReason).toBe('no password: SEED_POSTEO_PASSWORD is not set in /etc/mailcanary/env (seed posteo skipped)');
  } finally {
    if (before === undefined) delete process.env.MAILCANARY_ENV_FILE;
    else process.env.MAILCANARY_ENV_FILE = before;
  }
});

test('an unset seed password set under a near name: the skip and the closing line suggest it, by name only', () => {
  const env = { SEED_GMAIL_PASWORD: 'abcd-efgh', SEED_GMAIL_ID: 'x', PATH: '/usr/bin' };
  const { seeds } = resolveSeeds([{ id: 'gmail', address: 'me.seed@gmail.com', provider: 'gmail', imap: { passwordEnv: 'SEED_GMAIL_PASSWORD' } }], env, {
    timeoutSeconds: 60,
    variants: ['plain'],
  });
  expect(seeds[0].skipReason).toBe(
    'no password: SEED_GMAIL_PASSWORD is not set in .env (seed gmail skipped); SEED_GMAIL_PASWORD is set: a misspelling of SEED_GMAIL_PASSWORD?',
  );
  expect(seeds[0].skipReason).not.toContain('abcd');
  // an empty near name is no hint, nor is an unrelated one
  const plain = resolveSeeds(
    [{ id: 'gmail', address: 'me.seed@gmail.com', provider: 'gmail', imap: { passwordEnv: 'SEED_GMAIL_PASSWORD' } }],
    { SEED_GMAIL_PASWORD: '', SMTP_PASS: 'x' },
    { timeoutSeconds: 60, variants: ['plain'] },
  );
  expect(plain.seeds[0].skipReason).toBe('no password: SEED_GMAIL_PASSWORD is not set in .env (seed gmail skipped)');
  // another seed's variable, a close name, is no misspelling
  const two = resolveSeeds(
    [
      { id: 'gmail', address: 'me.seed@gmail.com', provider: 'gmail', imap: { passwordEnv: 'SEED_GMAIL_PASSWORD' } },
      { id: 'gmail2', address: 'me.seed2@gmail.com', provider: 'gmail', imap: { passwordEnv: 'SEED_GMAIL2_PASSWORD' } },
    ],
    { SEED_GMAIL2_PASSWORD: 'x', SEED_GMX_PASSWORD: 'y' },
    { timeoutSeconds: 60, variants: ['plain'] },
  );
  expect(two.seeds[0].skipReason).toBe('no password: SEED_GMAIL_PASSWORD is not set in .env (seed gmail skipped)');
  const skipped = {
    status: 'skipped',
    annotations: [
      { type: 'mailcanary.plan', description: '{}' },
      {
        type: 'mailcanary.skip',
        description: JSON.stringify({
          seedId: 'gmail',
          missing: ['SEED_GMAIL_PASSWORD'],
          requireAllSeeds: false,
          envFile: 'lab/my.env',
          near: [{ missing: 'SEED_GMAIL_PASSWORD', set: 'SEED_GMAIL_PASWORD' }],
        }),
      },
    ],
  };
  expect(untestedRun([skipped])).toBe(
    'mailcanary: no seed was tested: SEED_GMAIL_PASSWORD is not set (seed gmail skipped); set them in lab/my.env or as CI secrets under the names the seeds file gives (imap.passwordEnv); SEED_GMAIL_PASWORD is set: a misspelling of SEED_GMAIL_PASSWORD?',
  );
});
