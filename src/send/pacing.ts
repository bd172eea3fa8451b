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
