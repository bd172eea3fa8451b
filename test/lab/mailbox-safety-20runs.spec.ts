import { test, expect } from '@playwright/test';
import { loadConfig } from '../../src/config/load.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import { sendAll } from '../../src/send/submit.ts';
import { TAG_HEADER, messageTag, newRunId } from '../../src/send/tag.ts';
import { SeedWatcher } from '../../src/watch/seed-watcher.ts';
import { MemoryConnectionSlots } from '../../src/watch/throttle.ts';
import { ROOT, labEnv } from './support.ts';
import { changedSince, countTagged, labMailbox, snapshot } from './mailbox-snapshot.ts';

/**
 * The user's mailbox is theirs: 20 runs (send, watch, verdict, cleanup) against a seed mailbox
 * pre-filled with 1,000 unrelated messages leave every one of them byte-identical, with the same
 * flags, in the same folder under the same UID. Among the 1,000 are decoys built to fool a sloppy
 * matcher: other runs' tags, this run's id with another message number, this run's exact tag with
 * a suffix, in another header, in the subject, and as a header-like line in the body. Cleanup may
 * delete only the message carrying the run's exact tag in X-Mailcanary-Tag.
 */
const ADDRESS = 'seed@t-online.lab.test';
const SEED_ID = 'lab-tonline';
const RUNS = 20;
const PREFILL = 1000;
const FLAG_SETS = [[], ['\\Seen'], ['\\Seen', '\\Flagged'], ['\\Answered', '\\Seen'], ['$Label1'], ['\\Draft'], ['\\Seen', '$Forwarded', 'Junk']];

function decoy(i: number, batch: string, runIds: string[]): string {
  const runId = runIds[i % runIds.length];
  const own = messageTag(runId, 0);
  const kinds = [
    `${TAG_HEADER}: ${messageTag(newRunId(new Date(Date.UTC(2020, 0, 1 + (i % 300)))), i % 50)}`, // another run
    `${TAG_HEADER}: ${messageTag(runId, 1 + (i % 40))}`, // this run, another message
    `${TAG_HEADER}: ${own}x`, // this run's tag plus a suffix
    `X-Mailcanary-Tag-Old: ${own}`, // the exact tag, other header name
    `X-Forwarded-Tag: ${TAG_HEADER}: ${own}`,
  ];
  const header = i % 3 === 0 ? kinds[i % kinds.length] : `X-Unrelated: ${i}`;
  const body = i % 7 === 0 ? `${TAG_HEADER}: ${own}\r\nnot a header: this line is in the body\r\n` : `message ${i} of someone's real mail\r\n`;
  return [
    `From: "Friend ${i}" <friend${i}@example.org>`,
    `To: ${ADDRESS}`,
    `Subject: ${i % 5 === 0 ? `about ${own}` : `unrelated ${i}`}`,
    `Date: ${new Date(Date.now() - i * 3600_000).toUTCString()}`,
    `Message-ID: <prefill-${batch}-${i}@example.org>`,
    header,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
  ].join('\r\n');
}

test('20 runs with cleanup leave 1,000 unrelated messages byte-identical with identical flags', async () => {
  test.setTimeout(300_000);
  const config = await loadConfig(ROOT, labEnv);
  const seed = config.seeds.find((s) => s.id === SEED_ID)!;
  expect(seed.address).toBe(ADDRESS);
  const batch = Date.now().toString(36);
  const runIds = Array.from({ length: RUNS }, () => newRunId());

  // pre-fill: 70 % INBOX, 20 % spam, 10 % Archive, with varied flags
  const client = labMailbox(ADDRESS);
  await client.connect();
  try {
    const spam = (await client.list()).find((b) => b.path === 'Spam')?.path ?? 'INBOX';
    for (let i = 0; i < PREFILL; i++) {
      const folder = i % 10 < 7 ? 'INBOX' : i % 10 < 9 ? spam : 'Archive';
      await client.append(folder, decoy(i, batch, runIds), FLAG_SETS[i % FLAG_SETS.length], new Date(Date.now() - i * 60_000));
    }
  } finally {
    await client.logout();
  }
  const before = await snapshot(ADDRESS, batch);
  expect(before.size).toBe(PREFILL);

  const tags: string[] = [];
  for (const runId of runIds) {
    // a fresh watcher per run, as a run is a fresh process
    const [sent] = await sendAll({ sender: config.sender, runId, plan: [{ seedId: seed.id, to: seed.address, variant: 'plain' }] });
    expect(sent.submitError).toBeUndefined();
    tags.push(sent.tag);
    const watcher = new SeedWatcher(
      { ...seed, timeoutSeconds: 30 },
      { password: labEnv[seed.imap.passwordEnv]!, pollIntervalMs: 200, slots: new MemoryConnectionSlots() },
    );
    try {
      const watch = await watcher.waitFor(sent.tag, sent.submittedAt + 30_000, sent.submittedAt);
      const d = deliveryFrom({ seed, sent, expected: 'inbox', lab: true, watch });
      expect(d.verdict, d.detail).toBe('inbox');
      expect(d.sighting?.rawHeaders).toContain(sent.tag);
      expect(await watcher.deleteTagged(sent.tag)).toBe(true);
      // a second cleanup finds nothing to delete (the tag is re-read first)
      expect(await watcher.deleteTagged(sent.tag)).toBe(false);
    } finally {
      await watcher.close();
    }
  }

  const after = await snapshot(ADDRESS, batch);
  expect(after.size).toBe(PREFILL);
  const changed = changedSince(before, after);
  expect(changed, `changed: ${changed.slice(0, 5).join(', ')}`).toEqual([]);
  // the runs' own messages were deleted by cleanup, each exactly once
  expect((await countTagged(ADDRESS, tags)).total).toBe(0);
});
