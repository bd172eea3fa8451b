/**
 * What the seed watcher knows of the mailbox: the runs it watches, where each tagged message was
 * seen, and per folder the UIDNEXT of the last look (RFC 3501 §2.3.1.1), so the next look reads
 * only what is new. The cursors belong to one IMAP session and are dropped with it.
 */
import type { Sighting } from '../model.ts';
import { runIdOfTag } from '../send/index.ts';
import type { FolderPlan } from './folders.ts';
import type { Cursor, ScanState } from './mailbox-scan.ts';

export class WatchedMessages {
  readonly sightings = new Map<string, Sighting>();
  private readonly cursors = new Map<string, Cursor>();
  private readonly runIds = new Set<string>();
  /** earliest submission of the watched messages (bounds the first look's SINCE) */
  private earliestSubmit = Infinity;

  /** Starts watching for `tag`, submitted at `submittedAt`. */
  watch(tag: string, submittedAt: number): void {
    const runId = runIdOfTag(tag);
    if (!this.runIds.has(runId)) {
      this.runIds.add(runId);
      // A new run id: a cursor taken before this message was submitted still covers it (it can
      // only have arrived later, with a higher UID); any other folder is looked at afresh.
      for (const [path, c] of this.cursors) if (c.takenAt > submittedAt) this.cursors.delete(path);
    }
    this.earliestSubmit = Math.min(this.earliestSubmit, submittedAt);
  }

  cursor(path: string): Cursor | undefined {
    return this.cursors.get(path);
  }

  /** A new IMAP session: its UIDs are read afresh. */
  newSession(): void {
    this.cursors.clear();
  }

  /** What one look (`scanFolder`, `scanSelected`) reads and records into. */
  scanState(plan: FolderPlan, now: () => number): ScanState {
    return { plan, cursors: this.cursors, runIds: this.runIds, sightings: this.sightings, earliestSubmit: this.earliestSubmit, now };
  }
}
