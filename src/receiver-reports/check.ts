/**
 * The receiver reports as one check of the run: collects new report e-mails from the report
 * mailbox (REPORTS_IMAP_*, read-only: EXAMINE + BODY.PEEK, each stored once by Message-ID and
 * report id), then evaluates the window (`evaluateReports`). `fail` on a gate finding (a new
 * unknown source, the own sources' DMARC pass rate below the threshold, TLS failures, a silent
 * reporter); `warn` when the reports disagree with the test mail or a report could not be read;
 * `unknown` when the window holds no report at all (silence from outside). Infrastructure
 * failures (the mailbox unreachable, the history unwritable) throw.
 */
import { historyConfigFromEnv, HistoryStore } from '../record/index.ts';
import type { Resolver } from '../shared/dns/resolver.ts';
import { clean } from '../evidence/index.ts';
import { collectFromImap, reportMailboxFromEnv, type ReportMailbox } from './collect-imap.ts';
import { evaluateReports, reportSettingsFromEnv, type ReportsSummary } from './evaluate.ts';
import { maxBytesFromEnv } from './index.ts';
import { ReportStore } from './store.ts';

export const REPORTS_CHECK_ID = 'receiver-reports';

export interface ReportsCheck {
  id: typeof REPORTS_CHECK_ID;
  title: string;
  target: string;
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  summary: string;
  fix?: string;
  warnings: string[];
  details: ReportsSummary & { collected: { messages: number; alreadyRead: number; stored: number; unreadable: number } };
}

/** Why the reports project does not run, or the mailbox; a bad setting throws naming it. */
export function reportsConfigured(env: Record<string, string | undefined>): { mailbox: ReportMailbox } | { skip: string } {
  const { mailbox, problems } = reportMailboxFromEnv(env);
  if (problems.length) throw new Error(problems.map((p) => `${p.field}: ${p.message} (${p.fix})`).join('; '));
  if (!mailbox)
    return {
      skip: 'receiver reports are not configured: REPORTS_IMAP_HOST is not set (set REPORTS_IMAP_HOST, REPORTS_IMAP_USER and REPORTS_IMAP_PASS to the mailbox your rua= and TLS-RPT rua= addresses deliver to)',
    };
  return { mailbox };
}

const FIX: Record<string, string> = {
  'new-unknown-source':
    'find the unknown source: if it passes DMARC, revoke the leaked credentials or add the service to SPF/DKIM; if it fails, move the DMARC policy towards p=reject',
  'pass-rate': 'check SPF and DKIM of the own sources listed: an IP missing from SPF, a key not published, a relay rewriting the message',
  'tls-failures': 'check the MX certificates, the MTA-STS policy and the TLSA records against the failure types listed',
  'reporter-silent': 'check the rua= address of _dmarc and that mail to it reaches the report mailbox',
};

export async function runReportsCheck(
  env: Record<string, string | undefined>,
  box: ReportMailbox,
  opts: { now: number; resolver?: Resolver },
): Promise<ReportsCheck> {
  const settings = reportSettingsFromEnv(env);
  const cfg = historyConfigFromEnv(env as NodeJS.ProcessEnv);
  const history = HistoryStore.open(cfg.path);
  try {
    const store = new ReportStore(history, () => opts.now);
    const got = await collectFromImap(store, box, { maxBytes: maxBytesFromEnv(env as NodeJS.ProcessEnv), retentionDays: cfg.retentionDays });
    const unreadable = got.outcomes.filter((o) => o.status === 'error');
    const summary = await evaluateReports(history, store, settings, opts);
    const warnings = unreadable.map((o) => clean(o.detail));
    for (const h of summary.mismatches)
      for (const r of h.rows.filter((x) => x.flags.length))
        warnings.push(clean(`${h.reporter} report ${h.reportId} (${h.begin} – ${h.end}): ${r.ip} sent ${r.sent} test message(s), ${r.flags.join(', ')}`));
    const status = summary.findings.length ? 'fail' : summary.aggregateReports + summary.tlsReports === 0 ? 'unknown' : warnings.length ? 'warn' : 'pass';
    const counts = `${summary.aggregateReports} aggregate and ${summary.tlsReports} TLS report(s) in the last ${settings.days} days, ${summary.sources.length} source(s)`;
    const kinds = [...new Set(summary.findings.map((f) => f.kind))];
    return {
      id: REPORTS_CHECK_ID,
      title: 'receiver reports',
      target: `${box.account.imap.host}/${box.mailbox}`,
      status,
      summary:
        status === 'fail'
          ? clean(`${summary.findings.length} finding(s): ${summary.findings.map((f) => f.line).join(' | ')} (${counts})`)
          : status === 'unknown'
            ? `no DMARC aggregate or TLS report in the last ${settings.days} days in the report mailbox (${got.messages} message(s) there)`
            : `${counts}: no new unknown source, own sources at or above ${(settings.passRateMin * 100).toFixed(1)} % DMARC pass, no TLS failures`,
      fix:
        status === 'fail'
          ? kinds.map((k) => FIX[k]).join('; ')
          : status === 'unknown'
            ? 'check that _dmarc rua= and _smtp._tls rua= name the report mailbox; receivers send reports once a day'
            : undefined,
      warnings,
      details: {
        ...summary,
        collected: {
          messages: got.messages,
          alreadyRead: got.alreadyRead,
          stored: got.outcomes.filter((o) => o.status === 'stored').length,
          unreadable: unreadable.length,
        },
      },
    };
  } finally {
    history.close();
  }
}
