import type { Seed } from '../config/index.ts';

/**
 * Politeness towards the seed providers. Big providers watch for patterns: many messages in a
 * burst to one mailbox, or the same sender mailing one account many times a day, look like a
 * spam run and hurt the reputation mailcanary is there to measure.
 */

/** ms to wait between two messages to the same seed, from the preset's per-minute limit. */
export function gapMs(seed: Pick<Seed, 'politeness'>, lab: boolean): number {
  const perMinute = seed.politeness?.maxMessagesPerMinute;
  if (lab || !perMinute || perMinute <= 0) return 0;
  return Math.ceil(60_000 / perMinute);
}

/**
 * When each planned message may leave, as an offset from the start of the run: the k-th message
 * to a seed waits k gaps. Messages to different seeds are not held back by each other.
 */
export function sendOffsets(plan: ReadonlyArray<{ seedId: string }>, gapOf: (seedId: string) => number): number[] {
  const count = new Map<string, number>();
  return plan.map((p) => {
    const k = count.get(p.seedId) ?? 0;
    count.set(p.seedId, k + 1);
    return k * gapOf(p.seedId);
  });
}

/**
 * Warns when the configured schedule would mail one seed more often a day than its provider's
 * preset considers safe (MAILCANARY_RUNS_PER_DAY × variants).
 */
export function scheduleWarnings(seeds: ReadonlyArray<Pick<Seed, 'id' | 'providerName' | 'politeness'>>, variantsPerRun: number, runsPerDay: number): string[] {
  const out: string[] = [];
  for (const s of seeds) {
    const limit = s.politeness?.maxMessagesPerDay;
    const perDay = variantsPerRun * runsPerDay;
    if (limit && perDay > limit) {
      out.push(
        `seed ${s.id} (${s.providerName}) would get ${perDay} test messages a day (${runsPerDay} run(s) × ${variantsPerRun} variant(s)), more than the ${limit} that look natural to the provider: run less often, or send fewer variants (MAILCANARY_VARIANTS)`,
      );
    }
  }
  return out;
}
