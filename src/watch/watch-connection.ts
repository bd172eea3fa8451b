/**
 * The seed watcher's IMAP connections and the account's connection slots. The watcher's own
 * connection holds a slot from its first connect until `close()` (reconnecting keeps it), and is
 * signed in again before an OAuth2 token expires, since some servers end the session then. The
 * spam listener's connection takes a slot of its own only when one is free at once and the
 * account's budget still leaves a main connection for every worker.
 */
import type { ImapFlow } from 'imapflow';
import type { Seed } from '../config/index.ts';
import type { ImapClientFactory } from './imap-connect.ts';
import type { SeedSignIn } from './sign-in.ts';
import type { ConnectionSlots } from './throttle.ts';

/** Seeds with the same key share one mailbox (and one connection). */
export function accountKey(seed: Seed): string {
  return `${seed.imap.host}:${seed.imap.port}:${seed.imap.user}`;
}

/** Longest wait for a slot of the watcher's own connection, when no deadline is nearer. */
const SLOT_WAIT_MS = 120_000;

export interface WatchConnectionDeps {
  seed: Seed;
  signIn: SeedSignIn;
  slots: ConnectionSlots;
  /** simultaneous connections this account may use */
  connectionLimit: number;
  /** Playwright workers watching the same accounts */
  workers: number;
  clientFactory: ImapClientFactory;
  now: () => number;
  /** the server said something the loop must look at: new mail in IDLE, or the connection closed while idling */
  onPush: () => void;
}

export class WatchConnection {
  private readonly d: WatchConnectionDeps;
  private current: ImapFlow | null = null;
  private releaseSlot: (() => void) | null = null;
  /** the own connection is in IDLE on INBOX (its EXISTS then means new mail) */
  idling = false;
  /** IMAP connections opened so far, both kinds (for the connection budget) */
  opened = 0;

  constructor(deps: WatchConnectionDeps) {
    this.d = deps;
  }

  get client(): ImapFlow | null {
    return this.current;
  }

  /**
   * The own connection, connected and signed in; `fresh` when it is a new session (the caller's
   * cursors belong to the old one). Waits for a slot until the nearest of `deadlines` (at most
   * two minutes) and throws a `[LIMIT]`-coded error when none frees, which the failure policy
   * reads as throttling.
   */
  async connect(deadlines: readonly number[]): Promise<{ client: ImapFlow; fresh: boolean }> {
    if (this.current?.usable && !this.d.signIn.sessionExpiring()) return { client: this.current, fresh: false };
    if (this.current?.usable) {
      const old = this.current;
      this.current = null;
      await old.logout().catch(() => old.close());
    }
    this.drop();
    if (!this.releaseSlot) {
      const deadline = Math.min(...deadlines, this.d.now() + SLOT_WAIT_MS);
      this.releaseSlot = await this.d.slots.acquire(accountKey(this.d.seed), this.d.connectionLimit, deadline, this.d.now);
      if (!this.releaseSlot) {
        throw Object.assign(
          new Error(`all ${this.d.connectionLimit} connection slot(s) for this account stay busy (too many connections from other workers)`),
          {
            code: 'NoSlot',
            serverResponseCode: 'LIMIT',
          },
        );
      }
    }
    const secret = await this.d.signIn.secret();
    const client = this.d.clientFactory(this.d.seed, secret);
    client.on('error', () => {
      /* surfaced through the failing command; without a listener an 'error' event would crash the worker */
    });
    // while idling on INBOX, a higher message count is new mail (RFC 2177; RFC 3501 §7.3.1)
    client.on('exists', (e: { count: number; prevCount: number }) => {
      if (this.idling && e.count > e.prevCount) this.d.onPush();
    });
    client.on('close', () => {
      if (this.idling) this.d.onPush();
    });
    this.opened++;
    await client.connect();
    this.current = client;
    return { client, fresh: true };
  }

  /** Drops the own connection after a failure; the slot is kept for the reconnect. */
  drop(): void {
    const c = this.current;
    this.current = null;
    if (c) {
      try {
        c.close();
      } catch {
        /* already closed */
      }
    }
  }

  /** A slot for the spam listener: tried once, never waited for (without one, spam is polled). */
  listenerSlot(): Promise<(() => void) | null> {
    if (this.d.connectionLimit < 2 * this.d.workers) return Promise.resolve(null);
    return this.d.slots.acquire(accountKey(this.d.seed), this.d.connectionLimit, this.d.now(), this.d.now);
  }

  /** A connected client for the spam listener. */
  async openListener(): Promise<ImapFlow> {
    // an OAuth2 listener session that the server ends at token expiry is simply opened again
    const c = this.d.clientFactory(this.d.seed, await this.d.signIn.secret(false));
    c.on('error', () => {
      /* the listener's close wakes the loop, which then polls spam */
    });
    this.opened++;
    await c.connect();
    return c;
  }

  /** Logs the own connection out (RFC 3501 §6.1.3) and gives its slot back. */
  async close(): Promise<void> {
    const c = this.current;
    this.current = null;
    if (c) {
      try {
        await c.logout();
      } catch {
        c.close();
      }
    }
    const r = this.releaseSlot;
    this.releaseSlot = null;
    r?.();
  }
}
