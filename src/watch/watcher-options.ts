/**
 * The seed watcher's settings and their defaults. Clock, sleep, randomness and the IMAP client
 * are injected so that tests drive the watcher on their own clock against scripted servers.
 */
import type { ImapCredentials } from '../auth/index.ts';
import type { Seed } from '../config/index.ts';
import { createImapClient, type ImapClientFactory } from './imap-connect.ts';
import { connectionBudget, type ConnectionSlots } from './throttle.ts';

export interface SeedWatcherOptions {
  /** the seed's (app) password; not needed when `credentials` is given or the seed uses OAuth2 */
  password?: string;
  /** how to sign in; default: the password, or OAuth2 from the environment for an OAuth2 seed */
  credentials?: ImapCredentials;
  /** connection slots shared across workers (default: lock files in the OS temp dir) */
  slots?: ConnectionSlots;
  /** simultaneous connections this account may use (default: half the provider's limit) */
  connectionLimit?: number;
  /** 0..1, for the backoff jitter (tests inject it) */
  random?: () => number;
  clientFactory?: ImapClientFactory;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** time between looks at INBOX and spam; default: the seed's preset */
  pollIntervalMs?: number;
  /** look at all other folders every N ticks */
  othersEvery?: number;
  /** connection attempts before the seed is declared unreachable */
  maxAttempts?: number;
  /**
   * Use IMAP IDLE (RFC 2177) where the server offers it (default true): INBOX on the watcher's
   * connection, the spam folder on a second one, so a filed message is seen at once. Without
   * IDLE (or with `false`) INBOX and spam are polled every `pollIntervalMs`.
   */
  idle?: boolean;
  /**
   * Playwright workers watching the same accounts (default 1). The spam IDLE connection is a
   * luxury: it is opened only when the account's budget still leaves a main connection for
   * every other worker, else spam is polled.
   */
  workers?: number;
  /**
   * MAILCANARY_CLEANUP: at `close()`, our messages the watcher saw but nobody asked to clean up
   * (one that arrived after its test ended) are removed too, and `close()` returns the outcomes.
   */
  cleanupOnClose?: boolean;
}

/** The options with every default filled in (credentials and slots are resolved by the watcher). */
export type WatcherSettings = Required<Omit<SeedWatcherOptions, 'clientFactory' | 'credentials' | 'slots' | 'password'>> & { clientFactory: ImapClientFactory };

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function resolveOptions(seed: Seed, options: SeedWatcherOptions): WatcherSettings {
  return {
    connectionLimit: options.connectionLimit ?? connectionBudget(seed.maxConnections),
    random: options.random ?? Math.random,
    clientFactory: options.clientFactory ?? createImapClient,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
    pollIntervalMs: options.pollIntervalMs ?? seed.pollIntervalMs,
    othersEvery: options.othersEvery ?? 5,
    maxAttempts: options.maxAttempts ?? 3,
    idle: options.idle ?? true,
    workers: Math.max(1, options.workers ?? 1),
    cleanupOnClose: options.cleanupOnClose ?? false,
  };
}
