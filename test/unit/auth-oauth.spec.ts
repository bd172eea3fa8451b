import { expect, test } from '@playwright/test';
import { createOAuthLogic } from '../../lab/oauth/server.ts';
import { labOAuthConfig, labRefreshToken, LAB_OAUTH_CLIENT_SECRET } from '../../lab/oauth/config.ts';
import { labTopology } from '../../lab/topology.ts';
import { pollDeviceFlow, startDeviceFlow } from '../../src/auth/device-flow.ts';
import { OAuthError, RefreshTokenSource, type FetchLike } from '../../src/auth/token-source.ts';
import { redact } from '../../src/shared/redact.ts';
import { setEnvLine } from '../../scripts/oauth-setup.ts';

const cfg = labOAuthConfig(labTopology({ MAILCANARY_LAB_DIR: '/tmp/unused' } as NodeJS.ProcessEnv), {} as NodeJS.ProcessEnv);

/** The lab's authorization server logic behind a fetch, on a fake clock: offline. */
function labFetch(clock: { now: number }) {
  const handle = createOAuthLogic(cfg, { now: () => clock.now });
  const calls: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    const form = new URLSearchParams(init.body);
    calls.push(form.get('grant_type') ?? new URL(url).pathname);
    const r = handle(new URL(url).pathname, form);
    return { status: r.status, text: async () => JSON.stringify(r.body) };
  };
  return { fetch, calls, handle };
}

test('the access token is reused while fresh and refreshed before it expires', async () => {
  const clock = { now: 1_000_000 };
  const { fetch, calls, handle } = labFetch(clock);
  const src = new RefreshTokenSource(
    { tokenUrl: cfg.tokenUrl, clientId: 'mailcanary-lab-short', clientSecret: LAB_OAUTH_CLIENT_SECRET, refreshToken: labRefreshToken('seed@outlook.lab.test') },
    { fetch, now: () => clock.now },
  );
  const a = await src.get();
  expect(a.expiresAt).toBe(1_000_000 + 4000);
  clock.now += 1000;
  expect((await src.get()).token).toBe(a.token); // fresh: no new grant
  clock.now += 2000; // 1 s before expiry: inside the margin (a third of 4 s)
  const b = await src.get();
  expect(b.token).not.toBe(a.token);
  expect(calls).toEqual(['refresh_token', 'refresh_token']);
  // the lab's introspection agrees: the new one is active, the old one dies at its expiry
  clock.now += 1500;
  expect(handle('/introspect', new URLSearchParams({ token: a.token })).body).toEqual({ active: false });
  expect(handle('/introspect', new URLSearchParams({ token: b.token })).body.active).toBe(true);
  // every token is redacted from outgoing text
  expect(redact(`a=${a.token} b=${b.token}`)).toBe('a=[redacted] b=[redacted]');
});

test('concurrent callers share one refresh', async () => {
  const clock = { now: 0 };
  const { fetch, calls } = labFetch(clock);
  const src = new RefreshTokenSource(
    { tokenUrl: cfg.tokenUrl, clientId: 'mailcanary-lab', clientSecret: LAB_OAUTH_CLIENT_SECRET, refreshToken: labRefreshToken('seed@gmail.lab.test') },
    { fetch, now: () => clock.now },
  );
  const [x, y, z] = await Promise.all([src.get(), src.get(), src.get()]);
  expect(new Set([x.token, y.token, z.token]).size).toBe(1);
  expect(calls).toHaveLength(1);
});

test('token endpoint answers become typed errors with the fix, secrets redacted', async () => {
  const clock = { now: 0 };
  const { fetch } = labFetch(clock);
  const revoked = new RefreshTokenSource(
    { tokenUrl: cfg.tokenUrl, clientId: 'mailcanary-lab', clientSecret: LAB_OAUTH_CLIENT_SECRET, refreshToken: 'lab-rt.nobody-secret-value' },
    { fetch },
  );
  const e1 = await revoked.get().catch((e: OAuthError) => e);
  expect(e1).toBeInstanceOf(OAuthError);
  expect((e1 as OAuthError).kind).toBe('invalid-grant');
  expect((e1 as OAuthError).message).toContain('oauth:setup');
  expect((e1 as OAuthError).message).not.toContain('nobody-secret-value');
  const badClient = new RefreshTokenSource(
    { tokenUrl: cfg.tokenUrl, clientId: 'mailcanary-lab', clientSecret: 'wrong-secret', refreshToken: labRefreshToken('seed@gmail.lab.test') },
    { fetch },
  );
  expect(((await badClient.get().catch((e) => e)) as OAuthError).kind).toBe('invalid-client');
  const down: FetchLike = async () => ({ status: 503, text: async () => 'Service Unavailable' });
  const flaky = new RefreshTokenSource({ tokenUrl: 'https://login.example/token', clientId: 'c', refreshToken: 'rt-value' }, { fetch: down });
  expect(((await flaky.get().catch((e) => e)) as OAuthError).kind).toBe('temporary');
  const hang: FetchLike = (_u, init) => new Promise((_r, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
  const slow = new RefreshTokenSource({ tokenUrl: 'https://login.example/token', clientId: 'c', refreshToken: 'rt-value' }, { fetch: hang, timeoutMs: 50 });
  const e4 = (await slow.get().catch((e) => e)) as OAuthError;
  expect([e4.kind, e4.message]).toEqual(['temporary', 'token endpoint login.example unreachable: no answer within 0 s']);
});

test('a rotated refresh token is used for the next refresh', async () => {
  let n = 0;
  const seen: string[] = [];
  const fetch: FetchLike = async (_u, init) => {
    seen.push(new URLSearchParams(init.body).get('refresh_token')!);
    n++;
    return { status: 200, text: async () => JSON.stringify({ access_token: `at-${n}-xxxx`, expires_in: 1, refresh_token: `rt-rotated-${n}` }) };
  };
  let now = 0;
  const src = new RefreshTokenSource({ tokenUrl: 'https://login.example/token', clientId: 'c', refreshToken: 'rt-original' }, { fetch, now: () => now });
  await src.get();
  now += 5000;
  await src.get();
  expect(seen).toEqual(['rt-original', 'rt-rotated-1']);
});

test('plain-http token endpoints are refused except on loopback', () => {
  expect(() => new RefreshTokenSource({ tokenUrl: 'http://login.example/token', clientId: 'c', refreshToken: 'r' })).toThrow(/not https/);
  expect(() => new RefreshTokenSource({ tokenUrl: 'http://127.0.0.1:8480/token', clientId: 'c', refreshToken: 'r' })).not.toThrow();
  expect(() => new RefreshTokenSource({ tokenUrl: 'https://x/token', clientId: '', refreshToken: 'r' })).toThrow(/clientId is empty/);
});

test('the device-code flow yields a refresh token after the user approves', async () => {
  const clock = { now: 0 };
  const { fetch } = labFetch(clock);
  const start = await startDeviceFlow({
    fetch,
    deviceUrl: cfg.deviceUrl,
    clientId: 'mailcanary-lab-public',
    scope: 'imap offline_access',
    now: () => clock.now,
  });
  expect(start.userCode).toBe('LAB-0000');
  const sleeps: number[] = [];
  const out = await pollDeviceFlow({
    fetch,
    tokenUrl: cfg.tokenUrl,
    clientId: 'mailcanary-lab-public',
    start,
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
  });
  expect(out.refreshToken).toBe(labRefreshToken('seed@outlook.lab.test'));
  expect(sleeps).toEqual([1000, 1000]); // first poll: authorization_pending
  expect(setEnvLine('A=1\nSEED_RT=old\n', 'SEED_RT', 'new')).toBe('A=1\nSEED_RT=new\n');
  expect(setEnvLine('A=1', 'SEED_RT', 'v')).toBe('A=1\nSEED_RT=v\n');
});
