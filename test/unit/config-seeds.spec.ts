import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { resolveSeeds } from '../../src/config/seeds.ts';

const defaults = { timeoutSeconds: 300, variants: ['plain', 'html-with-link'] };
const env = { SEED_GMX: 'pw' };

test('a preset fills host, port, spam names and authserv-ids', () => {
  const { seeds, problems } = resolveSeeds([{ id: 'gmx', address: 'a@gmx.de', provider: 'gmx', imap: { passwordEnv: 'SEED_GMX' } }], env, defaults);
  expect(problems).toEqual([]);
  expect(seeds[0].imap).toMatchObject({ host: 'imap.gmx.net', port: 993, secure: true, user: 'a@gmx.de' });
  expect(seeds[0].spamFolders).toContain('Spamverdacht');
  expect(seeds[0].expect.default).toBe('inbox');
  expect(seeds[0].skipReason).toBeUndefined();
});

test('each bad field is named with a fix', () => {
  const { problems } = resolveSeeds(
    [
      { id: 'x', address: 'nope', provider: 'gmial', imap: { passwordEnv: 'lower-case' } },
      { id: 'x', address: 'b@c.de', provider: 'custom', imap: { passwordEnv: 'P', password: 'literal' }, expect: 'junk' },
    ],
    env,
    defaults,
  );
  const fields = problems.map((p) => p.field);
  expect(fields).toEqual(
    expect.arrayContaining([
      'seeds[0] (x).address',
      'seeds[0] (x).provider',
      'seeds[0] (x).imap.passwordEnv',
      'seeds[1].id',
      'seeds[1] (x).imap.password',
      'seeds[1] (x).imap.host',
      'seeds[1] (x).expect',
    ]),
  );
  for (const p of problems) expect(p.fix, p.field).toBeTruthy();
});

test('a seed whose password variable is unset is skipped with a reason, not an error', () => {
  const { seeds, problems } = resolveSeeds([{ id: 'g', address: 'a@gmail.com', provider: 'gmail', imap: { passwordEnv: 'SEED_UNSET' } }], {}, defaults);
  expect(problems).toEqual([]);
  expect(seeds[0].skipReason).toContain('SEED_UNSET');
});

test('per-variant expectations and unknown variants', () => {
  const ok = resolveSeeds([{ id: 'g', address: 'a@gmx.de', provider: 'gmx', imap: { passwordEnv: 'SEED_GMX' }, expect: { default: 'inbox', 'html-with-link': 'spam' } }], env, defaults);
  expect(ok.seeds[0].expect).toEqual({ default: 'inbox', 'html-with-link': 'spam' });
  const bad = resolveSeeds([{ id: 'g', address: 'a@gmx.de', provider: 'gmx', imap: { passwordEnv: 'SEED_GMX' }, expect: { fancy: 'spam' } }], env, defaults);
  expect(bad.problems[0].field).toContain('expect.fancy');
});

test('loadConfig reports sender and seeds problems together in one error', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-seeds-'));
  const file = path.join(dir, 'seeds.ts');
  writeFileSync(file, `export default [{ id: 'a', address: 'a@b.de', provider: 'nope', imap: { passwordEnv: 'X' } }];\n`);
  const err = await loadConfig(dir, { MAILCANARY_SEEDS: file }).catch((e) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect(err.message).toContain('SMTP_HOST');
  expect(err.message).toContain('provider');
  expect(err.message).toContain('nothing was sent');
});

test('a seeds file that does not load names the file', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-seeds-'));
  const file = path.join(dir, 'broken.ts');
  writeFileSync(file, `export default defineSeeds([ {id: 'a' ];\n`);
  const err = await loadConfig(dir, { MAILCANARY_SEEDS: file, SMTP_HOST: 'h', MAIL_FROM: 'a@b.de' }).catch((e) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect(err.message).toContain('broken.ts');
});
