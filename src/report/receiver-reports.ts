/**
 * The report's section on what receivers reported back, from the `receiver-reports` check of
 * the run shown: per domain and reporter the volume, the DMARC pass rate, the aligned SPF and
 * DKIM results and the dispositions (RFC 7489 §7.2), the sources (yours / forwarder / unknown,
 * unknown-passing first: the most urgent), the reports that disagree with the test mail, and the
 * TLS-RPT sessions with their failure types (RFC 8460 §4.3). Every value comes from a
 * reporter's file and is hostile: made visible (bidi and control characters as code points)
 * and escaped as HTML text; no value ever becomes markup or an attribute.
 */
import type { ReportsSummary, TlsStats } from '../receiver-reports/index.ts';
import type { CheckRecord } from '../record/index.ts';
import type { ReportData } from './data.ts';
import { escText, reportDate } from './static.ts';
import { visible } from './visible.ts';

const t = (v: unknown): string => escText(visible(String(v ?? '')));
const pct = (n: number, of: number): string => (of > 0 ? `${((n / of) * 100).toFixed(1)} %` : '–');
const tally = (r: Record<string, number> | undefined): string =>
  Object.entries(r ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '–';

function table(caption: string, head: string[], rows: string[][]): string {
  if (!rows.length) return '';
  const th = head.map((x) => `<th scope="col">${t(x)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><caption>${t(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

/** The policy the reporter applied: its type, and for MTA-STS its mode and MX patterns (RFC 8460 §4.4). */
function tlsPolicy(x: TlsStats): string {
  const mx = Array.isArray(x.mxHosts) && x.mxHosts.length ? `mx ${x.mxHosts.join(', ')}` : '';
  return [x.policyType, x.mode ? `mode ${x.mode}` : '', mx].filter(Boolean).join(' · ');
}

const URGENCY: Record<string, number> = { 'unknown-passing': 0, spoofing: 1 };

/** The section as HTML, or '' when the run shown has no receiver-reports check. */
export function receiverReportsSection(data: ReportData): string {
  const check = data.focus?.checks.find((c: CheckRecord) => c.checkId === 'receiver-reports');
  if (!check) return '';
  const d = (check.details ?? {}) as Partial<ReportsSummary>;
  const parts: string[] = [`<p class="status-${t(check.status)}">${t(check.status)}: ${t(check.summary)}</p>`];
  // the period as every other time of the page (UTC, to the second), not the stored ISO text
  const at = (v: unknown) => t(typeof v === 'string' ? reportDate(Date.parse(v)) : reportDate(v));
  if (d.from && d.to) parts.push(`<p>Reports with a period from ${at(d.from)} to ${at(d.to)}.</p>`);
  if (d.findings?.length) parts.push(`<ul class="findings">${d.findings.map((f) => `<li><strong>${t(f.kind)}</strong> ${t(f.line)}</li>`).join('')}</ul>`);
  parts.push(
    table(
      'DMARC aggregate reports per domain and reporter',
      ['domain', 'reporter', 'reports', 'report ids', 'messages', 'DMARC pass', 'DKIM aligned', 'SPF aligned', 'disposition', 'sources'],
      (d.perReporter ?? []).map((r) => [
        t(r.domain),
        t(r.reporter),
        t(r.reports),
        t((r.reportIds ?? []).join(', ')),
        t(r.messages),
        t(pct(r.dmarcPass, r.messages)),
        t(tally(r.dkim)),
        t(tally(r.spf)),
        t(tally(r.disposition)),
        t(tally(r.sources)),
      ]),
    ),
  );
  const sources = [...(d.sources ?? [])].sort((a, b) => (URGENCY[a.finding ?? ''] ?? 2) - (URGENCY[b.finding ?? ''] ?? 2) || b.messages - a.messages);
  parts.push(
    table(
      'Sources sending as the domain',
      ['source IP', 'class', 'why', 'messages', 'DMARC pass', 'DMARC fail', 'reporters', 'urgency'],
      sources.map((s) => [
        t(s.ip),
        t(s.class === 'own' ? 'yours' : s.class),
        t(s.why ?? s.ptr ?? (s.dnsError ? `rDNS: ${s.dnsError}` : '')),
        t(s.messages),
        t(s.dmarcPass),
        t(s.dmarcFail),
        t(s.reporters.join(', ')),
        t(s.finding === 'unknown-passing' ? 'most urgent: unknown and passing DMARC' : s.finding === 'spoofing' ? 'spoofing: unknown and failing' : ''),
      ]),
    ),
  );
  const mismatchRows = (d.mismatches ?? []).flatMap((h) =>
    h.rows
      .filter((r) => r.flags.length)
      .map((r) => [
        t(`${h.reporter} ${h.reportId}`),
        t(r.ip),
        t(r.sent),
        t(r.reported?.count ?? 'absent'),
        t(`dkim ${tally(r.seen.dkim)}; spf ${tally(r.seen.spf)}; dmarc ${tally(r.seen.dmarc)}`),
        t(r.reported ? `dkim ${tally(r.reported.dkim)}; spf ${tally(r.reported.spf)}; dmarc ${tally(r.reported.dmarc)}` : '–'),
        t(r.flags.join(', ')),
      ]),
  );
  parts.push(
    table(
      'Reports that disagree with the test mail (aligned results)',
      ['report', 'IP', 'test mail sent', 'reported', 'seed saw', 'report says', 'flags'],
      mismatchRows,
    ),
  );
  parts.push(
    table(
      'TLS-RPT sessions',
      ['reporter', 'policy domain', 'policy', 'successful', 'failed', 'failure types'],
      (d.tls ?? []).map((x) => [t(x.reporter), t(x.policyDomain), t(tlsPolicy(x)), t(x.successful), t(x.failed), t(tally(x.failures))]),
    ),
  );
  return `<section id="receiver-reports" aria-labelledby="receiver-reports-h"><h2 id="receiver-reports-h">What receivers report back</h2>\n${parts.filter(Boolean).join('\n')}\n</section>`;
}
