/**
 * The messages a seed watcher is asked for and how each wait ends: found (as soon as a look saw
 * it), missing (its deadline passed and the last look covered every folder), or unreachable (the
 * mailbox could not be read). Also the latest deadline ever asked for: until then the watcher
 * keeps listening, so a message that lands between two tests is seen when it lands.
 */
import type { Seed } from '../config/index.ts';
import type { Sighting } from '../model.ts';

export type WatchResult =
  { status: 'found'; sighting: Sighting } | { status: 'missing'; searched: string[] } | { status: 'unreachable'; error: string; attempts: number };

interface Waiter {
  tag: string;
  deadline: number;
  /** the seed the message was sent to: its folder settings decide the placement */
  seed: Seed;
  resolve: (r: WatchResult) => void;
}

export class Waiters {
  private list: Waiter[] = [];
  /** the latest deadline asked for: until then a new message may still come */
  private lingerUntilMs = 0;

  private readonly place: (s: Sighting, seed: Seed) => Sighting;

  /** `place`: the sighting as `seed` sees it (its own spam folders decide the placement) */
  constructor(place: (s: Sighting, seed: Seed) => Sighting) {
    this.place = place;
  }

  get size(): number {
    return this.list.length;
  }

  get lingerUntil(): number {
    return this.lingerUntilMs;
  }

  get deadlines(): number[] {
    return this.list.map((w) => w.deadline);
  }

  found(s: Sighting, seed: Seed): WatchResult {
    return { status: 'found', sighting: this.place(s, seed) };
  }

  /** A wait for `tag` until `deadline`; resolves through `settle`, `expire` or `failAll`. */
  add(tag: string, deadline: number, seed: Seed): Promise<WatchResult> {
    this.lingerUntilMs = Math.max(this.lingerUntilMs, deadline);
    return new Promise((resolve) => this.list.push({ tag, deadline, seed, resolve }));
  }

  anyDue(now: number): boolean {
    return this.list.some((w) => w.deadline <= now);
  }

  /**
   * After a look: every message seen is found; with `searchedAll` (the look covered every
   * folder) every message whose deadline has passed is missing.
   */
  settle(sightings: ReadonlyMap<string, Sighting>, searchedAll: string[] | null, now: number): void {
    this.list = this.list.filter((w) => {
      const s = sightings.get(w.tag);
      if (s) {
        w.resolve(this.found(s, w.seed));
        return false;
      }
      if (searchedAll && w.deadline <= now) {
        w.resolve({ status: 'missing', searched: searchedAll });
        return false;
      }
      return true;
    });
  }

  /** Messages whose deadline is before `before` are unreachable with `error`. */
  expire(before: number, error: string, attempts: number): void {
    this.list = this.list.filter((w) => {
      if (w.deadline >= before) return true;
      w.resolve({ status: 'unreachable', error, attempts });
      return false;
    });
  }

  /** Every message still waited for is unreachable with `error`. */
  failAll(error: string, attempts: number): void {
    const list = this.list;
    this.list = [];
    for (const w of list) w.resolve({ status: 'unreachable', error, attempts });
  }
}
