/**
 * Holding an aggregate report against the test mail: for the reporter and the report's time
 * window, the test messages mailcanary sent to that receiver, grouped by the sending IP the
 * receiver saw (the acceptance hop of the evidence), next to what the report counts for that
 * IP and its DMARC-evaluated results (RFC 7489 §7.2: policy_evaluated dkim/spf are the aligned
 * results). The seed's side is made comparable the same way: a DKIM pass counts only when the
 * signing domain aligns with the From domain, an SPF pass only when the MAIL FROM (or, for a
 * null sender, HELO) domain aligns (RFC 7489 §3.1, strict when the report's adkim/aspf say `s`).
 * A raw `dkim=pass` from a third-party signature is a DMARC `fail`, as the receiver counts it.
 * Pure: the caller passes the report and the history's messages.
 *
 * Flags: `ip-absent` (test mail accepted from an IP the report does not list), `count-below-sent`
 * (the report counts fewer messages from the IP than mailcanary sent through it), and
 * `dkim-differs` / `spf-differs` / `dmarc-differs` (what the seed's Authentication-Results said
 * and what the report says share no result: e.g. every test message had dkim=pass at the seed,
 * the report has no DKIM pass for that IP).
 */
import type { MessageRecord } from '../record/index.ts';
import type { Alignment } from '../evidence/index.ts';
import type { AggregateReport } from './types.ts';

/** Where each provider preset's aggregate reports come from (org_name / contact address domains). */
export const REPORTER_DOMAINS: Readonly<Record<string, readonly string[]>> = {
  gmail: ['google.com', 'gmail.com'],
  outlook: ['microsoft.com', 'outlook.com', 'hotmail.com'],
  yahoo: ['yahoo.com', 'yahooinc.com', 'aol.com'],
  gmx: ['gmx.net', 'gmx.de', 'gmx.com'],
  webde: ['web.de'],
  tonline: ['t-online.de', 'telekom.de'],
  icloud: ['icloud.com', 'apple.com'],
  posteo: ['posteo.de'],
  mailboxorg: ['mailbox.org'],
  fastmail: ['fastmail.com', 'fastmaildmarc.com', 'messagingengine.com'],
};

export type HoldFlag = 'ip-absent' | 'count-below-sent' | 'dkim-differs' | 'spf-differs' | 'dmarc-differs';

export interface HeldRow {
  ip: string;
  /** test messages mailcanary sent that the receiver accepted from this IP, in the window */
  sent: number;
  /**
   * the seeds' results made DMARC-aligned (method → result → count); `unknown` when the stored
   * evidence has no per-signature detail to align
   */
  seen: Record<'dkim' | 'spf' | 'dmarc', Record<string, number>>;
  /** what the report says for the IP, or null when the IP is not in it */
  reported: {
    count: number;
    dkim: Record<string, number>;
    spf: Record<string, number>;
    dmarc: Record<string, number>;
    disposition: Record<string, number>;
  } | null;
  flags: HoldFlag[];
}

export interface Held {
  reporter: string;
  reportId: string;
  domain: string;
  begin: string;
  end: string;
  /** test messages to this receiver in the window without a known sending IP (missing, rejected early) */
  unattributed: number;
  rows: HeldRow[];
}

const domainOf = (s: string | null | undefined): string => (s ?? '').split('@').pop()!.trim().toLowerCase();
const within = (d: string, parent: string): boolean => !!d && !!parent && (d === parent || d.endsWith('.' + parent));

/** Does this history message belong to the receiver that wrote the report? */
export function sentToReporter(m: MessageRecord, report: Pick<AggregateReport, 'orgName' | 'orgEmail'>): boolean {
  const reporterDomains = [domainOf(report.orgEmail), (report.orgName ?? '').trim().toLowerCase()].filter((d) => /^[a-z0-9.-]+\.[a-z]+$/.test(d));
  const known = REPORTER_DOMAINS[m.provider] ?? [];
  const seedDomain = domainOf(m.address);
  return reporterDomains.some((r) => known.some((k) => within(r, k)) || within(seedDomain, r) || within(r, seedDomain));
}

function bump(t: Record<string, number>, k: string | null | undefined, n = 1): void {
  const key = (k ?? 'none').toLowerCase();
  t[key] = (t[key] ?? 0) + n;
}

interface EvidenceLike {
  fromDomain?: string;
  received?: { acceptance?: { ip?: { address?: string } } };
  dkim?: { result?: string; alignment?: Alignment }[];
  spf?: { result?: string; alignment?: Alignment };
  dmarc?: { result?: string };
}

const alignedWith = (a: Alignment | undefined, mode: string): boolean => a === 'strict' || (a === 'relaxed' && mode.toLowerCase() !== 's');
const isPass = (r: string | undefined): boolean => (r ?? '').toLowerCase() === 'pass';

/**
 * What the seed saw as the receiver's DMARC evaluation counts it (RFC 7489 §7.2 policy_evaluated):
 * dkim pass when a passing signature aligns, spf pass when a passing SPF identity aligns, dmarc
 * the seed's own DMARC result, else either aligned pass (§6.6.2).
 */
export function alignedSeen(evidence: unknown, adkim: string, aspf: string): Record<'dkim' | 'spf' | 'dmarc', string> {
  const ev = (evidence ?? {}) as EvidenceLike;
  if (!Array.isArray(ev.dkim)) return { dkim: 'unknown', spf: 'unknown', dmarc: ev.dmarc?.result?.toLowerCase() ?? 'unknown' };
  const dkim = ev.dkim.some((s) => isPass(s.result) && alignedWith(s.alignment, adkim)) ? 'pass' : 'fail';
  const spf = isPass(ev.spf?.result) && alignedWith(ev.spf?.alignment, aspf) ? 'pass' : 'fail';
  const dmarc = ev.dmarc?.result?.toLowerCase() ?? (dkim === 'pass' || spf === 'pass' ? 'pass' : 'fail');
  return { dkim, spf, dmarc };
}

const differs = (seen: Record<string, number>, reported: Record<string, number>): boolean => {
  const s = Object.keys(seen).filter((k) => k !== 'none' && k !== 'unknown');
  const r = Object.keys(reported);
  return s.length > 0 && r.length > 0 && !s.some((k) => r.includes(k));
};

/** Holds one aggregate report against the history's messages. */
export function holdAgainst(report: AggregateReport, messages: MessageRecord[]): Held {
  const from = Date.parse(report.begin);
  const to = Date.parse(report.end);
  const domain = report.policy.domain.toLowerCase();
  const byIp = new Map<string, HeldRow>();
  let unattributed = 0;
  for (const m of messages) {
    if (m.submittedAt === undefined || m.submittedAt < from || m.submittedAt > to + 999) continue;
    if (!sentToReporter(m, report)) continue;
    const ev = (m.evidence ?? {}) as EvidenceLike;
    if (ev.fromDomain && !within(ev.fromDomain.toLowerCase(), domain)) continue;
    const ip = ev.received?.acceptance?.ip?.address;
    if (!ip) {
      unattributed++;
      continue;
    }
    let row = byIp.get(ip);
    if (!row) byIp.set(ip, (row = { ip, sent: 0, seen: { dkim: {}, spf: {}, dmarc: {} }, reported: null, flags: [] }));
    row.sent++;
    const seen = alignedSeen(m.evidence, report.policy.adkim, report.policy.aspf);
    for (const k of ['dkim', 'spf', 'dmarc'] as const) bump(row.seen[k], seen[k]);
  }
  for (const r of report.records) {
    const row = byIp.get(r.sourceIp);
    if (!row) continue;
    const rep = (row.reported ??= { count: 0, dkim: {}, spf: {}, dmarc: {}, disposition: {} });
    rep.count += r.count;
    bump(rep.dkim, r.dkim, r.count);
    bump(rep.spf, r.spf, r.count);
    // RFC 7489 §6.6.2: DMARC passes when either aligned identifier passes
    bump(rep.dmarc, r.dkim === 'pass' || r.spf === 'pass' ? 'pass' : 'fail', r.count);
    bump(rep.disposition, r.disposition, r.count);
  }
  for (const row of byIp.values()) {
    if (!row.reported) {
      row.flags.push('ip-absent');
      continue;
    }
    if (row.reported.count < row.sent) row.flags.push('count-below-sent');
    if (differs(row.seen.dkim, row.reported.dkim)) row.flags.push('dkim-differs');
    if (differs(row.seen.spf, row.reported.spf)) row.flags.push('spf-differs');
    if (differs(row.seen.dmarc, row.reported.dmarc)) row.flags.push('dmarc-differs');
  }
  return {
    reporter: report.orgName ?? domainOf(report.orgEmail),
    reportId: report.reportId,
    domain,
    begin: report.begin,
    end: report.end,
    unattributed,
    rows: [...byIp.values()].sort((a, b) => a.ip.localeCompare(b.ip)),
  };
}
