/**
 * The watcher's second IMAP connection, for the spam folder. It opens the folder read-only
 * (EXAMINE, RFC 3501 §6.3.2) and sits in IDLE (RFC 2177); a connection in IDLE hears only about
 * its selected mailbox, so INBOX (the watcher's own connection) and spam need one each: 2 per
 * account, within the providers' limits (Gmail allows 15). When the server pushes `EXISTS`, this
 * connection looks itself (`look`: only the new UIDs, without re-opening the folder) and tells the
 * watcher, so a message filed as spam costs the same in a folder of 50,000 as in an empty one.
 */
import type { ImapFlow } from 'imapflow';

export interface ListenerDeps {
  /** a slot of the account's connection budget, or null when none is free right now */
  acquireSlot: () => Promise<(() => void) | null>;
  /** a new connected client for the account */
  connect: () => Promise<ImapFlow>;
  /** looks for new messages in the folder this client has selected */
  look: (client: ImapFlow, path: string) => Promise<void>;
  /** called after each look, and when the connection is lost */
  onChange: () => void;
  now: () => number;
  /** least time between two attempts to open the connection (default 30 s) */
  retryMs?: number;
}

export class IdleListener {
  private client: ImapFlow | null = null;
  private releaseSlot: (() => void) | null = null;
  private readonly deps: ListenerDeps;
  private retryAt = 0;
  private stopped = false;
  private ended = false;
  /** the server announced new mail (or the listener just started): look before idling again */
  private pending = false;

  constructor(deps: ListenerDeps) {
    this.deps = deps;
  }

  get alive(): boolean {
    return !this.stopped && !!this.client?.usable;
  }

  /**
   * Listens on `path` unless it already does. Never throws: without a free slot, IDLE or a
   * connection, the watcher simply keeps polling that folder. Attempts are spaced by `retryMs`,
   * so a server that drops the connection is not hammered with new ones.
   */
  async ensure(path: string): Promise<void> {
    if (this.alive || this.ended) return;
    const now = this.deps.now();
    if (now < this.retryAt) return;
    this.retryAt = now + (this.deps.retryMs ?? 30_000);
    await this.close();
    this.stopped = false;
    this.releaseSlot = await this.deps.acquireSlot();
    if (!this.releaseSlot) return;
    try {
      await this.start(await this.deps.connect(), path);
    } catch {
      await this.close();
    }
    if (this.ended) await this.close(); // the watcher was closed meanwhile
  }

  /** Closes for good: the watcher is done. */
  async end(): Promise<void> {
    this.ended = true;
    await this.close();
  }

  /** Opens the folder and starts the look/IDLE loop; a server without IDLE gets the connection closed again. */
  private async start(client: ImapFlow, path: string): Promise<void> {
    this.client = client;
    if (!client.capabilities.has('IDLE')) return this.close();
    client.on('exists', (e: { count: number; prevCount: number }) => {
      if (e.count <= e.prevCount) return;
      this.pending = true;
      // a NOOP ends IDLE (imapflow sends DONE first), so the loop below gets to look
      if (client.idling) void client.noop().catch(() => undefined);
    });
    client.on('close', () => {
      if (!this.stopped && this.client === client) this.deps.onChange();
    });
    await client.mailboxOpen(path, { readOnly: true });
    // whatever was filed before this EXAMINE brings no EXISTS here: look once first
    this.pending = true;
    void this.loop(client, path);
  }

  /**
   * Look when something was announced, else IDLE; IDLE again whenever it ends: imapflow breaks a
   * quiet IDLE with a NOOP after its socket timeout and (with auto-IDLE off) does not resume it.
   * Re-issuing it also keeps to RFC 2177 §3 (re-issue at least every 29 minutes).
   */
  private async loop(client: ImapFlow, path: string): Promise<void> {
    while (!this.stopped && client.usable && this.client === client) {
      if (this.pending) {
        this.pending = false;
        try {
          await this.deps.look(client, path);
        } catch {
          await this.close(); // the watcher polls spam until the listener is back
          this.deps.onChange();
          return;
        }
        this.deps.onChange();
        continue;
      }
      // a duration, so the monotonic clock: the wall clock (injected or real) may jump meanwhile
      const started = performance.now();
      await client.idle().catch(() => undefined);
      // a mailbox that was closed under us makes idle() return at once: do not spin
      if (!this.pending && performance.now() - started < 50) await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = null;
    if (c) await c.logout().catch(() => c.close());
    const release = this.releaseSlot;
    this.releaseSlot = null;
    release?.();
  }
}
