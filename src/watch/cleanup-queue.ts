/**
 * Cleanup requests waiting for the watch loop. The watcher's connection is shared by the looks,
 * IDLE and cleanup, so a request is only queued here; the loop drains the queue between two looks
 * (`drain`), which is what keeps a deletion's SELECT … UID EXPUNGE … EXAMINE from interleaving
 * with anything else on that connection.
 */
import type { ImapFlow } from 'imapflow';
import type { Sighting } from '../model.ts';
import { removeTagged, type CleanupItem, type CleanupOutcome } from './cleanup.ts';

interface Pending extends CleanupItem {
  resolve: (o: CleanupOutcome) => void;
}

export class CleanupQueue {
  private pending: Pending[] = [];
  /** tags a cleanup was asked for (the end-of-run sweep skips them) */
  private readonly asked = new Set<string>();

  get size(): number {
    return this.pending.length;
  }

  wasAsked(tag: string): boolean {
    return this.asked.has(tag);
  }

  /**
   * Asks for `tag` to be removed where it was seen (`queued`), or answers at once when there is
   * nothing of ours to remove or no watcher left to do it.
   */
  request(tag: string, seen: Sighting | undefined, closed: boolean): { outcome: Promise<CleanupOutcome>; queued: boolean } {
    if (!seen?.folder || !seen.uid) {
      return {
        outcome: Promise.resolve({ tag, status: 'not-deleted', reason: 'it was not found in the mailbox, so there is nothing of ours to delete' }),
        queued: false,
      };
    }
    if (closed)
      return { outcome: Promise.resolve({ tag, status: 'not-deleted', reason: 'the watcher is closed', folder: seen.folder, uid: seen.uid }), queued: false };
    return { outcome: this.add({ tag, folder: seen.folder, uid: seen.uid }), queued: true };
  }

  /** Queues a removal of every sighting nobody asked to clean up (one that arrived after its test ended). */
  addUnasked(sightings: ReadonlyMap<string, Sighting>): Promise<CleanupOutcome>[] {
    const added: Promise<CleanupOutcome>[] = [];
    for (const [tag, s] of sightings) if (!this.wasAsked(tag) && s.folder && s.uid) added.push(this.add({ tag, folder: s.folder, uid: s.uid }));
    return added;
  }

  /** Queues `item`; resolves with its outcome once the loop has drained it (or failed it). */
  add(item: CleanupItem): Promise<CleanupOutcome> {
    this.asked.add(item.tag);
    return new Promise((resolve) => this.pending.push({ ...item, resolve }));
  }

  /**
   * Runs every queued request, folder by folder. A failing connection fails what is left of the
   * batch with `describe(err)` and throws, so the caller reconnects.
   */
  async drain(client: ImapFlow, describe: (err: unknown) => string): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const folders = [...new Set(batch.map((c) => c.folder))];
    for (const [n, folder] of folders.entries()) {
      const items = batch.filter((c) => c.folder === folder);
      let outcomes: CleanupOutcome[];
      try {
        outcomes = await removeTagged(client, folder, items);
      } catch (err) {
        const reason = `the connection failed during cleanup: ${describe(err)}`;
        for (const c of batch.filter((b) => folders.indexOf(b.folder) >= n))
          c.resolve({ tag: c.tag, status: 'not-deleted', reason, folder: c.folder, uid: c.uid });
        throw err;
      }
      for (const c of items)
        c.resolve(
          outcomes.find((o) => o.tag === c.tag && o.uid === c.uid) ?? {
            tag: c.tag,
            status: 'not-deleted',
            reason: 'the cleanup gave no outcome for it',
            folder,
            uid: c.uid,
          },
        );
      // an expunge never changes UIDNEXT (RFC 3501 §2.3.1.1), so the watcher's cursors stay valid
    }
  }

  /** The end of the run: drains what is queued on `client` if it is still usable, and fails the rest. */
  async finish(client: ImapFlow | null, describe: (err: unknown) => string): Promise<void> {
    if (!this.size) return;
    if (client?.usable) {
      await this.drain(client, describe).catch(() => {
        /* each outcome says the connection failed */
      });
    }
    this.fail('no connection to the mailbox at the end of the run');
  }

  /** Answers every queued request with `reason` (the mailbox cannot be reached any more). */
  fail(reason: string): void {
    const pending = this.pending;
    this.pending = [];
    for (const c of pending) c.resolve({ tag: c.tag, status: 'not-deleted', reason, folder: c.folder, uid: c.uid });
  }
}
