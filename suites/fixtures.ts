import { test as base } from '@playwright/test';
import { loadConfig, type MailcanaryConfig } from '../src/config/load.ts';
import type { Seed } from '../src/config/seeds.ts';
import { readCurrentManifest, runFile, type RunManifest } from '../src/run/manifest.ts';
import { registerSecret } from '../src/shared/redact.ts';
import { SeedWatcher, accountKey, type SeedMailbox, type SeedWatcherOptions } from '../src/watch/seed-watcher.ts';
import { describeCleanup, type CleanupOutcome } from '../src/watch/cleanup.ts';
import type { EarlierMessage } from '../src/watch/earlier-sweep.ts';
import { earlierUnfound } from './earlier-unfound.ts';
import { BounceWatcher } from '../src/watch/bounce-watcher.ts';
import { fileOffRecord } from '../src/watch/bounce-state.ts';
import { bounceAccountFromEnv } from '../src/config/bounce.ts';
import { ConfigError } from '../src/config/errors.ts';
import { PlacementLog, type TestLog } from './server-log-follow.ts';

/**
 * One watcher (one IMAP connection) per seed account per worker. Seeds that share an account
 * (plus-addressed seeds in one mailbox) share its watcher, and each keeps its own folder settings:
 * `get(seed)` is the watcher as that seed sees it, whatever the order of the seeds file.
 */
export class WatcherPool {
  private readonly watchers = new Map<string, SeedWatcher>();
  /** Playwright workers of the run: they share each account's connection budget */
  private readonly workers: number;
  private readonly env: Record<string, string | undefined>;
  private readonly options: Partial<SeedWatcherOptions>;

  constructor(workers = 1, opts: { env?: Record<string, string | undefined>; watcher?: Partial<SeedWatcherOptions> } = {}) {
    this.workers = workers;
    this.env = opts.env ?? process.env;
    this.options = opts.watcher ?? {};
  }

  get(seed: Seed): SeedMailbox {
    const key = accountKey(seed);
    let w = this.watchers.get(key);
    if (!w) {
      const password = this.env[seed.imap.passwordEnv] ?? '';
      registerSecret(password);
      w = new SeedWatcher(seed, { password, workers: this.workers, ...this.options });
      this.watchers.set(key, w);
    }
    return w.forSeed(seed);
  }

  /**
   * Closes every watcher; returns the outcomes of the cleanup at close (`cleanupOnClose`). The
   * `earlier` messages are looked for by the watchers of the accounts `claim` gives this worker.
   */
  async closeAll(earlier: readonly EarlierMessage[] = [], claim: (accountKey: string) => boolean = () => true): Promise<CleanupOutcome[]> {
    const swept = await Promise.all([...this.watchers].map(([key, w]) => w.close(earlier.length && claim(key) ? earlier : [])));
    this.watchers.clear();
    return swept.flat();
  }
}

export const test = base.extend<
  { run: RunManifest; serverLog: TestLog },
  { mailcanary: MailcanaryConfig; watchers: WatcherPool; bounces: BounceWatcher | null; placementLog: PlacementLog }
>({
  mailcanary: [
    async ({}, use) => {
      const config = await loadConfig();
      registerSecret(config.sender.smtp.pass);
      await use(config);
    },
    { scope: 'worker' },
  ],
  watchers: [
    async ({ mailcanary }, use, workerInfo) => {
      // with MAILCANARY_CLEANUP, a message seen after its test ended is cleaned up at the end, and so
      // is one of an earlier run that arrived after that run stopped watching
      const pool = new WatcherPool(workerInfo.config.workers, { watcher: { cleanupOnClose: mailcanary.sender.cleanup } });
      await use(pool);
      const earlier = mailcanary.sender.cleanup ? earlierUnfound(mailcanary.stateDir) : { messages: [], claim: () => false };
      for (const o of await pool.closeAll(earlier.messages, earlier.claim)) console.log(`mailcanary: cleanup at the end of the run: ${describeCleanup(o)}`);
    },
    { scope: 'worker' },
  ],
  // One connection per worker to the sender's bounce mailbox, where DSNs come back.
  bounces: [
    async ({ mailcanary }, use) => {
      const { account, password, problems } = bounceAccountFromEnv(process.env);
      if (problems.length) throw new ConfigError(problems);
      registerSecret(password);
      let manifest: RunManifest | undefined;
      const addressOf = (tag: string) => {
        manifest ??= readCurrentManifest(mailcanary.stateDir);
        return manifest.messages.find((m) => m.tag === tag)?.to;
      };
      const watcher = account
        ? new BounceWatcher(account, {
            password,
            addressOf,
            pollIntervalMs: mailcanary.sender.lab ? 250 : undefined,
            // one worker's refused login or unreachable mailbox holds for the whole run
            shared: fileOffRecord(
              () => runFile(mailcanary.stateDir, (manifest ??= readCurrentManifest(mailcanary.stateDir)).runId, 'bounce-watch.json'),
              account,
            ),
          })
        : null;
      await use(watcher);
      await watcher?.close();
    },
    { scope: 'worker' },
  ],
  // One follower per worker of the server's mail log, from the run's first submission.
  placementLog: [
    async ({ mailcanary }, use) => {
      const log = new PlacementLog(process.env, mailcanary.stateDir);
      await use(log);
      await log.close();
    },
    { scope: 'worker' },
  ],
  // each test's view of it ends with the test
  serverLog: async ({ placementLog }, use) => {
    const scope = placementLog.forTest();
    await use(scope);
    scope.end();
  },
  run: async ({ mailcanary }, use) => {
    await use(readCurrentManifest(mailcanary.stateDir));
  },
});

export { expect } from '@playwright/test';
