import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { labTopology } from '../../lab/topology.ts';
import type { Seed } from '../../src/config/seeds.ts';
import { loadConfig } from '../../src/config/load.ts';
import { collectRun } from '../../src/record/from-results.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import { sendAll } from '../../src/send/submit.ts';
import { TAG_HEADER, messageTag, newRunId } from '../../src/send/tag.ts';
import { describeCleanup, NO_UIDPLUS_REASON } from '../../src/watch/cleanup.ts';
import { SeedWatcher } from '../../src/watch/seed-watcher.ts';
import { MemoryConnectionSlots } from '../../src/watch/throttle.ts';
import { ROOT, labEnv, runUserSuite, type SuiteRun } from './support.ts';
import { changedSince, countTagged, labMailbox, snapshot } from './mailbox-snapshot.ts';
import { placementResult, sendResult } from '../fixtures/record/results.ts';

/**
 * Cleanup (MAILCANARY_CLEANUP) in a mailbox where the user's mail client has flagged messages
 * `\Deleted` and not expunged them yet, which is how IMAP clients delete. A plain EXPUNGE would
 * erase those for good. Against the lab Dovecot once as it is (UIDPLUS, RFC 4315) and once on its
 * listener that leaves UIDPLUS out (as Cyrus and others do): the user's messages must come out
 * byte-identical with the same flags in the same folder under the same UID, in both; our 16
 * messages are all removed with UIDPLUS and all left alone (reported, not even flagged) without.
 */
const ADDRESS = 'seed@outlook.lab.test';
const SEED_ID = 'lab-outlook';
const MESSAGES = 16;
const PREFILL = 60;
const FLAG_SETS = [['\\Deleted'], ['\\Seen', '\\Deleted'], ['\\Seen'], [], ['\\Deleted', '\\Flagged', '$Label1'], ['\\Answered', '\\Seen']];

test.describe.configure({ timeout: 240_000 });

/** The user's own mail: a third in each folder, half of it flagged \Deleted; some carry near-miss tags. */
async function prefill(batch: string, runId: string): Promise<void> {
  const client = labMailbox(ADDRESS);
  await client.connect();
  try {
    const folders = ['INBOX', 'Junk Email', 'Archive'];
    for (let i = 0; i < PREFILL; i++) {
      const nearMiss =
        i % 4 === 0 ? `${TAG_HEADER}: ${messageTag(runId, i % MESSAGES)}x\r\n` : i % 4 === 1 ? `X-Old-Tag: ${messageTag(runId, i % MESSAGES)}\r\n` : '';
      const raw = `From: "Friend ${i}" <friend${i}@example.org>\r\nTo: ${ADDRESS}\r\nSubject: the user's mail ${i}\r\nDate: ${new Date(Date.now() - i * 3600_000).toUTCString()}\r\nMessage-ID: <prefill-${batch}-${i}@example.org>\r\n${nearMiss}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nmessage ${i}, deleted in the user's client but not expunged yet\r\n`;
      await client.append(folders[i % folders.length], raw, FLAG_SETS[i % FLAG_SETS.length], new Date(Date.now() - i * 60_000));
    }
  } finally {
    await client.logout();
  }
}

async function seedAndSend(runId: string): Promise<{ seed: Seed; sent: Awaited<ReturnType<typeof sendAll>> }> {
  const config = await loadConfig(ROOT, labEnv);
  const seed = config.seeds.find((s) => s.id === SEED_ID)!;
  expect(seed.address).toBe(ADDRESS);
  const sent = await sendAll({
    sender: config.sender,
    runId,
    plan: Array.from({ length: MESSAGES }, () => ({ seedId: seed.id, to: seed.address, variant: 'plain' })),
  });
  expect(sent.filter((m) => m.submitError)).toEqual([]);
  return { seed, sent };
}

async function capabilitiesAt(host?: string): Promise<Set<string>> {
  const c = labMailbox(ADDRESS, host);
  await c.connect();
  try {
    return new Set(c.capabilities.keys());
  } finally {
    await c.logout();
  }
}

test("without UIDPLUS: cleanup never expunges, the user's \\Deleted messages stay byte-identical, ours are reported", async () => {
  const noUidplus = labTopology().imapNoUidplus.host;
  // the premise: the same Dovecot, one listener with UIDPLUS and one without
  expect((await capabilitiesAt()).has('UIDPLUS')).toBe(true);
  expect((await capabilitiesAt(noUidplus)).has('UIDPLUS')).toBe(false);

  const batch = `nouidplus${Date.now().toString(36)}`;
  const runId = newRunId();
  await prefill(batch, runId);
  const before = await snapshot(ADDRESS, batch);
  expect(before.size).toBe(PREFILL);
  expect([...before.values()].filter((s) => s.flags.includes('\\Deleted')).length).toBe(PREFILL / 2);

  const { seed, sent } = await seedAndSend(runId);
  const onCyrusLike: Seed = { ...seed, imap: { ...seed.imap, host: noUidplus } };
  const watcher = new SeedWatcher(onCyrusLike, { password: labEnv[seed.imap.passwordEnv]!, pollIntervalMs: 200, slots: new MemoryConnectionSlots() });
  const deleted: boolean[] = [];
  try {
    for (const m of sent) {
      const watch = await watcher.waitFor(m.tag, m.submittedAt + 60_000, m.submittedAt);
      expect(deliveryFrom({ seed: onCyrusLike, sent: m, expected: 'inbox', lab: true, watch }).verdict).toBe('inbox');
      deleted.push(await watcher.deleteTagged(m.tag));
    }
    // the user's mail first: every message there, same folder, UID, flags and bytes
    const after = await snapshot(ADDRESS, batch);
    const changed = changedSince(before, after);
    expect(changed, `changed or gone: ${changed.slice(0, 5).join(', ')}`).toEqual([]);
    expect(after.size).toBe(PREFILL);
    // ours: none deleted, none even flagged, and the outcome says why
    expect(deleted).toEqual(Array(MESSAGES).fill(false));
    const outcome = await watcher.cleanupTagged(sent[0].tag);
    expect(outcome).toMatchObject({ status: 'not-deleted', reason: NO_UIDPLUS_REASON, folder: 'INBOX' });
    expect(describeCleanup(outcome)).toContain('server lacks UIDPLUS (RFC 4315), so mailcanary never expunges');
    expect(
      await countTagged(
        ADDRESS,
        sent.map((m) => m.tag),
      ),
    ).toEqual({ total: MESSAGES, flaggedDeleted: 0 });
  } finally {
    await watcher.close();
  }
});

test('with UIDPLUS: all 16 tagged messages are removed while the watcher keeps watching; no other message is touched', async () => {
  const batch = `uidplus${Date.now().toString(36)}`;
  const runId = newRunId();
  await prefill(batch, runId);
  const before = await snapshot(ADDRESS, batch);
  expect(before.size).toBe(PREFILL);

  const { seed, sent } = await seedAndSend(runId);
  const watcher = new SeedWatcher(seed, { password: labEnv[seed.imap.passwordEnv]!, pollIntervalMs: 200, slots: new MemoryConnectionSlots() });
  try {
    // as in a run: every message is waited for at once, and each is cleaned up as soon as its
    // verdict is in, while the watcher still idles and looks for the others
    const waits = sent.map((m) => watcher.waitFor(m.tag, m.submittedAt + 60_000, m.submittedAt));
    const deleted: boolean[] = [];
    for (const [i, m] of sent.entries()) {
      const watch = await waits[i];
      expect(deliveryFrom({ seed, sent: m, expected: 'inbox', lab: true, watch }).verdict).toBe('inbox');
      deleted.push(await watcher.deleteTagged(m.tag));
    }
    // none of ours left behind, and none left flagged \Deleted for someone else's EXPUNGE
    expect(
      await countTagged(
        ADDRESS,
        sent.map((m) => m.tag),
      ),
    ).toEqual({ total: 0, flaggedDeleted: 0 });
    expect(deleted).toEqual(Array(MESSAGES).fill(true));
    const after = await snapshot(ADDRESS, batch);
    const changed = changedSince(before, after);
    expect(changed, `changed or gone: ${changed.slice(0, 5).join(', ')}`).toEqual([]);
    expect(after.size).toBe(PREFILL);
  } finally {
    await watcher.close();
  }
});

/**
 * A history in which an earlier run's message to the seed was never found, and that message in
 * the seed's Junk Email folder now (it came late), beside a message of the user's whose tag
 * header only nearly matches.
 */
async function earlierRunMissing(): Promise<{ history: string; tag: string }> {
  const earlierRun = newRunId(new Date(Date.now() - 2 * 86_400_000));
  const history = path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-earlier-')), 'history.sqlite');
  const store = HistoryStore.open(history);
  const t = Date.now() - 2 * 86_400_000;
  const results = [sendResult(earlierRun, t), placementResult(earlierRun, { seedId: SEED_ID, provider: 'outlook', variant: 'plain', verdict: 'missing' })];
  store.writeRun(collectRun(results, { startedAt: t, finishedAt: t, status: 'failed' }).bundle!);
  store.close();
  const tag = `${earlierRun}.000`;
  const client = labMailbox(ADDRESS);
  await client.connect();
  try {
    for (const [t2, from] of [
      [tag, 'monitor@canary.test'],
      [`${tag}x`, 'friend@example.org'],
    ])
      await client.append(
        'Junk Email',
        `From: ${from}\r\nTo: ${ADDRESS}\r\nSubject: late\r\n${TAG_HEADER}: ${t2}\r\nMessage-ID: <${t2}@example.org>\r\n\r\nlate\r\n`,
        [],
      );
  } finally {
    await client.logout();
  }
  return { history, tag };
}

/** Each found message's test, with its tag, seed address and `mailcanary.cleanup` annotation. */
function cleanupsOf(run: SuiteRun) {
  return run.tests
    .filter((t) => t.verdict === 'inbox' || t.verdict === 'spam' || t.verdict?.startsWith('other-folder:'))
    .map((t) => {
      const d = JSON.parse(t.attachments.find((a) => a.name === 'delivery.json')!.body!) as { tag: string; sent: { to: string } };
      // the JSON report lists a runtime annotation on the test and on its result: count each once
      const cleanup = [...new Set(t.annotations.filter((a) => a.type === 'mailcanary.cleanup').map((a) => a.description))];
      return { title: t.fullTitle, tag: d.tag, to: d.sent.to, cleanup };
    });
}

test('the user suite with MAILCANARY_CLEANUP: every found message deleted and annotated; without UIDPLUS none, each annotated why', async () => {
  test.setTimeout(400_000);
  const env = { MAILCANARY_VARIANTS: 'plain', MAILCANARY_HISTORY: 'off', MAILCANARY_GATE: 'off', MAILCANARY_CLEANUP: 'true' };
  // an earlier run's message that arrived after that run stopped watching (its verdict: missing),
  // filed as spam, next to the user's near miss of its tag
  const earlier = await earlierRunMissing();
  const run = await runUserSuite({ env: { ...env, MAILCANARY_HISTORY: earlier.history } });
  expect(run.code, run.output).toBe(0);
  expect(run.output).toMatch(
    new RegExp(`cleanup at the end of the run: deleted ${earlier.tag.replace('.', '\\.')} \\(UID \\d+ in Junk Email, by UID EXPUNGE\\)`),
  );
  expect(await countTagged(ADDRESS, [earlier.tag])).toEqual({ total: 0, flaggedDeleted: 0 });
  expect(await countTagged(ADDRESS, [`${earlier.tag}x`])).toEqual({ total: 1, flaggedDeleted: 0 });
  const found = cleanupsOf(run);
  expect(found.length).toBeGreaterThanOrEqual(4);
  for (const f of found)
    expect(f.cleanup, f.title).toEqual([expect.stringMatching(new RegExp(`^deleted ${f.tag.replace('.', '\\.')} \\(UID \\d+ in .+, by UID EXPUNGE\\)$`))]);
  for (const f of found) expect(await countTagged(f.to, [f.tag]), f.title).toEqual({ total: 0, flaggedDeleted: 0 });

  // the same suite against the listener without UIDPLUS: nothing deleted, each test says why
  const legacy = await runUserSuite({ env: { ...env, MAILCANARY_LAB_IMAP_HOST: labTopology().imapNoUidplus.host } });
  expect(legacy.code, legacy.output).toBe(0);
  const kept = cleanupsOf(legacy);
  expect(kept.length).toBe(found.length);
  for (const k of kept) {
    expect(k.cleanup.length, k.title).toBe(1);
    expect(k.cleanup[0]!.startsWith(`not deleted: ${k.tag} in `) && k.cleanup[0]!.endsWith(`: ${NO_UIDPLUS_REASON}`), `${k.title}: ${k.cleanup[0]}`).toBe(true);
    expect(await countTagged(k.to, [k.tag]), k.title).toEqual({ total: 1, flaggedDeleted: 0 });
  }
});
