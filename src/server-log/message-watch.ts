/**
 * One test message's wait on the followed log: each new refusal is reported as it is logged
 * (the receiver's reply, the timeline shape after several attempts, the classifier's advice),
 * and a final refusal (bounced, expired) ends the wait with a BounceRecord, as a DSN would.
 * Ends with nothing at the deadline, when `until` settles (the message was found) or when the
 * log cannot be read (then `failure` says why).
 */
import type { BounceRecord } from '../model.ts';
import { clipWords } from '../shared/clip.ts';
import { bounceRecordFromLog, outcomeFor } from './bounce-record.ts';
import type { LogFollower } from './follow.ts';
import { describeReply, type RecipientOutcome } from './timeline.ts';

const CATCH_UP_MS = 5_000;

export interface LogUpdate {
  /** `deferred: mx… refused to talk to me: 554 … (BL) — advice`; after several attempts `deferred 4xx ×2 → bounced 5xx: …` */
  line: string;
  outcome: RecipientOutcome;
  /** the injected clock's time the line was seen */
  seenAt: number;
}

export interface MessageLogWait {
  record: BounceRecord | null;
  failure?: unknown;
  updates: LogUpdate[];
}

/** The readable line for an outcome that is not a delivery. */
export function describeOutcome(o: RecipientOutcome): string | undefined {
  if (!o.headline || !o.lastFailure) return undefined;
  const advice = o.lastFailure.assessment?.advice[0];
  // after several attempts their shape leads (`deferred 4xx ×3 → bounced 5xx: …`): the timeline first, the last reply after it
  const head = o.shape ? `${o.shape}: ${describeReply(o.lastFailure.reply)}` : o.headline;
  return clipWords(`${head}${advice ? ` — ${advice.meaning} What to do: ${advice.action}` : ''}`, 600);
}

export function watchMessageLog(
  follower: LogFollower,
  m: { queueId: string; to: string; deadline: number },
  opts: { now?: () => number; until?: Promise<unknown>; onUpdate?: (u: LogUpdate) => void } = {},
): Promise<MessageLogWait> {
  const now = opts.now ?? Date.now;
  const updates: LogUpdate[] = [];
  return new Promise((resolve) => {
    let shown = '';
    let finished = false;
    const finish = (r: Omit<MessageLogWait, 'updates'>) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      unsubscribe();
      resolve({ ...r, updates });
    };
    const check = () => {
      if (finished) return;
      if (follower.failure !== undefined) return finish({ record: null, failure: follower.failure });
      const side = follower.side(m.queueId);
      const o = side && outcomeFor(side, m.to);
      if (!side || !o) return;
      // one line per change of status or reply: a run of 4xx before a 5xx reads as a timeline,
      // a server retrying with the same answer every few minutes does not repeat it
      const f = o.lastFailure;
      const key = `${o.status}|${f?.reply.replyCode ?? ''}|${f?.reply.text ?? ''}`;
      const line = describeOutcome(o);
      if (line && key !== shown) {
        shown = key;
        const u = { line, outcome: o, seenAt: now() };
        updates.push(u);
        opts.onUpdate?.(u);
      }
      if (o.status === 'bounced' || o.status === 'expired') finish({ record: bounceRecordFromLog(side, m.to) ?? null });
    };
    // a wait that ends (deadline, message found) still states what the log shows by then
    // (once the follower has read the log's backlog, for at most CATCH_UP_MS: a new worker's
    // follower may have started just now)
    const end = () => {
      if (finished) return;
      const last = () => {
        check();
        finish({ record: null });
      };
      const bound = setTimeout(last, CATCH_UP_MS);
      void follower.caughtUp.then(() => {
        clearTimeout(bound);
        last();
      });
    };
    // (setTimeout holds at most 2^31-1 ms; a longer wait is re-armed)
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      const left = m.deadline - now();
      timer = left > 0x7fffffff ? setTimeout(arm, 0x7fffffff) : setTimeout(end, Math.max(0, left));
    };
    arm();
    const unsubscribe = follower.subscribe(m.queueId, check);
    opts.until?.then(end, end);
  });
}
