import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { describeWindow, readingWindow, serverLogConfigFromEnv, takeReading, type ServerLogReading } from '../../src/server-log/index.ts';
import { exportJsonl, HistoryStore, importJsonl, previousServerLogReading, serverLogReading, writeServerLogReading } from '../../src/record/index.ts';
import type { RunBundle } from '../../src/record/index.ts';
import { previousReading } from '../../suites/server-log-step.ts';
import { postfix } from './server-log-fixtures.ts';
import { shiftedNow } from './test-clock.ts';

const H = 3_600_000;
const NOW = shiftedNow();

test.describe('reading window', () => {
  test('starts where the previous run’s reading ended, up to now', () => {
    expect(readingWindow({ now: NOW, windowMs: 24 * H, previousUntil: NOW - 3 * H })).toEqual({ since: NOW - 3 * H, until: NOW, basis: 'previous-run' });
  });

  test('without a previous reading: the last windowMs', () => {
    expect(readingWindow({ now: NOW, windowMs: 24 * H })).toEqual({ since: NOW - 24 * H, until: NOW, basis: 'default' });
    expect(describeWindow(readingWindow({ now: NOW, windowMs: 24 * H }))).toBe('the last 24 h');
  });

  test('a previous end at or after now (clock set back) falls back to the default window', () => {
    expect(readingWindow({ now: NOW, windowMs: 2 * H, previousUntil: NOW + H }).basis).toBe('default');
    expect(readingWindow({ now: NOW, windowMs: 2 * H, previousUntil: NOW }).since).toBe(NOW - 2 * H);
  });

  test('a bad clock or window is a bug of the caller and throws', () => {
    expect(() => readingWindow({ now: Number.NaN, windowMs: H })).toThrow(/now is not a time/);
    expect(() => readingWindow({ now: NOW, windowMs: 0 })).toThrow(/windowMs must be positive/);
  });

  test('describes a previous-run window by its start, in UTC', () => {
    const since = Date.UTC(2031, 0, 2, 3, 4, 5);
    expect(describeWindow({ since, until: since + H, basis: 'previous-run' })).toBe('since the previous run (2031-01-02 03:04:05 UTC)');
  });
});

function bundle(runId: string, startedAt: number, lab: boolean): RunBundle {
  return { run: { runId, startedAt, finishedAt: startedAt + 1000, lab, status: 'passed' }, messages: [], checks: [] };
}

function reading(since: number, until: number, domains: string[]): ServerLogReading {
  return {
    source: 'file /var/log/mail.log',
    since,
    until,
    basis: 'default',
    stats: { lines: 10, used: 5, ignored: 5, garbage: 0, truncated: 0, tooLong: 0, rotations: 0, evicted: 0 },
    rejections: domains.map((domain) => ({
      domain,
      reason: 'badreputation',
      status: 'bounced' as const,
      messages: 1,
      attempts: 1,
      hardBounce: true,
      relays: [`mx.${domain}`],
      example: `mx.${domain} said after RCPT: 550 5.7.1 CYREN IP reputation determined a medium risk`,
      reply: '550 5.7.1 CYREN IP reputation determined a medium risk',
      recipients: [`***@${domain}`],
    })),
    volume: { messages: 1, recipients: 1, bySender: [], byDomain: [], selfGenerated: { messages: 0, share: 0, byKind: {}, topDomains: [] } },
  };
}

test.describe('readings in the history', () => {
  test('the previous reading is the latest earlier one of the same kind; it goes with its run', () => {
    const store = HistoryStore.open(':memory:');
    try {
      store.writeRun(bundle('r1', NOW - 5 * H, false));
      writeServerLogReading(store, 'r1', false, reading(NOW - 29 * H, NOW - 5 * H, ['a.example']));
      store.writeRun(bundle('r2', NOW - 3 * H, false));
      writeServerLogReading(store, 'r2', false, reading(NOW - 5 * H, NOW - 3 * H, ['b.example']));
      store.writeRun(bundle('lab1', NOW - 2 * H, true));
      writeServerLogReading(store, 'lab1', true, reading(NOW - 26 * H, NOW - 2 * H, ['council.lab.test']));

      expect(previousServerLogReading(store, { until: NOW, lab: false })).toMatchObject({ runId: 'r2', until: NOW - 3 * H });
      expect(previousServerLogReading(store, { until: NOW, lab: false, exclude: 'r2' })?.runId).toBe('r1');
      expect(previousServerLogReading(store, { until: NOW - 4 * H, lab: false })?.runId).toBe('r1');
      expect(previousServerLogReading(store, { until: NOW, lab: true })?.rejections.map((g) => g.domain)).toEqual(['council.lab.test']);
      // stored and read back as written
      expect(serverLogReading(store, 'r2')).toEqual({ ...reading(NOW - 5 * H, NOW - 3 * H, ['b.example']), runId: 'r2', lab: false });
      // retention removes the run and its reading
      expect(store.prune(1, NOW + 24 * H - 4 * H)).toBe(1);
      expect(serverLogReading(store, 'r1')).toBeUndefined();
      expect(Number((store.db.prepare('SELECT count(*) AS n FROM server_log_rejections').get() as { n: number }).n)).toBe(2);
    } finally {
      store.close();
    }
  });

  test('the test’s previous reading comes from MAILCANARY_HISTORY; none with the history off', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mc-slw-'));
    const file = path.join(dir, 'history.sqlite');
    const store = HistoryStore.open(file);
    store.writeRun(bundle('r1', NOW - 5 * H, false));
    writeServerLogReading(store, 'r1', false, reading(NOW - 29 * H, NOW - 5 * H, []));
    store.close();
    expect(previousReading({ MAILCANARY_HISTORY: file }, NOW, false)?.until).toBe(NOW - 5 * H);
    expect(previousReading({ MAILCANARY_HISTORY: file }, NOW, true)).toBeUndefined();
    expect(previousReading({ MAILCANARY_HISTORY: 'off' }, NOW, false)).toBeUndefined();
  });
});

test('a reading goes through JSONL export and import with its run, hostile text intact; a bad reading line is named', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mc-slw-'));
  const a = HistoryStore.open(path.join(dir, 'a.sqlite'));
  const r = reading(NOW - 24 * H, NOW, ['council.example']);
  r.rejections[0].example = 'said: 550 <b>x</b> \u202E half \uD800';
  a.writeRun(bundle('r1', NOW - H, true));
  writeServerLogReading(a, 'r1', true, r);
  a.writeRun(bundle('r2', NOW, false));
  const file = path.join(dir, 'h.jsonl');
  expect(await exportJsonl(a, file)).toEqual({ runs: 2, lines: 4 });
  a.close();
  const b = HistoryStore.open(path.join(dir, 'b.sqlite'));
  expect(await importJsonl(b, file)).toEqual({ runs: 2 });
  expect(serverLogReading(b, 'r1')).toEqual({ ...r, runId: 'r1', lab: true });
  expect(serverLogReading(b, 'r2')).toBeUndefined();
  b.close();
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const broken = path.join(dir, 'broken.jsonl');
  writeFileSync(broken, [...lines.slice(0, 2), JSON.stringify({ type: 'server-log', runId: 'r1', source: 'x' }), ...lines.slice(3)].join('\n'));
  await expect(importJsonl(HistoryStore.open(':memory:'), broken)).rejects.toThrow(/broken\.jsonl:3: server-log line: source, since or until missing/);
});

test('a reading covers exactly its window: lines before the previous end are not counted again', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mc-slw-'));
  const log = path.join(dir, 'mail.log');
  const refused = (t: number, qid: string) => [
    postfix(t, 'qmgr', 10, `${qid}: from=<jane@example.org>, size=1500, nrcpt=1 (queue active)`),
    postfix(
      t + 1000,
      'smtp',
      11,
      `${qid}: to=<clerk@council.example>, relay=mx.council.example[203.0.113.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.7.1, status=bounced (host mx.council.example[203.0.113.9] said: 550 5.7.1 CYREN IP reputation determined a medium risk (in reply to RCPT TO command))`,
    ),
    postfix(t + 2000, 'qmgr', 10, `${qid}: removed`),
  ];
  writeFileSync(log, [...refused(NOW - 10 * H, 'AAAA1111'), ...refused(NOW - 2 * H, 'BBBB2222')].join('\n') + '\n');
  const { config } = serverLogConfigFromEnv({ MAILCANARY_LOG_FILE: log, MAILCANARY_LOG_TIMEZONE: 'UTC' });
  const first = await takeReading({ config: config!, now: NOW });
  expect(first).toMatchObject({ basis: 'default', since: NOW - 24 * H, until: NOW });
  expect(first.rejections).toMatchObject([{ domain: 'council.example', messages: 2, recipients: ['***@council.example'], reason: 'badreputation' }]);
  const next = await takeReading({ config: config!, now: NOW, previousUntil: NOW - 5 * H });
  expect(next).toMatchObject({ basis: 'previous-run', since: NOW - 5 * H });
  expect(next.rejections).toMatchObject([{ domain: 'council.example', messages: 1, reply: expect.stringContaining('CYREN IP reputation') }]);
  // a source that cannot be read is an error with the fix, never an empty reading
  const missing = serverLogConfigFromEnv({ MAILCANARY_LOG_FILE: path.join(dir, 'nope.log') }).config!;
  await expect(takeReading({ config: missing, now: NOW })).rejects.toThrow(/no such file[\s\S]*fix: set MAILCANARY_LOG_FILE/);
});
