/**
 * Watcher latency measured with the library, as a worker uses it: one SeedWatcher per seed
 * account, every message of a round waited for before it is sent, then `sendAll` through the
 * lab's Postfix. For each message: lab MX APPEND completed (STATE/mx-events.jsonl `ts`) →
 * the watcher's sighting (`seenAt`). Both clocks are this machine's.
 */
import { labPaths, labTopology } from '../../lab/topology.ts';
import { readEvents } from '../../lab/mx/events.ts';
import type { MailcanaryConfig } from '../../src/config/load.ts';
import { expectedPlacement, type Seed } from '../../src/config/seeds.ts';
import { sendAll, type Planned } from '../../src/send/submit.ts';
import { messageTag, newRunId } from '../../src/send/tag.ts';
import { SeedWatcher, type WatchResult } from '../../src/watch/seed-watcher.ts';
import { observePushes } from './push-observer.ts';

export interface Sample {
  seedId: string;
  variant: string;
  expected: string;
  placement: string;
  /** APPEND completed → seen, ms */
  latencyMs: number;
  /** submission accepted → APPEND completed, ms (the lab's delivery path, for context) */
  deliveryMs: number;
  /** APPEND completed → the server pushed EXISTS to an independent idling client (server's share) */
  serverPushMs?: number;
  /** that push → the watcher's sighting (mailcanary's share) */
  ownMs?: number;
}

export interface RoundsResult {
  samples: Sample[];
  problems: string[];
  imapConnections: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function watchRounds(config: MailcanaryConfig, rounds: number, opts: { gapMs?: number; log?: (s: string) => void } = {}): Promise<RoundsResult> {
  const topo = labTopology(process.env);
  const events = labPaths(topo.stateDir).events;
  const spamOf = (address: string) => topo.users.find((u) => u.address === address)?.spamFolder ?? 'Junk';
  const users = [...new Set(config.seeds.map((s) => s.imap.user))];
  const observer = await observePushes(
    topo.imap,
    users.map((user) => ({ user, password: topo.users.find((u) => u.address === user)?.password ?? '', folders: ['INBOX', spamOf(user)] })),
  );
  const watchers = new Map<string, SeedWatcher>();
  const watcherOf = (seed: Seed) => {
    const key = `${seed.imap.host}:${seed.imap.port}:${seed.imap.user}`;
    let w = watchers.get(key);
    if (!w) watchers.set(key, (w = new SeedWatcher(seed, { password: process.env[seed.imap.passwordEnv] ?? '' })));
    return w;
  };
  const samples: Sample[] = [];
  const problems: string[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const runId = newRunId();
      const plan: Array<Planned & { seed: Seed }> = config.seeds.flatMap((seed) =>
        config.variants.map((variant) => ({ seed, seedId: seed.id, to: seed.address, variant })),
      );
      const now = Date.now();
      const pushedBefore = new Map([...observer.pushes].map(([k, v]) => [k, v.length]));
      const waits: Array<Promise<WatchResult>> = plan.map((p, i) => watcherOf(p.seed).waitFor(messageTag(runId, i), now + 60_000, now));
      // the watchers are connected and looking before anything is sent, as in a running worker
      for (let t = 0; t < 100 && [...watchers.values()].some((w) => !w.folders); t++) await sleep(50);
      await sleep(opts.gapMs ?? 300);
      const sent = await sendAll({ sender: config.sender, runId, plan });
      const results = await Promise.all(waits);
      const filedEvents = readEvents(events).filter((e) => e.event === 'filed' && e.tag?.startsWith(runId));
      const filed = new Map(filedEvents.map((e) => [e.tag!, e.ts]));
      // the k-th message filed into a folder this round ↔ the k-th EXISTS pushed for that folder
      const pushOf = new Map<string, number>();
      await sleep(100);
      for (const [key, times] of observer.pushes) {
        const [user, folder] = key.split('\u0000');
        const mine = filedEvents.filter((e) => e.rcpt === user && e.folder === folder).sort((a, b) => a.ts - b.ts);
        const fresh = times.slice(pushedBefore.get(key) ?? 0);
        if (fresh.length === mine.length) mine.forEach((e, k) => pushOf.set(e.tag!, fresh[k]));
      }
      results.forEach((r, i) => {
        const p = plan[i];
        const tag = messageTag(runId, i);
        const at = filed.get(tag);
        if (r.status !== 'found' || at === undefined) {
          problems.push(
            `${p.seedId}/${p.variant}: ${r.status}${r.status === 'unreachable' ? ` (${r.error})` : ''}${at === undefined ? ', not filed by the lab MX' : ''}`,
          );
          return;
        }
        samples.push({
          seedId: p.seedId,
          variant: p.variant,
          expected: expectedPlacement(p.seed, p.variant),
          placement: r.sighting.placement,
          latencyMs: r.sighting.seenAt - at,
          deliveryMs: at - sent[i].submittedAt,
          serverPushMs: pushOf.has(tag) ? pushOf.get(tag)! - at : undefined,
          ownMs: pushOf.has(tag) ? r.sighting.seenAt - pushOf.get(tag)! : undefined,
        });
      });
      opts.log?.(`round ${round + 1}/${rounds}: ${results.filter((r) => r.status === 'found').length}/${plan.length} seen`);
    }
  } finally {
    await Promise.all([...watchers.values()].map((w) => w.close()));
    await observer.close();
  }
  return { samples, problems, imapConnections: [...watchers.values()].reduce((n, w) => n + w.connectionsOpened, 0) };
}
