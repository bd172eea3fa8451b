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
import { collectFromImap, reportMailboxFromEnv, type CollectResult, type ReportMailbox } from './collect-imap.ts';
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

/** The lab's simulated providers send reports only when asked to. */
const LAB_REPORTS = 'the lab providers send reports only when asked: `npm run lab -- reports` makes some';

/**
 * What the report mailbox holds, truthfully: bounces and other mail share it with the reports.
 * A message that held a report is remembered (read before) or gave an outcome this time.
 */
export function mailboxContents(got: Pick<CollectResult, 'messages' | 'alreadyRead' | 'outcomes'>): string {
  if (got.messages === 0) return 'it is empty';
  const reportMails = got.alreadyRead + new Set(got.outcomes.filter((o) => o.status !== 'error').map((o) => o.source)).size;
  if (reportMails === 0) return `${got.messages} message(s) there, none a report`;
  return `${got.messages} message(s) there, ${reportMails} of them report e-mail(s) with nothing from that period`;
}

export async function runReportsCheck(
  env: Record<string, string | undefined>,
  box: ReportMailbox,
  opts: { now: number; resolver?: Resolver },
): Promise<ReportsCheck> {
  const settings = reportSettingsFromEnv(env);
  const lab = env.MAILCANARY_LAB === '1' || env.MAILCANARY_LAB === 'true';
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
            ? `no DMARC aggregate or TLS report in the last ${settings.days} days in the report mailbox (${mailboxContents(got)})${lab ? `; ${LAB_REPORTS}` : ''}`
            : `${counts}: no new unknown source, own sources at or above ${(settings.passRateMin * 100).toFixed(1)} % DMARC pass, no TLS failures`,
      fix:
        status === 'fail'
          ? kinds.map((k) => FIX[k]).join('; ')
          : status === 'unknown'
            ? lab
              ? `${LAB_REPORTS}: the lab DNS already names the report mailbox in _dmarc rua= and _smtp._tls rua=`
              : 'check that _dmarc rua= and _smtp._tls rua= name the report mailbox; receivers send reports once a day'
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
