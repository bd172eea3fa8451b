/**
 * Rotation across runs. Every sender's mail to a seed counts against the seed provider's daily
 * budget (the provider sees one mailbox receiving test mail, whoever signs it). When the full
 * seed × sender × variant × path matrix sent on every scheduled run would go over a seed's
 * budget, the matrix is split into parts and each run sends one part: every combination is
 * covered once per cycle of parts, and no UTC day ever holds more than a seed's budget.
 *
 * Pure, clock injected: the part of a run follows from the UTC date and the run's slot in the
 * day (MAILCANARY_RUNS_PER_DAY slots), so shards and reruns of one run send the same part.
 */

export interface RotationCell {
  seedId: string;
  variant: string;
  path?: string;
  sender?: string;
}

export interface RotationPlan<C extends RotationCell> {
  /** number of parts: the cycle of runs that covers the whole matrix (1 = no rotation) */
  parts: number;
  /** part of this run, 0-based */
  part: number;
  /** the cells this run sends */
  cells: C[];
  /** the cells left to other runs of the cycle */
  later: C[];
  /** the part of each cell of the input, in input order */
  partOf: number[];
}

const DAY_MS = 86_400_000;

/** The run's number since the epoch: its UTC day × runs a day + its slot in the day. */
export function runNumber(now: number, runsPerDay: number): number {
  const day = Math.floor(now / DAY_MS);
  const slot = Math.min(runsPerDay - 1, Math.floor(((now - day * DAY_MS) / DAY_MS) * runsPerDay));
  return day * runsPerDay + slot;
}

/** The part of each of `n` cells of one seed when the matrix is split into `parts`: evenly spread. */
function spread(n: number, parts: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor((i * parts) / n));
}

/**
 * Whether the parts keep a seed within budget on every day: a day is `runsPerDay` consecutive
 * parts of the cycle; every start is checked, so the answer holds whatever the date.
 */
function fits(partsOfSeed: number[], parts: number, runsPerDay: number, perDay: number): boolean {
  const load = new Array<number>(parts).fill(0);
  for (const p of partsOfSeed) load[p]++;
  for (let start = 0; start < parts; start++) {
    let sum = 0;
    for (let k = 0; k < runsPerDay; k++) sum += load[(start + k) % parts];
    if (sum > perDay) return false;
  }
  return true;
}

/**
 * Splits the cells into the fewest parts that keep every seed within `budgetOf(seedId)` messages
 * a day at `runsPerDay` runs, and picks this run's part from the clock. A seed without a budget
 * limits nothing. Throws only for a schedule no rotation can meet (a budget below one message a day).
 */
export function planRotation<C extends RotationCell>(
  cells: readonly C[],
  o: { budgetOf: (seedId: string) => number | undefined; runsPerDay: number; now: number },
): RotationPlan<C> {
  const bySeed = new Map<string, number[]>();
  cells.forEach((c, i) => bySeed.set(c.seedId, [...(bySeed.get(c.seedId) ?? []), i]));
  for (const seedId of bySeed.keys()) {
    const b = o.budgetOf(seedId);
    if (b !== undefined && b < 1) throw new Error(`seed ${seedId} has a daily budget of ${b} messages: it cannot be mailed at all`);
  }
  // at most one message per seed per run in the worst case: runsPerDay × largest seed count parts suffice
  const most = Math.max(0, ...[...bySeed.values()].map((v) => v.length));
  const bound = Math.max(1, most * o.runsPerDay);
  let parts = 1;
  for (; parts < bound; parts++) {
    let ok = true;
    for (const [seedId, idx] of bySeed) {
      const budget = o.budgetOf(seedId);
      if (budget !== undefined && !fits(spread(idx.length, parts), parts, o.runsPerDay, budget)) {
        ok = false;
        break;
      }
    }
    if (ok) break;
  }
  const partOf = new Array<number>(cells.length).fill(0);
  for (const idx of bySeed.values()) spread(idx.length, parts).forEach((p, k) => (partOf[idx[k]] = p));
  const part = runNumber(o.now, o.runsPerDay) % parts;
  return {
    parts,
    part,
    cells: cells.filter((_, i) => partOf[i] === part),
    later: cells.filter((_, i) => partOf[i] !== part),
    partOf,
  };
}

/** The plan as the run prints it first: why it rotates, the cycle, and what this run sends. */
export function describeRotation(plan: RotationPlan<RotationCell>, runsPerDay: number): string[] {
  if (plan.parts === 1) return [];
  const total = plan.cells.length + plan.later.length;
  const days = plan.parts / runsPerDay;
  const perSeed = new Map<string, number>();
  for (const c of plan.cells) perSeed.set(c.seedId, (perSeed.get(c.seedId) ?? 0) + 1);
  return [
    `rotation: the full matrix (${total} messages) on every one of ${runsPerDay} run(s) a day would go over a seed's daily budget;` +
      ` it is sent in ${plan.parts} parts, one per run (every combination once in ${Number.isInteger(days) ? days : days.toFixed(1)} day(s))`,
    `rotation: this run sends part ${plan.part + 1} of ${plan.parts}: ${plan.cells.length} message(s) (${[...perSeed].map(([s, n]) => `${s} ${n}`).join(', ')})`,
  ];
}
