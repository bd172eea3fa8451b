import type { ImapFlow } from 'imapflow';
import type { Seed } from '../config/index.ts';
import type { Sighting } from '../model.ts';
import { TAG_HEADER, runIdOfTag } from '../send/index.ts';
import { redact } from '../shared/redact.ts';
import { createImapClient, type ImapClientFactory } from './imap-connect.ts';
import { planFolders, type FolderPlan } from './folders.ts';
import type { ImapCredentials } from '../auth/index.ts';
import { OAuthError } from '../auth/index.ts';
import { SeedSignIn } from './sign-in.ts';
import { ChangeSignal } from './change-signal.ts';
import { IdleListener } from './idle-listener.ts';
import { scanFolder, scanSelected, TAG_LINE, type Cursor, type ScanState } from './mailbox-scan.ts';
import { backoffDelay, connectionBudget, FileConnectionSlots, throttleSignal, type ConnectionSlots, type ThrottleSignal } from './throttle.ts';

export type WatchResult =
  | { status: 'found'; sighting: Sighting }
  | { status: 'missing'; searched: string[] }
  | { status: 'unreachable'; error: string; attempts: number };

interface Waiter {
  tag: string;
  deadline: number;
  resolve: (r: WatchResult) => void;
}

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
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** longest wait in IDLE without a look (below imapflow's socket timeout, which would end IDLE) */
const MAX_IDLE_WAIT_MS = 25_000;

/**
 * Watches one seed mailbox over a single IMAP connection for every message of the run.
 *
 * All waits share one loop, so a worker that waits for message after message still sees
 * each one at its own deadline (counted from its submission, not from when the test began).
 * Mailboxes are opened with EXAMINE (RFC 3501 §6.3.2: read-only, so `\Seen` and other
 * flags never change) and messages are read with BODY.PEEK. Nothing is moved: moving a
 * message out of spam trains the provider's filter.
 * Cost per look depends on what is new, not on the mailbox size: an unchanged UIDNEXT
 * means nothing arrived, and searches cover only new UIDs (src/watch/mailbox-scan.ts).
 *
 * Where the server offers IDLE (RFC 2177), nothing is polled while waiting: the connection idles
 * on INBOX and a second one (IdleListener) on the spam folder, and the server's `EXISTS` wakes
 * the loop, so a message is seen within milliseconds of being filed. Other folders are looked at
 * every `othersEvery × pollIntervalMs`. The watcher keeps listening until the last deadline of
 * the messages it was asked for, so a message that lands between two tests is seen when it lands.
 */
export class SeedWatcher {
  readonly seed: Seed;
  private readonly opts: Required<Omit<SeedWatcherOptions, 'clientFactory' | 'credentials' | 'slots' | 'password'>> & { clientFactory: ImapClientFactory };
  private readonly signal = new ChangeSignal();
  /** the second connection, idling on the spam folder */
  private readonly listener: IdleListener;
  /** the watcher's own connection is in IDLE on INBOX (its EXISTS then means new mail) */
  private idling = false;
  private othersDueAt = 0;
  /** the latest deadline asked for: until then a new message may still come */
  private lingerUntil = 0;
  private readonly signIn: SeedSignIn;
  private readonly slots: ConnectionSlots;
  private releaseSlot: (() => void) | null = null;
  /** the access token the open connection signed in with (OAuth2 seeds) */
  private throttled = 0;
  /** the last throttling answer, kept for the report */
  lastThrottle: ThrottleSignal | null = null;
  /** OAuth2 sign-ins of the watcher's own connection (each with the token current at that moment) */
  get oauthLogins(): number {
    return this.signIn.logins;
  }
  private client: ImapFlow | null = null;
  private plan: FolderPlan | null = null;
  private readonly sightings = new Map<string, Sighting>();
  private waiters: Waiter[] = [];
  private readonly cursors = new Map<string, Cursor>();
  private readonly runIds = new Set<string>();
  private loop: Promise<void> | null = null;
  private earliestSubmit = Infinity;
  private failures = 0;
  private closed = false;
  /** IMAP connections opened so far (for the connection budget) */
  connectionsOpened = 0;

  constructor(seed: Seed, options: SeedWatcherOptions) {
    this.seed = seed;
    const credentials: ImapCredentials | null = options.credentials ?? (seed.imap.auth === 'oauth2' ? null : { kind: 'password', password: options.password ?? '' });
    this.signIn = new SeedSignIn(seed, credentials, options.now ?? Date.now);
    this.slots = options.slots ?? defaultSlots();
    this.opts = {
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
    };
    const key = `${seed.imap.host}:${seed.imap.port}:${seed.imap.user}`;
    this.listener = new IdleListener({
      // tried once, never waited for: without a free slot spam is polled
      acquireSlot: () =>
        this.opts.connectionLimit < 2 * this.opts.workers ? Promise.resolve(null) : this.slots.acquire(key, this.opts.connectionLimit, this.opts.now(), this.opts.now),
      connect: async () => {
        // an OAuth2 listener session that the server ends at token expiry is simply opened again
        const c = this.opts.clientFactory(this.seed, await this.signIn.secret(false));
        c.on('error', () => {
          /* the listener's close wakes the loop, which then polls spam */
        });
        this.connectionsOpened++;
        await c.connect();
        return c;
      },
      look: (client, path) => this.scan(client, path, true),
      onChange: () => this.signal.notify(),
      now: this.opts.now,
    });
  }

  /** Folder plan, once connected (which folder counted as spam, and how it was found). */
  get folders(): FolderPlan | null {
    return this.plan;
  }

  /**
   * Resolves when the tagged message is found, when its deadline passes (`missing`,
   * after one last look in every folder), or when the mailbox cannot be read.
   */
  waitFor(tag: string, deadline: number, submittedAt = this.opts.now()): Promise<WatchResult> {
    if (this.closed) return Promise.resolve({ status: 'unreachable', error: 'watcher closed', attempts: 0 });
    const runId = runIdOfTag(tag);
    if (!this.runIds.has(runId)) {
      this.runIds.add(runId);
      // A new run id: a cursor taken before this message was submitted still covers it (it can
      // only have arrived later, with a higher UID); any other folder is looked at afresh.
      for (const [path, c] of this.cursors) if (c.takenAt > submittedAt) this.cursors.delete(path);
    }
    this.earliestSubmit = Math.min(this.earliestSubmit, submittedAt);
    const known = this.sightings.get(tag);
    if (known) return Promise.resolve({ status: 'found', sighting: known });
    this.lingerUntil = Math.max(this.lingerUntil, deadline);
    return new Promise((resolve) => {
      this.waiters.push({ tag, deadline, resolve });
      this.signal.notify();
      this.loop ??= this.run().finally(() => {
        this.loop = null;
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters) w.resolve({ status: 'unreachable', error: 'watcher closed', attempts: 0 });
    this.waiters = [];
    this.signal.notify();
    await this.listener.end();
    const c = this.client;
    this.client = null;
    if (c) {
      try {
        await c.logout();
      } catch {
        c.close();
      }
    }
    this.freeSlot();
  }

  private freeSlot(): void {
    const r = this.releaseSlot;
    this.releaseSlot = null;
    r?.();
  }

  private async run(): Promise<void> {
    let tick = 0;
    while ((this.waiters.length || this.lingering()) && !this.closed) {
      try {
        const client = await this.connect();
        const plan = this.plan!;
        const push = this.pushCapable(client);
        const now = this.opts.now();
        const expiring = this.waiters.some((w) => w.deadline <= now);
        const othersDue = push ? now >= this.othersDueAt : tick % this.opts.othersEvery === this.opts.othersEvery - 1;
        const folders = [plan.inbox, ...plan.spam];
        if (expiring || othersDue) {
          folders.push(...plan.others);
          this.othersDueAt = now + this.opts.othersEvery * this.opts.pollIntervalMs;
        }
        this.idling = false;
        this.signal.take(); // changes from here on stay pending and wake the next wait
        // With IDLE: the listener looks at spam itself, so a woken look reads only INBOX, which this
        // connection has selected (no EXAMINE). A full look ends on INBOX, to idle there.
        const full = !push || expiring || othersDue || !this.listener.alive;
        const order = !push ? folders : full ? [...folders.slice(1), plan.inbox] : [plan.inbox];
        for (const path of order) await this.scan(client, path, push && path === plan.inbox);
        this.failures = 0;
        this.signIn.succeeded();
        this.settle(expiring ? folders : null);
        tick++;
        this.throttled = 0;
        // the spam listener is opened after the first look, so it never delays it; once listening
        // it asks for one more look, which covers anything filed while it was connecting
        if (push && plan.spam.length && !this.closed) await this.listener.ensure(plan.spam[0]);
        if (push && (this.waiters.length || this.lingering())) await this.awaitPush(client, plan);
        else if (this.waiters.length) await this.opts.sleep(this.opts.pollIntervalMs);
      } catch (err) {
        this.dropClient();
        // Throttling first: Gmail's "Too many simultaneous connections" comes as a NO to LOGIN,
        // which imapflow marks as a failed authentication.
        const signal = throttleSignal(err);
        if (signal) {
          this.lastThrottle = signal;
          this.throttled++;
          const wait = backoffDelay(this.throttled, signal.retryAfterMs, { random: this.opts.random });
          if (this.giveUpThrottled(wait, signal)) return;
          await this.opts.sleep(wait);
          continue;
        }
        this.failures++;
        const message = describe(err);
        if (err instanceof OAuthError && err.kind !== 'temporary') {
          this.failAll(`OAuth2 sign-in for ${this.seed.imap.user} failed: ${message}`);
          return;
        }
        let authFailed = (err as { authenticationFailed?: boolean }).authenticationFailed === true;
        if (authFailed && this.signIn.retryWithFreshToken()) {
          // An access token can be revoked before its expiry: get a new one once before giving up.
          authFailed = false;
          this.failures = Math.min(this.failures, this.opts.maxAttempts - 1);
        }
        if (authFailed || this.failures >= this.opts.maxAttempts) {
          const error = authFailed ? `login refused for ${this.seed.imap.user}: ${message}` : message;
          for (const w of this.waiters) w.resolve({ status: 'unreachable', error, attempts: this.failures });
          this.waiters = [];
          this.failures = 0;
          return;
        }
        await this.opts.sleep(Math.min(500 * 2 ** this.failures, 5000));
        continue;
      }
    }
  }

  /** IDLE in use: the server offers it and it was not turned off. */
  private pushCapable(client: ImapFlow): boolean {
    return this.opts.idle && client.capabilities.has('IDLE');
  }

  /** Keeps listening after the last waiter until the last deadline asked for (IDLE costs nothing). */
  private lingering(): boolean {
    return !!this.client?.usable && this.pushCapable(this.client) && this.opts.now() < this.lingerUntil;
  }

  /**
   * Waits for the server to say something arrived: IDLE on INBOX here, the listener on spam. Wakes
   * anyway at the next deadline (for the last look), when other folders are due, and — while no
   * listener covers spam — after `pollIntervalMs`, so spam is still polled.
   */
  private async awaitPush(client: ImapFlow, plan: FolderPlan): Promise<void> {
    // Just looked at INBOX: what arrives from here on is reported when IDLE starts (the server
    // sends pending EXISTS first). Otherwise open it and look again if something came meanwhile.
    if (!client.mailbox || client.mailbox.path !== plan.inbox) {
      const box = await client.mailboxOpen(plan.inbox, { readOnly: true });
      const cursor = this.cursors.get(plan.inbox);
      if (!cursor || cursor.uidValidity !== box.uidValidity || cursor.uidNext !== box.uidNext) return;
    }
    this.idling = true;
    void client.idle().catch(() => undefined);
    const now = this.opts.now();
    const wakeAt = Math.min(
      ...this.waiters.map((w) => w.deadline),
      this.waiters.length ? this.othersDueAt : this.lingerUntil,
      this.listener.alive || !plan.spam.length ? Infinity : now + this.opts.pollIntervalMs,
      now + MAX_IDLE_WAIT_MS,
    );
    await this.signal.wait(wakeAt - now);
  }


  /**
   * While throttled the watcher keeps waiting; a message whose deadline passes meanwhile could not
   * be looked for, so it is reported unreachable (with the server's words), never missing.
   */
  private giveUpThrottled(wait: number, signal: ThrottleSignal): boolean {
    const until = this.opts.now() + wait;
    const error = `provider throttled IMAP (${signal.kind}): ${redact(signal.text)}; waited ${this.throttled} time(s). Reduce workers or connections (see docs/troubleshooting.md#throttled)`;
    this.waiters = this.waiters.filter((w) => {
      if (w.deadline + 60_000 >= until) return true;
      w.resolve({ status: 'unreachable', error, attempts: this.throttled });
      return false;
    });
    return this.waiters.length === 0;
  }

  private failAll(error: string): void {
    for (const w of this.waiters) w.resolve({ status: 'unreachable', error, attempts: this.failures });
    this.waiters = [];
    this.failures = 0;
  }

  private settle(searchedAll: string[] | null): void {
    const now = this.opts.now();
    this.waiters = this.waiters.filter((w) => {
      const s = this.sightings.get(w.tag);
      if (s) {
        w.resolve({ status: 'found', sighting: s });
        return false;
      }
      if (searchedAll && w.deadline <= now) {
        w.resolve({ status: 'missing', searched: searchedAll });
        return false;
      }
      return true;
    });
  }

  private async connect(): Promise<ImapFlow> {
    if (this.client?.usable && !this.signIn.sessionExpiring()) return this.client;
    if (this.client?.usable) {
      const old = this.client;
      this.client = null;
      await old.logout().catch(() => old.close());
    }
    this.dropClient();
    if (!this.releaseSlot) {
      const key = `${this.seed.imap.host}:${this.seed.imap.port}:${this.seed.imap.user}`;
      const deadline = Math.min(...this.waiters.map((w) => w.deadline), this.opts.now() + 120_000);
      this.releaseSlot = await this.slots.acquire(key, this.opts.connectionLimit, deadline, this.opts.now);
      if (!this.releaseSlot) {
        throw Object.assign(new Error(`all ${this.opts.connectionLimit} connection slot(s) for this account stay busy (too many connections from other workers)`), { code: 'NoSlot', serverResponseCode: 'LIMIT' });
      }
    }
    const secret = await this.signIn.secret();
    const client = this.opts.clientFactory(this.seed, secret);
    client.on('error', () => {
      /* surfaced through the failing command; without a listener an 'error' event would crash the worker */
    });
    // while idling on INBOX, a higher message count is new mail (RFC 2177; RFC 3501 §7.3.1)
    client.on('exists', (e: { count: number; prevCount: number }) => {
      if (this.idling && e.count > e.prevCount) this.signal.notify();
    });
    client.on('close', () => {
      if (this.idling) this.signal.notify();
    });
    this.connectionsOpened++;
    await client.connect();
    this.client = client;
    if (!this.plan) this.plan = planFolders(await client.list(), this.seed.spamFolders);
    this.cursors.clear();
    return client;
  }

  private dropClient(): void {
    const c = this.client;
    this.client = null;
    // the slot is kept while reconnecting; it is given back with close()
    if (c) {
      try {
        c.close();
      } catch {
        /* already closed */
      }
    }
  }

  /** One look into `path`; `selected`: without re-opening it when this client has it open already. */
  private async scan(client: ImapFlow, path: string, selected = false): Promise<void> {
    const st: ScanState = { plan: this.plan!, cursors: this.cursors, runIds: this.runIds, sightings: this.sightings, earliestSubmit: this.earliestSubmit, now: this.opts.now };
    if (selected && (await scanSelected(client, path, st))) return;
    await scanFolder(client, path, st);
  }

  /**
   * Optional cleanup: deletes the message only after re-reading its header and finding this
   * exact tag on it; anything else in the user's mailbox is never touched.
   */
  async deleteTagged(tag: string): Promise<boolean> {
    const s = this.sightings.get(tag);
    if (!s?.folder || !s.uid) return false;
    const client = await this.connect();
    const lock = await client.getMailboxLock(s.folder);
    try {
      const [m] = await client.fetchAll(String(s.uid), { uid: true, headers: [TAG_HEADER] }, { uid: true });
      const found = m?.headers ? TAG_LINE.exec(m.headers.toString('utf8'))?.[1]?.trim().toLowerCase() : undefined;
      if (found !== tag) return false;
      return await client.messageDelete(String(s.uid), { uid: true });
    } finally {
      lock.release();
      this.cursors.delete(s.folder);
    }
  }
}

let sharedSlots: ConnectionSlots | null = null;
function defaultSlots(): ConnectionSlots {
  sharedSlots ??= new FileConnectionSlots();
  return sharedSlots;
}

function describe(err: unknown): string {
  const e = err as { message?: string; responseText?: string; code?: string };
  return redact([e.code, e.responseText || e.message || String(err)].filter(Boolean).join(': '));
}
