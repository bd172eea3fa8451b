import { expect, test } from '@playwright/test';
import { resolveSeeds, type Seed } from '../../src/config/seeds.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import { NO_UIDPLUS_REASON, describeCleanup } from '../../src/watch/cleanup.ts';
import { SeedWatcher } from '../../src/watch/seed-watcher.ts';
import { MemoryConnectionSlots } from '../../src/watch/throttle.ts';
import { WatcherPool } from '../../suites/fixtures.ts';
import { startScriptedImap, type Script, type ScriptedMessage } from './watch-scripted-imap.ts';
import { steppedClock } from './test-clock.ts';

/**
 * Cleanup (MAILCANARY_CLEANUP) against the scripted IMAP server, which expunges like a real one:
 * a plain EXPUNGE takes every `\Deleted` message, UID EXPUNGE only the listed ones. The watcher
 * and the scripted server share one injected clock (the server dates its messages from it), so
 * nothing here depends on the calendar.
 */
const RUN = 'mc202611271000abcd';
const tag = (n: number) => `${RUN}.${String(n).padStart(3, '0')}`;
/** the clock of the watcher and of the scripted server that dates its messages */
const CLOCK = steppedClock();
const ours = (uid: number, folder: string, n: number): ScriptedMessage => ({
  uid,
  folder,
  headers: `X-Mailcanary-Tag: ${tag(n)}\r\nSubject: canary ${n}\r\nFrom: monitor@example.org\r\n`,
});
/** the user's own mail: flagged \Deleted by their mail client, not expunged yet */
const users = (uid: number, folder: string, extra = ''): ScriptedMessage => ({
  uid,
  folder,
  flags: ['\\Seen', '\\Deleted'],
  headers: `Subject: the user's mail ${uid}\r\nFrom: friend@example.org\r\n${extra}`,
});
const FOLDERS = [{ path: 'INBOX' }, { path: 'Junk', flags: ['\\Junk'] }];

function seedFor(port: number, def: Record<string, unknown> = {}): Seed {
  const { seeds, problems } = resolveSeeds(
    [
      {
        id: 's',
        address: 'seed@example.org',
        provider: 'custom',
        imap: { host: '127.0.0.1', port, secure: false, allowPlaintextAuth: true, passwordEnv: 'P' },
        timeoutSeconds: 60,
        ...def,
      },
    ],
    { P: 'scripted-password' },
    { timeoutSeconds: 60, variants: ['plain'] },
  );
  expect(problems).toEqual([]);
  return seeds[0];
}

function clock() {
  return { now: CLOCK.now, sleep: CLOCK.sleep };
}

function watcherFor(seed: Seed) {
  const c = clock();
  const w = new SeedWatcher(seed, { password: 'scripted-password', ...c, pollIntervalMs: 10, slots: new MemoryConnectionSlots() });
  return { w, now: c.now };
}

/** The commands that change a mailbox; a plain `EXPUNGE` is the one that must never appear. */
const changing = (commands: string[]) => commands.filter((c) => /^(UID )?(STORE|EXPUNGE|COPY|MOVE|CLOSE|SELECT)\b/.test(c));

test("with UIDPLUS: only the tagged UIDs are flagged and UID EXPUNGEd; the user's \\Deleted messages stay", async () => {
  const script: Omit<Script, 'now'> = {
    folders: FOLDERS,
    messages: [
      ours(1, 'INBOX', 1),
      users(2, 'INBOX'),
      ours(3, 'INBOX', 2),
      users(4, 'INBOX', `X-Mailcanary-Tag: ${tag(1)}x\r\n`),
      ours(1, 'Junk', 3),
      users(2, 'Junk'),
    ],
  };
  const untouched = structuredClone(script.messages.filter((m) => !m.headers.startsWith('X-Mailcanary-Tag')));
  const srv = await startScriptedImap({ ...script, now: CLOCK.now });
  const { w, now } = watcherFor(seedFor(srv.port));
  try {
    const found = await Promise.all([1, 2, 3].map((n) => w.waitFor(tag(n), now() + 60_000)));
    expect(found.map((r) => r.status)).toEqual(['found', 'found', 'found']);
    const outcomes = await Promise.all([1, 2, 3].map((n) => w.cleanupTagged(tag(n))));
    expect(outcomes.map(describeCleanup)).toEqual([
      `deleted ${tag(1)} (UID 1 in INBOX, by UID EXPUNGE)`,
      `deleted ${tag(2)} (UID 3 in INBOX, by UID EXPUNGE)`,
      `deleted ${tag(3)} (UID 1 in Junk, by UID EXPUNGE)`,
    ]);
    // the user's messages are all there, flags unchanged (\Deleted included)
    expect(script.messages).toEqual(untouched);
    // one read-write SELECT per folder, only our UIDs flagged and expunged, never a plain EXPUNGE
    expect(changing(srv.commands)).toEqual([
      'SELECT INBOX',
      'UID STORE 1,3 +FLAGS.SILENT (\\Deleted)',
      'UID EXPUNGE 1,3',
      'SELECT Junk',
      'UID STORE 1 +FLAGS.SILENT (\\Deleted)',
      'UID EXPUNGE 1',
    ]);
    // each deletion re-reads the tag first and ends with the folder opened read-only again
    const inbox = srv.commands.slice(srv.commands.indexOf('SELECT INBOX'));
    expect(inbox.slice(0, 6)).toEqual([
      'SELECT INBOX',
      'UID FETCH 1,3 (UID BODY.PEEK[HEADER.FIELDS (X-Mailcanary-Tag)])',
      'UID STORE 1,3 +FLAGS.SILENT (\\Deleted)',
      'UID EXPUNGE 1,3',
      'UID SEARCH UID 1,3',
      'EXAMINE INBOX',
    ]);
    // a second cleanup finds nothing carrying the tag and sends nothing that changes the mailbox
    const before = srv.commands.length;
    expect(await w.cleanupTagged(tag(1))).toMatchObject({ status: 'not-deleted', reason: expect.stringContaining('not found again') });
    expect(changing(srv.commands.slice(before)).filter((c) => !c.startsWith('SELECT'))).toEqual([]);
  } finally {
    await w.close();
    await srv.close();
  }
});

test('without UIDPLUS: nothing is flagged or expunged, and the outcome says why', async () => {
  const script: Omit<Script, 'now'> = { uidplus: false, folders: FOLDERS, messages: [users(1, 'INBOX'), ours(2, 'INBOX', 1), users(3, 'INBOX')] };
  const before = structuredClone(script.messages);
  const srv = await startScriptedImap({ ...script, now: CLOCK.now });
  const { w, now } = watcherFor(seedFor(srv.port));
  try {
    expect((await w.waitFor(tag(1), now() + 60_000)).status).toBe('found');
    expect(await w.deleteTagged(tag(1))).toBe(false);
    const outcome = await w.cleanupTagged(tag(1));
    expect(outcome).toEqual({ tag: tag(1), status: 'not-deleted', reason: NO_UIDPLUS_REASON, folder: 'INBOX', uid: 2 });
    expect(describeCleanup(outcome)).toContain('server lacks UIDPLUS (RFC 4315), so mailcanary never expunges');
    // every message as it was, ours included (not even flagged), and no command that changes anything
    expect(script.messages).toEqual(before);
    expect(changing(srv.commands)).toEqual([]);
  } finally {
    await w.close();
    await srv.close();
  }
});

test('a refused UID EXPUNGE takes our \\Deleted flag off again and says so', async () => {
  const script: Omit<Script, 'now'> = {
    folders: FOLDERS,
    messages: [ours(1, 'INBOX', 1), users(2, 'INBOX')],
    refuse: { 'UID EXPUNGE': 'NO [CANNOT] expunge not possible right now' },
  };
  const srv = await startScriptedImap({ ...script, now: CLOCK.now });
  const { w, now } = watcherFor(seedFor(srv.port));
  try {
    expect((await w.waitFor(tag(1), now() + 60_000)).status).toBe('found');
    const outcome = await w.cleanupTagged(tag(1));
    expect(outcome).toMatchObject({
      status: 'not-deleted',
      reason: expect.stringContaining('the server refused UID EXPUNGE (NO expunge not possible right now)'),
    });
    expect(describeCleanup(outcome)).toContain('the \\Deleted flag was taken off again');
    // ours is back as it was (no \Deleted left for someone else's EXPUNGE); the user's keeps its flags
    expect(script.messages.map((m) => [m.uid, m.flags ?? []])).toEqual([
      [1, []],
      [2, ['\\Seen', '\\Deleted']],
    ]);
    expect(changing(srv.commands)).toEqual(['SELECT INBOX', 'UID STORE 1 +FLAGS.SILENT (\\Deleted)', 'UID EXPUNGE 1', 'UID STORE 1 -FLAGS.SILENT (\\Deleted)']);
  } finally {
    await w.close();
    await srv.close();
  }
});

test('a UID that no longer carries the tag is not touched', async () => {
  const script: Omit<Script, 'now'> = { folders: FOLDERS, messages: [ours(5, 'INBOX', 1)] };
  const srv = await startScriptedImap({ ...script, now: CLOCK.now });
  const { w, now } = watcherFor(seedFor(srv.port));
  try {
    expect((await w.waitFor(tag(1), now() + 60_000)).status).toBe('found');
    // the folder was recreated meanwhile: UID 5 is now somebody else's message
    script.messages[0] = { uid: 5, folder: 'INBOX', flags: ['\\Deleted'], headers: `X-Mailcanary-Tag: ${tag(2)}\r\nSubject: not this run's message\r\n` };
    const outcome = await w.cleanupTagged(tag(1));
    expect(outcome.status).toBe('not-deleted');
    expect(script.messages).toHaveLength(1);
    expect(script.messages[0].flags).toEqual(['\\Deleted']);
    expect(srv.commands.filter((c) => /STORE|EXPUNGE/.test(c))).toEqual([]);
  } finally {
    await w.close();
    await srv.close();
  }
});

test("cleanup runs between the watcher's looks: nothing interleaves with SELECT … EXAMINE", async () => {
  const script: Omit<Script, 'now'> = { folders: FOLDERS, messages: [ours(1, 'INBOX', 1), users(2, 'INBOX'), ours(1, 'Junk', 2)] };
  const srv = await startScriptedImap({ ...script, now: CLOCK.now });
  const { w, now } = watcherFor(seedFor(srv.port));
  try {
    expect((await w.waitFor(tag(1), now() + 600_000)).status).toBe('found');
    // message 3 is still awaited while 1 and 2 are cleaned up: the loop keeps looking meanwhile
    const third = w.waitFor(tag(3), now() + 600_000);
    expect((await w.waitFor(tag(2), now() + 600_000)).status).toBe('found');
    const cleaned = await Promise.all([w.cleanupTagged(tag(1)), w.cleanupTagged(tag(2))]);
    expect(cleaned.map((o) => o.status)).toEqual(['deleted', 'deleted']);
    script.messages.push(ours(3, 'INBOX', 3));
    const r = await third;
    expect(r.status === 'found' && r.sighting.placement).toBe('inbox');
    // every read-write SELECT is followed only by the deletion's own commands, then EXAMINE of the same folder
    const cmds = srv.commands;
    const selects = cmds.flatMap((c, i) => (c.startsWith('SELECT ') ? [i] : []));
    expect(selects.length).toBe(2);
    for (const i of selects) {
      const folder = cmds[i].slice('SELECT '.length);
      const end = cmds.indexOf(`EXAMINE ${folder}`, i);
      expect(end).toBeGreaterThan(i);
      expect(cmds.slice(i + 1, end).map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual(['UID FETCH', 'UID STORE', 'UID EXPUNGE', 'UID SEARCH']);
    }
    expect(script.messages.map((m) => [m.folder, m.uid])).toEqual([
      ['INBOX', 2],
      ['INBOX', 3],
    ]);
  } finally {
    await w.close();
    await srv.close();
  }
});

test('a cleanup asked for after close, or for a message never found, says so and sends nothing', async () => {
  const srv = await startScriptedImap({ now: CLOCK.now, folders: FOLDERS, messages: [ours(1, 'INBOX', 1)] });
  const { w, now } = watcherFor(seedFor(srv.port));
  try {
    expect(await w.cleanupTagged(tag(9))).toMatchObject({ status: 'not-deleted', reason: expect.stringContaining('not found in the mailbox') });
    expect((await w.waitFor(tag(1), now() + 60_000)).status).toBe('found');
    await w.close();
    expect(await w.cleanupTagged(tag(1))).toMatchObject({ status: 'not-deleted', reason: 'the watcher is closed' });
    expect(srv.commands.filter((c) => /STORE|EXPUNGE|SELECT/.test(c))).toEqual([]);
  } finally {
    await srv.close();
  }
});

test('with cleanupOnClose, a message seen but never cleaned up is removed at close, and reported', async () => {
  const script: Omit<Script, 'now'> = { folders: FOLDERS, messages: [ours(1, 'INBOX', 1), users(2, 'INBOX'), ours(1, 'Junk', 2)] };
  const srv = await startScriptedImap({ ...script, now: CLOCK.now });
  const c = clock();
  const w = new SeedWatcher(seedFor(srv.port), {
    password: 'scripted-password',
    ...c,
    pollIntervalMs: 10,
    slots: new MemoryConnectionSlots(),
    cleanupOnClose: true,
  });
  try {
    expect((await w.waitFor(tag(1), c.now() + 60_000)).status).toBe('found');
    expect((await w.cleanupTagged(tag(1))).status).toBe('deleted');
    // tag 2 was seen (the look covers Junk too) but its test never asked for a cleanup
    expect(w.folders?.spam).toEqual(['Junk']);
    const swept = await w.close();
    expect(swept.map(describeCleanup)).toEqual([`deleted ${tag(2)} (UID 1 in Junk, by UID EXPUNGE)`]);
    expect(script.messages.map((m) => [m.folder, m.uid, m.flags])).toEqual([['INBOX', 2, ['\\Seen', '\\Deleted']]]);
    expect(srv.commands.filter((c) => c.startsWith('UID EXPUNGE'))).toEqual(['UID EXPUNGE 1', 'UID EXPUNGE 1']);
  } finally {
    await w.close();
    await srv.close();
  }
});

test('without cleanupOnClose, close() removes nothing', async () => {
  const script: Omit<Script, 'now'> = { folders: FOLDERS, messages: [ours(1, 'INBOX', 1)] };
  const srv = await startScriptedImap({ ...script, now: CLOCK.now });
  const { w, now } = watcherFor(seedFor(srv.port));
  try {
    expect((await w.waitFor(tag(1), now() + 60_000)).status).toBe('found');
    expect(await w.close()).toEqual([]);
    expect(script.messages).toHaveLength(1);
    expect(srv.commands.filter((c) => /STORE|EXPUNGE|SELECT/.test(c))).toEqual([]);
  } finally {
    await srv.close();
  }
});

test.describe('seeds sharing one account', () => {
  // Two plus-addressed seeds in one mailbox: for one `Junk` is spam, for the other `Spamverdacht`.
  const defs = (port: number) => {
    const imap = { host: '127.0.0.1', port, secure: false, allowPlaintextAuth: true, user: 'seed@example.org', passwordEnv: 'P' };
    const { seeds, problems } = resolveSeeds(
      [
        { id: 'junk-seed', address: 'seed+a@example.org', provider: 'custom', imap, folders: { spam: 'Junk' }, timeoutSeconds: 60 },
        { id: 'gmx-seed', address: 'seed+b@example.org', provider: 'gmx', imap, timeoutSeconds: 60 },
      ],
      { P: 'scripted-password' },
      { timeoutSeconds: 60, variants: ['plain'] },
    );
    expect(problems).toEqual([]);
    return seeds;
  };

  for (const order of [
    ['junk-seed', 'gmx-seed'],
    ['gmx-seed', 'junk-seed'],
  ]) {
    test(`each seed's own spam folder decides its verdict (seeds file order ${order.join(', ')})`, async () => {
      const srv = await startScriptedImap({
        now: CLOCK.now,
        folders: [{ path: 'INBOX' }, { path: 'Junk' }, { path: 'Spamverdacht' }],
        messages: [ours(1, 'Junk', 1), ours(1, 'Spamverdacht', 2), ours(2, 'Junk', 3), ours(2, 'Spamverdacht', 4)],
      });
      const pool = new WatcherPool(1, { env: { P: 'scripted-password' }, watcher: { ...clock(), pollIntervalMs: 10, slots: new MemoryConnectionSlots() } });
      const byId = new Map(defs(srv.port).map((s) => [s.id, s]));
      const [first, second] = order.map((id) => byId.get(id)!);
      try {
        const start = CLOCK.now();
        const deadline = start + 60_000;
        const results: Record<string, string[]> = {};
        for (const seed of [first, second]) {
          const tags = seed.id === 'junk-seed' ? [1, 2] : [3, 4];
          results[seed.id] = [];
          for (const n of tags) {
            const r = await pool.get(seed).waitFor(tag(n), deadline, start);
            results[seed.id].push(r.status === 'found' ? r.sighting.placement : r.status);
          }
        }
        expect(results).toEqual({
          'junk-seed': ['spam', 'other-folder:Spamverdacht'],
          'gmx-seed': ['other-folder:Junk', 'spam'],
        });
        expect(srv.connections).toBe(1); // one connection for the account
      } finally {
        await pool.closeAll();
        await srv.close();
      }
    });
  }
});

test("other-folder names the server's full path (Cyrus: INBOX.Newsletters)", async () => {
  const srv = await startScriptedImap({
    now: CLOCK.now,
    delimiter: '.',
    folders: [{ path: 'INBOX' }, { path: 'INBOX.Newsletters' }, { path: 'INBOX.Junk', flags: ['\\Junk'] }],
    messages: [ours(1, 'INBOX.Newsletters', 1), ours(1, 'INBOX.Junk', 2)],
  });
  const seed = seedFor(srv.port);
  const { w, now } = watcherFor(seed);
  try {
    const [news, junk] = await Promise.all([w.waitFor(tag(1), now() + 60_000), w.waitFor(tag(2), now() + 60_000)]);
    const sent = {
      runId: RUN,
      tag: tag(1),
      seedId: seed.id,
      variant: 'plain',
      to: seed.address,
      from: 'monitor@example.org',
      envelopeFrom: 'monitor@example.org',
      messageId: `<${tag(1)}@example.org>`,
      subject: 'x',
      submittedAt: now(),
    };
    const d = deliveryFrom({ seed, sent, expected: 'inbox', lab: false, watch: news });
    expect(d.verdict).toBe('other-folder:INBOX.Newsletters');
    expect(junk.status === 'found' && junk.sighting.placement).toBe('spam');
  } finally {
    await w.close();
    await srv.close();
  }
});

test('a maintenance BYE is reported as the server closing the connection, not as "Unexpected close"', async () => {
  const bye = '* BYE System going down for maintenance';
  const srv = await startScriptedImap({ now: CLOCK.now, folders: FOLDERS, messages: [], greetings: [bye, bye, bye] });
  const { w, now } = watcherFor(seedFor(srv.port));
  try {
    const r = await w.waitFor(tag(1), now() + 60_000);
    expect(r).toMatchObject({ status: 'unreachable', attempts: 3 });
    if (r.status === 'unreachable') {
      expect(r.error).toBe('server closed the connection: BYE System going down for maintenance');
      expect(r.error).not.toContain('Unexpected close');
    }
  } finally {
    await w.close();
    await srv.close();
  }
});

test("with cleanupOnClose, an earlier run's message that arrived late is removed at close: only the exact tags the history lists, only this account's seeds", async () => {
  const EARLIER = 'mc202611261000wxyz';
  const earlierTag = (n: number) => `${EARLIER}.${String(n).padStart(3, '0')}`;
  const late = (uid: number, folder: string, t: string): ScriptedMessage => ({ uid, folder, headers: `X-Mailcanary-Tag: ${t}\r\nSubject: canary\r\n` });
  const script: Omit<Script, 'now'> = {
    folders: FOLDERS,
    messages: [
      ours(1, 'INBOX', 1),
      late(2, 'INBOX', earlierTag(1)), // never found by its run: listed, removed
      late(3, 'INBOX', earlierTag(2)), // found by its run (not listed): kept
      users(4, 'INBOX', `X-Mailcanary-Tag: ${earlierTag(1)}x\r\n`), // a near miss: kept
      late(2, 'Junk', earlierTag(3)), // never found, filed as spam: listed, removed
      late(3, 'Junk', earlierTag(4)), // listed for another seed: kept
    ],
  };
  const srv = await startScriptedImap({ ...script, now: CLOCK.now });
  const c = clock();
  const w = new SeedWatcher(seedFor(srv.port), {
    password: 'scripted-password',
    ...c,
    pollIntervalMs: 10,
    slots: new MemoryConnectionSlots(),
    cleanupOnClose: true,
  });
  try {
    expect((await w.waitFor(tag(1), c.now() + 60_000)).status).toBe('found');
    expect((await w.cleanupTagged(tag(1))).status).toBe('deleted');
    const swept = await w.close([
      { seedId: 's', tag: earlierTag(1) },
      { seedId: 's', tag: earlierTag(3) },
      { seedId: 's', tag: earlierTag(9) }, // never arrived: nothing to do
      { seedId: 'other-seed', tag: earlierTag(4) },
    ]);
    expect(swept.map(describeCleanup).sort()).toEqual([
      `deleted ${earlierTag(1)} (UID 2 in INBOX, by UID EXPUNGE)`,
      `deleted ${earlierTag(3)} (UID 2 in Junk, by UID EXPUNGE)`,
    ]);
    expect(script.messages.map((m) => [m.folder, m.uid])).toEqual([
      ['INBOX', 3],
      ['INBOX', 4],
      ['Junk', 3],
    ]);
    // the search reads folders opened read-only; only the deletion selects read-write, never a plain EXPUNGE
    expect(changing(srv.commands).filter((x) => !x.startsWith('SELECT'))).toEqual([
      'UID STORE 1 +FLAGS.SILENT (\\Deleted)',
      'UID EXPUNGE 1',
      'UID STORE 2 +FLAGS.SILENT (\\Deleted)',
      'UID EXPUNGE 2',
      'UID STORE 2 +FLAGS.SILENT (\\Deleted)',
      'UID EXPUNGE 2',
    ]);
  } finally {
    await w.close();
    await srv.close();
  }
});

test("without cleanupOnClose, earlier runs' messages are never looked for", async () => {
  const script: Omit<Script, 'now'> = { folders: FOLDERS, messages: [ours(1, 'INBOX', 1), ours(2, 'INBOX', 2)] };
  const srv = await startScriptedImap({ ...script, now: CLOCK.now });
  const { w, now } = watcherFor(seedFor(srv.port));
  try {
    expect((await w.waitFor(tag(1), now() + 60_000)).status).toBe('found');
    expect(await w.close([{ seedId: 's', tag: tag(2) }])).toEqual([]);
    expect(script.messages).toHaveLength(2);
    expect(srv.commands.filter((x) => /HEADER X-Mailcanary-Tag mc|STORE|EXPUNGE|SELECT/.test(x))).toEqual([]);
  } finally {
    await srv.close();
  }
});
