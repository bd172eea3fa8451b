import { test as base } from '@playwright/test';
import { loadConfig, type MailcanaryConfig } from '../src/config/load.ts';
import type { Seed } from '../src/config/seeds.ts';
import { readCurrentManifest, type RunManifest } from '../src/run/manifest.ts';
import { registerSecret } from '../src/shared/redact.ts';
import { SeedWatcher } from '../src/watch/seed-watcher.ts';
import { BounceWatcher } from '../src/watch/bounce-watcher.ts';
import { bounceAccountFromEnv } from '../src/config/bounce.ts';
import { ConfigError } from '../src/config/errors.ts';

/** One watcher (one IMAP connection) per seed account per worker. */
export class WatcherPool {
  private readonly watchers = new Map<string, SeedWatcher>();
  /** Playwright workers of the run: they share each account's connection budget */
  private readonly workers: number;

  constructor(workers = 1) {
    this.workers = workers;
  }

  get(seed: Seed): SeedWatcher {
    const key = `${seed.imap.host}:${seed.imap.port}:${seed.imap.user}`;
    let w = this.watchers.get(key);
    if (!w) {
      const password = process.env[seed.imap.passwordEnv] ?? '';
      registerSecret(password);
      w = new SeedWatcher(seed, { password, workers: this.workers });
      this.watchers.set(key, w);
    }
    return w;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.watchers.values()].map((w) => w.close()));
    this.watchers.clear();
  }
}

export const test = base.extend<{ run: RunManifest }, { mailcanary: MailcanaryConfig; watchers: WatcherPool; bounces: BounceWatcher | null }>({
  mailcanary: [
    async ({}, use) => {
      const config = await loadConfig();
      registerSecret(config.sender.smtp.pass);
      await use(config);
    },
    { scope: 'worker' },
  ],
  watchers: [
    async ({}, use, workerInfo) => {
      const pool = new WatcherPool(workerInfo.config.workers);
      await use(pool);
      await pool.closeAll();
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
          })
        : null;
      await use(watcher);
      await watcher?.close();
    },
    { scope: 'worker' },
  ],
  run: async ({ mailcanary }, use) => {
    await use(readCurrentManifest(mailcanary.stateDir));
  },
});

export { expect } from '@playwright/test';
