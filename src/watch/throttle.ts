/**
 * Politeness towards the providers' IMAP servers: recognising "slow down" answers, backing off,
 * and keeping the number of simultaneous connections per account under the provider's limit.
 *
 * Throttling is an answer, not a failure of the user's setup: the watcher waits and tries again
 * instead of reporting the seed unreachable (or, worse, the message missing).
 */
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

export type ThrottleKind = 'throttled' | 'unavailable' | 'too-many-connections' | 'limit';

export interface ThrottleSignal {
  kind: ThrottleKind;
  /** the server's suggested wait, when it gave one (Microsoft: "Suggested Backoff Time: N milliseconds") */
  retryAfterMs?: number;
  /** the server's words, trimmed (for the report; never contains a credential) */
  text: string;
}

interface ImapErrorLike {
  code?: unknown;
  serverResponseCode?: unknown;
  responseText?: unknown;
  response?: unknown;
  message?: unknown;
  throttleReset?: unknown;
}

/**
 * Recognises throttling in an imapflow error (pure).
 * - RFC 5530 §3 response codes: `[UNAVAILABLE]` (temporary failure), `[LIMIT]` (an operational
 *   limit was hit), `[INUSE]`; plus `[THROTTLED]` used by Gmail and Exchange.
 * - Gmail: `NO [ALERT] Too many simultaneous connections. (Failure)` and
 *   `Account exceeded command or bandwidth limits` — both arrive as an answer to LOGIN, which
 *   imapflow marks `authenticationFailed`: they must be caught before that flag is believed.
 * - Microsoft 365: `BAD Request is throttled. Suggested Backoff Time: 92415 milliseconds`
 *   (imapflow sets `code: 'ETHROTTLE'` and `throttleReset`).
 */
export function throttleSignal(err: unknown): ThrottleSignal | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as ImapErrorLike;
  const parts = [e.serverResponseCode, e.responseText, typeof e.response === 'string' ? e.response : undefined, e.message].filter(
    (x): x is string => typeof x === 'string',
  );
  const text = parts.join(' ').replace(/\s+/g, ' ').trim().slice(0, 300);
  const code = typeof e.serverResponseCode === 'string' ? e.serverResponseCode.toUpperCase() : '';
  const hint = typeof e.throttleReset === 'number' && e.throttleReset > 0 ? e.throttleReset : backoffHint(text);
  if (e.code === 'ETHROTTLE' || code === 'THROTTLED' || /\[THROTTLED\]|request is throttled/i.test(text))
    return { kind: 'throttled', retryAfterMs: hint, text };
  if (/too many (simultaneous |concurrent )?connections|maximum number of connections|connection limit|too many sessions/i.test(text)) {
    return { kind: 'too-many-connections', retryAfterMs: hint, text };
  }
  if (code === 'LIMIT' || /\[LIMIT\]|exceeded command or bandwidth limits|bandwidth limit/i.test(text)) return { kind: 'limit', retryAfterMs: hint, text };
  if (code === 'UNAVAILABLE' || code === 'INUSE' || /\[(UNAVAILABLE|INUSE)\]|temporary system problem|try again later/i.test(text)) {
    return { kind: 'unavailable', retryAfterMs: hint, text };
  }
  return null;
}

function backoffHint(text: string): number | undefined {
  const m = /backoff time[:=\s]+(\d+)\s*(ms|milliseconds|s|seconds)?/i.exec(text) ?? /retry after (\d+)\s*(s|seconds|ms)?/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return /^s/i.test(m[2] ?? 'ms') ? n * 1000 : n;
}

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** 0..1; injected in tests */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": half the window fixed, half random, so many workers
 * throttled at the same moment do not come back in lockstep. Never shorter than the server's hint.
 */
export function backoffDelay(attempt: number, hintMs: number | undefined, o: BackoffOptions = {}): number {
  const base = o.baseMs ?? 2000;
  const max = o.maxMs ?? 120_000;
  const random = o.random ?? Math.random;
  const window = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const jittered = window / 2 + random() * (window / 2);
  return Math.round(Math.min(Math.max(jittered, hintMs ?? 0), Math.max(max, hintMs ?? 0)));
}

/** How many connections one account may hold at once: half the provider's limit, leaving room for the user's own mail app. */
export function connectionBudget(providerLimit: number): number {
  return Math.max(1, Math.floor(providerLimit / 2));
}

export interface ConnectionSlots {
  /**
   * Resolves with a release function once a slot is free, or null when none freed before
   * `deadline`. The deadline is read on the caller's clock `now` (default: the real one), so a
   * watcher on an injected clock gets its own deadlines kept.
   */
  acquire(key: string, limit: number, deadline: number, now?: () => number): Promise<(() => void) | null>;
}

/**
 * Connection slots shared by every process of a run (Playwright workers are processes): one lock
 * file per slot under a directory per account. A slot held by a dead process is taken over, so a
 * killed worker never leaks a slot.
 */
export class FileConnectionSlots implements ConnectionSlots {
  private readonly dir: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly held = new Set<string>();

  constructor(options: { dir?: string; sleep?: (ms: number) => Promise<void>; now?: () => number } = {}) {
    this.dir = options.dir ?? path.join(os.tmpdir(), 'mailcanary-imap-slots');
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = options.now ?? Date.now;
    process.once('exit', () => {
      for (const f of this.held) tryUnlink(f);
    });
  }

  async acquire(key: string, limit: number, deadline: number, now: () => number = this.now): Promise<(() => void) | null> {
    // The account (host + user) is hashed: the lock directory must not spell out addresses.
    const accountDir = path.join(this.dir, createHash('sha256').update(key).digest('hex').slice(0, 24));
    mkdirSync(accountDir, { recursive: true });
    for (;;) {
      for (let i = 0; i < limit; i++) {
        const file = path.join(accountDir, `slot-${i}`);
        if (this.tryTake(file)) {
          this.held.add(file);
          let released = false;
          return () => {
            if (released) return;
            released = true;
            this.held.delete(file);
            tryUnlink(file);
          };
        }
      }
      if (now() >= deadline) return null;
      await this.sleep(250);
    }
  }

  /** Slots in use for an account (for tests and diagnostics). */
  inUse(key: string): number {
    const accountDir = path.join(this.dir, createHash('sha256').update(key).digest('hex').slice(0, 24));
    try {
      return readdirSync(accountDir).filter((f) => f.startsWith('slot-')).length;
    } catch {
      return 0;
    }
  }

  private tryTake(file: string): boolean {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner: number;
    try {
      owner = Number(readFileSync(file, 'utf8'));
    } catch {
      return false;
    }
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && !alive(owner)) {
      tryUnlink(file); // left by a killed worker
      return this.tryTakeOnce(file);
    }
    return false;
  }

  private tryTakeOnce(file: string): boolean {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch {
      return false;
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

/** In-process slots (tests, or when a run has a single worker). */
export class MemoryConnectionSlots implements ConnectionSlots {
  private readonly used = new Map<string, number>();
  private readonly waiting: Array<() => void> = [];
  async acquire(key: string, limit: number, deadline: number, now: () => number = Date.now): Promise<(() => void) | null> {
    for (;;) {
      const n = this.used.get(key) ?? 0;
      if (n < limit) {
        this.used.set(key, n + 1);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          this.used.set(key, (this.used.get(key) ?? 1) - 1);
          this.waiting.splice(0).forEach((w) => w());
        };
      }
      if (now() >= deadline) return null;
      await new Promise<void>((r) => {
        this.waiting.push(r);
        setTimeout(r, Math.max(1, Math.min(1000, deadline - now())));
      });
    }
  }
}
