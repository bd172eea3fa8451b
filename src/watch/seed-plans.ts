/**
 * Folder plans of the seeds sharing one IMAP account (plus-addressed seeds in one mailbox). They
 * share one watcher and one connection, but which folder is spam is each seed's own setting: a
 * message is placed by the plan of the seed it was sent to, never by whichever seed came first in
 * the seeds file. The watcher searches the union: INBOX, every seed's spam folders, the rest.
 */
import type { Seed } from '../config/index.ts';
import type { Sighting } from '../model.ts';
import { placementOf, planFolders, type FolderInfo, type FolderPlan } from './folders.ts';

export class SeedPlans {
  private readonly seeds = new Map<string, Seed>();
  private readonly plans = new Map<string, FolderPlan>();
  private searchPlan: FolderPlan | null = null;
  /** the account's folders (LIST), once connected */
  private list: FolderInfo[] | null = null;

  constructor(first: Seed) {
    this.seeds.set(first.id, first);
  }

  add(seed: Seed): void {
    if (this.seeds.has(seed.id)) return;
    this.seeds.set(seed.id, seed);
    this.searchPlan = null;
  }

  /** Is `seedId` one of the seeds of this account? */
  has(seedId: string): boolean {
    return this.seeds.has(seedId);
  }

  get listed(): boolean {
    return this.list !== null;
  }

  setList(list: FolderInfo[]): void {
    this.list = list;
  }

  /** What the watcher searches, once the folders are listed. */
  get search(): FolderPlan | null {
    if (!this.list) return null;
    this.searchPlan ??= planFolders(this.list, [...new Set([...this.seeds.values()].flatMap((s) => s.spamFolders))]);
    return this.searchPlan;
  }

  /** The sighting as `seed` sees it: its placement follows from the folder and the seed's own plan. */
  placeFor(s: Sighting, seed: Seed): Sighting {
    if (!this.list || !s.folder) return s;
    let plan = this.plans.get(seed.id);
    if (!plan) this.plans.set(seed.id, (plan = planFolders(this.list, seed.spamFolders)));
    return { ...s, placement: placementOf(plan, s.folder) };
  }
}
