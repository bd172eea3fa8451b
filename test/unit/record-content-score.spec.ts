import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import { collectRun } from '../../src/record/from-results.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/record/schema.ts';
import { placementResult, sendResult } from '../fixtures/record/results.ts';

const T0 = Date.parse('2026-01-14T10:00:00Z');
const SCORE = {
  state: 'scored',
  scorer: 'rspamd',
  url: 'rspamd://127.0.0.1:11333',
  score: 6.1,
  threshold: 15,
  action: 'add header',
  rules: [{ name: 'DBL_SPAM', score: 6.5, description: 'Spam domain', options: ['prize-claims.test:url'] }],
  ms: 40,
};

function run(runId: string, withScore: boolean) {
  const send = sendResult(runId, T0);
  if (withScore)
    send.annotations.push(
      { type: 'mailcanary.score', description: JSON.stringify({ variant: 'plain', ...SCORE }) },
      {
        type: 'mailcanary.score',
        description: JSON.stringify({
          variant: 'spammy',
          state: 'unknown',
          scorer: 'rspamd',
          url: 'rspamd://127.0.0.1:11333',
          reason: 'no answer within 10000 ms',
        }),
      },
    );
  const results = [
    send,
    placementResult(runId, { seedId: 'lab-gmx', variant: 'plain', verdict: 'inbox' }),
    placementResult(runId, { seedId: 'lab-gmx', variant: 'spammy', verdict: 'spam' }),
    placementResult(runId, { seedId: 'lab-gmx', variant: 'html-with-link', verdict: 'spam' }),
  ];
  return collectRun(results, { startedAt: T0, finishedAt: T0 + 60_000, status: 'passed' });
}

test("the send step's content scores travel to every message of their variant", () => {
  const { bundle, warnings } = run('mc1', true);
  expect(warnings).toEqual([]);
  const byVariant = Object.fromEntries(bundle!.messages.map((m) => [m.variant, m.contentScore]));
  expect(byVariant.plain).toEqual(SCORE);
  expect(byVariant.spammy).toMatchObject({ state: 'unknown', reason: 'no answer within 10000 ms' });
  expect(byVariant['html-with-link']).toBeUndefined();
});

test('migration 2 adds the content score column; rows written before keep no score, new rows keep theirs', () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-score-')), 'h.sqlite');
  // a store as the previous version wrote it
  const db = new DatabaseSync(file);
  db.exec(MIGRATIONS[0]);
  db.exec('PRAGMA user_version=1');
  db.prepare("INSERT INTO runs (run_id, started_at, finished_at, lab, status) VALUES ('old', ?, ?, 1, 'passed')").run(T0 - 86_400_000, T0 - 86_340_000);
  db.prepare(
    "INSERT INTO messages (run_id, seed_id, provider, variant, verdict, test_status, auth) VALUES ('old', 'lab-gmx', 'gmx', 'plain', 'inbox', 'passed', '{}')",
  ).run();
  db.close();
  const store = HistoryStore.open(file);
  try {
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    expect(store.bundle('old')!.messages[0]).not.toHaveProperty('contentScore');
    store.writeRun(run('mc1', true).bundle!);
    const plain = store.bundle('mc1')!.messages.find((m) => m.variant === 'plain')!;
    expect(plain.contentScore).toEqual(SCORE);
  } finally {
    store.close();
  }
});
