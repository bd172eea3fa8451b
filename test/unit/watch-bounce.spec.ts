import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { bounceAccountFromEnv } from '../../src/config/bounce.ts';
import type { Seed } from '../../src/config/seeds.ts';
import { bounceOffNotices, bounceOffWarning, fileOffRecord, type BounceOffRecord } from '../../src/watch/bounce-state.ts';
import { BounceWatcher } from '../../src/watch/bounce-watcher.ts';
import { createImapClient } from '../../src/watch/imap-connect.ts';
import { startScriptedImap } from './watch-scripted-imap.ts';

/**
 * The bounce mailbox watcher when the mailbox cannot be read: a refused login turns it off at once
 * and for good (one LOGIN per run, however many tests wait), an unreachable mailbox after a
 * bounded number of attempts; either way its state says why and names the setting to fix.
 */
const PASSWORD = 'bounce-Secret-4711';
const TAG = 'mc203105050000wxyz.000';

function account(port: number, extra: Record<string, string> = {}): Seed {
  const { account: a, problems } = bounceAccountFromEnv({
    BOUNCE_IMAP_HOST: '127.0.0.1',
    BOUNCE_IMAP_PORT: String(port),
    BOUNCE_IMAP_USER: 'monitor@example.org',
    BOUNCE_IMAP_PASS: PASSWORD,
    BOUNCE_IMAP_TLS: 'none',
    BOUNCE_IMAP_ALLOW_PLAINTEXT_AUTH: 'true',
    MAIL_FROM: 'monitor@example.org',
    ...extra,
  });
  expect(problems).toEqual([]);
  return a!;
}

/** A watcher on a fake clock (sleeps advance it at once) whose client factory counts the clients it makes. */
/** where the fake clock starts; the scripted servers date their messages by it too */
const T0 = 1_900_000_000_000;

function watcherFor(a: Seed, shared?: BounceOffRecord) {
  let now = T0;
  const made = { clients: 0 };
  const sleeps: number[] = [];
  const w = new BounceWatcher(a, {
    password: PASSWORD,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    pollIntervalMs: 10,
    clientFactory: (seed, secret) => {
      made.clients++;
      return createImapClient(seed, secret);
    },
    shared,
  });
  return { w, made, sleeps, now: () => now };
}

/** A TCP server that accepts and never says a word (no IMAP greeting). */
async function silentServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    n++;
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => n,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('a refused login turns bounce watching off at once, says why, and is never tried again', async () => {
  // the server echoes the password in its refusal: it must not reach the reason
  const srv = await startScriptedImap({
    now: () => T0,
    folders: [{ path: 'INBOX' }],
    messages: [],
    logins: [`NO [AUTHENTICATIONFAILED] Authentication failed for ${PASSWORD}`],
  });
  const { w, made, now } = watcherFor(account(srv.port));
  try {
    expect(w.state).toEqual({ state: 'pending' });
    expect(await w.waitFor(TAG, now() + 60_000, now())).toBeNull();
    const s = w.state;
    expect(s).toMatchObject({ state: 'off', cause: 'login-refused' });
    if (s.state !== 'off') throw new Error('not off');
    expect(s.reason).toContain('monitor@example.org at 127.0.0.1:' + srv.port);
    expect(s.reason).toContain('(AUTHENTICATIONFAILED: Authentication failed for [redacted])');
    expect(s.fix).toMatch(/BOUNCE_IMAP_USER and BOUNCE_IMAP_PASS/);
    expect(s.fix).toContain('BOUNCE_WATCH=false');
    const warning = bounceOffWarning(s)!;
    expect(warning).toMatch(/^bounce watching is off: the bounce mailbox .* refused the login .*\. Fix: set BOUNCE_IMAP_USER/);
    expect(warning).not.toContain(PASSWORD);
    expect(warning).toContain('[redacted]');
    // later tests of the same worker: answered at once, no new connection, no second LOGIN
    for (let i = 1; i <= 3; i++) expect(await w.waitFor(`mc203105050000wxyz.00${i}`, now() + 60_000, now())).toBeNull();
    expect(await w.settled()).toBe(s);
    expect(made.clients).toBe(1);
    expect(srv.connections).toBe(1);
    expect(srv.commands.filter((c) => c.startsWith('LOGIN'))).toHaveLength(1);
  } finally {
    await w.close();
    await srv.close();
  }
});

test('another worker of the run adopts the refusal and never logs in; the run reports it once', async () => {
  const srv = await startScriptedImap({
    now: () => T0,
    folders: [{ path: 'INBOX' }],
    messages: [],
    logins: ['NO [AUTHENTICATIONFAILED] Authentication failed.'],
  });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-bounce-')), 'runs', 'mc1', 'bounce-watch.json');
  const a = account(srv.port);
  const first = watcherFor(
    a,
    fileOffRecord(() => file, a),
  );
  const second = watcherFor(
    a,
    fileOffRecord(() => file, a),
  );
  // a record for another account (other user) is not adopted
  const other = account(srv.port, { BOUNCE_IMAP_USER: 'other@example.org' });
  const third = watcherFor(
    other,
    fileOffRecord(() => file, other),
  );
  try {
    expect(await first.w.waitFor(TAG, first.now() + 60_000, first.now())).toBeNull();
    expect(first.w.state.state).toBe('off');
    expect(await second.w.waitFor(TAG, second.now() + 60_000, second.now())).toBeNull();
    expect(second.w.state).toEqual(first.w.state);
    expect(second.made.clients).toBe(0);
    expect(srv.commands.filter((c) => c.startsWith('LOGIN'))).toHaveLength(1);
    // the other account is tried (and the scripted server, out of refusals, lets it in)
    await third.w.waitFor(TAG, third.now() + 20, third.now());
    expect(third.w.state).toEqual({ state: 'watching' });
    // two workers, one warning for the run
    const annotations = [first.w.state, second.w.state].map((s) => ({ type: 'warning', description: bounceOffWarning(s) }));
    expect(bounceOffNotices([...annotations, { type: 'warning', description: 'something else' }])).toEqual([bounceOffWarning(first.w.state)]);
  } finally {
    await Promise.all([first.w.close(), second.w.close(), third.w.close()]);
    await srv.close();
  }
});

test('connection refused: off after 3 attempts with backoff, naming BOUNCE_IMAP_HOST/PORT; no attempt after that', async () => {
  const port = await closedPort();
  const { w, made, sleeps, now } = watcherFor(account(port));
  try {
    expect(await w.waitFor(TAG, now() + 600_000, now())).toBeNull();
    const s = w.state;
    expect(s).toMatchObject({ state: 'off', cause: 'unreachable' });
    if (s.state !== 'off') throw new Error('not off');
    expect(s.reason).toBe(
      `the bounce mailbox at 127.0.0.1:${port} could not be read after 3 attempt(s) (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect(s.fix).toMatch(/BOUNCE_IMAP_HOST and BOUNCE_IMAP_PORT/);
    expect(made.clients).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThanOrEqual(sleeps[0]);
    expect(await w.waitFor('mc203105050000wxyz.001', now() + 600_000, now())).toBeNull();
    expect(made.clients).toBe(3);
  } finally {
    await w.close();
  }
});

test('a server that never greets: off after 3 timed-out attempts, even when the test stopped waiting', async () => {
  const srv = await silentServer();
  const before = process.env.MAILCANARY_IMAP_TIMEOUT;
  process.env.MAILCANARY_IMAP_TIMEOUT = '1';
  const { w, made, now } = watcherFor(account(srv.port));
  try {
    const wait = w.waitFor(TAG, now() + 600_000, now());
    // the seed's message was found meanwhile: the test still learns whether bounces were watched
    w.forget(TAG);
    expect(await wait).toBeNull();
    const s = await w.settled();
    expect(s).toMatchObject({ state: 'off', cause: 'unreachable' });
    expect(bounceOffWarning(s)).toMatch(/could not be read after 3 attempt\(s\) \(.*[Tt]imeout/);
    expect(made.clients).toBe(3);
    expect(srv.connections()).toBe(3);
  } finally {
    if (before === undefined) delete process.env.MAILCANARY_IMAP_TIMEOUT;
    else process.env.MAILCANARY_IMAP_TIMEOUT = before;
    await w.close();
    await srv.close();
  }
});

test('a TLS failure (implicit TLS against a plain server): the fix names BOUNCE_IMAP_TLS', async () => {
  const srv = await startScriptedImap({ now: () => T0, folders: [{ path: 'INBOX' }], messages: [] });
  const { w, made, now } = watcherFor(account(srv.port, { BOUNCE_IMAP_TLS: 'implicit' }));
  try {
    expect(await w.waitFor(TAG, now() + 600_000, now())).toBeNull();
    const s = w.state;
    expect(s).toMatchObject({ state: 'off', cause: 'unreachable' });
    if (s.state !== 'off') throw new Error('not off');
    expect(s.fix).toMatch(/BOUNCE_IMAP_TLS \(implicit on port 993, starttls on 143\)/);
    expect(made.clients).toBe(3);
  } finally {
    await w.close();
    await srv.close();
  }
});

test('a reachable mailbox is watching; a throttling NO to LOGIN is waited out, not taken for a wrong password', async () => {
  const srv = await startScriptedImap({
    now: () => T0,
    folders: [{ path: 'INBOX' }, { path: 'Junk', flags: ['\\Junk'] }],
    messages: [],
    logins: ['NO [THROTTLED] slow down'],
  });
  const { w, made, now } = watcherFor(account(srv.port));
  try {
    // the deadline passes during the backoff: the first login is still finished
    const wait = w.waitFor(TAG, now() + 1, now());
    expect(await w.settled()).toEqual({ state: 'watching' });
    expect(await wait).toBeNull();
    expect(w.state).toEqual({ state: 'watching' });
    expect(bounceOffWarning(w.state)).toBeUndefined();
    expect(made.clients).toBe(2);
    expect(srv.commands.filter((c) => c.startsWith('LOGIN'))).toHaveLength(2);
    expect(srv.commands).toContain('EXAMINE Junk');
  } finally {
    await w.close();
    await srv.close();
  }
});
