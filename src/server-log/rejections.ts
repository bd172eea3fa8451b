/**
 * Rejections of the user's real mail: every bounced, deferred or expired delivery in the
 * window, to any recipient domain, grouped by remote domain and reason, with the classifier's
 * advice. Counts distinct messages (a message deferred ten times is one message, ten attempts).
 * Addresses are masked unless `showLocalParts` (src/server-log/privacy.ts).
 */
import type { Advice } from '../classify/index.ts';
import type { MessageTrail } from './correlate.ts';
import { domainOf, maskAddress, maskText } from './privacy.ts';
import { isOutbound } from './outbound.ts';
import { describeReply, recipientOutcomes } from './timeline.ts';

export interface RejectionGroup {
  domain: string;
  reason: string;
  /** the worst outcome in the group: bounced > expired > deferred */
  status: 'bounced' | 'expired' | 'deferred';
  messages: number;
  attempts: number;
  hardBounce: boolean | null;
  firstAt?: number;
  lastAt?: number;
  /** remote hosts that answered (up to 5) */
  relays: string[];
  /** one reply of the group with who said it and when (`mx.example.net said after RCPT: 550 …`), addresses masked unless shown */
  example: string;
  /** the same reply's own text (`550 5.7.1 …`), masked alike */
  reply?: string;
  dsn?: string;
  replyCode?: number;
  advice?: Advice;
  /** recipients, masked unless shown (up to 20) */
  recipients: string[];
}

export interface RejectionOptions {
  since?: number;
  until?: number;
  showLocalParts?: boolean;
  /** only outbound deliveries (Postfix smtp/relay, Exim remote transports); default true */
  outboundOnly?: boolean;
}

const RANK = { deferred: 0, expired: 1, bounced: 2 } as const;

export class RejectionCollector {
  private readonly groups = new Map<string, RejectionGroup>();
  private readonly opts: RejectionOptions;

  constructor(opts: RejectionOptions = {}) {
    this.opts = opts;
  }

  private inWindow(at: number | undefined): boolean {
    if (at === undefined) return true;
    return (this.opts.since === undefined || at >= this.opts.since) && (this.opts.until === undefined || at <= this.opts.until);
  }

  add(trail: MessageTrail): void {
    const show = !!this.opts.showLocalParts;
    // each trail is added once, so a group counts it once however many of its recipients fall in it
    const counted = new Set<string>();
    for (const r of recipientOutcomes(trail)) {
      const failures = trail.attempts.filter(
        (a) =>
          a.to === r.to &&
          a.status !== 'sent' &&
          a.status !== 'other' &&
          this.inWindow(a.at) &&
          (this.opts.outboundOnly === false || isOutbound(a.transport, a.relay)),
      );
      if (!failures.length) continue;
      const last = failures[failures.length - 1];
      const status: RejectionGroup['status'] = r.status === 'bounced' || r.status === 'expired' ? r.status : last.status === 'bounced' ? 'bounced' : 'deferred';
      const domain = domainOf(r.to);
      const reason = last.assessment?.reason ?? (status === 'expired' ? 'expired' : 'undefined');
      const key = `${domain}\u0000${reason}`;
      let g = this.groups.get(key);
      if (!g) {
        g = { domain, reason, status, messages: 0, attempts: 0, hardBounce: last.assessment?.hardBounce ?? null, relays: [], example: '', recipients: [] };
        this.groups.set(key, g);
      }
      if (RANK[status] > RANK[g.status]) g.status = status;
      if (!counted.has(key)) {
        counted.add(key);
        g.messages++;
      }
      g.attempts += failures.length;
      for (const a of failures) {
        if (a.at !== undefined) {
          if (g.firstAt === undefined || a.at < g.firstAt) g.firstAt = a.at;
          if (g.lastAt === undefined || a.at > g.lastAt) g.lastAt = a.at;
        }
        const host = a.reply?.host ?? a.relay?.host;
        if (host && g.relays.length < 5 && !g.relays.includes(host)) g.relays.push(host);
      }
      if (last.reply && (!g.example || RANK[status] >= RANK[g.status])) {
        const quoted = [r.to, ...(last.origTo ? [last.origTo] : [])];
        g.example = maskText(describeReply(last.reply), quoted, show);
        g.reply = maskText(last.reply.text, quoted, show);
        g.dsn = last.dsn ?? last.reply.status;
        g.replyCode = last.reply.replyCode;
        if (last.assessment) g.hardBounce = last.assessment.hardBounce;
      }
      if (!g.advice && last.assessment?.advice[0]) g.advice = last.assessment.advice[0];
      const who = maskAddress(r.to, show);
      if (g.recipients.length < 20 && !g.recipients.includes(who)) g.recipients.push(who);
    }
  }

  /** Groups by message count, the most affected first. */
  result(): RejectionGroup[] {
    return [...this.groups.values()].sort((a, b) => b.messages - a.messages || RANK[b.status] - RANK[a.status] || a.domain.localeCompare(b.domain));
  }
}
