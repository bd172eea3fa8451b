import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import { packHeavy, unpackHeavy } from '../../src/record/compress.ts';
import { collectRun } from '../../src/record/from-results.ts';
import { MIGRATIONS } from '../../src/record/schema.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { HEADERS_PASS, placementResult, sendResult } from '../fixtures/record/results.ts';
import { nightlyRun } from '../fixtures/record/year.ts';

test('compression round trip: evidence and raw headers come back exactly, lone surrogates and NUL included', () => {
  const m = nightlyRun(3).messages.find((x) => x.evidence)!;
  const packed = packHeavy({ evidence: m.evidence, rawHeaders: m.rawHeaders })!;
  expect(packed.length).toBeLessThan((JSON.stringify(m.evidence).length + m.rawHeaders!.length) / 3);
  expect(unpackHeavy(packed)).toEqual({ evidence: m.evidence, rawHeaders: m.rawHeaders });
  const odd = `Subject: half \uD83D emoji\u0000 and \u202E\r\n${HEADERS_PASS}`;
  expect(unpackHeavy(packHeavy({ rawHeaders: odd })!)).toEqual({ rawHeaders: odd });
  expect(packHeavy({})).toBeNull();
  expect(() => unpackHeavy(Uint8Array.from([9, 1, 2]))).toThrow(/cannot read \(unknown format 9\)/);
  expect(() => unpackHeavy(Uint8Array.from([1, 1, 2, 3]))).toThrow(/cannot read/);
});

test('a store of schema 1 migrates, keeps its rows as they were and reads them; new rows are compressed', () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-migrate-')), 'h.sqlite');
  const old = new DatabaseSync(file);
  old.exec(MIGRATIONS[0]);
  old.exec('PRAGMA user_version=1');
  old.prepare('INSERT INTO runs (run_id, started_at, finished_at, lab, status) VALUES (?, ?, ?, 0, ?)').run('old1', 1000, 2000, 'passed');
  old
    .prepare(
      `INSERT INTO messages (run_id, seed_id, provider, variant, verdict, test_status, auth, evidence, raw_headers) VALUES ('old1', 'g', 'gmail', 'plain', 'inbox', 'passed', '{}', ?, ?)`,
    )
    .run('{"auth":{"dkim":"pass"}}', HEADERS_PASS);
  old.close();

  const store = HistoryStore.open(file);
  expect(store.schemaVersion).toBe(MIGRATIONS.length);
  const read = store.bundle('old1')!.messages[0];
  expect(read.evidence).toEqual({ auth: { dkim: 'pass' } });
  expect(read.rawHeaders).toBe(HEADERS_PASS);
  expect(read.tab).toBeUndefined();
  const raw = store.db.prepare("SELECT evidence, raw_headers, heavy_z, tab FROM messages WHERE run_id = 'old1'").get() as Record<string, unknown>;
  expect(raw).toEqual({ evidence: '{"auth":{"dkim":"pass"}}', raw_headers: HEADERS_PASS, heavy_z: null, tab: null });

  const T0 = Date.parse('2026-01-14T10:00:00Z');
  const r = placementResult('new1', { seedId: 'g', variant: 'plain', verdict: 'inbox', lab: false });
  const delivery = JSON.parse(r.attachments[0].body!);
  delivery.sighting = { placement: 'inbox', folder: 'INBOX', seenAt: T0, tab: 'promotions' };
  r.attachments[0].body = JSON.stringify(delivery);
  r.annotations = r.annotations.map((a) =>
    a.type === 'mailcanary.seed' ? { ...a, description: JSON.stringify({ ...JSON.parse(a.description!), promotions: 'regression' }) } : a,
  );
  store.writeRun(collectRun([sendResult('new1', T0, false), r], { startedAt: T0, finishedAt: T0, status: 'passed' }).bundle!);
  const row = store.db.prepare("SELECT evidence, raw_headers, heavy_z, tab, promotions_regression FROM messages WHERE run_id = 'new1'").get() as Record<
    string,
    unknown
  >;
  expect(row.evidence).toBeNull();
  expect(row.raw_headers).toBeNull();
  expect(row.heavy_z).toBeInstanceOf(Uint8Array);
  expect(row.tab).toBe('promotions');
  expect(row.promotions_regression).toBe(1);
  const back = store.bundle('new1')!.messages[0];
  expect(back.rawHeaders).toBe(HEADERS_PASS);
  expect(back.tab).toBe('promotions');
  expect(back.promotionsRegression).toBe(true);
  expect((back.evidence as { auth: unknown }).auth).toEqual({ spf: 'pass', dkim: 'pass', dmarc: 'pass' });
  store.close();
});
