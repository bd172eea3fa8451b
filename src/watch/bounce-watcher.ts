import type { ImapFlow } from 'imapflow';
import type { Seed } from '../config/index.ts';
import type { BounceRecord } from '../model.ts';
import { runIdOfTag } from '../send/index.ts';
import { createImapClient, type ImapClientFactory } from './imap-connect.ts';
import { matchBounce } from './bounce-match.ts';
import { isLoginRefusal, loginRefused, unreachable, type BounceOff, type BounceOffRecord, type BounceWatchState } from './bounce-state.ts';
import { backoffDelay, throttleSignal } from './throttle.ts';

interface Waiter {
  tag: string;
  deadline: number;
  resolve: (r: BounceRecord | null) => void;
  onDeferred?: (r: BounceRecord) => void;
}

export interface BounceWatcherOptions {
  password: string;
  clientFactory?: ImapClientFactory;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
  /** the seed address a tag was sent to, to pick our recipient in a multi-recipient DSN */
  addressOf?: (tag: string) => string | undefined;
  /** largest part of a message read (bytes): a DSN that returns a 20 MB attachment is read partially */
  maxBytes?: number;
  /** failed attempts in a row (connect, login, read) before the mailbox counts as unreachable */
  maxAttempts?: number;
  /** shares the `off` state with the run's other workers */
  shared?: BounceOffRecord;
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Watches the sender's bounce mailbox for DSNs about this run's messages, over one IMAP
 * connection per worker. Like the seed watcher it only EXAMINEs and PEEKs: the bounce
 * mailbox is the user's own. A final DSN resolves the waiter; a delay report (`Action:
 * delayed`) is passed to `onDeferred` and the wait goes on.
 *
 * When the mailbox cannot be read the watcher turns itself off for the rest of the run and says
 * why (`state`): at once for a refused login (the same password is never tried again, not by a
 * later wait either), after `maxAttempts` failures in a row for anything else.
 */
export class BounceWatcher {
  readonly account: Seed;
  private readonly o: Required<Omit<BounceWatcherOptions, 'addressOf' | 'clientFactory' | 'shared'>> &
    Pick<BounceWatcherOptions, 'addressOf' | 'shared'> & { clientFactory: ImapClientFactory };
  private client: ImapFlow | null = null;
  private waiters: Waiter[] = [];
  private readonly finals = new Map<string, BounceRecord>();
  private readonly delays = new Map<string, BounceRecord[]>();
  private readonly cursors = new Map<string, { uidValidity: bigint; uidNext: number }>();
  private readonly runIds = new Set<string>();
  private folders: string[] | null = null;
  private loop: Promise<void> | null = null;
  private earliest = Infinity;
  private failures = 0;
  private closed = false;
  private current: BounceWatchState = { state: 'pending' };
  private onSettled: Array<(s: BounceWatchState) => void> = [];

  constructor(account: Seed, options: BounceWatcherOptions) {
    this.account = account;
    this.o = {
      password: options.password,
      clientFactory: options.clientFactory ?? createImapClient,
      now: options.now ?? Date.now,
      sleep: options.sleep ?? sleepMs,
      pollIntervalMs: options.pollIntervalMs ?? account.pollIntervalMs,
      addressOf: options.addressOf,
      maxBytes: options.maxBytes ?? 2 * 1024 * 1024,
      maxAttempts: options.maxAttempts ?? 3,
      shared: options.shared,
    };
  }

  /** Watching, off (with reason and fix), or pending before the first login. */
  get state(): BounceWatchState {
    return this.current;
  }

  /**
   * The state once the first login has succeeded or the watcher gave up (bounded by
   * `maxAttempts`); at once when nothing is connecting.
   */
  settled(): Promise<BounceWatchState> {
    if (this.current.state !== 'pending' || !this.loop || this.closed) return Promise.resolve(this.current);
    return new Promise((resolve) => this.onSettled.push(resolve));
  }

  /** Delay reports seen so far for a message. */
  deferrals(tag: string): BounceRecord[] {
    return this.delays.get(tag) ?? [];
  }

  /** Resolves with the final DSN for the message, or null when the deadline passes without one. */
  waitFor(tag: string, deadline: number, submittedAt: number, onDeferred?: (r: BounceRecord) => void): Promise<BounceRecord | null> {
    if (this.closed) return Promise.resolve(null);
    // another worker of the run may have found the mailbox unusable: do not try it again
    const recorded = this.current.state === 'pending' ? this.o.shared?.load() : undefined;
    if (recorded) this.current = recorded;
    if (this.current.state === 'off') return Promise.resolve(null);
    const runId = runIdOfTag(tag);
    if (!this.runIds.has(runId)) {
      this.runIds.add(runId);
      this.cursors.clear();
    }
    this.earliest = Math.min(this.earliest, submittedAt);
    const done = this.finals.get(tag);
    if (done) return Promise.resolve(done);
    for (const d of this.deferrals(tag)) onDeferred?.(d);
    return new Promise((resolve) => {
      this.waiters.push({ tag, deadline, resolve, onDeferred });
      this.loop ??= this.run().finally(() => {
        this.loop = null;
        this.settle();
      });
    });
  }

  /** Stop waiting for a message (its placement was found). */
  forget(tag: string): void {
    this.waiters = this.waiters.filter((w) => {
      if (w.tag !== tag) return true;
      w.resolve(this.finals.get(tag) ?? null);
      return false;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters) w.resolve(null);
    this.waiters = [];
    this.settle();
    const c = this.client;
    this.client = null;
    if (c) await c.logout().catch(() => c.close());
  }

  private settle(): void {
    const listeners = this.onSettled;
    this.onSettled = [];
    for (const l of listeners) l(this.current);
  }

  private turnOff(off: BounceOff): void {
    this.current = off;
    this.o.shared?.save(off);
    for (const w of this.waiters) w.resolve(null);
    this.waiters = [];
    this.settle();
  }

  private async run(): Promise<void> {
    // while pending, the first login is finished even without waiters, so `settled()` gets an answer
    while ((this.waiters.length || this.current.state === 'pending') && !this.closed) {
      let pause = this.o.pollIntervalMs;
      try {
        const client = await this.connect();
        if (this.current.state === 'pending') {
          this.current = { state: 'watching' };
          this.settle();
        }
        for (const path of this.folders!) await this.scan(client, path);
        this.failures = 0;
      } catch (err) {
        this.failures++;
        const c = this.client;
        this.client = null;
        c?.close();
        // a NO to LOGIN can also be throttling (too many connections): that one may be retried
        const throttle = throttleSignal(err);
        const secrets = [this.o.password];
        if (isLoginRefusal(err) && !throttle) return this.turnOff(loginRefused(this.account, err, secrets));
        if (this.failures >= this.o.maxAttempts) return this.turnOff(unreachable(this.account, err, this.failures, secrets));
        pause = backoffDelay(this.failures, throttle?.retryAfterMs, { baseMs: 1000, maxMs: 10_000 });
      }
      const now = this.o.now();
      this.waiters = this.waiters.filter((w) => {
        const final = this.finals.get(w.tag);
        if (final) w.resolve(final);
        else if (w.deadline <= now) w.resolve(null);
        else return true;
        return false;
      });
      if (this.waiters.length || this.current.state === 'pending') await this.o.sleep(pause);
    }
  }

  private async connect(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    const client = this.o.clientFactory(this.account, this.o.password);
    client.on('error', () => {});
    await client.connect();
    this.client = client;
    if (!this.folders) {
      const list = await client.list();
      // DSNs land in INBOX; a filter may file them as spam.
      this.folders = ['INBOX', ...list.filter((f) => f.specialUse === '\\Junk').map((f) => f.path)];
    }
    this.cursors.clear();
    return client;
  }

  private async scan(client: ImapFlow, path: string): Promise<void> {
    const mb = await client.mailboxOpen(path, { readOnly: true });
    const cur = this.cursors.get(path);
    const same = cur && cur.uidValidity === mb.uidValidity;
    if (same && cur.uidNext === mb.uidNext) return;
    const fromUid = same ? cur.uidNext : 1;
    this.cursors.set(path, { uidValidity: mb.uidValidity, uidNext: mb.uidNext });
    if (!mb.exists) return;
    const since = new Date(Math.min(this.earliest, this.o.now()) - 36 * 3600_000);
    for (const runId of this.runIds) {
      // TEXT (RFC 3501 §6.4.4) covers the DSN's headers and the returned message.
      const query = fromUid > 1 ? { uid: `${fromUid}:*`, text: runId } : { since, text: runId };
      const uids = ((await client.search(query, { uid: true })) || []).filter((u) => u >= fromUid);
      if (!uids.length) continue;
      for await (const m of client.fetch(uids, { uid: true, source: { maxLength: this.o.maxBytes } }, { uid: true })) {
        if (!m.source) continue;
        const hit = matchBounce(m.source, this.o.addressOf, this.o.now());
        if (!hit || this.finals.has(hit.tag)) continue;
        if (hit.record.state === 'deferred') {
          const list = this.delays.get(hit.tag) ?? [];
          list.push(hit.record);
          this.delays.set(hit.tag, list);
          for (const w of this.waiters) if (w.tag === hit.tag) w.onDeferred?.(hit.record);
        } else this.finals.set(hit.tag, hit.record);
      }
    }
  }
}
