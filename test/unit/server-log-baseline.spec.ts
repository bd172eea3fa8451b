import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { HistoryStore, serverLogBaseline, writeServerLogReading } from '../../src/record/index.ts';
import type { RunBundle } from '../../src/record/index.ts';
import { realMailData } from '../../src/report/server-log-data.ts';
import { serverLogConfigFromEnv, type ServerLogReading } from '../../src/server-log/index.ts';
import { serverLogStep } from '../../suites/server-log-step.ts';
import { postfix } from './server-log-fixtures.ts';
import { shiftedNow } from './test-clock.ts';

/**
 * What "newly refuses" is measured against: per remote domain, the latest earlier reading whose
 * window mailed that domain. Each run here is the server-log test's step on a real log file and
 * history file, then the run and its reading recorded as the placement reporter does.
 */
const H = 3_600_000;
const CYREN = '550 5.7.1 Service unavailable; client [198.51.100.25] rejected: CYREN IP reputation determined a medium risk';

let seq = 0;
function message(t: number, to: string, status: 'sent' | 'bounced', reply: string): string[] {
  const qid = `B${(++seq).toString(16).toUpperCase().padStart(9, '0')}`;
  const dsn = status === 'sent' ? '2.0.0' : '5.7.1';
  const domain = to.slice(to.indexOf('@') + 1);
  return [
    postfix(t, 'qmgr', 10, `${qid}: from=<jane@example.org>, size=1500, nrcpt=1 (queue active)`),
    postfix(
      t + 1000,
      'smtp',
      11,
      `${qid}: to=<${to}>, relay=mx.${domain}[203.0.113.5]:25, delay=1, delays=0/0/0.5/0.5, dsn=${dsn}, status=${status} (${status === 'sent' ? reply : `host mx.${domain}[203.0.113.5] said: ${reply} (in reply to RCPT TO command)`})`,
    ),
    postfix(t + 2000, 'qmgr', 10, `${qid}: removed`),
  ];
}
const refused = (t: number, to: string) => message(t, to, 'bounced', CYREN);
const accepted = (t: number, to: string) => message(t, to, 'sent', '250 2.0.0 Ok: queued as 4Xyz');

/** A history and a log file; `run` takes one reading at `now` with `lines` appended to the log first. */
function world() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mc-slb-'));
  const log = path.join(dir, 'mail.log');
  const history = path.join(dir, 'history.sqlite');
  writeFileSync(log, '');
  const { config } = serverLogConfigFromEnv({ MAILCANARY_LOG_FILE: log, MAILCANARY_LOG_TIMEZONE: '+00:00' });
  let n = 0;
  return {
    history,
    async run(now: number, lines: string[]) {
      if (lines.length) appendFileSync(log, lines.join('\n') + '\n');
      const step = await serverLogStep(config!, { env: { MAILCANARY_HISTORY: history }, now, lab: false });
      const runId = `run${++n}`;
      const store = HistoryStore.open(history);
      try {
        const bundle: RunBundle = { run: { runId, startedAt: now - 60_000, finishedAt: now, lab: false, status: 'passed' }, messages: [], checks: [] };
        store.writeRun(bundle);
        writeServerLogReading(store, runId, false, step.reading);
      } finally {
        store.close();
      }
      return { ...step, runId, lines: step.newly.map((x) => x.line) };
    },
  };
}

test('a run that mailed nothing (a certificate scenario) does not make the next refusal new', async () => {
  const w = world();
  const t0 = shiftedNow() - 10 * H;
  const first = await w.run(t0, [...refused(t0 - 30 * 60_000, 'clerk@council.example'), ...accepted(t0 - 20 * 60_000, 'seed@gmail.example')]);
  expect(first.lines).toEqual([]);
  // the server submitted nothing in this window: its log is silent about every domain
  const silent = await w.run(t0 + H, []);
  expect(silent.reading.volume.messages).toBe(0);
  expect(silent.lines).toEqual([]);
  const again = await w.run(t0 + 2 * H, refused(t0 + 1.5 * H, 'clerk@council.example'));
  expect(again.previous?.runId).toBe('run2');
  expect(again.baseline?.runIds).toEqual(['run1']);
  expect(again.lines).toEqual([]);
  // the report marks it as the gate does
  const store = HistoryStore.open(w.history, { readOnly: true });
  try {
    const data = realMailData(store, again.runId)!;
    expect(data.compared).toBe(true);
    expect(data.groups.map((g) => [g.domain, g.isNew])).toEqual([['council.example', false]]);
  } finally {
    store.close();
  }
});

test('a first reading that saw no outbound mail is no baseline: the next reading has nothing to compare with', async () => {
  const w = world();
  const t0 = shiftedNow() - 10 * H;
  await w.run(t0, []);
  const next = await w.run(t0 + H, refused(t0 + 0.5 * H, 'clerk@council.example'));
  expect(next.previous?.runId).toBe('run1');
  expect(next.baseline).toBeUndefined();
  expect(next.lines).toEqual([]);
  // that reading mailed, so it is the baseline of the one after it: a new domain refusing is new
  const later = await w.run(t0 + 2 * H, [...refused(t0 + 1.5 * H, 'clerk@council.example'), ...refused(t0 + 1.6 * H, 'mayor@rathaus.example')]);
  expect(later.lines).toEqual([`rathaus.example: newly rejects for reputation: ${CYREN}`]);
});

test('a domain that accepted when it was last mailed and refuses now is new, across quiet windows', async () => {
  const w = world();
  const t0 = shiftedNow() - 10 * H;
  await w.run(t0, accepted(t0 - 0.5 * H, 'clerk@council.example'));
  // a window with mail, none of it to the council
  await w.run(t0 + H, accepted(t0 + 0.5 * H, 'seed@gmail.example'));
  const refusing = await w.run(t0 + 2 * H, refused(t0 + 1.5 * H, 'clerk@council.example'));
  expect(refusing.lines).toEqual([`council.example: newly rejects for reputation: ${CYREN}`]);
  // it stays refusing: listed, no longer new, also after a window without mail to it
  expect((await w.run(t0 + 3 * H, refused(t0 + 2.5 * H, 'clerk@council.example'))).lines).toEqual([]);
  await w.run(t0 + 4 * H, accepted(t0 + 3.5 * H, 'seed@gmail.example'));
  expect((await w.run(t0 + 5 * H, refused(t0 + 4.5 * H, 'clerk@council.example'))).lines).toEqual([]);
  // accepted again, then refusing again: new again
  await w.run(t0 + 6 * H, accepted(t0 + 5.5 * H, 'mayor@council.example'));
  expect((await w.run(t0 + 7 * H, refused(t0 + 6.5 * H, 'clerk@council.example'))).lines).toEqual([`council.example: newly rejects for reputation: ${CYREN}`]);
});

function stored(until: number, volume: Partial<ServerLogReading['volume']>, refusing: string[]): ServerLogReading {
  return {
    source: 'file /var/log/mail.log',
    since: until - H,
    until,
    basis: 'previous-run',
    stats: { lines: 3, used: 3, ignored: 0, garbage: 0, truncated: 0, tooLong: 0, rotations: 0, evicted: 0 },
    rejections: refusing.map((domain) => ({
      domain,
      reason: 'badreputation',
      status: 'bounced' as const,
      messages: 1,
      attempts: 1,
      hardBounce: true,
      relays: [],
      example: CYREN,
      recipients: [],
    })),
    volume: { messages: 1, recipients: 1, bySender: [], byDomain: [], selfGenerated: { messages: 0, share: 0, byKind: {}, topDomains: [] }, ...volume },
  };
}

test('readings recorded before the full domain list count the busiest domains and the refusing ones as mailed', () => {
  const store = HistoryStore.open(':memory:');
  const t0 = shiftedNow() - 10 * H;
  const write = (runId: string, at: number, r: ServerLogReading, lab = false) => {
    store.writeRun({ run: { runId, startedAt: at - 1000, finishedAt: at, lab, status: 'passed' }, messages: [], checks: [] });
    writeServerLogReading(store, runId, lab, r);
  };
  try {
    expect(serverLogBaseline(store, { until: t0 + 10 * H, lab: false })).toBeUndefined();
    write('old1', t0, stored(t0, {}, ['council.example', 'Other.Example']));
    // an older reading without `domains`: the council is among the busiest, it accepted
    write('old2', t0 + H, stored(t0 + H, { byDomain: [{ key: 'council.example', messages: 1, recipients: 1, selfGenerated: 0 }] }, []));
    // a lab reading is never the baseline of a real one
    write('lab1', t0 + 2 * H, stored(t0 + 2 * H, { domains: ['other.example'] }, []), true);
    const base = serverLogBaseline(store, { until: t0 + 10 * H, lab: false })!;
    expect(base.rejections.map((g) => g.domain)).toEqual(['Other.Example']);
    expect(base.runIds).toEqual(['old1']);
    // a reading that mailed nothing is no baseline even when it is the only one
    expect(serverLogBaseline(store, { until: t0 + 10 * H, lab: true })?.rejections).toEqual([]);
    write('lab0', t0 - H, stored(t0 - H, { messages: 0, domains: [] }, []), true);
    expect(serverLogBaseline(store, { until: t0 - H, lab: true })).toBeUndefined();
  } finally {
    store.close();
  }
});
