import type { ImapFlow } from 'imapflow';
import { OAuthError, type ImapCredentials } from '../auth/index.ts';
import type { Seed } from '../config/index.ts';
import { ChangeSignal } from './change-signal.ts';
import type { CleanupOutcome } from './cleanup.ts';
import { CleanupQueue } from './cleanup-queue.ts';
import { findEarlier, type EarlierMessage } from './earlier-sweep.ts';
import { decideFailure, type FailureCounts } from './failure-policy.ts';
import type { FolderPlan } from './folders.ts';
import { describeImapError, seedLoginFix } from './imap-errors.ts';
import { MailboxLooks } from './mailbox-looks.ts';
import { SeedPlans } from './seed-plans.ts';
import { SeedSignIn } from './sign-in.ts';
import { FileConnectionSlots, throttleSignal, type ConnectionSlots, type ThrottleSignal } from './throttle.ts';
import { Waiters, type WatchResult } from './waiters.ts';
import { accountKey, WatchConnection } from './watch-connection.ts';
import { WatchedMessages } from './watched-messages.ts';
import { resolveOptions, type SeedWatcherOptions, type WatcherSettings } from './watcher-options.ts';

export type { WatchResult } from './waiters.ts';
export { accountKey } from './watch-connection.ts';
export type { SeedWatcherOptions } from './watcher-options.ts';

/** The watcher as one seed of its account sees it: waits and cleanups use that seed's folder settings. */
export interface SeedMailbox {
  readonly seed: Seed;
  waitFor(tag: string, deadline: number, submittedAt?: number): Promise<WatchResult>;
  cleanupTagged(tag: string): Promise<CleanupOutcome>;
  deleteTagged(tag: string): Promise<boolean>;
}

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
 *
 * This class is the loop; its parts: `WatchConnection` (connections and slots), `MailboxLooks`
 * (looks and IDLE waits), `Waiters` (how each wait ends), `WatchedMessages` (sightings and
 * cursors), `CleanupQueue` (removals between two looks) and `decideFailure` (what a failure means).
 */
export class SeedWatcher {
  readonly seed: Seed;
  private readonly opts: WatcherSettings;
  private readonly signal = new ChangeSignal();
  private readonly signIn: SeedSignIn;
  /** the watcher's own connection and the account's slots */
  private readonly conn: WatchConnection;
  /** the looks into the mailbox and the (IDLE) waits between them */
  private readonly looks: MailboxLooks;
  /** the folder plans of every seed of this account the watcher serves */
  private readonly plans: SeedPlans;
  private readonly waiters: Waiters;
  /** cleanup requests, run by the watch loop between two looks */
  private readonly cleanups = new CleanupQueue();
  /** the runs watched, the sightings, and the cursors of the current session */
  private readonly seen = new WatchedMessages();
  private loop: Promise<void> | null = null;
  private counts: FailureCounts = { failures: 0, throttled: 0 };
  private closed = false;
  /** the last throttling answer, kept for the report */
  lastThrottle: ThrottleSignal | null = null;

  constructor(seed: Seed, options: SeedWatcherOptions) {
    this.seed = seed;
    const credentials: ImapCredentials | null =
      options.credentials ?? (seed.imap.auth === 'oauth2' ? null : { kind: 'password', password: options.password ?? '' });
    this.signIn = new SeedSignIn(seed, credentials, options.now ?? Date.now);
    this.opts = resolveOptions(seed, options);
    this.plans = new SeedPlans(seed);
    this.waiters = new Waiters((s, forSeed) => this.plans.placeFor(s, forSeed));
    this.conn = new WatchConnection({
      seed,
      signIn: this.signIn,
      slots: options.slots ?? defaultSlots(),
      connectionLimit: this.opts.connectionLimit,
      workers: this.opts.workers,
      clientFactory: this.opts.clientFactory,
      now: this.opts.now,
      onPush: () => this.signal.notify(),
    });
    this.looks = new MailboxLooks({ opts: this.opts, plans: this.plans, seen: this.seen, waiters: this.waiters, conn: this.conn, signal: this.signal });
  }

  /** IMAP connections opened so far (for the connection budget) */
  get connectionsOpened(): number {
    return this.conn.opened;
  }

  /** OAuth2 sign-ins of the watcher's own connection (each with the token current at that moment) */
  get oauthLogins(): number {
    return this.signIn.logins;
  }

  /**
   * Folder plan of the watcher's searches, once connected: INBOX, the spam folders of every seed
   * of this account (searched right after INBOX), and the other folders.
   */
  get folders(): FolderPlan | null {
    return this.plans.search;
  }

  /**
   * This watcher for another seed on the same account (plus-addressed seeds, one mailbox): one
   * connection serves both, and each seed's messages are placed by its own folder settings.
   */
  forSeed(seed: Seed): SeedMailbox {
    if (accountKey(seed) !== accountKey(this.seed))
      throw new Error(`seed ${seed.id} (${accountKey(seed)}) is not on the account of this watcher (${accountKey(this.seed)})`);
    this.plans.add(seed);
    return {
      seed,
      waitFor: (tag, deadline, submittedAt) => this.waitFor(tag, deadline, submittedAt, seed),
      cleanupTagged: (tag) => this.cleanupTagged(tag),
      deleteTagged: (tag) => this.deleteTagged(tag),
    };
  }

  /**
   * Resolves when the tagged message is found, when its deadline passes (`missing`,
   * after one last look in every folder), or when the mailbox cannot be read.
   */
  waitFor(tag: string, deadline: number, submittedAt = this.opts.now(), seed: Seed = this.seed): Promise<WatchResult> {
    if (this.closed) return Promise.resolve({ status: 'unreachable', error: 'watcher closed', attempts: 0 });
    this.seen.watch(tag, submittedAt);
    const known = this.seen.sightings.get(tag);
    if (known) return Promise.resolve(this.waiters.found(known, seed));
    const result = this.waiters.add(tag, deadline, seed);
    this.kick();
    return result;
  }

  /**
   * Optional cleanup (MAILCANARY_CLEANUP) of one of our messages: queued for the watch loop, which
   * runs it between two looks on its own connection (src/watch/cleanup.ts: UID EXPUNGE, RFC 4315
   * §2.1, of exactly this UID after re-reading its tag; nothing at all on a server without
   * UIDPLUS). The outcome says deleted, or not deleted and why.
   */
  cleanupTagged(tag: string): Promise<CleanupOutcome> {
    const { outcome, queued } = this.cleanups.request(tag, this.seen.sightings.get(tag), this.closed);
    if (queued) this.kick();
    return outcome;
  }

  /** `cleanupTagged`, answering only whether the message was deleted. */
  async deleteTagged(tag: string): Promise<boolean> {
    return (await this.cleanupTagged(tag)).status === 'deleted';
  }

  /**
   * Ends watching; with `cleanupOnClose`, first removes our messages nobody cleaned up, and the
   * `earlier` messages (of earlier runs, never found then) that have arrived since, and returns
   * those outcomes.
   */
  async close(earlier: readonly EarlierMessage[] = []): Promise<CleanupOutcome[]> {
    this.closed = true;
    this.waiters.failAll('watcher closed', 0);
    this.signal.notify();
    const swept = await this.sweep(earlier);
    this.cleanups.fail('the watcher closed before the cleanup ran');
    await this.looks.end();
    await this.conn.close();
    return swept;
  }

  /** The last cleanup: queued requests and, with `cleanupOnClose`, every sighting nobody asked to clean up and the earlier runs' late arrivals. */
  private async sweep(earlier: readonly EarlierMessage[]): Promise<CleanupOutcome[]> {
    const swept = this.opts.cleanupOnClose ? this.cleanups.addUnasked(this.seen.sightings) : [];
    const late = new Set(this.opts.cleanupOnClose ? earlier.filter((e) => this.plans.has(e.seedId) && !this.seen.sightings.has(e.tag)).map((e) => e.tag) : []);
    if (!this.cleanups.size && !late.size) return Promise.all(swept);
    // the loop stops after its current step; from then on nothing else uses the connection
    await this.loop;
    const client = this.conn.client;
    const folders = this.plans.search;
    if (late.size && client?.usable && folders) {
      try {
        for (const item of await findEarlier(client, [folders.inbox, ...folders.spam, ...folders.others], late)) swept.push(this.cleanups.add(item));
      } catch (err) {
        const reason = `the search for earlier runs' messages failed: ${describeImapError(err, this.seed)}`;
        swept.push(...[...late].map((tag) => Promise.resolve<CleanupOutcome>({ tag, status: 'not-deleted', reason })));
      }
    }
    await this.cleanups.finish(client, (err) => describeImapError(err, this.seed));
    return Promise.all(swept);
  }

  /** Wakes the watch loop, starting it when it is not running. */
  private kick(): void {
    this.signal.notify();
    if (this.loop) return;
    this.loop = this.run().finally(() => {
      this.loop = null;
      // work queued while the loop was on its way out (after its last check) starts it again
      if (!this.closed && (this.waiters.size || this.cleanups.size)) this.kick();
    });
  }

  private async run(): Promise<void> {
    let tick = 0;
    while ((this.waiters.size || this.cleanups.size || this.looks.lingering(this.conn.client)) && !this.closed) {
      try {
        const client = await this.connect();
        this.conn.idling = false;
        this.signal.take(); // changes (and cleanup requests) from here on stay pending and wake the next wait
        // cleanup runs here, between two looks: nothing else is sent on this connection meanwhile
        if (this.cleanups.size) await this.cleanups.drain(client, (err) => describeImapError(err, this.seed));
        if (!this.waiters.size && !this.looks.lingering(this.conn.client)) continue;
        await this.looks.look(client, tick);
        tick++;
        this.counts = { failures: 0, throttled: 0 };
        this.signIn.succeeded();
        await this.looks.between(client, this.closed);
      } catch (err) {
        this.conn.drop();
        if (!(await this.recover(err))) return;
      }
    }
  }

  /** The own connection, after a reconnect with the folder list read and the cursors of the old session dropped. */
  private async connect(): Promise<ImapFlow> {
    const { client, fresh } = await this.conn.connect(this.waiters.deadlines);
    if (fresh) {
      if (!this.plans.listed) this.plans.setList(await client.list());
      this.seen.newSession();
    }
    return client;
  }

  /** Carries out the failure policy's decision; false when the loop stops. */
  private async recover(err: unknown): Promise<boolean> {
    const throttle = throttleSignal(err);
    if (throttle) this.lastThrottle = throttle;
    const d = decideFailure({
      throttle,
      oauthKind: err instanceof OAuthError ? err.kind : null,
      authenticationFailed: (err as { authenticationFailed?: boolean } | null)?.authenticationFailed === true,
      freshTokenLeft: this.signIn.freshTokenLeft,
      message: describeImapError(err, this.seed),
      user: this.seed.imap.user,
      loginFix: seedLoginFix(this.seed),
      counts: this.counts,
      maxAttempts: this.opts.maxAttempts,
      deadlines: this.waiters.deadlines,
      now: this.opts.now(),
      random: this.opts.random,
    });
    this.counts = d.counts;
    if (d.action === 'give-up') {
      this.waiters.failAll(d.error, d.attempts);
      this.cleanups.fail(d.error);
      return false;
    }
    if (d.action === 'wait-throttled') {
      this.waiters.expire(d.expireBefore, d.error, d.attempts);
      await this.opts.sleep(d.waitMs);
      return true;
    }
    if (d.freshToken) this.signIn.retryWithFreshToken();
    await this.opts.sleep(d.afterMs);
    return true;
  }
}

let sharedSlots: ConnectionSlots | null = null;
function defaultSlots(): ConnectionSlots {
  sharedSlots ??= new FileConnectionSlots();
  return sharedSlots;
}
