import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { LogFollower, LogSourceError, offsetAtTime, watchMessageLog, type LogUpdate, type ServerLogConfig } from '../../src/server-log/index.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import { postfix, TELEKOM_BL, MS_RATE, MS_S3150, telekomBlock } from './server-log-fixtures.ts';
import { shiftedNow } from './test-clock.ts';

/** an injected clock that moves with real time, far from today's date */
function movingClock(): () => number {
  const offset = shiftedNow() - Date.now();
  return () => Date.now() + offset;
}

const fileConfig = (file: string): ServerLogConfig => ({
  source: { kind: 'file', path: file },
  utcOffsetMinutes: 0,
  showLocalParts: false,
  windowMs: 86_400_000,
});
const tmp = () => mkdtempSync(path.join(tmpdir(), 'mc-follow-'));
const other = (at: number, i: number) => postfix(at, 'qmgr', 100, `${(0x3f1a22c000 + i).toString(16).toUpperCase()}: removed`);

test('offsetAtTime: bisection lands on a line boundary at most one probe before the first line at `since`', async () => {
  const now = movingClock()();
  const file = path.join(tmp(), 'mail.log');
  // whole seconds, one line each: syslog's resolution
  const t0 = Math.floor((now - 12 * 3_600_000) / 1000) * 1000;
  const lines = Array.from({ length: 40_000 }, (_, i) => other(t0 + i * 1000, i));
  writeFileSync(file, lines.join('\n') + '\n');
  const since = t0 + 25_000 * 1000;
  const offset = await offsetAtTime(file, since, { now, utcOffsetMinutes: 0 });
  const exact = lines.slice(0, 25_000).join('\n').length + 1;
  expect(offset).toBeGreaterThan(0);
  expect(offset).toBeLessThanOrEqual(exact);
  expect(exact - offset).toBeLessThan(2 * 64 * 1024);
  // a line boundary: the text from there starts with a whole line
  const text = (await import('node:fs')).readFileSync(file, 'utf8');
  expect(text[offset - 1]).toBe('\n');
  expect(await offsetAtTime(file, t0 - 1000, { now, utcOffsetMinutes: 0 })).toBe(0);
  await expect(offsetAtTime(path.join(tmp(), 'missing.log'), since, { now })).rejects.toBeInstanceOf(LogSourceError);
});

test('a greeting block is reported as the line is written, a later bounce ends the wait with its record', async () => {
  const clock = movingClock();
  const file = path.join(tmp(), 'mail.log');
  const start = clock();
  // an hour of earlier traffic: the follow starts at the send, not at the file's start
  writeFileSync(file, Array.from({ length: 5_000 }, (_, i) => other(start - 3_600_000 + i * 500, i)).join('\n') + '\n');
  const qid = '4ZkQ7w1Lh2z9sRH';
  const follower = new LogFollower(fileConfig(file), { now: clock, since: () => start - 1000, keep: () => [qid], pollMs: 50 });
  const updates: LogUpdate[] = [];
  const waiting = watchMessageLog(
    follower,
    { queueId: qid, to: 'jane.seed@t-online.de', deadline: start + 20_000 },
    { now: clock, onUpdate: (u) => updates.push(u) },
  );
  await new Promise((r) => setTimeout(r, 200));
  const written = clock();
  appendFileSync(file, telekomBlock(written).join('\n') + '\n');
  await expect.poll(() => updates.length, { timeout: 5_000 }).toBe(1);
  expect(updates[0].seenAt - written).toBeLessThan(3_000);
  expect(updates[0].line).toMatch(/^deferred: mx01\.t-online\.de refused to talk to me: 554 IP=192\.0\.2\.25 .*\(BL\) — /);
  expect(updates[0].outcome.lastFailure?.assessment?.advice[0]?.id).toBe('telekom-problem');
  appendFileSync(
    file,
    postfix(
      written + 2_000,
      'smtp',
      2104,
      `${qid}: to=<jane.seed@t-online.de>, relay=mx00.t-online.de[194.25.134.8]:25, delay=300, delays=0/290/10/0, dsn=5.0.0, status=bounced (host mx00.t-online.de[194.25.134.8] refused to talk to me: ${TELEKOM_BL})`,
    ) + '\n',
  );
  const r = await waiting;
  expect(r.failure).toBeUndefined();
  expect(r.record).toMatchObject({ state: 'bounced', source: 'server-log', replyCode: 554, remoteMta: 'mx00.t-online.de' });
  expect(r.updates.map((u) => u.outcome.status)).toEqual(['deferred', 'bounced']);
  expect(r.updates[1].line).toMatch(/^deferred 5xx → bounced 5xx: mx00\.t-online\.de refused to talk to me: 554 IP=/);
  expect(follower.stats.lines).toBeLessThan(5_000);
  await follower.close();
});

test('a series of 4xx before a 5xx is shown as a timeline; at the deadline the still-retrying message is deferred with its reply', async () => {
  const clock = movingClock();
  const file = path.join(tmp(), 'mail.log');
  const start = clock();
  const qid = '3F1A22C9B7';
  const to = 'seed@outlook.com';
  const attempt = (at: number, dsn: string, status: string, reply: string) =>
    postfix(
      at,
      'smtp',
      300,
      `${qid}: to=<${to}>, relay=outlook-com.olc.protection.outlook.com[52.101.42.1]:25, delay=1, delays=0/0/1/0, dsn=${dsn}, status=${status} (host outlook-com.olc.protection.outlook.com[52.101.42.1] said: ${reply} (in reply to MAIL FROM command))`,
    );
  writeFileSync(
    file,
    [
      postfix(start, 'qmgr', 1, `${qid}: from=<monitor@example.org>, size=900, nrcpt=1 (queue active)`),
      attempt(start + 1000, '4.7.650', 'deferred', MS_RATE),
    ].join('\n') + '\n',
  );
  const follower = new LogFollower(fileConfig(file), { now: clock, since: () => start - 1000, keep: () => [qid], pollMs: 50 });
  const updates: LogUpdate[] = [];
  const waiting = watchMessageLog(follower, { queueId: qid, to, deadline: start + 1_500 }, { now: clock, onUpdate: (u) => updates.push(u) });
  await expect.poll(() => updates.length, { timeout: 5_000 }).toBe(1);
  expect(updates[0].line).toMatch(/^deferred: outlook-com\.olc\.protection\.outlook\.com said after MAIL: 451 4\.7\.650 /);
  // a retry with the same answer adds no line; the count shows in the next line that differs
  appendFileSync(file, attempt(start + 2000, '4.7.650', 'deferred', MS_RATE) + '\n');
  await expect.poll(() => follower.side(qid)?.outcomes[0]?.attempts, { timeout: 5_000 }).toBe(2);
  expect(updates.length).toBe(1);
  const r = await waiting;
  expect(r.record).toBeNull();
  const side = follower.side(qid)!;
  const seed = { id: 'outlook', provider: 'outlook', timeoutSeconds: 1 } as never;
  const sent = { runId: 'r', seedId: 'outlook', variant: 'plain', tag: 't', to, from: 'monitor@example.org', submittedAt: start, queueId: qid } as never;
  const d = deliveryFrom({ seed, sent, expected: 'inbox', lab: false, watch: { status: 'missing', searched: ['INBOX'] } as never, serverLog: side });
  expect(d.verdict).toBe('deferred');
  expect(d.detail).toContain(`your server's log, queue id ${qid}`);
  expect(d.detail).toContain('451 4.7.650');
  // the 5xx that follows ends a new wait as bounced, the timeline in its line
  const again: LogUpdate[] = [];
  const next = watchMessageLog(follower, { queueId: qid, to, deadline: clock() + 10_000 }, { now: clock, onUpdate: (u) => again.push(u) });
  appendFileSync(file, attempt(start + 3000, '5.7.1', 'bounced', MS_S3150) + '\n');
  const b = await next;
  expect(b.record).toMatchObject({ state: 'bounced', replyCode: 550 });
  expect(again[again.length - 1].line).toMatch(/^deferred 4xx ×2 → bounced 5xx: \S+ said after MAIL: 550 5\.7\.1 .*\(S3150\)/);
  await follower.close();
});

test('an unreadable log ends the wait at once with its LogSourceError, not at the deadline', async () => {
  const clock = movingClock();
  const follower = new LogFollower(fileConfig(path.join(tmp(), 'nope', 'mail.log')), { now: clock, since: () => clock(), keep: () => ['ABC123'] });
  const t = Date.now();
  const r = await watchMessageLog(follower, { queueId: 'ABC123', to: 'a@b.example', deadline: clock() + 60_000 }, { now: clock });
  expect(Date.now() - t).toBeLessThan(2_000);
  expect(r.record).toBeNull();
  expect(r.failure).toBeInstanceOf(LogSourceError);
  expect((r.failure as Error).message).toContain('no such file');
  await follower.close();
});

test('the wait ends when the message is found (`until`), and a journal follower reads `journalctl -f` from the send', async () => {
  const clock = movingClock();
  const calls: string[][] = [];
  const { spawn } = await import('node:child_process');
  const follower = new LogFollower(
    { source: { kind: 'journal', unit: 'postfix@-' }, utcOffsetMinutes: 0, showLocalParts: false, windowMs: 1 },
    {
      now: clock,
      since: () => 1_700_000_000_000,
      keep: () => ['ABC123'],
      spawn: (file, args, options) => {
        calls.push([file, ...args]);
        return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], options);
      },
    },
  );
  let found!: () => void;
  const until = new Promise<void>((r) => (found = r));
  const waiting = watchMessageLog(follower, { queueId: 'ABC123', to: 'a@b.example', deadline: clock() + 60_000 }, { now: clock, until });
  setTimeout(found, 100);
  const r = await waiting;
  expect(r).toMatchObject({ record: null, updates: [] });
  expect(calls[0]).toEqual(['journalctl', '-u', 'postfix@-', '-o', 'json', '--no-pager', '--since', '@1700000000', '-f']);
  await follower.close();
});

test('a wait whose deadline has already passed still states once what the log shows, also on a follower that starts just then', async () => {
  const clock = movingClock();
  const file = path.join(tmp(), 'mail.log');
  const start = clock();
  writeFileSync(file, Array.from({ length: 20_000 }, (_, i) => other(start - 600_000 + i * 20, i)).join('\n') + '\n' + telekomBlock(start).join('\n') + '\n');
  const qid = '4ZkQ7w1Lh2z9sRH';
  // a new worker's follower: the wait ends before it has read anything
  const follower = new LogFollower(fileConfig(file), { now: clock, since: () => start - 700_000, keep: () => [qid], pollMs: 50 });
  const updates: LogUpdate[] = [];
  const late = await watchMessageLog(
    follower,
    { queueId: qid, to: 'jane.seed@t-online.de', deadline: clock() - 1 },
    { now: clock, onUpdate: (u) => updates.push(u) },
  );
  expect(late.record).toBeNull();
  expect(updates.map((u) => u.outcome.status)).toEqual(['deferred']);
  expect(updates[0].line).toContain('refused to talk to me: 554 IP=192.0.2.25');
  expect(follower.stats.lines).toBeGreaterThan(20_000);
  await follower.close();
});
