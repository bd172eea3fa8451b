import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import { collectRun } from '../../src/record/from-results.ts';
import { historyConfigFromEnv } from '../../src/record/config.ts';
import { exportJsonl, importJsonl } from '../../src/record/jsonl.ts';
import { shardPlan, shardPlanFromEnv } from '../../src/send/shard-plan.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/record/schema.ts';
import type { RunBundle } from '../../src/record/types.ts';
import { checkResult, placementResult, sendResult } from '../fixtures/record/results.ts';

const T0 = Date.parse('2026-01-14T10:00:00Z');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mc-record-'));
const opts = (startedAt = T0) => ({ startedAt, finishedAt: startedAt + 60_000, status: 'passed' });

function bundle(runId: string, startedAt: number, verdicts: Record<string, string> = { 'lab-gmail/plain': 'inbox', 'lab-gmx/plain': 'spam' }): RunBundle {
  const results = [
    sendResult(runId, startedAt),
    ...Object.entries(verdicts).map(([k, v]) => placementResult(runId, { seedId: k.split('/')[0], variant: k.split('/')[1], verdict: v })),
    checkResult('spf › canary.test', 'pass'),
  ];
  return collectRun(results, opts(startedAt)).bundle!;
}

test('collectRun reads runs, messages with evidence and checks from annotations and attachments', () => {
  const { bundle: b, warnings } = collectRun(
    [
      sendResult('mc1', T0),
      placementResult('mc1', { seedId: 'lab-gmail', variant: 'plain', verdict: 'inbox' }),
      placementResult('mc1', { seedId: 'lab-out', provider: 'outlook', variant: 'plain', verdict: 'missing' }),
      checkResult('dkim › mc2026', 'fail'),
    ],
    opts(T0 + 5000),
  );
  expect(warnings).toEqual([]);
  expect(b!.run).toMatchObject({ runId: 'mc1', startedAt: T0, lab: true, status: 'passed' });
  expect(b!.messages.map((m) => [m.seedId, m.variant, m.verdict])).toEqual([
    ['lab-gmail', 'plain', 'inbox'],
    ['lab-out', 'plain', 'missing'],
  ]);
  expect(b!.messages[0].auth).toEqual({ spf: 'pass', dkim: 'pass', dmarc: 'pass' });
  expect(b!.messages[0].rawHeaders).toContain('Authentication-Results');
  expect(b!.messages[1].auth).toEqual({});
  expect(b!.checks).toEqual([expect.objectContaining({ checkId: 'dkim', title: 'dkim › mc2026', status: 'fail', fix: 'publish the record', runId: 'mc1' })]);
});

test('collectRun survives malformed and missing data with warnings, never throws', () => {
  const broken = placementResult('mc1', { seedId: 'a', variant: 'plain', verdict: 'inbox' });
  broken.attachments[0].body = '{not json';
  const noIds = placementResult('mc1', { seedId: 'b', variant: 'plain', verdict: 'inbox' });
  noIds.attachments[0].body = JSON.stringify({ verdict: 'inbox' });
  noIds.annotations = [];
  const { bundle: b, warnings } = collectRun(
    [broken, noIds, { titlePath: [], status: 'passed', annotations: [{ type: 'mailcanary.run', description: '[]' }], attachments: [] }],
    opts(),
  );
  expect(warnings.join('\n')).toMatch(/delivery\.json: not valid JSON/);
  expect(warnings.join('\n')).toMatch(/no seedId or variant/);
  // the broken one still counts from its annotations: seed + plan + verdict
  expect(b!.messages).toEqual([expect.objectContaining({ seedId: 'a', variant: 'plain', verdict: 'inbox' })]);
  expect(collectRun([], opts()).bundle).toBeUndefined();
});

test('shards that made their own run ids fold into one run with the same rows', () => {
  const one = collectRun(
    [
      sendResult('mcA', T0),
      placementResult('mcA', { seedId: 'g', variant: 'plain', verdict: 'inbox' }),
      placementResult('mcA', { seedId: 'x', variant: 'plain', verdict: 'spam' }),
    ],
    opts(),
  ).bundle!;
  const merged = collectRun(
    [
      sendResult('mcB', T0 + 10),
      placementResult('mcB', { seedId: 'x', variant: 'plain', verdict: 'spam' }),
      sendResult('mcA', T0),
      placementResult('mcA', { seedId: 'g', variant: 'plain', verdict: 'inbox' }),
    ],
    opts(),
  );
  expect(merged.bundle!.run.runId).toBe('mcA');
  expect(merged.bundle!.run.aliases).toEqual(['mcB']);
  expect(merged.warnings[0]).toMatch(/MAILCANARY_RUN_ID/);
  const rows = (b: RunBundle) => b.messages.map((m) => `${m.runId} ${m.seedId} ${m.variant} ${m.verdict}`);
  expect(rows(merged.bundle!)).toEqual(rows(one));
});

test('shard plan: static annotations become the list of messages a shard sends', () => {
  const plan = shardPlan([
    [{ type: 'mailcanary.plan', description: '{"seedId":"g","variant":"plain"}' }],
    [{ type: 'mailcanary.plan', description: '{"seedId":"g","variant":"plain"}' }, { type: 'other' }],
    [{ type: 'mailcanary.plan', description: 'garbage' }],
  ]);
  expect(plan).toEqual([{ seedId: 'g', variant: 'plain' }]);
  expect(shardPlanFromEnv({ MAILCANARY_SHARD_PLAN: JSON.stringify(plan) })).toEqual(plan);
  expect(shardPlanFromEnv({})).toBeUndefined();
});

test('store round trip: a run is written whole, read back, and rewriting it gives the same rows', () => {
  const store = HistoryStore.open(path.join(tmp(), 'h.sqlite'));
  const b = bundle('mc1', T0);
  store.writeRun(b);
  store.writeRun(b);
  expect(store.counts()).toEqual({ runs: 1, messages: 2, checks: 1 });
  const back = store.bundle('mc1')!;
  expect(back.run).toEqual(b.run);
  expect(back.messages).toEqual(b.messages);
  expect(back.checks).toEqual(b.checks);
  expect(store.schemaVersion).toBe(SCHEMA_VERSION);
  expect(String((store.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode)).toBe('wal');
  store.close();
});

test('a failing write leaves nothing of the run behind (one transaction)', () => {
  const store = HistoryStore.open(path.join(tmp(), 'h.sqlite'));
  const b = bundle('mc1', T0);
  // the same seed × variant twice violates the primary key in the middle of the run
  const bad = { ...b, messages: [...b.messages, b.messages[0]] };
  expect(() => store.writeRun(bad)).toThrow(/UNIQUE/);
  expect(store.counts()).toEqual({ runs: 0, messages: 0, checks: 0 });
  store.writeRun(b);
  expect(store.counts().messages).toBe(2);
  store.close();
});

test('two stores on one file (two runs at once) both get their runs in', () => {
  const file = path.join(tmp(), 'h.sqlite');
  const a = HistoryStore.open(file);
  const b = HistoryStore.open(file);
  for (let i = 0; i < 10; i++) (i % 2 ? a : b).writeRun(bundle(`mc${i}`, T0 + i * 1000));
  expect(a.counts().runs).toBe(10);
  a.close();
  b.close();
});

test('previous run, pinned baseline and retention', () => {
  const store = HistoryStore.open(path.join(tmp(), 'h.sqlite'));
  const day = 86_400_000;
  for (let i = 0; i < 5; i++) store.writeRun(bundle(`mc${i}`, T0 + i * day));
  expect(store.previousRun(T0 + 4 * day, true)?.runId).toBe('mc3');
  expect(store.previousRun(T0 + 4 * day, false)).toBeUndefined();
  store.pinBaseline('mc0');
  expect(store.pinnedBaseline()).toBe('mc0');
  expect(() => store.pinBaseline('nope')).toThrow(/no run nope/);
  // keep 2 days back from the last run: mc0 stays because it is pinned
  expect(store.prune(2, T0 + 4 * day + 1)).toBe(2);
  expect(store.runs().map((r) => r.runId)).toEqual(['mc0', 'mc3', 'mc4']);
  expect(store.counts().messages).toBe(6);
  store.close();
});

test('schema: a newer store is refused, a non-store file gets a clear error', () => {
  const dir = tmp();
  const newer = path.join(dir, 'newer.sqlite');
  const db = new DatabaseSync(newer);
  db.exec(`PRAGMA user_version=${SCHEMA_VERSION + 1}`);
  db.close();
  expect(() => HistoryStore.open(newer)).toThrow(/schema version .* update mailcanary/);
  const junk = path.join(dir, 'junk.sqlite');
  writeFileSync(junk, 'this is not sqlite at all, just text '.repeat(200));
  expect(() => HistoryStore.open(junk)).toThrow(/not a mailcanary history store/);
});

test('export and import as JSON lines', async () => {
  const dir = tmp();
  const a = HistoryStore.open(path.join(dir, 'a.sqlite'));
  a.writeRun(bundle('mc1', T0));
  a.writeRun(bundle('mc2', T0 + 1000, { 'lab-gmail/plain': 'spam' }));
  const file = path.join(dir, 'h.jsonl');
  expect(await exportJsonl(a, file)).toEqual({ runs: 2, lines: 1 + 2 + 3 + 2 });
  const b = HistoryStore.open(path.join(dir, 'b.sqlite'));
  expect(await importJsonl(b, file)).toEqual({ runs: 2 });
  expect(b.bundle('mc2')).toEqual(a.bundle('mc2'));
  expect(b.bundle('mc1')).toEqual(a.bundle('mc1'));
  const lines = readFileSync(file, 'utf8').split('\n');
  writeFileSync(
    path.join(dir, 'bad.jsonl'),
    [lines[0], lines[1], '{"type":"message","runId":"other","seedId":"x","variant":"v","verdict":"inbox"}'].join('\n'),
  );
  await expect(importJsonl(b, path.join(dir, 'bad.jsonl'))).rejects.toThrow(/bad\.jsonl:3: message of run other inside run mc1/);
  writeFileSync(path.join(dir, 'nohead.jsonl'), lines[1]);
  await expect(importJsonl(b, path.join(dir, 'nohead.jsonl'))).rejects.toThrow(/:1: first line is not a mailcanary-history header/);
  a.close();
  b.close();
});

test('history settings from the environment', () => {
  expect(historyConfigFromEnv({}, '/w')).toEqual({ path: '/w/.mailcanary/history.sqlite', retentionDays: 400 });
  expect(historyConfigFromEnv({ MAILCANARY_HISTORY: 'x/h.db', MAILCANARY_RETENTION_DAYS: '30' }, '/w')).toEqual({ path: '/w/x/h.db', retentionDays: 30 });
  expect(() => historyConfigFromEnv({ MAILCANARY_RETENTION_DAYS: 'forever' })).toThrow(/MAILCANARY_RETENTION_DAYS="forever" is not a whole number/);
});

test('run notices: a store of schema 1 is migrated with its rows untouched; notices round-trip through the store and JSON lines', async () => {
  const dir = tmp();
  const file = path.join(dir, 'v1.sqlite');
  const db = new DatabaseSync(file);
  db.exec(MIGRATIONS[0]);
  db.exec('PRAGMA user_version=1');
  db.prepare('INSERT INTO runs (run_id, started_at, finished_at, lab, status, aliases, gate) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    'old1',
    T0,
    T0 + 60_000,
    0,
    'passed',
    null,
    '{"regressions":[]}',
  );
  db.prepare(
    "INSERT INTO messages (run_id, seed_id, provider, variant, verdict, test_status, auth) VALUES ('old1', 'gmail', 'gmail', 'plain', 'inbox', 'passed', '{}')",
  ).run();
  db.close();
  const a = HistoryStore.open(file);
  expect(a.schemaVersion).toBe(SCHEMA_VERSION);
  expect(a.bundle('old1')).toEqual({
    run: { runId: 'old1', startedAt: T0, finishedAt: T0 + 60_000, lab: false, status: 'passed', gate: { regressions: [] } },
    messages: [{ runId: 'old1', seedId: 'gmail', provider: 'gmail', variant: 'plain', verdict: 'inbox', testStatus: 'passed', auth: {} }],
    checks: [],
  });
  const notices = [
    'bounce watching is off: the bounce mailbox at imap.example.org:993 could not be read after 3 attempt(s) (ECONNREFUSED). Fix: check BOUNCE_IMAP_HOST',
    'second <b>line</b> "quoted"',
  ];
  const b = bundle('mc9', T0 + 1000);
  b.run.notices = notices;
  a.writeRun(b);
  expect(a.run('mc9')?.notices).toEqual(notices);
  const jsonl = path.join(dir, 'h.jsonl');
  await exportJsonl(a, jsonl);
  const c = HistoryStore.open(path.join(dir, 'c.sqlite'));
  expect(await importJsonl(c, jsonl)).toEqual({ runs: 2 });
  expect(c.bundle('mc9')).toEqual(a.bundle('mc9'));
  expect(c.bundle('old1')).toEqual(a.bundle('old1'));
  const lines = readFileSync(jsonl, 'utf8').split('\n');
  const runLine = JSON.parse(lines.find((l) => l.includes('"runId":"mc9"') && l.includes('"type":"run"'))!);
  writeFileSync(path.join(dir, 'bad.jsonl'), [lines[0], JSON.stringify({ ...runLine, notices: 'not a list' })].join('\n'));
  await expect(importJsonl(c, path.join(dir, 'bad.jsonl'))).rejects.toThrow(/bad\.jsonl:2: run line whose notices are not a list of strings/);
  a.close();
  c.close();
});

test('a run that tested nothing (every test skipped) is never the previous run the gate compares with', () => {
  const store = HistoryStore.open(path.join(tmp(), 'h.sqlite'));
  const day = 86_400_000;
  store.writeRun(bundle('mc1', T0));
  const skipped = bundle('mc2', T0 + day);
  skipped.messages = skipped.messages.map((m) => ({ ...m, testStatus: 'skipped', verdict: 'skipped' }));
  skipped.checks = skipped.checks.map((c) => ({ ...c, status: 'unknown' }));
  store.writeRun(skipped);
  expect(store.previousRun(T0 + 2 * day, true)?.runId).toBe('mc1');
  // a run with a real result counts again
  store.writeRun(bundle('mc3', T0 + 2 * day));
  expect(store.previousRun(T0 + 3 * day, true)?.runId).toBe('mc3');
  store.close();
});
