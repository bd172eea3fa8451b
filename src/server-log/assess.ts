/**
 * What a remote's refusal means: the bounce classifier's reason and its advice, from the
 * remote's own reply text, its enhanced status (or Postfix's `dsn=`), reply code and SMTP stage.
 */
import { adviceFor, classify } from '../classify/index.ts';
import type { Advice } from '../classify/index.ts';
import type { RemoteReply } from './types.ts';

export interface Assessment {
  /** classifier reason vocabulary: blocked, badreputation, userunknown, … */
  reason: string;
  /** true = permanent, false = temporary, null = unknown */
  hardBounce: boolean | null;
  advice: Advice[];
}

// A busy server's log repeats the same refusals (greylisting, one provider's block text)
// thousands of times; the knowledge-base lookup runs once per distinct reply.
const cache = new Map<string, Assessment>();
const CACHE_MAX = 4096;

export function assessReply(reply: RemoteReply, dsn?: string): Assessment {
  const key = `${reply.text}\u0000${reply.status ?? dsn ?? ''}\u0000${reply.replyCode ?? ''}\u0000${reply.command ?? ''}\u0000${reply.host ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const a = assessUncached(reply, dsn);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, a);
  return a;
}

function assessUncached(reply: RemoteReply, dsn?: string): Assessment {
  const status = reply.status ?? dsn;
  const { reason, hardBounce } = classify({ diagnostic: reply.text, status, replyCode: reply.replyCode, command: reply.command, diagnosticType: 'smtp' });
  const advice = adviceFor({ diagnostic: reply.text, status, replyCode: reply.replyCode, remoteMta: reply.host });
  // a provider-specific knowledge-base entry knows the provider's wording better than the
  // generic reading (Telekom's `A problem occurred … (BL)` is a block, whatever its code says)
  const specific = advice.find((a) => a.provider !== 'generic');
  return { reason: specific?.reason ?? reason, hardBounce, advice };
}
