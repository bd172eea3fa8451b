import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { writeManifest } from '../../src/run/manifest.ts';
import type { SentMessage } from '../../src/model.ts';
import { followServerLog, PlacementLog } from '../../suites/server-log-follow.ts';
import { telekomBlock } from './server-log-fixtures.ts';
import { shiftedNow } from './test-clock.ts';

/**
 * The placement tests' hook on the server's log, inside a real Playwright test: the live line
 * as an annotation, a wrong setting or an unreadable log as one warning (placement goes on),
 * and a failure of ours as an error.
 */
const offset = shiftedNow() - Date.now();
const clock = () => Date.now() + offset;
const QID = '4ZkQ7w1Lh2z9sRH';

function runWith(at: number): { stateDir: string; sent: SentMessage } {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'mc-plog-'));
  const sent = {
    runId: 'r1',
    seedId: 'tonline',
    variant: 'plain',
    tag: 'mc.r1.001',
    to: 'jane.seed@t-online.de',
    from: 'monitor@example.org',
    submittedAt: at,
    queueId: QID,
  } as SentMessage;
  writeManifest(stateDir, { runId: 'r1', startedAt: at, lab: false, seedsFile: 'seeds.ts', messages: [sent], skipped: [] });
  return { stateDir, sent };
}

const never = new Promise<never>(() => {});

test('a refusal in the followed log becomes a `server-log` annotation with the receiver reply, in seconds', async () => {
  const start = clock();
  const { stateDir, sent } = runWith(start);
  const file = path.join(stateDir, 'mail.log');
  writeFileSync(file, telekomBlock(start).join('\n') + '\n');
  const log = new PlacementLog({ MAILCANARY_LOG_FILE: file, MAILCANARY_LOG_TIMEZONE: 'UTC' }, stateDir, clock);
  const scope = log.forTest();
  let found!: () => void;
  const until = new Promise<void>((r) => (found = r));
  const t = Date.now();
  const waiting = followServerLog(scope, { sent, deadline: start + 30_000, until, who: 'tonline › plain' }, test.info());
  await expect.poll(() => test.info().annotations.filter((a) => a.type === 'server-log').length, { timeout: 5_000 }).toBe(1);
  expect(Date.now() - t).toBeLessThan(5_000);
  expect(test.info().annotations.find((a) => a.type === 'server-log')?.description).toMatch(
    /^deferred: mx01\.t-online\.de refused to talk to me: 554 IP=192\.0\.2\.25 .*\(BL\)/,
  );
  expect(log.side(sent)?.outcomes[0]?.status).toBe('deferred');
  found();
  expect(await waiting).toBeNull();
  scope.end();
  await log.close();
});

test('an unreadable log is one warning and the wait goes on without it; a wrong setting is one warning too', async () => {
  const { stateDir, sent } = runWith(clock());
  const log = new PlacementLog({ MAILCANARY_LOG_FILE: path.join(stateDir, 'no', 'mail.log') }, stateDir, clock);
  const t = Date.now();
  expect(await followServerLog(log.forTest(), { sent, deadline: clock() + 60_000, until: never, who: 'x' }, test.info())).toBeNull();
  expect(Date.now() - t).toBeLessThan(2_000);
  const warnings = () =>
    test
      .info()
      .annotations.filter((a) => a.type === 'warning')
      .map((a) => a.description);
  expect(warnings()).toEqual([expect.stringMatching(/^your server's log could not be read, placement goes on without it: server log file .*: no such file/)]);
  await log.close();

  const wrong = new PlacementLog({ MAILCANARY_LOG_FILE: '/var/log/mail.log', MAILCANARY_LOG_TIMEZONE: 'Mars/Olympus' }, stateDir, clock);
  expect(wrong.follower).toBeNull();
  expect(await followServerLog(wrong.forTest(), { sent, deadline: clock() + 60_000, until: never, who: 'x' }, test.info())).toBeNull();
  expect(warnings()[1]).toMatch(/^your server's log is not read: MAILCANARY_LOG_TIMEZONE: 'Mars\/Olympus' is not a zone offset/);
  expect(new PlacementLog({}, stateDir, clock).follower).toBeNull();
});

test('a failure that is not the log source (no run manifest) fails the test instead of passing silently', async () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'mc-plog-'));
  const file = path.join(stateDir, 'mail.log');
  writeFileSync(file, '');
  const log = new PlacementLog({ MAILCANARY_LOG_FILE: file }, stateDir, clock);
  const sent = { to: 'a@b.example', queueId: QID, submittedAt: clock() } as SentMessage;
  await expect(followServerLog(log.forTest(), { sent, deadline: clock() + 60_000, until: never, who: 'x' }, test.info())).rejects.toThrow(/no current run/);
  await log.close();
});
