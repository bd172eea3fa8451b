import { expect, test } from '@playwright/test';
import { resolveSeeds, type Seed } from '../../src/config/seeds.ts';
import { lookupGmailTabs, tabFromLabels } from '../../src/watch/gmail-tabs.ts';
import { SeedWatcher } from '../../src/watch/seed-watcher.ts';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backoffDelay, connectionBudget, FileConnectionSlots, MemoryConnectionSlots, throttleSignal, type ConnectionSlots } from '../../src/watch/throttle.ts';
import { shiftedNow, steppedClock } from './test-clock.ts';
import { startScriptedImap, type Script, type ScriptedMessage } from './watch-scripted-imap.ts';

const RUN = 'mc202611271000abcd';
const tag = (n: number) => `${RUN}.${String(n).padStart(3, '0')}`;
const msg = (uid: number, folder: string, n: number, category?: ScriptedMessage['category']): ScriptedMessage => ({
  uid,
  folder,
  category,
  headers: `X-Mailcanary-Tag: ${tag(n)}\r\nSubject: canary ${n}\r\nFrom: monitor@example.org\r\n`,
});
const GMAIL_FOLDERS = [
  { path: 'INBOX' },
  { path: '[Gmail]', flags: ['\\Noselect'] },
  { path: '[Gmail]/Spam', flags: ['\\Junk'] },
  { path: '[Gmail]/All Mail', flags: ['\\All'] },
];

function seedFor(port: number, provider: 'gmail' | 'gmx' = 'gmail'): Seed {
  const { seeds, problems } = resolveSeeds(
    [
      {
        id: 's',
        address: 'seed@example.org',
        provider,
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

/**
 * A watcher on a stepped clock (every sleep advances time at once, so backoffs cost nothing); the
 * scripted server dates its messages from the same clock.
 */
function watcherFor(seed: Seed, clock: ReturnType<typeof steppedClock>, extra: { random?: () => number } = {}) {
  const w = new SeedWatcher(seed, {
    password: 'scripted-password',
    now: clock.now,
    sleep: clock.sleep,
    pollIntervalMs: 10,
    slots: new MemoryConnectionSlots(),
    random: extra.random ?? (() => 0.5),
  });
  return { w, sleeps: clock.sleeps, now: clock.now };
}

test.describe('Gmail tabs', () => {
  test('inbox messages get their category tab from X-GM-RAW; spam gets none', async () => {
    const clock = steppedClock();
    const script: Script = {
      now: clock.now,
      gmail: true,
      folders: GMAIL_FOLDERS,
      messages: [
        msg(1, 'INBOX', 1, 'promotions'),
        msg(2, 'INBOX', 2, 'primary'),
        msg(3, 'INBOX', 3, 'social'),
        msg(4, 'INBOX', 4, 'updates'),
        msg(5, 'INBOX', 5, 'forums'),
        msg(1, '[Gmail]/Spam', 6),
      ],
    };
    const srv = await startScriptedImap(script);
    const { w, now } = watcherFor(seedFor(srv.port), clock);
    try {
      const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => w.waitFor(tag(n), now() + 60_000)));
      const got = results.map((r) => (r.status === 'found' ? [r.sighting.placement, r.sighting.tab] : [r.status]));
      expect(got).toEqual([
        ['inbox', 'promotions'],
        ['inbox', 'primary'],
        ['inbox', 'social'],
        ['inbox', 'updates'],
        ['inbox', 'forums'],
        ['spam', undefined],
      ]);
      const raw = srv.commands.filter((c) => c.includes('X-GM-RAW'));
      expect(raw.length).toBeLessThanOrEqual(5); // one search per tab, not per message
      expect(raw.some((c) => c.includes('category:promotions'))).toBe(true);
    } finally {
      await w.close();
      await srv.close();
    }
  });

  test('a server without X-GM-EXT-1 gets no tab and no Gmail command', async () => {
    const clock = steppedClock();
    const srv = await startScriptedImap({
      now: clock.now,
      folders: [{ path: 'INBOX' }, { path: 'Spamverdacht' }],
      messages: [msg(1, 'INBOX', 1, 'promotions')],
    });
    const { w, now } = watcherFor(seedFor(srv.port, 'gmx'), clock);
    try {
      const r = await w.waitFor(tag(1), now() + 60_000);
      expect(r.status).toBe('found');
      if (r.status === 'found') expect(r.sighting.tab).toBeUndefined();
      expect(srv.commands.some((c) => c.includes('X-GM-RAW'))).toBe(false);
    } finally {
      await w.close();
      await srv.close();
    }
  });

  test('a refused category search leaves the tab unknown and the placement intact', async () => {
    const clock = steppedClock();
    const srv = await startScriptedImap({ now: clock.now, gmail: true, refuseRaw: true, folders: GMAIL_FOLDERS, messages: [msg(1, 'INBOX', 1, 'promotions')] });
    const { w, now } = watcherFor(seedFor(srv.port), clock);
    try {
      const r = await w.waitFor(tag(1), now() + 60_000);
      expect(r.status === 'found' && [r.sighting.placement, r.sighting.tab]).toEqual(['inbox', undefined]);
    } finally {
      await w.close();
      await srv.close();
    }
  });

  test("the first look reads the window before submission on the watcher's clock, whatever the calendar says", async () => {
    const clock = steppedClock();
    const HOUR = 3600_000;
    const old = { ...msg(1, 'INBOX', 1), arrivedAt: clock.now() - 40 * HOUR };
    const recent = { ...msg(2, 'INBOX', 2), arrivedAt: clock.now() - 35 * HOUR };
    const srv = await startScriptedImap({ now: clock.now, folders: [{ path: 'INBOX' }], messages: [old, recent, msg(3, 'INBOX', 3)] });
    const { w, now } = watcherFor(seedFor(srv.port, 'gmx'), clock);
    try {
      const [r1, r2, r3] = await Promise.all([1, 2, 3].map((n) => w.waitFor(tag(n), now() + 1000)));
      expect(r1).toEqual({ status: 'missing', searched: ['INBOX'] });
      // INTERNALDATE has whole seconds (RFC 3501 §9 date-time)
      expect(r2.status === 'found' && r2.sighting.internalDate).toBe(Math.floor(recent.arrivedAt / 1000) * 1000);
      expect(r3.status).toBe('found');
      expect(srv.commands.filter((c) => c.startsWith('UID SEARCH'))).toEqual([expect.stringMatching(/^UID SEARCH UID 2:\* /)]);
    } finally {
      await w.close();
      await srv.close();
    }
  });

  test('labels naming a category are read; the search decides the rest', async () => {
    expect(tabFromLabels(['\\Inbox', 'CATEGORY_SOCIAL'])).toBe('social');
    expect(tabFromLabels(['"\\\\Important"', '\\Inbox'])).toBeUndefined();
    expect(tabFromLabels(undefined)).toBeUndefined();
    const calls: string[] = [];
    const client = {
      capabilities: new Set(['X-GM-EXT-1']),
      search: async (q: Record<string, unknown>) => {
        calls.push(String(q.gmraw));
        return q.gmraw === 'category:primary' ? [9] : [];
      },
    };
    const r = await lookupGmailTabs(client, [8, 9], new Map([[8, ['CATEGORY_PROMOTIONS']]]));
    expect([...r.tabs]).toEqual([
      [8, 'promotions'],
      [9, 'primary'],
    ]);
    expect(calls).toEqual(['category:promotions', 'category:social', 'category:updates', 'category:forums', 'category:primary']);
  });
});

test.describe('throttling', () => {
  test('throttling answers to LOGIN are waited out with backoff, not reported as a login failure', async () => {
    const clock = steppedClock();
    const srv = await startScriptedImap({
      now: clock.now,
      gmail: true,
      folders: GMAIL_FOLDERS,
      messages: [msg(1, 'INBOX', 1, 'primary')],
      logins: [
        'NO [ALERT] Too many simultaneous connections. (Failure)',
        'NO [THROTTLED] Request is throttled. Suggested Backoff Time: 2000 milliseconds',
        'NO [UNAVAILABLE] Temporary System Problem',
        'NO [LIMIT] Account exceeded command or bandwidth limits. (Failure)',
        'OK',
      ],
    });
    const { w, sleeps, now } = watcherFor(seedFor(srv.port), clock);
    try {
      const r = await w.waitFor(tag(1), now() + 600_000);
      expect(r.status).toBe('found');
      expect(srv.connections).toBe(5);
      // 4 backoffs, growing, and the server's 2 s hint respected (imapflow itself also waits it out, capped)
      const backoffs = sleeps.filter((ms) => ms >= 1000);
      expect(backoffs).toHaveLength(4);
      expect(backoffs[1]).toBeGreaterThanOrEqual(2000);
      expect(backoffs[3]).toBeGreaterThan(backoffs[0]);
      expect(w.lastThrottle?.kind).toBe('limit');
    } finally {
      await w.close();
      await srv.close();
    }
  });

  test('a BYE [UNAVAILABLE] greeting is retried like throttling', async () => {
    const clock = steppedClock();
    const srv = await startScriptedImap({
      now: clock.now,
      folders: [{ path: 'INBOX' }],
      messages: [msg(1, 'INBOX', 1)],
      greetings: ['* BYE [UNAVAILABLE] Temporary System Problem, try again later', '* BYE [UNAVAILABLE] still busy'],
    });
    const { w, now } = watcherFor(seedFor(srv.port, 'gmx'), clock);
    try {
      const r = await w.waitFor(tag(1), now() + 600_000);
      expect(r.status).toBe('found');
      expect(srv.connections).toBe(3);
    } finally {
      await w.close();
      await srv.close();
    }
  });

  test("throttled past the deadline: unreachable with the server's words, never missing, never a hang", async () => {
    const clock = steppedClock();
    const srv = await startScriptedImap({ now: clock.now, folders: [{ path: 'INBOX' }], messages: [], logins: Array(100).fill('NO [THROTTLED] slow down') });
    const { w, now } = watcherFor(seedFor(srv.port, 'gmx'), clock);
    try {
      const r = await w.waitFor(tag(1), now() + 120_000);
      expect(r.status).toBe('unreachable');
      if (r.status === 'unreachable') {
        expect(r.error).toContain('throttled');
        expect(r.error).toContain('slow down');
        expect(r.error).not.toContain('scripted-password');
      }
      expect(srv.connections).toBeLessThan(20);
    } finally {
      await w.close();
      await srv.close();
    }
  });

  test('a real credential refusal still fails fast', async () => {
    const clock = steppedClock();
    const srv = await startScriptedImap({
      now: clock.now,
      folders: [{ path: 'INBOX' }],
      messages: [],
      logins: ['NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)'],
    });
    const { w, now } = watcherFor(seedFor(srv.port, 'gmx'), clock);
    try {
      const r = await w.waitFor(tag(1), now() + 120_000);
      expect(r.status).toBe('unreachable');
      if (r.status === 'unreachable') expect(r.error).toContain('login refused');
      expect(srv.connections).toBe(1);
    } finally {
      await w.close();
      await srv.close();
    }
  });

  test('throttleSignal, backoffDelay and the connection budget', () => {
    expect(
      throttleSignal({ code: 'ETHROTTLE', throttleReset: 92415, responseText: 'Request is throttled. Suggested Backoff Time: 92415 milliseconds' }),
    ).toMatchObject({ kind: 'throttled', retryAfterMs: 92415 });
    expect(throttleSignal({ serverResponseCode: 'UNAVAILABLE', message: 'Command failed' })?.kind).toBe('unavailable');
    expect(throttleSignal({ responseText: 'Too many simultaneous connections. (Failure)', authenticationFailed: true })?.kind).toBe('too-many-connections');
    expect(throttleSignal({ responseText: 'Invalid credentials (Failure)', serverResponseCode: 'AUTHENTICATIONFAILED' })).toBeNull();
    expect(throttleSignal(new Error('connect ECONNREFUSED 127.0.0.1:993'))).toBeNull();
    expect(throttleSignal(null)).toBeNull();
    const lo = () => 0;
    const hi = () => 0.999;
    expect(backoffDelay(1, undefined, { random: lo })).toBe(1000);
    expect(backoffDelay(3, undefined, { random: hi })).toBeLessThanOrEqual(8000);
    expect(backoffDelay(20, undefined, { random: hi })).toBeLessThanOrEqual(120_000);
    expect(backoffDelay(1, 45_000, { random: lo })).toBe(45_000);
    expect(connectionBudget(15)).toBe(7);
    expect(connectionBudget(1)).toBe(1);
  });

  test('connection slots cap simultaneous connections per account', async () => {
    const slots = new MemoryConnectionSlots();
    const a = await slots.acquire('acct', 2, Date.now() + 1000);
    const b = await slots.acquire('acct', 2, Date.now() + 1000);
    const c = await slots.acquire('acct', 2, Date.now() + 50);
    expect(a && b).toBeTruthy();
    expect(c).toBeNull();
    a!();
    const d = await slots.acquire('acct', 2, Date.now() + 1000);
    expect(d).toBeTruthy();
  });

  /** a slot wait whose deadline is on `now`, or 'hung' when it is still waiting after 5 s */
  async function slotWait(slots: ConnectionSlots, now: () => number): Promise<'hung' | 'timed out' | 'got a slot'> {
    const wait = slots.acquire('acct', 1, now() + 300, now).then((r) => (r ? 'got a slot' : 'timed out'));
    return Promise.race([wait, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5000))]);
  }

  test("a slot wait ends at the deadline on the caller's clock, not the real one", async () => {
    const memory = new MemoryConnectionSlots();
    const file = new FileConnectionSlots({ dir: mkdtempSync(path.join(os.tmpdir(), 'mc-slots-')) });
    for (const slots of [memory, file]) {
      const held = await slots.acquire('acct', 1, shiftedNow() + 1000, shiftedNow);
      expect(held).toBeTruthy();
      expect(await slotWait(slots, shiftedNow)).toBe('timed out');
      held!();
      expect(await slotWait(slots, shiftedNow)).toBe('got a slot');
    }
  });

  test('a watcher on its own clock whose account has no free slot reports it at its deadline', async () => {
    let ahead = 0;
    const now = () => shiftedNow() + ahead;
    const slots = new MemoryConnectionSlots();
    const seed = seedFor(1, 'gmx');
    const held = await slots.acquire(`${seed.imap.host}:${seed.imap.port}:${seed.imap.user}`, 1, now() + 1000, now);
    const w = new SeedWatcher(seed, {
      password: 'scripted-password',
      now,
      sleep: async (ms) => void (ahead += ms),
      slots,
      connectionLimit: 1,
      random: () => 0.5,
    });
    try {
      const r = await Promise.race([w.waitFor(tag(1), now() + 300), new Promise<'hung'>((res) => setTimeout(() => res('hung'), 10_000))]);
      expect(r === 'hung' ? r : r.status).toBe('unreachable');
      if (r !== 'hung' && r.status === 'unreachable') expect(r.error).toContain('connection slot(s) for this account stay busy');
    } finally {
      held?.();
      await w.close();
    }
  });
});
