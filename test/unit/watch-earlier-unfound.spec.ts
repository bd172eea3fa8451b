import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { collectRun } from '../../src/record/from-results.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { writeManifest } from '../../src/run/manifest.ts';
import { EARLIER_DAYS, earlierUnfound } from '../../suites/earlier-unfound.ts';
import { placementResult, sendResult } from '../fixtures/record/results.ts';
import { shiftedNow } from './test-clock.ts';

/**
 * What the end-of-run cleanup looks for: the history's earlier messages that were never found,
 * within EARLIER_DAYS of the injected clock, and each account claimed by one worker only.
 */
const NOW = shiftedNow();
const DAY = 86_400_000;

function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-earlier-'));
  const historyFile = path.join(dir, 'history.sqlite');
  const store = HistoryStore.open(historyFile);
  const runs: Array<[string, number, Array<[string, string]>]> = [
    ['mc-old', NOW - (EARLIER_DAYS + 1) * DAY, [['gmail', 'missing']]],
    [
      'mc-a',
      NOW - 3 * DAY,
      [
        ['gmail', 'missing'],
        ['gmx', 'inbox'],
        ['tonline', 'bounced'],
      ],
    ],
    [
      'mc-b',
      NOW - DAY,
      [
        ['gmx', 'deferred'],
        ['outlook', 'seed-unreachable'],
        ['yahoo', 'spam'],
      ],
    ],
  ];
  for (const [id, t, msgs] of runs) {
    const results = [sendResult(id, t), ...msgs.map(([seedId, verdict]) => placementResult(id, { seedId, variant: 'plain', verdict }))];
    store.writeRun(collectRun(results, { startedAt: t, finishedAt: t, status: 'failed' }).bundle!);
  }
  store.close();
  const stateDir = path.join(dir, 'state');
  writeManifest(stateDir, { runId: 'mc-now', startedAt: NOW, lab: true, seedsFile: 'seeds/seeds.ts', messages: [], skipped: [] });
  return { env: { MAILCANARY_HISTORY: historyFile }, stateDir, dir };
}

test('the earlier messages never found (missing, deferred, seed unreachable) of the last days, not the found or bounced ones', () => {
  const { env, stateDir } = setup();
  const { messages } = earlierUnfound(stateDir, env, NOW);
  expect(messages).toEqual([
    { seedId: 'gmail', tag: 'mc-a.000' },
    { seedId: 'gmx', tag: 'mc-b.000' },
    { seedId: 'outlook', tag: 'mc-b.000' },
  ]);
});

test('each account is claimed by one worker of the run only', () => {
  const { env, stateDir } = setup();
  const a = earlierUnfound(stateDir, env, NOW);
  const b = earlierUnfound(stateDir, env, NOW);
  expect(a.claim('seed@gmail.example|imap.gmail.example:993')).toBe(true);
  expect(b.claim('seed@gmail.example|imap.gmail.example:993')).toBe(false);
  expect(b.claim('seed@gmx.example|imap.gmx.example:993')).toBe(true);
  expect(a.claim('seed@gmx.example|imap.gmx.example:993')).toBe(false);
});

test('without a history file there is nothing to look for, and no file is created', () => {
  const { dir, stateDir } = setup();
  const env = { MAILCANARY_HISTORY: path.join(dir, 'none.sqlite') };
  const r = earlierUnfound(stateDir, env, NOW);
  expect(r.messages).toEqual([]);
  expect(r.claim('x')).toBe(false);
  expect(existsSync(path.join(dir, 'none.sqlite'))).toBe(false);
});
