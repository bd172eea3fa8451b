import type { Seed } from '../config/seeds.ts';
import type { Delivery, Placement, SentMessage } from '../model.ts';
import type { WatchResult } from '../watch/seed-watcher.ts';

/**
 * Turns what happened to one message into its Delivery record and verdict. Pure.
 * Submission problems decide first (the message never left), then what the watcher saw.
 */
export function deliveryFrom(input: {
  seed: Seed;
  sent: SentMessage;
  expected: Placement;
  lab: boolean;
  watch?: WatchResult;
}): Delivery {
  const { seed, sent, expected, lab, watch } = input;
  const base = {
    lab,
    runId: sent.runId,
    seedId: seed.id,
    provider: seed.provider,
    variant: sent.variant,
    tag: sent.tag,
    expected,
    sent,
  };
  if (sent.submitError) {
    const e = sent.submitError;
    const code = [e.responseCode, e.enhancedStatus].filter(Boolean).join(' ');
    return {
      ...base,
      verdict: e.kind,
      detail:
        e.kind === 'rejected'
          ? `your server refused the message at ${e.command ?? 'submission'}: ${code ? `${code} ` : ''}${e.message}`
          : `could not submit to your server${e.command ? ` (${e.command})` : ''}: ${e.message}`,
    };
  }
  if (!watch) return { ...base, verdict: 'missing', detail: 'not watched' };
  switch (watch.status) {
    case 'found': {
      const s = watch.sighting;
      const after = s.internalDate ? Math.max(0, Math.round((s.internalDate - sent.submittedAt) / 100) / 10) : undefined;
      return {
        ...base,
        verdict: s.placement,
        sighting: s,
        detail: `found in ${s.folder}${after !== undefined ? ` ${after}s after submission` : ''}`,
      };
    }
    case 'missing':
      return {
        ...base,
        verdict: 'missing',
        detail: `not found within ${seed.timeoutSeconds}s in ${watch.searched.length} folder(s): ${watch.searched.join(', ')}`,
      };
    case 'unreachable':
      return { ...base, verdict: 'seed-unreachable', detail: `seed mailbox could not be read after ${watch.attempts} attempt(s): ${watch.error}` };
  }
}
