import type { ImapFlow } from 'imapflow';
import type { Seed } from '../config/seeds.ts';
import type { Sighting } from '../model.ts';
import { TAG_HEADER, runIdOfTag } from '../send/tag.ts';
import { redact } from '../util/redact.ts';
import { createImapClient, type ImapClientFactory } from './imap-connect.ts';
import { planFolders, placementOf, placementRank, type FolderPlan } from './folders.ts';

export type WatchResult =
  | { status: 'found'; sighting: Sighting }
  | { status: 'missing'; searched: string[] }
  | { status: 'unreachable'; error: string; attempts: number };

interface Waiter {
  tag: string;
  deadline: number;
  resolve: (r: WatchResult) => void;
}

interface Cursor {
  uidValidity: bigint;
  uidNext: number;
}

export interface SeedWatcherOptions {
  password: string;
  clientFactory?: ImapClientFactory;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** time between looks at INBOX and spam; default: the seed's preset */
  pollIntervalMs?: number;
  /** look at all other folders every N ticks */
  othersEvery?: number;
  /** connection attempts before the seed is declared unreachable */
  maxAttempts?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const TAG_LINE = new RegExp(`^${TAG_HEADER}:[ \\t]*([^\\r\\n]+)`, 'im');

/**
 * Watches one seed mailbox over a single IMAP connection for every message of the run.
 *
 * All waits share one loop, so a worker that waits for message after message still sees
 * each one at its own deadline (counted from its submission, not from when the test began).
 * Mailboxes are opened with EXAMINE (RFC 3501 §6.3.2: read-only, so `\Seen` and other
 * flags never change) and messages are read with BODY.PEEK. Nothing is moved: moving a
 * message out of spam trains the provider's filter.
 * Cost per look depends on what is new, not on the mailbox size: an unchanged UIDNEXT
 * means nothing arrived, and searches cover only new UIDs.
 */
export class SeedWatcher {
  readonly seed: Seed;
  private readonly opts: Required<Omit<SeedWatcherOptions, 'clientFactory'>> & { clientFactory: ImapClientFactory };
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
  /** IMAP connections opened so far (for the connection budget, issue 7) */
  connectionsOpened = 0;

  constructor(seed: Seed, options: SeedWatcherOptions) {
    this.seed = seed;
    this.opts = {
      password: options.password,
      clientFactory: options.clientFactory ?? createImapClient,
      now: options.now ?? Date.now,
      sleep: options.sleep ?? defaultSleep,
      pollIntervalMs: options.pollIntervalMs ?? seed.pollIntervalMs,
      othersEvery: options.othersEvery ?? 5,
      maxAttempts: options.maxAttempts ?? 3,
    };
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
      this.cursors.clear(); // a new run id: look at the folders again from the start of the window
    }
    this.earliestSubmit = Math.min(this.earliestSubmit, submittedAt);
    const known = this.sightings.get(tag);
    if (known) return Promise.resolve({ status: 'found', sighting: known });
    return new Promise((resolve) => {
      this.waiters.push({ tag, deadline, resolve });
      this.loop ??= this.run().finally(() => {
        this.loop = null;
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters) w.resolve({ status: 'unreachable', error: 'watcher closed', attempts: 0 });
    this.waiters = [];
    const c = this.client;
    this.client = null;
    if (c) {
      try {
        await c.logout();
      } catch {
        c.close();
      }
    }
  }

  private async run(): Promise<void> {
    let tick = 0;
    while (this.waiters.length && !this.closed) {
      try {
        const client = await this.connect();
        const plan = this.plan!;
        const expiring = this.waiters.some((w) => w.deadline <= this.opts.now());
        const folders = [plan.inbox, ...plan.spam];
        if (expiring || tick % this.opts.othersEvery === this.opts.othersEvery - 1) folders.push(...plan.others);
        for (const path of folders) await this.scan(client, path);
        this.failures = 0;
        this.settle(expiring ? folders : null);
      } catch (err) {
        this.failures++;
        this.dropClient();
        const message = describe(err);
        const authFailed = (err as { authenticationFailed?: boolean }).authenticationFailed === true;
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
      tick++;
      if (this.waiters.length) await this.opts.sleep(this.opts.pollIntervalMs);
    }
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
    if (this.client?.usable) return this.client;
    this.dropClient();
    const client = this.opts.clientFactory(this.seed, this.opts.password);
    client.on('error', () => {
      /* surfaced through the failing command; without a listener an 'error' event would crash the worker */
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
    if (c) {
      try {
        c.close();
      } catch {
        /* already closed */
      }
    }
  }

  private async scan(client: ImapFlow, path: string): Promise<void> {
    const mailbox = await client.mailboxOpen(path, { readOnly: true });
    const cursor = this.cursors.get(path);
    const sameGeneration = cursor && cursor.uidValidity === mailbox.uidValidity;
    if (sameGeneration && cursor.uidNext === mailbox.uidNext) return; // nothing new arrived
    const fromUid = sameGeneration ? cursor.uidNext : 1;
    this.cursors.set(path, { uidValidity: mailbox.uidValidity, uidNext: mailbox.uidNext });
    if (!mailbox.exists) return;
    // On a first look, SINCE (day granularity, RFC 3501 §6.4.4) keeps the header search to
    // recent mail, so a mailbox of years of test mail costs no more than an empty one.
    const since = new Date(Math.min(this.earliestSubmit, this.opts.now()) - 36 * 3600_000);
    for (const runId of this.runIds) {
      const query = fromUid > 1 ? { uid: `${fromUid}:*`, header: { [TAG_HEADER]: runId } } : { since, header: { [TAG_HEADER]: runId } };
      const uids = ((await client.search(query, { uid: true })) || []).filter((u) => u >= fromUid);
      if (!uids.length) continue;
      const messages = await client.fetchAll(uids, { uid: true, internalDate: true, headers: true }, { uid: true });
      const seenAt = this.opts.now();
      for (const m of messages) {
        const rawHeaders = m.headers ? m.headers.toString('utf8') : '';
        const tag = TAG_LINE.exec(rawHeaders)?.[1]?.trim().toLowerCase();
        if (!tag || runIdOfTag(tag) !== runId) continue;
        const placement = placementOf(this.plan!, path);
        const prior = this.sightings.get(tag);
        if (prior && placementRank(prior.placement) <= placementRank(placement)) continue;
        this.sightings.set(tag, {
          placement,
          folder: path,
          uid: m.uid,
          internalDate: m.internalDate ? new Date(m.internalDate).getTime() : undefined,
          seenAt,
          rawHeaders,
        });
      }
    }
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

function describe(err: unknown): string {
  const e = err as { message?: string; responseText?: string; code?: string };
  return redact([e.code, e.responseText || e.message || String(err)].filter(Boolean).join(': '));
}
