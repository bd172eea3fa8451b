/**
 * What the receivers' reports say that needs the user, as one line each (the gate of the
 * reports): a new unknown source sending as the domain, the DMARC pass rate of the user's own
 * sources below a threshold, TLS sessions that failed (RFC 8460 §4.3 result types), and a
 * reporter that stopped reporting. Pure: the caller passes the reports and the classified
 * sources; the clock is injected.
 */
import type { SourceRow } from './sources.ts';
import type { AggregateReport, TlsReport } from './types.ts';
import { orgKey } from './store.ts';

export type ReportFindingKind = 'new-unknown-source' | 'pass-rate' | 'tls-failures' | 'reporter-silent';

export interface ReportFinding {
  kind: ReportFindingKind;
  line: string;
}

export interface FindingInput {
  now: number;
  /** aggregate reports of the window looked at, and those before it (what was known) */
  current: readonly AggregateReport[];
  earlier: readonly AggregateReport[];
  /** TLS reports of the window */
  tls: readonly TlsReport[];
  /** the sources of `current`, classified */
  sources: readonly SourceRow[];
  /** lowest acceptable DMARC pass rate of the own sources, 0–1 (default 0.98) */
  passRateMin?: number;
  /** a reporter silent for longer than this many days has stopped (default 3) */
  silentDays?: number;
}

const DAY = 86_400_000;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function reportFindings(input: FindingInput): ReportFinding[] {
  const out: ReportFinding[] = [];
  const known = new Set(input.earlier.flatMap((r) => r.records.map((x) => x.sourceIp)));
  for (const s of input.sources) {
    if (s.class !== 'unknown' || known.has(s.ip)) continue;
    const what =
      s.finding === 'unknown-passing' ? `${s.dmarcPass} of them passing DMARC: a leaked account or a service you forgot` : 'none passing DMARC: spoofing';
    out.push({
      kind: 'new-unknown-source',
      line: `new unknown source ${s.ip}${s.ptr ? ` (${s.ptr})` : ''} sent ${s.messages} message(s) as your domain, ${what} (reported by ${s.reporters.join(', ')})`,
    });
  }
  const own = input.sources.filter((s) => s.class === 'own');
  const total = own.reduce((n, s) => n + s.messages, 0);
  const pass = own.reduce((n, s) => n + s.dmarcPass, 0);
  const min = input.passRateMin ?? 0.98;
  if (total > 0 && pass / total < min) {
    out.push({
      kind: 'pass-rate',
      line: `DMARC pass rate of your own sources is ${pct(pass / total)} (${pass} of ${total} messages), below ${pct(min)}: check SPF and DKIM of ${own
        .filter((s) => s.dmarcFail > 0)
        .map((s) => s.ip)
        .join(', ')}`,
    });
  }
  for (const t of input.tls) {
    for (const p of t.policies) {
      if (p.failed <= 0) continue;
      const types = new Map<string, number>();
      for (const d of p.failureDetails) types.set(d.resultType, (types.get(d.resultType) ?? 0) + d.failedSessionCount);
      const detail = [...types].map(([k, n]) => `${k} ×${n}`).join(', ') || 'no details';
      out.push({
        kind: 'tls-failures',
        line: `TLS: ${p.failed} of ${p.failed + p.successful} session(s) to ${p.policyDomain} (${p.policyType}) failed, ${detail} (reported by ${t.organizationName} for ${t.begin} – ${t.end})`,
      });
    }
  }
  const last = new Map<string, { name: string; end: number }>();
  for (const r of [...input.earlier, ...input.current]) {
    const key = orgKey(r.orgName, r.orgEmail);
    const end = Date.parse(r.end);
    const prev = last.get(key);
    if (!prev || prev.end < end) last.set(key, { name: r.orgName ?? key, end });
  }
  const silent = (input.silentDays ?? 3) * DAY;
  for (const { name, end } of last.values()) {
    if (input.now - end > silent) {
      out.push({
        kind: 'reporter-silent',
        line: `${name} has sent no aggregate report since ${new Date(end).toISOString().slice(0, 10)} (${Math.floor((input.now - end) / DAY)} days): the rua= address or the mail to it may be broken`,
      });
    }
  }
  return out;
}
