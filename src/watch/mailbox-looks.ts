/**
 * The seed watcher's looks into the mailbox and the waits between them. A look covers INBOX and
 * spam, plus the other folders when they are due or a message's deadline has come (its last
 * look, over every folder, before it is `missing`). Between looks, where the server offers IDLE
 * (RFC 2177), the own connection idles on INBOX and the spam listener (a second connection) on
 * the spam folder, so the server's `EXISTS` (RFC 3501 §7.3.1) wakes the loop; without IDLE the
 * watcher sleeps `pollIntervalMs`.
 */
import type { ImapFlow } from 'imapflow';
import type { ChangeSignal } from './change-signal.ts';
import type { FolderPlan } from './folders.ts';
import { IdleListener } from './idle-listener.ts';
import { planLook, pushWakeAt } from './look-plan.ts';
import { scanFolder, scanSelected } from './mailbox-scan.ts';
import type { SeedPlans } from './seed-plans.ts';
import type { Waiters } from './waiters.ts';
import type { WatchConnection } from './watch-connection.ts';
import type { WatchedMessages } from './watched-messages.ts';
import type { WatcherSettings } from './watcher-options.ts';

export interface LooksDeps {
  opts: Pick<WatcherSettings, 'idle' | 'now' | 'sleep' | 'othersEvery' | 'pollIntervalMs'>;
  plans: SeedPlans;
  seen: WatchedMessages;
  waiters: Waiters;
  conn: WatchConnection;
  signal: ChangeSignal;
}

export class MailboxLooks {
  private readonly d: LooksDeps;
  /** the second connection, idling on the spam folder */
  private readonly listener: IdleListener;
  /** with IDLE: when the other folders are due */
  private othersDueAt = 0;

  constructor(deps: LooksDeps) {
    this.d = deps;
    this.listener = new IdleListener({
      acquireSlot: () => deps.conn.listenerSlot(),
      connect: () => deps.conn.openListener(),
      look: (client, path) => this.scan(client, path, true),
      onChange: () => deps.signal.notify(),
      now: deps.opts.now,
    });
  }

  /** IDLE in use: the server offers it and it was not turned off. */
  pushCapable(client: ImapFlow): boolean {
    return this.d.opts.idle && client.capabilities.has('IDLE');
  }

  /** Keeps listening after the last waiter until the last deadline asked for (IDLE costs nothing). */
  lingering(client: ImapFlow | null): boolean {
    return !!client?.usable && this.pushCapable(client) && this.d.opts.now() < this.d.waiters.lingerUntil;
  }

  /** One look (the `tick`-th); then every wait that can end, ends. */
  async look(client: ImapFlow, tick: number): Promise<void> {
    const plan = this.d.plans.search!;
    const push = this.pushCapable(client);
    const now = this.d.opts.now();
    const p = planLook({
      plan,
      push,
      now,
      tick,
      othersDueAt: this.othersDueAt,
      expiring: this.d.waiters.anyDue(now),
      listenerAlive: this.listener.alive,
      othersEvery: this.d.opts.othersEvery,
      pollIntervalMs: this.d.opts.pollIntervalMs,
    });
    this.othersDueAt = p.othersDueAt;
    for (const path of p.order) await this.scan(client, path, push && path === plan.inbox);
    this.d.waiters.settle(this.d.seen.sightings, p.searchedAll, this.d.opts.now());
  }

  /** The wait after a look: in IDLE until something arrives or a look is due, else a poll interval. */
  async between(client: ImapFlow, closed: boolean): Promise<void> {
    const plan = this.d.plans.search!;
    const push = this.pushCapable(client);
    // the spam listener is opened after the first look, so it never delays it; once listening
    // it asks for one more look, which covers anything filed while it was connecting
    if (push && plan.spam.length && !closed) await this.listener.ensure(plan.spam[0]);
    if (push && (this.d.waiters.size || this.lingering(client))) await this.awaitPush(client, plan);
    else if (this.d.waiters.size) await this.d.opts.sleep(this.d.opts.pollIntervalMs);
  }

  /** Closes the spam listener's connection. */
  end(): Promise<void> {
    return this.listener.end();
  }

  /**
   * Waits for the server to say something arrived: IDLE on INBOX here, the listener on spam. Wakes
   * anyway at the next deadline (for the last look), when other folders are due, and, while no
   * listener covers spam, after `pollIntervalMs`, so spam is still polled.
   */
  private async awaitPush(client: ImapFlow, plan: FolderPlan): Promise<void> {
    // Just looked at INBOX: what arrives from here on is reported when IDLE starts (the server
    // sends pending EXISTS first). Otherwise open it and look again if something came meanwhile.
    if (!client.mailbox || client.mailbox.path !== plan.inbox) {
      const box = await client.mailboxOpen(plan.inbox, { readOnly: true });
      const cursor = this.d.seen.cursor(plan.inbox);
      if (!cursor || cursor.uidValidity !== box.uidValidity || cursor.uidNext !== box.uidNext) return;
    }
    this.d.conn.idling = true;
    void client.idle().catch(() => undefined);
    const now = this.d.opts.now();
    const wakeAt = pushWakeAt({
      deadlines: this.d.waiters.deadlines,
      othersDueAt: this.othersDueAt,
      lingerUntil: this.d.waiters.lingerUntil,
      spamCovered: this.listener.alive || !plan.spam.length,
      now,
      pollIntervalMs: this.d.opts.pollIntervalMs,
    });
    await this.d.signal.wait(wakeAt - now);
  }

  /** One look into `path`; `selected`: without re-opening it when this client has it open already. */
  private async scan(client: ImapFlow, path: string, selected = false): Promise<void> {
    const st = this.d.seen.scanState(this.d.plans.search!, this.d.opts.now);
    if (selected && (await scanSelected(client, path, st))) return;
    await scanFolder(client, path, st);
  }
}
