/** What a single check function returns; the runner adds id, title and target. */
import type { CheckStatus } from '../types.ts';

export interface Outcome {
  status: CheckStatus;
  summary: string;
  fix?: string;
  details?: Record<string, unknown>;
  warnings?: string[];
}

export const pass = (summary: string, details?: Record<string, unknown>, warnings?: string[]): Outcome =>
  warnings && warnings.length ? { status: 'warn', summary, details, warnings } : { status: 'pass', summary, details };

export const fail = (summary: string, fix: string, details?: Record<string, unknown>, warnings?: string[]): Outcome => ({
  status: 'fail',
  summary,
  fix,
  details,
  ...(warnings && warnings.length ? { warnings } : {}),
});

export const unknown = (summary: string, fix: string, details?: Record<string, unknown>): Outcome => ({
  status: 'unknown',
  summary,
  fix,
  details,
});

/** The fix text shared by every result a DNS failure made unknown. */
export const DNS_UNKNOWN_FIX =
  'The resolver did not answer (timeout or server failure); this is not a verdict on your records. Re-run, or point MAILCANARY_DNS_SERVERS at a recursive resolver you run yourself.';

/** `pass` with warnings becomes `warn` and carries a fix for them. */
export function warnFix(o: Outcome, fix: string): Outcome {
  return o.status === 'warn' ? { ...o, fix } : o;
}
