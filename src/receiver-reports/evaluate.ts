/**
 * One look at what the receivers reported over a window, for the command line, the Playwright
 * `reports` project and the HTML report: per domain and reporter the volume, the DMARC pass
 * rate, the aligned SPF/DKIM results and the dispositions (RFC 7489 §7.2 policy_evaluated), the
 * sources classified (own / forwarder / unknown), the reports held against the test mail, the
 * TLS sessions and failure types (RFC 8460 §4.3), and the gate's findings. The result is plain
 * JSON (it travels as a test attachment and lives in the history as the check's details).
 * Settings are read and checked here, so every caller names the same variable on bad input.
 */
import { isIP } from 'node:net';
import type { HistoryStore, MessageRecord } from '../record/index.ts';
import { createResolver, resolverWithTimeout, type Resolver } from '../shared/dns/resolver.ts';
import { reportFindings, type ReportFinding } from './findings.ts';
import { holdAgainst, type Held } from './hold.ts';
import { classifySources, type SourceRow } from './sources.ts';
import type { ReportStore } from './store.ts';
import type { AggregateReport, TlsReport } from './types.ts';

const DAY = 86_400_000;

export interface ReportSettings {
  ownIps: string[];
  dnsServers: string[];
  /** 0–1 */
  passRateMin: number;
  silentDays: number;
  days: number;
}

function numberEnv(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`${name}=${JSON.stringify(raw)} is not a number from ${min} to ${max}: set it like ${name}=${fallback}, or unset it for the default`);
  return n;
}

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** MAILCANARY_SENDING_IPS, MAILCANARY_DNS_SERVERS, MAILCANARY_REPORTS_PASS_RATE / _SILENT_DAYS / _DAYS, checked. */
export function reportSettingsFromEnv(env: Record<string, string | undefined> = process.env): ReportSettings {
  const ownIps = list(env.MAILCANARY_SENDING_IPS);
  const bad = ownIps.find((ip) => !isIP(ip));
  if (bad) throw new Error(`MAILCANARY_SENDING_IPS: "${bad}" is not an IPv4 or IPv6 address; write e.g. MAILCANARY_SENDING_IPS=192.0.2.25,2001:db8::25`);
  return {
    ownIps,
    dnsServers: list(env.MAILCANARY_DNS_SERVERS),
    passRateMin: numberEnv(env, 'MAILCANARY_REPORTS_PASS_RATE', 98, 0, 100) / 100,
    silentDays: numberEnv(env, 'MAILCANARY_REPORTS_SILENT_DAYS', 3, 0, 366),
    days: Math.floor(numberEnv(env, 'MAILCANARY_REPORTS_DAYS', 7, 1, 366)),
  };
}

export interface ReporterStats {
  domain: string;
  reporter: string;
  reports: number;
  /** the first report ids, to find the reports themselves */
  reportIds: string[];
  messages: number;
  dmarcPass: number;
  /** aligned results (policy_evaluated) → message count */
  dkim: Record<string, number>;
  spf: Record<string, number>;
  disposition: Record<string, number>;
  /** sources of this reporter's records by class, with messages */
  sources: Record<string, number>;
}

export interface TlsStats {
  reporter: string;
  policyDomain: string;
  policyType: string;
  /** the applied MTA-STS policy's mode (`enforce`, `testing`, `none`; RFC 8461 §5), null without one */
  mode: string | null;
  /** the MX hosts or patterns of the applied policy (RFC 8460 §4.4 `mx-host`) */
  mxHosts: string[];
  successful: number;
  failed: number;
  /** result type → failed sessions */
  failures: Record<string, number>;
}

export interface ReportsSummary {
  from: string;
  to: string;
  aggregateReports: number;
  tlsReports: number;
  perReporter: ReporterStats[];
  sources: SourceRow[];
  /** held reports with at least one flagged row */
  mismatches: Held[];
  /** held reports in all (with test mail in their window) */
  held: number;
  tls: TlsStats[];
  findings: ReportFinding[];
  passRateMin: number;
}

const add = (t: Record<string, number>, k: string | null, n: number) => {
  const key = (k ?? 'none').toLowerCase();
  t[key] = (t[key] ?? 0) + n;
};

function perReporter(reports: readonly AggregateReport[], classOf: Map<string, string>): ReporterStats[] {
  const out = new Map<string, ReporterStats>();
  for (const r of reports) {
    const reporter = r.orgName ?? r.orgEmail ?? 'unnamed reporter';
    const key = `${r.policy.domain}\u0000${reporter}`;
    let s = out.get(key);
    if (!s)
      out.set(
        key,
        (s = { domain: r.policy.domain, reporter, reports: 0, reportIds: [], messages: 0, dmarcPass: 0, dkim: {}, spf: {}, disposition: {}, sources: {} }),
      );
    s.reports++;
    if (s.reportIds.length < 5) s.reportIds.push(r.reportId);
    for (const x of r.records) {
      s.messages += x.count;
      if (x.dkim === 'pass' || x.spf === 'pass') s.dmarcPass += x.count;
      add(s.dkim, x.dkim, x.count);
      add(s.spf, x.spf, x.count);
      add(s.disposition, x.disposition, x.count);
      add(s.sources, classOf.get(x.sourceIp) ?? 'unknown', x.count);
    }
  }
  return [...out.values()].sort((a, b) => a.domain.localeCompare(b.domain) || b.messages - a.messages);
}

/** The mode line of an MTA-STS policy as a TLS report quotes it (`policy-string`, one line an entry; RFC 8461 §3.2). */
function stsMode(lines: readonly string[]): string | null {
  const line = lines.map((l) => l.trim()).find((l) => /^mode\s*:/i.test(l));
  return line
    ? line
        .slice(line.indexOf(':') + 1)
        .trim()
        .toLowerCase() || null
    : null;
}

function tlsStats(reports: readonly TlsReport[]): TlsStats[] {
  return reports.flatMap((t) =>
    t.policies.map((p) => {
      const failures: Record<string, number> = {};
      for (const d of p.failureDetails) add(failures, d.resultType, d.failedSessionCount);
      return {
        reporter: t.organizationName,
        policyDomain: p.policyDomain,
        policyType: p.policyType,
        mode: p.policyType === 'sts' ? stsMode(p.policyStrings ?? []) : null,
        mxHosts: p.mxHosts ?? [],
        successful: p.successful,
        failed: p.failed,
        failures,
      };
    }),
  );
}

const acceptIp = (m: MessageRecord): string | undefined =>
  (m.evidence as { received?: { acceptance?: { ip?: { address?: string } } } } | undefined)?.received?.acceptance?.ip?.address;

/** The test messages of the history's runs from `from` on (a day earlier: a report window starts before its mail). */
export function testMessages(history: HistoryStore, from: number): MessageRecord[] {
  return history.runs({ from: from - DAY }).flatMap((r) => history.bundle(r.runId)?.messages ?? []);
}

/** The sources of the reports, classified with the configured sending IPs, the test mail's IPs and rDNS. */
export function classify(reports: AggregateReport[], messages: MessageRecord[], settings: ReportSettings, resolver?: Resolver): Promise<SourceRow[]> {
  const testIps = [...new Set(messages.map(acceptIp).filter((ip): ip is string => !!ip))];
  const r = resolver ?? resolverWithTimeout(createResolver({ servers: settings.dnsServers }), 3000);
  return classifySources(reports, { ownIps: settings.ownIps, testIps, resolver: r });
}

/** Everything the reports of the last `settings.days` days say, as of `now`. */
export async function evaluateReports(
  history: HistoryStore,
  store: ReportStore,
  settings: ReportSettings,
  opts: { now: number; resolver?: Resolver },
): Promise<ReportsSummary> {
  const from = opts.now - settings.days * DAY;
  const current = store.aggregateReports({ from });
  const earlier = store.aggregateReports({ from: from - 30 * DAY, to: from - 1 });
  const tls = store.tlsReports({ from });
  const messages = testMessages(history, from);
  const sources = await classify(current, messages, settings, opts.resolver);
  const classOf = new Map(sources.map((s) => [s.ip, s.class]));
  const held = current.map((r) => holdAgainst(r, messages)).filter((h) => h.rows.length || h.unattributed);
  return {
    from: new Date(from).toISOString(),
    to: new Date(opts.now).toISOString(),
    aggregateReports: current.length,
    tlsReports: tls.length,
    perReporter: perReporter(current, classOf),
    sources,
    mismatches: held.filter((h) => h.rows.some((r) => r.flags.length)),
    held: held.length,
    tls: tlsStats(tls),
    findings: reportFindings({ now: opts.now, current, earlier, tls, sources, passRateMin: settings.passRateMin, silentDays: settings.silentDays }),
    passRateMin: settings.passRateMin,
  };
}
