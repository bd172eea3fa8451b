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
  const ok = resolveSeeds(
    [{ id: 'g', address: 'a@gmx.de', provider: 'gmx', imap: { passwordEnv: 'SEED_GMX' }, expect: { default: 'inbox', 'html-with-link': 'spam' } }],
    env,
    defaults,
  );
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

test('an OAuth2 seed names env variables, gets the provider endpoint, and is skipped until the token is set', async () => {
  const def = { id: 'ol', address: 'me@outlook.com', provider: 'outlook', imap: { oauth2: { clientIdEnv: 'OL_CLIENT_ID', refreshTokenEnv: 'OL_REFRESH' } } };
  const none = resolveSeeds([def], { OL_CLIENT_ID: 'abc' }, defaults);
  expect(none.problems).toEqual([]);
  expect(none.seeds[0].imap).toMatchObject({
    auth: 'oauth2',
    passwordEnv: '',
    oauth2: { provider: 'microsoft', tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token' },
  });
  expect(none.seeds[0].skipReason).toContain('OL_REFRESH');
  expect(none.seeds[0].skipReason).toContain('oauth:setup');
  const ok = resolveSeeds([def], { OL_CLIENT_ID: 'abc', OL_REFRESH: 'rt' }, defaults);
  expect(ok.seeds[0].skipReason).toBeUndefined();
});

test('Outlook without OAuth2, secrets written inline and plain-http token URLs are config errors with fixes', async () => {
  const { problems } = resolveSeeds(
    [
      { id: 'a', address: 'a@outlook.com', provider: 'outlook', imap: {} },
      { id: 'b', address: 'b@outlook.com', provider: 'outlook', imap: { oauth2: { clientIdEnv: 'X', refreshTokenEnv: 'Y', refreshToken: 'literal' } } },
      {
        id: 'c',
        address: 'c@example.org',
        provider: 'custom',
        imap: { host: 'imap.example.org', oauth2: { clientIdEnv: 'X', refreshTokenEnv: 'Y', tokenUrl: 'http://idp.example.org/token' } },
      },
      { id: 'd', address: 'd@gmx.de', provider: 'gmx', imap: { oauth2: { clientIdEnv: 'X', refreshTokenEnv: 'Y' } } },
    ],
    {},
    defaults,
  );
  const byField = Object.fromEntries(problems.map((p) => [p.field, p]));
  expect(byField['seeds[0] (a).imap.passwordEnv'].fix).toContain('oauth2');
  expect(byField['seeds[1] (b).imap.oauth2.refreshToken']).toBeTruthy();
  expect(byField['seeds[2] (c).imap.oauth2.tokenUrl'].message).toContain('not https');
  expect(byField['seeds[3] (d).imap.oauth2.tokenUrl']).toBeTruthy();
});

test('presets: every provider of the issue exists with a source or a "not verified" note', async () => {
  const { PRESETS } = await import('../../src/knowledge/providers.ts');
  for (const id of ['gmail', 'outlook', 'yahoo', 'icloud', 'gmx', 'webde', 'tonline', 'posteo', 'mailboxorg', 'fastmail', 'zoho', 'proton'] as const) {
    const p = PRESETS[id];
    expect(p.imap.host, id).toBeTruthy();
    expect(p.spamFolders.length, id).toBeGreaterThan(0);
    expect('source' in p && p.source, id).toMatch(/^https:\/\//);
  }
  expect(PRESETS.outlook.passwordAccepted).toBe(false);
  expect(PRESETS.gmx.spamFolders[0]).toBe('Spamverdacht');
  expect(PRESETS.webde.spamFolders[0]).toBe('Unerwünscht');
  expect(PRESETS.yahoo.spamFolders[0]).toBe('Bulk');
});

test('provider selection from the command line', async () => {
  const { providersFromArgv, selectedProviders, isSelected } = await import('../../src/config/select.ts');
  expect(providersFromArgv(['node', 'playwright', 'test', '--project=gmail', '--project', 'outlook,dns'])).toEqual(['gmail', 'outlook']);
  expect(providersFromArgv(['test', '--grep', '@gmx|@webde'])).toEqual(['gmx', 'webde']);
  expect(providersFromArgv(['test', '-g', '@lab'])).toEqual([]);
  expect(selectedProviders({ MAILCANARY_PROVIDERS: 'gmail, gmx' })).toEqual(['gmail', 'gmx']);
  expect(isSelected('gmx', null)).toBe(true);
  expect(isSelected('yahoo', ['gmail'])).toBe(false);
});

test("a skipped seed names exactly the unset variables (password, or the OAuth2 ones), for the run's summary", () => {
  const { seeds } = resolveSeeds(
    [
      { id: 'g', address: 'a@gmail.com', provider: 'gmail', imap: { passwordEnv: 'SEED_UNSET' } },
      { id: 'set', address: 'b@gmail.com', provider: 'gmail', imap: { passwordEnv: 'SEED_SET' } },
      { id: 'ol', address: 'me@outlook.com', provider: 'outlook', imap: { oauth2: { clientIdEnv: 'OL_CLIENT_ID', refreshTokenEnv: 'OL_REFRESH' } } },
    ],
    { SEED_SET: 'pw', SEED_UNSET: '' },
    defaults,
  );
  expect(seeds.map((s) => s.missingEnv)).toEqual([['SEED_UNSET'], undefined, ['OL_CLIENT_ID', 'OL_REFRESH']]);
});
