/**
 * The receiver reports' findings in the gate: a new unknown source sending as the domain, the own
 * sources' DMARC pass rate below the threshold, TLS sessions that failed, a reporter that stopped
 * reporting. They fail the gate whatever the baseline says: each is about the domain now (a new
 * source is already new against the earlier reports), not a change since the previous run. The
 * findings come from the `receiver-reports` check the reports project records.
 */
import type { RunBundle } from '../record/index.ts';
import { clipWords } from '../shared/clip.ts';
import type { Regression } from './compare.ts';

export const RECEIVER_REPORTS_CHECK = 'receiver-reports';

interface FindingLike {
  kind?: unknown;
  line?: unknown;
}

/** One regression per finding of the run's receiver-reports check; the check's name for JUnit. */
export function receiverReportFindings(current: RunBundle): { regressions: Regression[]; compared: string[] } {
  const regressions: Regression[] = [];
  const compared: string[] = [];
  for (const c of current.checks) {
    if (c.checkId !== RECEIVER_REPORTS_CHECK || c.status === 'error') continue;
    compared.push(`receiver reports ${c.target}`);
    if (c.status !== 'fail') continue;
    const raw = (c.details as { findings?: unknown } | undefined)?.findings;
    const findings = (Array.isArray(raw) ? raw : []) as FindingLike[];
    const usable = findings.filter((f) => typeof f.kind === 'string' && typeof f.line === 'string');
    // a failed check whose details were lost still fails the gate, with its summary
    for (const f of usable.length ? usable : [{ kind: 'receiver-report', line: c.summary }]) {
      regressions.push({
        kind: 'receiver-report',
        subject: String(f.kind),
        before: 'none',
        after: String(f.kind),
        line: `receiver reports: ${clipWords(String(f.line), 400)}`,
      });
    }
  }
  return { regressions, compared };
}
