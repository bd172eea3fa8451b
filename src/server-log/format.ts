/**
 * The reading as text for a terminal: the sender's side of each test message, then the
 * rejections of real mail and the outbound volume. Pure; addresses arrive already masked.
 */
import type { RejectionGroup } from './rejections.ts';
import type { SenderSide } from './read.ts';
import type { OutboundVolume } from './volume.ts';
import type { ParseStats } from './types.ts';

/** `2026-12-02T01:26:10Z`: whole seconds (the log's own precision), the one time form of every terminal line. */
export const logTime = (ms: number | undefined) => (ms === undefined ? '?' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

export function formatSenderSide(label: string, side: SenderSide | undefined, queueId: string | undefined): string[] {
  if (!queueId) return [`${label}: the submission server named no queue id, so its log cannot be matched`];
  if (!side) return [`${label} (queue id ${queueId}): not in the log read`];
  if (!side.outcomes.length) return [`${label} (queue id ${queueId}): queued, no delivery attempt logged yet`];
  const out: string[] = [];
  for (const o of side.outcomes) {
    const fam = o.lastFailure?.family ?? o.steps[o.steps.length - 1]?.family;
    out.push(
      `${label} (queue id ${queueId}): ${o.headline ?? o.status}${fam ? ` [${fam === 'ipv6' ? 'IPv6' : 'IPv4'}]` : ''}${o.shape ? ` — ${o.shape}` : ''}`,
    );
    const a = o.lastFailure?.assessment;
    if (a && o.status !== 'sent') out.push(`    reason: ${a.reason}${a.advice[0] ? ` — ${a.advice[0].meaning} What to do: ${a.advice[0].action}` : ''}`);
  }
  return out;
}

export function formatRejections(groups: RejectionGroup[]): string[] {
  if (!groups.length) return ['no bounced, deferred or expired deliveries in the window'];
  return groups.flatMap((g) => [
    `${g.domain}: ${g.status}, ${g.messages} message(s), ${g.attempts} attempt(s), reason ${g.reason} (${logTime(g.firstAt)} … ${logTime(g.lastAt)})`,
    `    ${g.example || '(no reply logged)'}`,
    ...(g.advice ? [`    what to do: ${g.advice.action}`] : []),
  ]);
}

export function formatVolume(v: OutboundVolume): string[] {
  const out = [
    `outbound: ${v.messages} message(s) to ${v.recipients} recipient(s); written by the server itself: ${v.selfGenerated.messages} (${Math.round(v.selfGenerated.share * 100)} %)`,
  ];
  for (const s of v.bySender.slice(0, 10)) out.push(`    from ${s.key}: ${s.messages}`);
  for (const d of v.byDomain.slice(0, 10)) out.push(`    to ${d.key}: ${d.messages}`);
  if (v.warning) out.push(`warning: ${v.warning}`);
  return out;
}

export function formatStats(source: string, s: ParseStats): string {
  return `${source}: ${s.lines} line(s), ${s.used} used, ${s.ignored} of other programs, ${s.garbage} unreadable, ${s.truncated} cut off, ${s.tooLong} too long, ${s.rotations} rotation(s)`;
}
