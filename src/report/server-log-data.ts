/**
 * The report's "Rejections of your real mail" data: the server-log reading recorded with the
 * run shown (record/server-log-store.ts), each rejection group marked when its domain newly
 * refuses (the gate's rule, against each domain's answer when an earlier reading last mailed
 * it), and the outbound volume. Everything
 * here came from a log of mail from and to strangers: every string is made visible (visible.ts)
 * and the views write it as text only.
 */
import { newlyRejecting, rejectionCategory } from '../gate/index.ts';
import { previousServerLogReading, serverLogBaseline, serverLogReading } from '../record/index.ts';
import type { HistoryStore } from '../record/index.ts';
import { visible, visibleDeep } from './visible.ts';

export interface RealMailGroup {
  domain: string;
  status: string;
  reason: string;
  /** reputation / authentication / policy, or '' for refusals about one recipient */
  category: string;
  messages: number;
  attempts: number;
  firstAt?: number;
  lastAt?: number;
  example: string;
  advice?: { meaning: string; action: string; provider: string };
  recipients: string[];
  relays: string[];
  /** the domain refuses for this kind of reason now and did not in the previous reading */
  isNew: boolean;
}

export interface RealMailData {
  source: string;
  since: number;
  until: number;
  basis: string;
  /** lines read, unreadable, cut off, rotations */
  stats: { lines: number; garbage: number; truncated: number; rotations: number };
  /** the previous reading's run, where this window starts */
  previousRunId?: string;
  /** an earlier reading saw outbound mail, so refusals are compared (per domain, with its last answer) */
  compared: boolean;
  groups: RealMailGroup[];
  volume: {
    messages: number;
    recipients: number;
    selfMessages: number;
    selfShare: number;
    bySender: Array<{ key: string; messages: number; selfGenerated: number }>;
    byDomain: Array<{ key: string; messages: number; selfGenerated: number }>;
    warning?: string;
  };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const rows = (v: unknown) =>
  (Array.isArray(v) ? v : [])
    .slice(0, 50)
    .map((r) => ({ key: visible(String(r?.key ?? '')), messages: num(r?.messages), selfGenerated: num(r?.selfGenerated) }));

export function realMailData(store: HistoryStore, runId: string): RealMailData | undefined {
  const r = serverLogReading(store, runId);
  if (!r) return undefined;
  const prev = previousServerLogReading(store, { until: r.until, lab: r.lab, exclude: runId });
  const base = serverLogBaseline(store, { until: r.until, lab: r.lab, exclude: runId });
  const fresh = new Set(newlyRejecting(r.rejections, base?.rejections).map((n) => `${n.domain}\u0000${n.category}`));
  const v = r.volume as unknown as Record<string, unknown>;
  const self = (v.selfGenerated ?? {}) as Record<string, unknown>;
  return {
    source: visible(r.source),
    since: r.since,
    until: r.until,
    basis: r.basis,
    stats: { lines: num(r.stats.lines), garbage: num(r.stats.garbage), truncated: num(r.stats.truncated), rotations: num(r.stats.rotations) },
    ...(prev ? { previousRunId: visible(prev.runId) } : {}),
    compared: !!base,
    groups: r.rejections.map((g) => {
      const category = rejectionCategory(g.reason) ?? '';
      return {
        domain: visible(g.domain),
        status: visible(g.status),
        reason: visible(g.reason),
        category,
        messages: g.messages,
        attempts: g.attempts,
        ...(g.firstAt !== undefined ? { firstAt: g.firstAt } : {}),
        ...(g.lastAt !== undefined ? { lastAt: g.lastAt } : {}),
        example: visible(g.example),
        ...(g.advice
          ? {
              advice: visibleDeep({
                meaning: String(g.advice.meaning ?? ''),
                action: String(g.advice.action ?? ''),
                provider: String(g.advice.provider ?? ''),
              }) as RealMailGroup['advice'],
            }
          : {}),
        recipients: g.recipients.map(visible),
        relays: g.relays.map(visible),
        isNew: !!category && fresh.has(`${g.domain}\u0000${category}`),
      };
    }),
    volume: {
      messages: num(v.messages),
      recipients: num(v.recipients),
      selfMessages: num(self.messages),
      selfShare: num(self.share),
      bySender: rows(v.bySender),
      byDomain: rows(v.byDomain),
      ...(typeof v.warning === 'string' ? { warning: visible(v.warning) } : {}),
    },
  };
}
