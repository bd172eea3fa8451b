/**
 * The sender's side of one message, per recipient: every attempt in order (a run of 4xx
 * deferrals before the final 5xx shows as such: Microsoft's rate limiting before an S3150
 * block), the outcome so far, and one line saying what the receiver answered, e.g.
 * `deferred: mx00.t-online.de refused to talk to me: 554 IP=… (BL)`. Pure.
 */
import type { Assessment } from './assess.ts';
import type { Attempt, MessageTrail } from './correlate.ts';
import type { AddressFamily, AttemptStatus, RemoteReply } from './types.ts';

export interface TimelineStep {
  at?: number;
  status: AttemptStatus | 'notice';
  relay?: string;
  family?: AddressFamily;
  dsn?: string;
  replyCode?: number;
  text?: string;
}

export interface RecipientOutcome {
  to: string;
  /** the latest status; `expired` when the server gave up on a deferred recipient */
  status: AttemptStatus | 'queued';
  attempts: number;
  steps: TimelineStep[];
  /** what the receiver answered last, in one line (absent for plain deliveries without a reply) */
  headline?: string;
  /** `deferred 4xx ×3 → bounced 5xx`: the shape of the attempts when there was more than one */
  shape?: string;
  lastFailure?: { reply: RemoteReply; dsn?: string; assessment?: Assessment; family?: AddressFamily; relay?: string };
}

/** `mx00.t-online.de refused to talk to me: 554 …`, `mx.example.net said after RCPT: 550 …`. */
export function describeReply(reply: RemoteReply): string {
  const who = reply.host ? `${reply.host} ` : '';
  if (reply.replyCode === undefined) return `${who ? `${reply.host}: ` : ''}${reply.text}`.trim();
  if (reply.command === 'CONN') return `${who}refused to talk to me: ${reply.text}`;
  return `${who}said${reply.command ? ` after ${reply.command}` : ''}: ${reply.text}`;
}

/** `deferred 4xx`: the MTA's decision, and the remote's reply class where it answered. */
function classOf(a: Pick<Attempt, 'status' | 'reply'>): string {
  const code = a.reply?.replyCode;
  return code && a.status !== 'sent' ? `${a.status} ${String(code)[0]}xx` : a.status;
}

/** Runs of equal classes: `deferred 4xx ×3 → bounced 5xx`. */
function shapeOf(attempts: Attempt[]): string | undefined {
  if (attempts.length < 2) return undefined;
  const runs: Array<[string, number]> = [];
  for (const a of attempts) {
    const c = classOf(a);
    const last = runs[runs.length - 1];
    if (last && last[0] === c) last[1]++;
    else runs.push([c, 1]);
  }
  return runs.map(([c, n]) => (n > 1 ? `${c} ×${n}` : c)).join(' → ');
}

export function recipientOutcomes(trail: MessageTrail): RecipientOutcome[] {
  const byRcpt = new Map<string, Attempt[]>();
  for (const a of trail.attempts) {
    const list = byRcpt.get(a.to) ?? [];
    list.push(a);
    byRcpt.set(a.to, list);
  }
  const out: RecipientOutcome[] = [];
  for (const [to, attempts] of byRcpt) {
    const steps: TimelineStep[] = [];
    // answers logged between attempts (an MX refused, the next one was tried) name no
    // recipient; they belong to the only one there is
    const notices = byRcpt.size === 1 ? trail.notices : [];
    const all = [
      ...attempts.map((a) => ({
        at: a.at,
        step: {
          at: a.at,
          status: a.status,
          relay: a.relay?.host,
          family: a.relay?.family,
          dsn: a.dsn,
          replyCode: a.reply?.replyCode,
          text: a.reply?.text,
        } as TimelineStep,
      })),
      ...notices.map((n) => ({
        at: n.at,
        step: { at: n.at, status: 'notice', relay: n.reply.host, replyCode: n.reply.replyCode, text: n.reply.text } as TimelineStep,
      })),
    ];
    // within one second (syslog's resolution) an answer logged between attempts precedes the
    // attempt's own line: Postfix writes it before it tries the next MX
    all.sort((x, y) => (x.at ?? 0) - (y.at ?? 0) || (x.step.status === 'notice' ? -1 : 0) - (y.step.status === 'notice' ? -1 : 0));
    for (const s of all) steps.push(Object.fromEntries(Object.entries(s.step).filter(([, v]) => v !== undefined)) as unknown as TimelineStep);
    const last = attempts[attempts.length - 1];
    const failed = [...attempts].reverse().find((a) => a.status !== 'sent' && a.reply);
    let status: RecipientOutcome['status'] = last.status;
    if (status === 'deferred' && trail.expiredAt !== undefined) status = 'expired';
    const lastFailure = failed?.reply
      ? {
          reply: failed.reply,
          ...(failed.dsn ? { dsn: failed.dsn } : {}),
          ...(failed.assessment ? { assessment: failed.assessment } : {}),
          ...(failed.relay?.family ? { family: failed.relay.family } : {}),
          ...(failed.relay?.host ? { relay: failed.relay.host } : {}),
        }
      : undefined;
    const shown = last.status === 'sent' ? undefined : failed;
    const headline = shown?.reply ? `${status}: ${describeReply(shown.reply)}` : undefined;
    const shape = shapeOf(attempts);
    out.push({
      to,
      status,
      attempts: attempts.length,
      steps,
      ...(headline ? { headline } : {}),
      ...(shape ? { shape } : {}),
      ...(lastFailure ? { lastFailure } : {}),
    });
  }
  return out;
}
