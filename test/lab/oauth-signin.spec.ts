import { readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import { ImapFlow } from 'imapflow';
import { expect, test } from '@playwright/test';
import { labTopology } from '../../lab/index.ts';
import { labOAuthConfig, labRefreshToken, LAB_OAUTH_CLIENT_SECRET } from '../../lab/oauth/config.ts';
import type { OAuthEvent } from '../../lab/oauth/server.ts';
import { credentialsFor } from '../../src/auth/credentials.ts';
import { loadConfig } from '../../src/config/load.ts';
import { resolveSeeds } from '../../src/config/seeds.ts';
import { sendAll } from '../../src/send/submit.ts';
import { newRunId } from '../../src/send/tag.ts';
import { redact } from '../../src/shared/redact.ts';
import { SeedWatcher } from '../../src/watch/seed-watcher.ts';
import { MemoryConnectionSlots } from '../../src/watch/throttle.ts';
import { LAB_ENV_FILE, LAB_SEEDS, ROOT } from './support.ts';

const fileEnv = dotenv.parse(readFileSync(LAB_ENV_FILE));
const labEnv: Record<string, string | undefined> = { ...fileEnv, MAILCANARY_SEEDS: LAB_SEEDS };
for (const k of Object.keys(fileEnv)) if (process.env[k] !== undefined) labEnv[k] = process.env[k];

const topo = labTopology();
const oauth = labOAuthConfig(topo);
const address = 'seed@outlook.lab.test';

function events(): OAuthEvent[] {
  return readFileSync(oauth.eventsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as OAuthEvent);
}

test('an Outlook-like seed signs in with OAuth2 (OAUTHBEARER) and the token is refreshed mid-run', async () => {
  test.setTimeout(90_000);
  const env = {
    LAB_OAUTH_CLIENT_ID: 'mailcanary-lab-short', // access tokens live 4 s (MAILCANARY_LAB_OAUTH_SHORT_TTL)
    LAB_OAUTH_CLIENT_SECRET,
    LAB_OAUTH_REFRESH_TOKEN: labRefreshToken(address),
  };
  const { seeds, problems } = resolveSeeds(
    [
      {
        id: 'lab-outlook-oauth',
        address,
        provider: 'outlook',
        imap: {
          host: topo.imap.host,
          port: topo.imap.port,
          secure: false,
          allowPlaintextAuth: true,
          oauth2: {
            tokenUrl: oauth.tokenUrl,
            clientIdEnv: 'LAB_OAUTH_CLIENT_ID',
            clientSecretEnv: 'LAB_OAUTH_CLIENT_SECRET',
            refreshTokenEnv: 'LAB_OAUTH_REFRESH_TOKEN',
          },
        },
        timeoutSeconds: 30,
      },
    ],
    env,
    { timeoutSeconds: 30, variants: ['plain'] },
  );
  expect(problems).toEqual([]);
  const seed = seeds[0];
  expect(seed.imap.auth).toBe('oauth2');
  expect(seed.skipReason).toBeUndefined();

  const credentials = credentialsFor(seed, env);
  if (credentials.kind !== 'oauth2') throw new Error('expected OAuth2 credentials');
  const first = await credentials.tokens.get(); // the token the watcher's first sign-in will use
  const eventsBefore = events().length;
  const config = await loadConfig(ROOT, labEnv);
  const watcher = new SeedWatcher(seed, { credentials, pollIntervalMs: 200, slots: new MemoryConnectionSlots() });
  try {
    const sendOne = async () => {
      const [m] = await sendAll({ sender: config.sender, runId: newRunId(), plan: [{ seedId: seed.id, to: address, variant: 'plain' }] });
      expect(m.submitError).toBeUndefined();
      return watcher.waitFor(m.tag, m.submittedAt + 30_000, m.submittedAt);
    };
    const a = await sendOne();
    expect(a.status, JSON.stringify(a)).toBe('found');
    // Let the access token go stale while the IMAP session stays open, then watch again.
    await new Promise((r) => setTimeout(r, 4500));
    const b = await sendOne();
    expect(b.status, JSON.stringify(b)).toBe('found');
    expect(watcher.oauthLogins).toBeGreaterThanOrEqual(2);
    expect(credentials.tokens.refreshCount).toBeGreaterThanOrEqual(2);
  } finally {
    await watcher.close();
  }

  // The lab's authorization server saw a second refresh grant, and Dovecot introspected two different tokens.
  const mine = events().slice(eventsBefore);
  const refreshed = events().filter((e) => e.kind === 'refresh' && e.user === address && e.client === 'mailcanary-lab-short');
  expect(refreshed.length).toBeGreaterThanOrEqual(2);
  const introspected = new Set(mine.filter((e) => e.kind === 'introspect' && e.active && e.user === address).map((e) => e.token));
  expect(introspected.size).toBeGreaterThanOrEqual(2);
  const log = readFileSync(`${topo.stateDir}/dovecot.log`, 'utf8');
  expect(log).toMatch(new RegExp(`Login: user=<${address}>.*method=(OAUTHBEARER|XOAUTH2)`));

  // The first token has expired by now: Dovecot refuses it (the lab checks expiry like a provider).
  const stale = new ImapFlow({ host: topo.imap.host, port: topo.imap.port, secure: false, auth: { user: address, accessToken: first.token }, logger: false });
  stale.on('error', () => {});
  const err = await stale.connect().then(
    () => null,
    (e: { authenticationFailed?: boolean; message: string }) => e,
  );
  expect(err?.authenticationFailed).toBe(true);
  // and the token never shows in text that leaves the process
  expect(redact(`token ${first.token}`)).not.toContain(first.token);
});

test('a revoked refresh token makes the seed unreachable with the fix, never a crash or a hang', async () => {
  const env = { CID: 'mailcanary-lab', CSECRET: LAB_OAUTH_CLIENT_SECRET, RT: 'lab-rt.revoked-token-value' };
  const { seeds } = resolveSeeds(
    [
      {
        id: 'o',
        address,
        provider: 'outlook',
        imap: {
          host: topo.imap.host,
          port: topo.imap.port,
          secure: false,
          allowPlaintextAuth: true,
          oauth2: { tokenUrl: oauth.tokenUrl, clientIdEnv: 'CID', clientSecretEnv: 'CSECRET', refreshTokenEnv: 'RT' },
        },
      },
    ],
    env,
    { timeoutSeconds: 10, variants: ['plain'] },
  );
  const watcher = new SeedWatcher(seeds[0], { credentials: credentialsFor(seeds[0], env), pollIntervalMs: 200, slots: new MemoryConnectionSlots() });
  try {
    const r = await watcher.waitFor(`${newRunId()}.000`, Date.now() + 10_000);
    expect(r.status).toBe('unreachable');
    if (r.status !== 'unreachable') return;
    expect(r.error).toContain('invalid_grant');
    expect(r.error).toContain('oauth:setup');
    expect(r.error).not.toContain('revoked-token-value');
  } finally {
    await watcher.close();
  }
});
