import { test, type TestInfo } from '@playwright/test';
import type { BounceRecord, SentMessage } from '../src/model.ts';
import { readCurrentManifest } from '../src/run/manifest.ts';
import { LogFollower, LogSourceError, serverLogConfigFromEnv, watchMessageLog, type LogUpdate, type SenderSide } from '../src/server-log/index.ts';

/** How far before the first submission the follow starts: the server's clock may differ from ours. */
const SKEW_MS = 5 * 60_000;

/**
 * The placement tests' view of the server's mail log (MAILCANARY_LOG_FILE, _JOURNAL or _SSH):
 * one follower per worker from the run's first submission. A setting that is wrong, or a log
 * that cannot be read, is stated once per test as a warning and the test goes on without it.
 */
export class PlacementLog {
  readonly follower: LogFollower | null;
  readonly warning?: string;
  /** the clock the deadlines are on */
  readonly now: () => number;

  constructor(env: NodeJS.ProcessEnv, stateDir: string, now: () => number = Date.now) {
    this.now = now;
    const { config, problems } = serverLogConfigFromEnv(env);
    if (problems.length) {
      this.warning = `your server's log is not read: ${problems.map((p) => `${p.field}: ${p.message}${p.fix ? ` (fix: ${p.fix})` : ''}`).join('; ')}`;
      this.follower = null;
      return;
    }
    this.follower = config
      ? new LogFollower(config, {
          now,
          since: () => Math.min(...readCurrentManifest(stateDir).messages.map((m) => m.submittedAt), now()) - SKEW_MS,
          keep: () => readCurrentManifest(stateDir).messages.flatMap((m) => (m.queueId ? [m.queueId] : [])),
        })
      : null;
  }

  side(sent: SentMessage): SenderSide | undefined {
    return sent.queueId ? this.follower?.side(sent.queueId) : undefined;
  }

  async close(): Promise<void> {
    await this.follower?.close();
  }

  /** The view one test has: its waits end with the test, so no line lands on a later test. */
  forTest(): TestLog {
    return new TestLog(this);
  }
}

export class TestLog {
  readonly log: PlacementLog;
  readonly ended: Promise<void>;
  done = false;
  private endNow!: () => void;

  constructor(log: PlacementLog) {
    this.log = log;
    this.ended = new Promise((resolve) => (this.endNow = resolve));
  }

  side(sent: SentMessage): SenderSide | undefined {
    return this.log.side(sent);
  }

  end(): void {
    this.done = true;
    this.endNow();
  }
}

/**
 * Follows one message in the log until `deadline` or until `until` settles. Each refusal the
 * log shows becomes at once a line on the test's stdout and a step (`lab-tonline › plain: your
 * server's log: deferred: …`); a final refusal resolves with its record. A log source that
 * cannot be read is a warning; any other failure is ours and fails the test.
 */
export async function followServerLog(
  scope: TestLog,
  m: { sent: SentMessage; deadline: number; until: Promise<unknown>; who: string },
  testInfo: TestInfo,
): Promise<BounceRecord | null> {
  const { log } = scope;
  if (log.warning) testInfo.annotations.push({ type: 'warning', description: log.warning });
  if (!log.follower || !m.sent.queueId) return null;
  const pending: LogUpdate[] = [];
  let wake = () => {};
  let done = false;
  const waiting = watchMessageLog(
    log.follower,
    { queueId: m.sent.queueId, to: m.sent.to, deadline: m.deadline },
    {
      now: log.now,
      until: Promise.race([m.until, scope.ended]),
      onUpdate: (u) => {
        pending.push(u);
        wake();
      },
    },
  ).finally(() => {
    done = true;
    wake();
  });
  for (;;) {
    for (let u = pending.shift(); u && !scope.done; u = pending.shift()) {
      const line = `${m.who}: your server's log: ${u.line}`;
      console.log(line);
      testInfo.annotations.push({ type: 'server-log', description: u.line });
      await test.step(line, async () => {});
    }
    if (done) break;
    await new Promise<void>((resolve) => (wake = resolve));
  }
  const r = await waiting;
  if (scope.done) return null;
  if (r.failure instanceof LogSourceError) {
    testInfo.annotations.push({ type: 'warning', description: `your server's log could not be read, placement goes on without it: ${r.failure.message}` });
  } else if (r.failure !== undefined) throw r.failure;
  return r.record;
}
