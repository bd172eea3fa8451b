import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { historyConfigFromEnv, historyOff } from '../src/record/config.ts';
import { HistoryStore } from '../src/record/store.ts';
import { readCurrentManifest, runFile } from '../src/run/manifest.ts';
import type { EarlierMessage } from '../src/watch/earlier-sweep.ts';

/** How far back the end-of-run cleanup looks for earlier runs' late arrivals. */
export const EARLIER_DAYS = 14;

/**
 * The messages of earlier runs (last EARLIER_DAYS days of the history) that were never found, and
 * a claim that gives each seed account to exactly one worker of this run (an exclusive file in
 * the run's folder), so the search and the cleanup happen once per account, not once per worker.
 * Without a history (MAILCANARY_HISTORY=off, or no file yet) there is nothing to look for, and no
 * file is created.
 */
export function earlierUnfound(
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
  now = Date.now(),
): { messages: EarlierMessage[]; claim: (accountKey: string) => boolean } {
  const none = { messages: [], claim: () => false };
  if (historyOff(env)) return none;
  const file = historyConfigFromEnv(env).path;
  if (!existsSync(file)) return none;
  const runId = readCurrentManifest(stateDir).runId;
  const store = HistoryStore.open(file);
  let messages: EarlierMessage[];
  try {
    messages = store
      .unfoundMessages(now - EARLIER_DAYS * 86_400_000)
      .filter((m) => m.runId !== runId)
      .map((m) => ({ seedId: m.seedId, tag: m.tag.toLowerCase() }));
  } finally {
    store.close();
  }
  if (!messages.length) return none;
  const claim = (accountKey: string) => {
    const claimFile = runFile(stateDir, runId, path.join('earlier-sweep', createHash('sha256').update(accountKey).digest('hex').slice(0, 24)));
    mkdirSync(path.dirname(claimFile), { recursive: true });
    try {
      closeSync(openSync(claimFile, 'wx'));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  };
  return { messages, claim };
}
