import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { fromAddress, loadSenders, resolveSenders } from '../../src/config/index.ts';

const env = { SMTP_USER: 'main', SMTP_PASS: 'main-secret', FAMILY_USER: 'fam', FAMILY_PASS: 'fam-secret', MAILCANARY_DKIM_SELECTORS: 'mail2026' };

test('a sender gets its domain, its login from the named variables and the defaults', () => {
  const { senders, problems } = resolveSenders(
    [
      { id: 'family', from: 'Family <Monitor@Family.Example>', login: { userEnv: 'FAMILY_USER', passwordEnv: 'FAMILY_PASS' }, dkimSelectors: ['fam1'] },
      { id: 'club', from: 'monitor@club.example', envelopeFrom: 'bounces@club.example', paths: ['ipv4'] },
      { id: 'system', from: 'root@mail.example.org', system: true },
    ],
    env,
    ['ipv4', 'ipv6'],
  );
  expect(problems).toEqual([]);
  expect(senders.map((s) => [s.id, s.address, s.domain, s.envelopeFrom])).toEqual([
    ['family', 'Monitor@Family.Example', 'family.example', 'Monitor@Family.Example'],
    ['club', 'monitor@club.example', 'club.example', 'bounces@club.example'],
    ['system', 'root@mail.example.org', 'mail.example.org', 'root@mail.example.org'],
  ]);
  expect(senders[0].login).toEqual({ userEnv: 'FAMILY_USER', passwordEnv: 'FAMILY_PASS', user: 'fam', pass: 'fam-secret' });
  expect(senders[1].login).toMatchObject({ userEnv: 'SMTP_USER', user: 'main' });
  expect(senders[0].dkimSelectors).toEqual(['fam1']);
  expect(senders[1].dkimSelectors).toEqual(['mail2026']);
  expect(senders[1].paths).toEqual(['ipv4']);
  expect(senders[0].paths).toBeNull();
  expect(senders.map((s) => s.system)).toEqual([false, false, true]);
});

test('every mistake is one problem naming the sender and the field', () => {
  const { senders, problems } = resolveSenders(
    [
      { id: 'family', from: 'monitor@family.example' },
      { id: 'family', from: 'other@family.example' },
      { id: 'Bad_Id', from: 'x@y.example' },
      { id: 'noaddr', from: 'Name <not-an-address>' },
      { id: 'same', from: 'MONITOR@family.example' },
      { id: 'login', from: 'a@b.example', login: { userEnv: 'UNSET_USER', passwordEnv: 'lower' } },
      { id: 'secret', from: 'c@b.example', login: { userEnv: 'FAMILY_USER', passwordEnv: 'FAMILY_PASS', password: 'x' } },
      { id: 'sel', from: 'd@b.example', dkimSelectors: ['ok', 'bad selector'] },
      { id: 'path', from: 'e@b.example', paths: ['ipv5'] },
      { id: 'env', from: 'f@b.example', envelopeFrom: 'nope' },
      { id: 'typo', from: 'g@b.example', dkimSelector: ['x'] },
    ],
    env,
    ['ipv4', 'ipv6'],
  );
  expect(problems.map((p) => p.field)).toEqual([
    'senders[1].id',
    'senders[2].id',
    'senders[3] (noaddr).from',
    'senders[4] (same).from',
    'senders[5] (login).login.userEnv',
    'senders[5] (login).login.passwordEnv',
    'senders[6] (secret).login.password',
    'senders[7] (sel).dkimSelectors',
    'senders[8] (path).paths',
    'senders[9] (env).envelopeFrom',
    'senders[10] (typo).dkimSelector',
  ]);
  expect(problems[10].fix).toMatch(/^did you mean dkimSelectors\?/);
  expect(problems[4].message).toBe('UNSET_USER is not set');
  expect(problems[7].message).toContain('"bad selector"');
  expect(problems[8].fix).toContain('ipv4, ipv6');
  expect(problems[3].message).toContain("sender 'family'");
  expect(senders.map((s) => s.id)).toEqual(['family']);
  // a secret is never echoed into an error
  expect(JSON.stringify(problems)).not.toContain('fam-secret');
});

test('From headers: display names and angle brackets', () => {
  expect(fromAddress('"Family, Inc." <m@family.example>')).toBe('m@family.example');
  expect(fromAddress('m@family.example')).toBe('m@family.example');
  expect(fromAddress('Family m@family.example')).toBeNull();
});

test('system mail must come from the host name when MAILCANARY_HELO names it', () => {
  const { problems } = resolveSenders([{ id: 'system', from: 'root@family.example', system: true }], { MAILCANARY_HELO: 'mail.example.org' }, []);
  expect(problems).toHaveLength(1);
  expect(problems[0].fix).toContain('root@mail.example.org');
});

test('a path name is unknown when SMTP_PATHS is unset', () => {
  const { problems } = resolveSenders([{ id: 'a', from: 'a@b.example', paths: ['ipv4'] }], {}, []);
  expect(problems[0].fix).toContain('SMTP_PATHS is not set');
});

function tmp(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-senders-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const seedsFile = `export default [{ id: 'lab', address: 's@lab.example', provider: 'custom', imap: { host: '127.0.0.1', passwordEnv: 'SEED' } }];`;

test('a bad senders file fails loadConfig with every problem, and MAIL_FROM is not needed', async () => {
  const dir = tmp({
    'seeds.ts': seedsFile,
    'senders.ts': `export default [{ id: 'a', from: 'a@b.example' }, { id: 'a', from: 'bad' }];`,
  });
  const err = await loadConfig(dir, { MAILCANARY_SEEDS: 'seeds.ts', MAILCANARY_SENDERS: 'senders.ts', SMTP_HOST: 'h', SEED: 'p' }).catch((e) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).problems.map((p) => p.field)).toEqual(['senders.ts: senders[1].id', 'senders.ts: senders[1] (a).from']);
});

test('seeds/senders.ts is used when it exists; without it MAIL_FROM is the one sender', async () => {
  const dir = tmp({ 'seeds.ts': seedsFile });
  const cfg = await loadConfig(dir, { MAILCANARY_SEEDS: 'seeds.ts', SMTP_HOST: 'h', MAIL_FROM: 'monitor@example.org', SEED: 'p' });
  expect(cfg.sendersFile).toBeNull();
  expect(cfg.senders).toMatchObject([{ id: 'default', domain: 'example.org', shorthand: true }]);
  const withFile = tmp({});
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path.join(withFile, 'seeds'));
  writeFileSync(path.join(withFile, 'seeds/senders.ts'), `export default [{ id: 'club', from: 'm@club.example' }];`);
  const senders = await loadSenders({}, withFile);
  expect(senders).toMatchObject([{ id: 'club', domain: 'club.example', shorthand: false }]);
});

test('a named senders file that does not exist, and no sender at all, are errors', async () => {
  const dir = tmp({});
  await expect(loadSenders({ MAILCANARY_SENDERS: 'nope.ts' }, dir)).rejects.toThrow(/MAILCANARY_SENDERS: senders file .*nope\.ts does not exist/);
  await expect(loadSenders({}, dir)).rejects.toThrow(/MAIL_FROM: is not set/);
});

test('the example senders file is valid with its variables set', async () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const senders = await loadSenders(
    { MAILCANARY_SENDERS: 'seeds/senders.example.ts', SMTP_FAMILY_USER: 'u', SMTP_FAMILY_PASS: 'p', MAILCANARY_HELO: 'mail.example.org' },
    root,
  );
  expect(senders.map((s) => s.domain)).toEqual(['family.example', 'club.example', 'mail.example.org']);
});

test('a stage that never submits reads the senders without their secrets, and still catches a malformed name', () => {
  const input = [{ id: 'family', from: 'monitor@family.example', login: { userEnv: 'FAMILY_USER', passwordEnv: 'FAMILY_PASS' } }];
  expect(resolveSenders(input, {}, []).problems.map((p) => p.message)).toEqual(['FAMILY_USER is not set', 'FAMILY_PASS is not set']);
  const dnsOnly = resolveSenders(input, {}, [], { logins: false });
  expect(dnsOnly.problems).toEqual([]);
  expect(dnsOnly.senders[0].domain).toBe('family.example');
  expect(dnsOnly.senders[0].login.pass).toBeUndefined();
  const malformed = resolveSenders([{ ...input[0], login: { userEnv: 'family user', passwordEnv: 'FAMILY_PASS' } }], {}, [], { logins: false });
  expect(malformed.problems.map((p) => p.field)).toEqual(['senders[0] (family).login.userEnv']);
});
