import { expect, test } from '@playwright/test';
import { resolveSeeds, type Seed } from '../../src/config/seeds.ts';
import { ChangeSignal } from '../../src/watch/change-signal.ts';
import { SeedWatcher } from '../../src/watch/seed-watcher.ts';
import { windowStartUid } from '../../src/watch/mailbox-scan.ts';
import { MemoryConnectionSlots } from '../../src/watch/throttle.ts';
import { shiftedNow } from './test-clock.ts';
import { startIdleImap, type IdleServer } from './watch-idle-imap.ts';

const RUN = 'mc202611271000idle';
const RUN2 = 'mc202611271100idle';
const tag = (run: string, n: number) => `${run}.${String(n).padStart(3, '0')}`;
const headers = (t: string) => `X-Mailcanary-Tag: ${t}\r\nSubject: canary\r\nFrom: monitor@example.org\r\n`;
const FOLDERS = [{ path: 'INBOX' }, { path: '[Gmail]', flags: ['\\Noselect'] }, { path: '[Gmail]/Spam', flags: ['\\Junk'] }, { path: 'Archive' }];
/** longer than any test: a message found in these tests was found by a push, never by a poll */
const NO_POLL = 120_000;

function seedFor(port: number): Seed {
  const { seeds, problems } = resolveSeeds(
    [
      {
        id: 's',
        address: 'seed@example.org',
        provider: 'gmail',
        imap: { host: '127.0.0.1', port, secure: false, allowPlaintextAuth: true, passwordEnv: 'P' },
        timeoutSeconds: 60,
      },
    ],
    { P: 'scripted-password' },
    { timeoutSeconds: 60, variants: ['plain'] },
  );
  expect(problems).toEqual([]);
  return seeds[0];
}

/** the watcher and the scripted server share a clock running ahead of the real one (IDLE waits are real) */
function watcher(server: IdleServer, extra: { pollIntervalMs?: number; connectionLimit?: number; idle?: boolean } = {}) {
  return new SeedWatcher(seedFor(server.port), {
    password: 'scripted-password',
    slots: new MemoryConnectionSlots(),
    pollIntervalMs: NO_POLL,
    now: shiftedNow,
    ...extra,
  });
}

/** a connection is idling on `folder`: its last EXAMINE/SELECT named it, and an IDLE followed with no DONE yet */
function isIdling(log: string[], folder: string): boolean {
  const opened = log.map((x) => /^(?:EXAMINE|SELECT) "?(.*?)"?$/.exec(x)?.[1]).filter((x) => x !== undefined);
  return opened.at(-1) === folder && log.at(-1) === 'IDLE';
}

async function idlingOn(server: IdleServer, folder: string): Promise<void> {
  await expect.poll(() => server.commands.some((c) => isIdling(c, folder)), { timeout: 5000 }).toBe(true);
}

test.describe('IMAP IDLE (RFC 2177)', () => {
  test('a message filed into INBOX wakes the idling watcher: no poll needed', async () => {
    const server = await startIdleImap({ now: shiftedNow, folders: FOLDERS });
    const w = watcher(server);
    try {
      const now = shiftedNow();
      const wait = w.waitFor(tag(RUN, 1), now + 60_000, now);
      await idlingOn(server, 'INBOX');
      server.deliver('INBOX', headers(tag(RUN, 1)));
      const r = await wait;
      expect(r.status).toBe('found');
      expect(r.status === 'found' && r.sighting.placement).toBe('inbox');
      const main = server.commands.find((c) => c.some((x) => /^EXAMINE "?INBOX"?$/.test(x)))!;
      expect(main).toContain('IDLE');
      expect(main).toContain('DONE');
    } finally {
      await w.close();
      await server.close();
    }
  });

  test('spam is heard and read on a second connection that never re-opens the folder', async () => {
    const server = await startIdleImap({ now: shiftedNow, folders: FOLDERS });
    const w = watcher(server);
    try {
      const now = shiftedNow();
      const wait = w.waitFor(tag(RUN, 2), now + 60_000, now);
      await idlingOn(server, '[Gmail]/Spam');
      await idlingOn(server, 'INBOX');
      const listener = server.commands.find((c) => !c.some((x) => /^EXAMINE "?INBOX"?$/.test(x)))!;
      const before = listener.length;
      server.deliver('[Gmail]/Spam', headers(tag(RUN, 2)));
      const r = await wait;
      expect(r.status === 'found' && r.sighting.placement).toBe('spam');
      expect(server.commands.length).toBe(2);
      expect(w.connectionsOpened).toBe(2);
      // after the push: DONE, the new UIDs from the cursor on, their headers, IDLE again; no EXAMINE
      const after = listener.slice(before);
      expect(after[0]).toBe('DONE');
      expect(after.filter((x) => /^(EXAMINE|SELECT)/.test(x))).toEqual([]);
      expect(after.find((x) => x.startsWith('UID SEARCH'))).toMatch(/^UID SEARCH UID \d+:\*$/);
      expect(after.some((x) => x.startsWith('UID FETCH'))).toBe(true);
      await expect.poll(() => listener.at(-1)).toBe('IDLE');
    } finally {
      await w.close();
      await server.close();
    }
  });

  test('with one connection allowed, spam is polled and no second connection is opened', async () => {
    const server = await startIdleImap({ now: shiftedNow, folders: FOLDERS });
    const w = watcher(server, { connectionLimit: 1, pollIntervalMs: 100 });
    try {
      const now = shiftedNow();
      const wait = w.waitFor(tag(RUN, 3), now + 60_000, now);
      await idlingOn(server, 'INBOX');
      server.deliver('[Gmail]/Spam', headers(tag(RUN, 3)));
      const r = await wait;
      expect(r.status === 'found' && r.sighting.placement).toBe('spam');
      expect(server.commands.length).toBe(1);
    } finally {
      await w.close();
      await server.close();
    }
  });

  test('a server without IDLE is polled on one connection, as before', async () => {
    const server = await startIdleImap({ now: shiftedNow, folders: FOLDERS, idle: false });
    const w = watcher(server, { pollIntervalMs: 50 });
    try {
      const now = shiftedNow();
      const wait = w.waitFor(tag(RUN, 4), now + 60_000, now);
      await expect.poll(() => server.commands[0]?.filter((x) => /^EXAMINE "?INBOX"?$/.test(x)).length ?? 0).toBeGreaterThan(1);
      server.deliver('INBOX', headers(tag(RUN, 4)));
      expect((await wait).status).toBe('found');
      expect(server.commands.length).toBe(1);
      expect(server.commands[0]).not.toContain('IDLE');
    } finally {
      await w.close();
      await server.close();
    }
  });

  test('a later run reuses the cursors: only new UIDs are searched, never the whole folder again', async () => {
    const server = await startIdleImap({ now: shiftedNow, folders: FOLDERS });
    const monthAgo = shiftedNow() - 30 * 86_400_000;
    for (let i = 0; i < 50; i++) server.deliver('INBOX', headers(`mc202601010000oldx.${String(i).padStart(3, '0')}`), monthAgo + i * 60_000);
    const w = watcher(server);
    try {
      let now = shiftedNow();
      const first = w.waitFor(tag(RUN, 5), now + 60_000, now);
      await idlingOn(server, 'INBOX');
      server.deliver('INBOX', headers(tag(RUN, 5)));
      expect((await first).status).toBe('found');
      const main = server.commands.find((c) => c.some((x) => /^EXAMINE "?INBOX"?$/.test(x)))!;
      const searchesBefore = main.filter((x) => x.startsWith('UID SEARCH')).length;
      now = shiftedNow();
      const second = w.waitFor(tag(RUN2, 1), now + 60_000, now);
      server.deliver('INBOX', headers(tag(RUN2, 1)));
      const r = await second;
      expect(r.status === 'found' && r.sighting.uid).toBe(52);
      const later = main.filter((x) => x.startsWith('UID SEARCH')).slice(searchesBefore);
      expect(later.length).toBeGreaterThan(0);
      for (const s of later) expect(s).not.toContain('SINCE');
    } finally {
      await w.close();
      await server.close();
    }
  });

  test('a message that is never filed is missing at its deadline, with a last look everywhere', async () => {
    const server = await startIdleImap({ now: shiftedNow, folders: FOLDERS });
    const w = watcher(server);
    try {
      const now = shiftedNow();
      const r = await w.waitFor(tag(RUN, 6), now + 800, now);
      expect(r).toEqual({ status: 'missing', searched: ['INBOX', '[Gmail]/Spam', 'Archive'] });
    } finally {
      await w.close();
      await server.close();
    }
  });
});

test('ChangeSignal keeps a notification that came while nobody waited', async () => {
  const s = new ChangeSignal();
  expect(await s.wait(1)).toBe(false);
  s.notify();
  expect(await s.wait(10_000)).toBe(true);
  expect(s.take()).toBe(true);
  expect(s.take()).toBe(false);
  const woken = s.wait(10_000);
  s.notify();
  expect(await woken).toBe(true);
});

test.describe('first look: only the window is searched, however big the folder', () => {
  const DAY = 86_400_000;
  const now = Date.parse('2026-11-27T12:00:00Z');
  /** a folder of `n` messages, UID = 1000 + seq, one a day for the old ones and `fresh` recent ones on top */
  function folder(n: number, fresh: number) {
    const fetched: string[] = [];
    const date = (seq: number) => (seq > n - fresh ? now - 60_000 * (n - seq) : now - DAY * (n - seq + 2));
    const client = {
      fetchAll: async (range: string) => {
        fetched.push(range);
        const [lo, hi] = range.split(':').map(Number);
        return Array.from({ length: hi - lo + 1 }, (_, i) => ({ seq: lo + i, uid: 1000 + lo + i, internalDate: new Date(date(lo + i)) }));
      },
    };
    return { client: client as unknown as Parameters<typeof windowStartUid>[0], fetched };
  }

  test('50,000 old messages and 3 new: one FETCH of 64 dates, the search starts at the first new UID', async () => {
    const f = folder(50_000, 3);
    expect(await windowStartUid(f.client, 50_000, now - 36 * 3600_000)).toBe(1000 + 49_998);
    expect(f.fetched).toEqual(['49937:50000']);
  });

  test('more recent mail than a chunk: the walk goes back in growing chunks', async () => {
    const f = folder(5000, 300);
    expect(await windowStartUid(f.client, 5000, now - 36 * 3600_000)).toBe(1000 + 4701);
    expect(f.fetched).toEqual(['4937:5000', '4681:4936']);
  });

  test('nothing in the window: the search starts after the newest message', async () => {
    const f = folder(100, 0);
    expect(await windowStartUid(f.client, 100, now - 36 * 3600_000)).toBe(1000 + 101);
  });

  test('everything in the window: from the first message', async () => {
    const f = folder(10, 10);
    expect(await windowStartUid(f.client, 10, now - 36 * 3600_000)).toBe(1001);
  });
});
