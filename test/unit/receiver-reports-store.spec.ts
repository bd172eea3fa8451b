import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import { HistoryStore } from '../../src/record/store.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/record/schema.ts';
import { importFile, importPaths } from '../../src/receiver-reports/import.ts';
import { ReportStore } from '../../src/receiver-reports/store.ts';
import { aggregateXml, failureMail, gzip, reportMail, tlsReport, zipOf } from '../fixtures/receiver-reports/build.ts';

// report times: 2025-12-01; "now" of the store a few days later
const NOW = Date.parse('2025-12-05T06:00:00Z');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mc-rr-store-'));
const open = (dir: string) => new ReportStore(HistoryStore.open(path.join(dir, 'h.sqlite')), () => NOW);
const FEEDBACK =
  'Feedback-Type: auth-failure\r\nUser-Agent: r/1\r\nVersion: 1\r\nArrival-Date: Thu, 04 Dec 2025 10:00:00 +0000\r\nSource-IP: 203.0.113.66\r\nReported-Domain: canary.test\r\nAuth-Failure: dmarc';

test('an old history store migrates to the report tables and keeps its runs', () => {
  const file = path.join(tmp(), 'h.sqlite');
  const db = new DatabaseSync(file);
  db.exec(MIGRATIONS[0]);
  db.exec('PRAGMA user_version=1');
  db.prepare("INSERT INTO runs (run_id, started_at, finished_at, lab, status) VALUES ('mc-old', 1, 2, 0, 'passed')").run();
  db.close();
  const h = HistoryStore.open(file);
  expect(h.schemaVersion).toBe(SCHEMA_VERSION);
  expect(h.runs().map((r) => r.runId)).toEqual(['mc-old']);
  expect(new ReportStore(h).counts()).toEqual({ aggregate: 0, records: 0, tls: 0, failure: 0, messages: 0 });
  h.close();
});

test('each report is stored once: by reporter + report id, and a report e-mail by its Message-ID', async () => {
  const dir = tmp();
  const store = open(dir);
  const files = path.join(dir, 'in');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(files);
  writeFileSync(path.join(files, 'a.xml'), aggregateXml({ reportId: 'r-1', records: [{ count: 3 }, { ip: '203.0.113.9', count: 4, dkim: 'fail' }] }));
  writeFileSync(path.join(files, 'a-again.xml.gz'), gzip(aggregateXml({ reportId: 'r-1', org: 'GMAIL-LIKE.lab.test' })));
  writeFileSync(
    path.join(files, 'b.eml'),
    reportMail(zipOf('b.xml', Buffer.from(aggregateXml({ reportId: 'r-2' }))), 'application/zip', 'b.zip', '<mail-b@x>'),
  );
  writeFileSync(
    path.join(files, 'tls.json'),
    JSON.stringify({ ...tlsReport(), 'date-range': { 'start-datetime': '2025-12-01T00:00:00Z', 'end-datetime': '2025-12-01T23:59:59Z' } }),
  );
  writeFileSync(path.join(files, 'ruf.eml'), failureMail(FEEDBACK));
  writeFileSync(path.join(files, 'junk.txt'), 'hello');
  const first = await importPaths(store, [files], { now: NOW, retentionDays: 400 });
  expect(first.map((o) => [path.basename(o.source.split(' › ')[0]), o.status, o.kind])).toEqual([
    ['a-again.xml.gz', 'stored', 'aggregate'],
    ['a.xml', 'duplicate', 'aggregate'],
    ['b.eml', 'stored', 'aggregate'],
    ['junk.txt', 'error', 'unknown-format'],
    ['ruf.eml', 'stored', 'failure'],
    ['tls.json', 'stored', 'tlsrpt'],
  ]);
  expect(first[1].detail).toContain('already stored');
  // the same e-mail under another file name (another shard, another folder) is not read twice
  writeFileSync(path.join(dir, 'b-copy.eml'), readFileSync(path.join(files, 'b.eml')));
  const again = await importFile(store, path.join(dir, 'b-copy.eml'), { now: NOW });
  expect(again).toEqual([expect.objectContaining({ status: 'duplicate', detail: expect.stringContaining('<mail-b@x>') })]);
  const second = await importPaths(store, [files], { now: NOW });
  expect(second.filter((o) => o.status === 'stored')).toEqual([]);
  expect(store.counts()).toEqual({ aggregate: 2, records: 2, tls: 1, failure: 1, messages: 2 });
  const rows = store.history.db.prepare('SELECT source_ip, count, dkim FROM aggregate_records ORDER BY idx').all();
  expect(rows.map((r) => [r.source_ip, r.count])).toEqual([
    ['198.51.100.25', 3],
    ['198.51.100.25', 3],
  ]);
  store.history.close();
});

test('an e-mail with several report attachments (even of one name) stores each, one transaction after the other', async () => {
  const dir = tmp();
  const store = open(dir);
  const part = (id: string, n: number) =>
    [
      '--XX',
      'Content-Type: application/gzip',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="report.xml.gz"',
      '',
      gzip(aggregateXml({ reportId: id, records: Array.from({ length: n }, () => ({})) })).toString('base64'),
    ].join('\r\n');
  const mail = [
    'From: r@x.example',
    'Message-ID: <two@x.example>',
    'Content-Type: multipart/mixed; boundary="XX"',
    '',
    part('first', 2),
    part('broken', 0).replace(/[A-Za-z0-9+/=]{20}$/, ''),
    part('second', 3),
    '--XX--',
    '',
  ].join('\r\n');
  const file = path.join(dir, 'two.eml');
  writeFileSync(file, mail);
  const out = await importFile(store, file, { now: NOW });
  expect(out.map((o) => o.status)).toEqual(['stored', 'error', 'stored']);
  expect(store.counts()).toMatchObject({ aggregate: 2, records: 5, messages: 1 });
  store.history.close();
});

test('a report that breaks halfway leaves nothing behind (one transaction per report)', async () => {
  const dir = tmp();
  const store = open(dir);
  const file = path.join(dir, 'half.xml');
  writeFileSync(file, aggregateXml({ records: [{}, {}, { ip: 'not-an-ip' }, {}] }));
  const out = await importFile(store, file, { now: NOW });
  expect(out).toEqual([expect.objectContaining({ status: 'error', kind: 'invalid-aggregate', detail: expect.stringContaining('record 3') })]);
  expect(store.counts()).toMatchObject({ aggregate: 0, records: 0 });
  // the store is usable afterwards: no transaction left open
  writeFileSync(file, aggregateXml({ records: [{}, {}] }));
  expect((await importFile(store, file, { now: NOW }))[0].status).toBe('stored');
  expect(store.counts()).toMatchObject({ aggregate: 1, records: 2 });
  store.history.close();
});

test('retention: reports older than MAILCANARY_RETENTION_DAYS are not stored, and stored ones are pruned', async () => {
  const dir = tmp();
  const store = open(dir);
  const file = path.join(dir, 'r.xml');
  writeFileSync(file, aggregateXml({ reportId: 'old', begin: 1700000000, end: 1700086399 }));
  expect((await importFile(store, file, { now: NOW, retentionDays: 30 }))[0]).toMatchObject({
    status: 'expired',
    detail: expect.stringContaining('retention'),
  });
  writeFileSync(file, aggregateXml({ reportId: 'new' }));
  expect((await importFile(store, file, { now: NOW, retentionDays: 30 }))[0].status).toBe('stored');
  expect(store.prune(30, NOW)).toMatchObject({ aggregate: 0 });
  expect(store.prune(2, NOW)).toMatchObject({ aggregate: 1 });
  expect(store.counts()).toMatchObject({ aggregate: 0, records: 0 });
  store.history.close();
});

test('export writes one JSON line per stored report with its records, policies or fields', async () => {
  const dir = tmp();
  const store = open(dir);
  writeFileSync(path.join(dir, 'a.xml'), aggregateXml({ records: [{ count: 5 }, { count: 6, reason: { type: 'local_policy' } }] }));
  writeFileSync(
    path.join(dir, 'tls.json'),
    JSON.stringify({ ...tlsReport(), 'date-range': { 'start-datetime': '2025-12-01T00:00:00Z', 'end-datetime': '2025-12-01T23:59:59Z' } }),
  );
  writeFileSync(path.join(dir, 'ruf.eml'), failureMail(FEEDBACK));
  await importPaths(store, [dir], { now: NOW });
  const out = path.join(dir, 'out.jsonl');
  expect(await store.exportJsonl(out)).toBe(3);
  const lines = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines.map((l) => l.type)).toEqual(['aggregate', 'tlsrpt', 'failure']);
  expect(lines[0]).toMatchObject({
    reportId: 'r-1001',
    totalCount: 11,
    records: [
      { count: 5, overrideReasons: [] },
      { count: 6, overrideReasons: [{ type: 'local_policy', comment: null }] },
    ],
  });
  expect(lines[1].policies[0].failureDetails.map((d: { resultType: string }) => d.resultType)).toEqual([
    'certificate-expired',
    'starttls-not-supported',
    'validation-failure',
  ]);
  expect(lines[2]).toMatchObject({ feedbackType: 'auth-failure', sourceIp: '203.0.113.66', messageId: '<ruf-42@gmail-like.lab.test>' });
  store.history.close();
});
