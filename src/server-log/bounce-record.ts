/**
 * A test message's outcome in the server's log as the pipeline's BounceRecord, so a refusal
 * the log shows counts like one a DSN reports: the receiver's reply, the classifier's reason
 * and its advice. Pure.
 */
import type { BounceRecord } from '../model.ts';
import type { ServerLogSummary } from './types.ts';
import type { SenderSide } from './read.ts';
import type { RecipientOutcome } from './timeline.ts';

/** The outcome for recipient `to` (the seed address), if the log has one. */
export function outcomeFor(side: SenderSide, to: string): RecipientOutcome | undefined {
  const want = to.toLowerCase();
  return side.outcomes.find((o) => o.to.toLowerCase() === want) ?? (side.outcomes.length === 1 ? side.outcomes[0] : undefined);
}

/** The summary a Delivery carries of its message's lines in the server's log. */
export function serverLogSummary(side: SenderSide, to: string): ServerLogSummary {
  const o = outcomeFor(side, to);
  const last = o?.steps[o.steps.length - 1];
  return {
    queueId: side.queueId,
    status: o?.status ?? 'queued',
    attempts: o?.attempts ?? 0,
    ...(o?.headline ? { headline: o.headline } : {}),
    ...(o?.shape ? { shape: o.shape } : {}),
    ...(last?.relay ? { relay: last.relay } : {}),
    ...(last?.family ? { family: last.family } : {}),
  };
}

/** A BounceRecord for a refusal the log shows (deferred, bounced or expired); none for a delivery. */
export function bounceRecordFromLog(side: SenderSide, to: string): BounceRecord | undefined {
  const o = outcomeFor(side, to);
  const f = o?.lastFailure;
  if (!o || !f || o.status === 'sent' || o.status === 'queued' || o.status === 'other') return undefined;
  const at = [...o.steps].reverse().find((s) => s.status !== 'sent' && s.status !== 'notice')?.at;
  return {
    state: o.status === 'deferred' ? 'deferred' : 'bounced',
    source: 'server-log',
    receivedAt: at ?? 0,
    reason: f.assessment?.reason ?? (o.status === 'expired' ? 'expired' : 'undefined'),
    hardBounce: f.assessment?.hardBounce ?? (o.status === 'deferred' ? false : null),
    ...((f.dsn ?? f.reply.status) ? { status: f.dsn ?? f.reply.status } : {}),
    ...(f.reply.replyCode ? { replyCode: f.reply.replyCode } : {}),
    diagnostic: f.reply.text,
    ...(f.reply.host ? { remoteMta: f.reply.host } : {}),
    advice: f.assessment?.advice ?? [],
  };
}
