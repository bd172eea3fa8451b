import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ConfigError, configProblemsIn, configSummary } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { parseGateMode } from '../../src/gate/index.ts';
import { nearestName } from '../../src/config/nearest.ts';
import { resolveSeeds } from '../../src/config/seeds.ts';
import { ROOT } from '../../lab/suite-runner.ts';

const defaults = { timeoutSeconds: 300, variants: ['plain', 'html-with-link'] };
const env = { SEED_P: 'x' };

test('an unknown seed setting suggests the nearest known one; every problem of a seed has the same label', () => {
  const { problems } = resolveSeeds(
    [{ id: 'lab-gmail', address: 'a@b.de', provider: 'gmial', timeoutSecond: 30, imap: { host: 'imap.example.org', passwordEnv: 'SEED_P' } }],
    env,
    defaults,
  );
  expect(problems.map((p) => p.field)).toEqual(['seeds[0] (lab-gmail).timeoutSecond', 'seeds[0] (lab-gmail).provider']);
  expect(problems[0].fix).toMatch(/^did you mean timeoutSeconds\?/);
  expect(problems[1].fix).toMatch(/^did you mean 'gmail'\?/);
  // a seed whose id is unreadable is labelled by its position alone, for every problem
  const noId = resolveSeeds([{ address: 'a@b.de', provider: 'gmail', colour: 'red', imap: { passwordEnv: 'SEED_P' } }], env, defaults);
  expect(noId.problems.map((p) => p.field)).toEqual(['seeds[0].colour', 'seeds[0].id']);
  // nothing near: the whole list, no guess
  expect(noId.problems[0].fix).toMatch(/^remove it or use one of: id, address/);
});

test('nearestName: typos and transpositions find their name, unrelated words none', () => {
  const known = ['id', 'address', 'provider', 'imap', 'timeoutSeconds', 'authservIds', 'requireAuth'];
  expect(nearestName('timeoutSecond', known)).toBe('timeoutSeconds');
  expect(nearestName('TimeOutSeconds', known)).toBe('timeoutSeconds');
  expect(nearestName('adress', known)).toBe('address');
  expect(nearestName('porvider', known)).toBe('provider');
  expect(nearestName('requireAuthentication', known)).toBeUndefined();
  expect(nearestName('colour', known)).toBeUndefined();
  expect(nearestName('ip', known)).toBeUndefined();
});

test('a ConfigError reads back from its printed text: problems without fixes, for the closing line', () => {
  const err = new ConfigError([
    { field: 'seeds.ts: seeds[0] (a).provider', message: '"gmial" is not a known provider preset', fix: "did you mean 'gmail'?" },
    { field: 'SMTP_PORT', message: "'x' is not a port" },
  ]);
  // no stack frame: Playwright prints the problems, not a code frame of mailcanary's loader
  expect(err.stack).toBe(`ConfigError: ${err.message}`);
  const back = configProblemsIn(`Error: ${err.message}\n\nsomething else`);
  expect(back).toEqual([
    { field: 'seeds.ts', message: 'seeds[0] (a).provider: "gmial" is not a known provider preset' },
    { field: 'SMTP_PORT', message: "'x' is not a port" },
  ]);
  expect(configSummary(back!)).toBe(
    [
      'mailcanary: configuration invalid (2 problems, above); nothing was sent:',
      '  - seeds.ts: seeds[0] (a).provider: "gmial" is not a known provider preset',
      "  - SMTP_PORT: 'x' is not a port",
    ].join('\n'),
  );
  expect(configProblemsIn('TypeError: x is not a function')).toBeUndefined();
});

const seedsSource = (imports: string) => `${imports}
export default defineSeeds([{ id: 'etc-gmail', address: 'seed@gmail.example', provider: 'gmail', imap }]);
`;

test('a seeds file outside the project (no package.json) that imports defineSeeds and a sibling .ts file loads', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-etc-'));
  writeFileSync(path.join(dir, 'imap.ts'), `export const imap: { passwordEnv: string } = { passwordEnv: 'SEED_P' };\n`);
  const file = path.join(dir, 'seeds.ts');
  writeFileSync(file, seedsSource(`import { defineSeeds } from ${JSON.stringify(path.join(ROOT, 'seeds/define.ts'))};\nimport { imap } from './imap.ts';`));
  const config = await loadConfig(ROOT, { MAILCANARY_SEEDS: file, SMTP_HOST: 'h', MAIL_FROM: 'a@b.de', MAILCANARY_SENDERS: '', SEED_P: 'x' });
  expect(config.seeds.map((s) => [s.id, s.imap.passwordEnv])).toEqual([['etc-gmail', 'SEED_P']]);
});

test('a seeds file in a "type": "commonjs" package names the cause and the fix, not a syntax error', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-cjs-'));
  mkdirSync(path.join(dir, 'conf'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  const file = path.join(dir, 'conf', 'seeds.ts');
  writeFileSync(
    file,
    seedsSource(`import { defineSeeds } from ${JSON.stringify(path.join(ROOT, 'seeds/define.ts'))};\nconst imap = { passwordEnv: 'SEED_P' };`),
  );
  const err = await loadConfig(ROOT, { MAILCANARY_SEEDS: file, SMTP_HOST: 'h', MAIL_FROM: 'a@b.de', MAILCANARY_SENDERS: '', SEED_P: 'x' }).catch((e) => e);
  expect(err).toBeInstanceOf(ConfigError);
  const problem = (err as ConfigError).problems.find((p) => p.field.endsWith('seeds.ts'));
  expect(problem?.fix).toContain('read as CommonJS (its package.json says "type": "commonjs")');
  expect(problem?.fix).toContain('.mts');
  expect(problem?.fix).not.toContain('fix the syntax');
});

test('MAILCANARY_GATE: a misspelt mode is a configuration problem, and the gate reads it as fail, never as warn', async () => {
  expect(parseGateMode(undefined)).toEqual({ mode: 'fail' });
  expect(parseGateMode(' Warn ')).toEqual({ mode: 'warn' });
  expect(parseGateMode('off')).toEqual({ mode: 'off' });
  const typo = parseGateMode('fial');
  expect(typo.mode).toBe('fail');
  expect('error' in typo && typo.error).toBe("'fial' is not a gate mode");
  const err = await loadConfig(ROOT, { SMTP_HOST: 'h', MAIL_FROM: 'a@b.de', MAILCANARY_SENDERS: '', SEED_P: 'x', MAILCANARY_GATE: 'strict' }).catch((e) => e);
  expect(err).toBeInstanceOf(ConfigError);
  const problem = (err as ConfigError).problems.find((p) => p.field === 'MAILCANARY_GATE');
  expect(problem?.message).toBe("'strict' is not a gate mode");
  expect(problem?.fix).toContain('fail, warn, off');
});
