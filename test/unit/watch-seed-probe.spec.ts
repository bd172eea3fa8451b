import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { resolveSeeds, type Seed } from '../../src/config/seeds.ts';
import { probeSeeds } from '../../src/watch/seed-probe.ts';
import { describeImapError } from '../../src/watch/imap-errors.ts';
import { startScriptedImap } from './watch-scripted-imap.ts';
import { steppedClock } from './test-clock.ts';

/**
 * The login before sending: one per account, a refusal or an unreachable server is the seed's
 * error with the setting to fix, throttling is a reachable server.
 */
function seed(id: string, port: number, user = 'seed@example.org'): Seed {
  const { seeds, problems } = resolveSeeds(
    [{ id, address: user, provider: 'gmail', imap: { host: '127.0.0.1', port, secure: false, allowPlaintextAuth: true, passwordEnv: 'P' } }],
    { P: 'scripted-password' },
    { timeoutSeconds: 60, variants: ['plain'] },
  );
  expect(problems).toEqual([]);
  return seeds[0];
}

const env = { P: 'scripted-password' };
const options = (clock: ReturnType<typeof steppedClock>) => ({ env, now: clock.now, sleep: clock.sleep });

test('a mailbox that signs in is readable; seeds of one account share one login', async () => {
  const clock = steppedClock();
  const srv = await startScriptedImap({ now: clock.now, folders: [{ path: 'INBOX' }], messages: [] });
  try {
    const a = seed('a', srv.port);
    const b = { ...seed('b', srv.port), address: 'seed+b@example.org' };
    expect(await probeSeeds([a, b], options(clock))).toEqual([]);
    expect(srv.connections).toBe(1);
    // signs in and out, opens no folder
    expect(srv.commands.filter((c) => /^(LOGIN|LOGOUT|SELECT|EXAMINE)\b/.test(c))).toEqual(['LOGIN ***', 'LOGOUT']);
  } finally {
    await srv.close();
  }
});

test('a refused login is final at once and names the password variable', async () => {
  const clock = steppedClock();
  const srv = await startScriptedImap({
    now: clock.now,
    folders: [{ path: 'INBOX' }],
    messages: [],
    logins: ['NO [AUTHENTICATIONFAILED] Authentication failed.'],
  });
  try {
    const got = await probeSeeds([seed('g', srv.port)], options(clock));
    expect(got).toHaveLength(1);
    expect(got[0].seedId).toBe('g');
    expect(got[0].error).toMatch(
      /^login refused for seed@example\.org: .*Authentication failed\..*; fix: check P in \.env \(or the CI secrets\): the IMAP password of seed@example\.org \(seed g\); Gmail needs app password/,
    );
    expect(srv.connections).toBe(1);
    expect(got[0].error).not.toContain('scripted-password');
  } finally {
    await srv.close();
  }
});

test('a throttled login is a reachable server: the watcher waits it out, the seed is mailed', async () => {
  const clock = steppedClock();
  const srv = await startScriptedImap({ now: clock.now, folders: [{ path: 'INBOX' }], messages: [], logins: ['NO [THROTTLED] slow down'] });
  try {
    expect(await probeSeeds([seed('t', srv.port)], options(clock))).toEqual([]);
  } finally {
    await srv.close();
  }
});

test('nothing listening: two attempts, then the error once with the host, port and TLS mode to check', async () => {
  // a port that was free a moment ago: connecting to it is refused
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const clock = steppedClock();
  const got = await probeSeeds([seed('down', port)], options(clock));
  expect(got).toEqual([
    {
      seedId: 'down',
      error: `connect ECONNREFUSED 127.0.0.1:${port}; fix: check imap.host and imap.port of seed down (now 127.0.0.1:${port}, no TLS; imap.secure: true is implicit TLS, usually port 993, false is STARTTLS, usually port 143) and that no firewall blocks it`,
    },
  ]);
  // one pause between the two attempts, on the injected clock
  expect(clock.sleeps).toHaveLength(1);
});

test('an IMAP error names its code once, and the connection fix only for a connection that failed', () => {
  const s = seed('x', 993);
  expect(describeImapError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:993'), { code: 'ECONNREFUSED' }), s)).toMatch(
    /^connect ECONNREFUSED 127\.0\.0\.1:993; fix: check imap\.host and imap\.port of seed x \(now 127\.0\.0\.1:993, no TLS;/,
  );
  expect(describeImapError(Object.assign(new Error('Connection timed out'), { code: 'CONNECT_TIMEOUT' }), s)).toMatch(
    /^CONNECT_TIMEOUT: Connection timed out; fix: check imap\.host/,
  );
  // a session that dropped after the server answered is no setting to change
  expect(describeImapError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), s)).toBe('ECONNRESET: socket hang up');
  expect(describeImapError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:993'), { code: 'ECONNREFUSED' }))).toBe(
    'connect ECONNREFUSED 127.0.0.1:993',
  );
});

test('a server that hangs up before its greeting: the settings to check, not only the socket error', async () => {
  const hangup = createServer((s) => s.destroy());
  await new Promise<void>((r) => hangup.listen(0, '127.0.0.1', () => r()));
  const port = (hangup.address() as { port: number }).port;
  try {
    const clock = steppedClock();
    const [got] = await probeSeeds([seed('h', port)], options(clock));
    expect(got.error).toMatch(new RegExp(`; fix: check imap\\.host and imap\\.port of seed h \\(now 127\\.0\\.0\\.1:${port}, no TLS;`));
  } finally {
    await new Promise<void>((r) => hangup.close(() => r()));
  }
});
