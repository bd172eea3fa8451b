import { expect, test } from '@playwright/test';
import { resolveSeeds } from '../../src/config/seeds.ts';
import { decideFailure } from '../../src/watch/failure-policy.ts';
import { seedLoginFix } from '../../src/watch/imap-errors.ts';
import { notTestedLines } from '../../src/run/coverage.ts';

const defaults = { timeoutSeconds: 60, variants: ['plain'] };
const seeds = resolveSeeds(
  [
    { id: 'gmail', address: 'me.seed@gmail.com', provider: 'gmail', imap: { passwordEnv: 'SEED_GMAIL_PASSWORD' } },
    { id: 'posteo', address: 'me@posteo.de', provider: 'posteo', imap: { passwordEnv: 'SEED_POSTEO_PASSWORD' } },
    { id: 'ol', address: 'me@outlook.com', provider: 'outlook', imap: { oauth2: { clientIdEnv: 'OL_ID', refreshTokenEnv: 'OL_REFRESH' } } },
  ],
  { SEED_GMAIL_PASSWORD: 'x', SEED_POSTEO_PASSWORD: 'x', OL_ID: 'x', OL_REFRESH: 'x' },
  defaults,
).seeds;

test('a refused seed login names the password variable, and an app password where the provider takes one', () => {
  const [gmail, posteo, ol] = seeds;
  expect(seedLoginFix(gmail)).toMatch(
    /^check SEED_GMAIL_PASSWORD in \.env \(or the CI secrets\): the IMAP password of me\.seed@gmail\.com \(seed gmail\); Gmail needs app password/,
  );
  // Posteo has no app passwords: no such advice
  expect(seedLoginFix(posteo)).toBe('check SEED_POSTEO_PASSWORD in .env (or the CI secrets): the IMAP password of me@posteo.de (seed posteo)');
  expect(seedLoginFix(ol)).toBe('renew the refresh token in OL_REFRESH: npm run oauth:setup -- --seed ol');
  const d = decideFailure({
    throttle: null,
    oauthKind: null,
    authenticationFailed: true,
    freshTokenLeft: false,
    message: 'Authentication failed.',
    user: gmail.imap.user,
    loginFix: seedLoginFix(gmail),
    counts: { failures: 0, throttled: 0 },
    maxAttempts: 3,
    deadlines: [],
    now: 0,
    random: () => 0.5,
  });
  expect(d).toMatchObject({
    action: 'give-up',
    error: expect.stringMatching(/^login refused for me\.seed@gmail\.com: Authentication failed\.; fix: check SEED_GMAIL_PASSWORD/),
  });
});

test('the same refusal in many placement tests is one line with its seeds; attempts do not split it', () => {
  const note = (seedId: string, attempts: number) => ({
    status: 'failed',
    annotations: [
      {
        type: 'mailcanary.not-tested',
        description: JSON.stringify({
          seedId,
          detail: `seed mailbox could not be read after ${attempts} attempt(s): login refused for seed@lab.test: Authentication failed.; fix: check SEED_PASSWORD_LAB`,
        }),
      },
    ],
  });
  const lines = notTestedLines([note('lab-gmail', 1), note('lab-gmail', 2), note('lab-gmx', 1), { status: 'passed', annotations: [] }]);
  expect(lines).toEqual([
    'mailcanary: 3 placement test(s) not measured (seeds lab-gmail, lab-gmx): seed mailbox could not be read: login refused for seed@lab.test: Authentication failed.; fix: check SEED_PASSWORD_LAB',
  ]);
});
