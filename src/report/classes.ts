/**
 * What a report cell says about one message: its placement class (Gmail tabs are classes of
 * their own), whether it landed where the seed expects, and the short reason behind an outcome
 * that is not a mailbox. Pure; the HTML and the client only display what this decides.
 */
import type { MessageRecord } from '../record/index.ts';
import { clipWords } from '../shared/clip.ts';

/** Placement classes in display order: the Gmail tabs follow the inbox, outcomes that tested nothing come last. */
export const CLASSES = [
  'inbox',
  'inbox:promotions',
  'inbox:social',
  'inbox:updates',
  'inbox:forums',
  'spam',
  'other-folder',
  'missing',
  'bounced',
  'rejected',
  'deferred',
  'send-failed',
  'seed-unreachable',
  'skipped',
  'unknown',
] as const;
export type PlacementClass = (typeof CLASSES)[number];

/** Classes that say nothing about the mail setup: counted, but outside the "as expected" share. */
export const UNTESTED: ReadonlySet<string> = new Set(['send-failed', 'seed-unreachable', 'skipped']);

const TABS = new Set(['promotions', 'social', 'updates', 'forums']);

export function classOf(verdict: string, tab?: string): PlacementClass {
  if (verdict === 'inbox') return tab && TABS.has(tab) ? (`inbox:${tab}` as PlacementClass) : 'inbox';
  if (verdict.startsWith('other-folder:')) return 'other-folder';
  return (CLASSES as readonly string[]).includes(verdict) && !verdict.startsWith('inbox:') ? (verdict as PlacementClass) : 'unknown';
}

/** The verdict as the report names it: `inbox:promotions` for a Gmail tab other than Primary. */
export function shownVerdict(m: Pick<MessageRecord, 'verdict' | 'tab'>): string {
  const c = classOf(String(m.verdict), m.tab);
  return c.startsWith('inbox:') ? c : String(m.verdict);
}

/**
 * 1 when the message landed where the seed expects, 0 when not, -1 when the run tested nothing
 * for it. A Gmail tab is still the inbox, unless the seed counts Promotions as a regression.
 */
export function asExpected(m: Pick<MessageRecord, 'verdict' | 'tab' | 'expected' | 'promotionsRegression'>): 1 | 0 | -1 {
  const c = classOf(String(m.verdict), m.tab);
  if (UNTESTED.has(c)) return -1;
  const expected = m.expected ?? 'inbox';
  if (expected === 'inbox' && c.startsWith('inbox')) return c === 'inbox:promotions' && m.promotionsRegression ? 0 : 1;
  return String(m.verdict) === expected ? 1 : 0;
}

/** Playwright's statuses of a test that did not pass (a skip is not one: it tested nothing). */
const FAILED_STATUSES: ReadonlySet<string> = new Set(['failed', 'timedOut', 'interrupted']);
/** The methods a seed requires by default (`requireAuth`), and results that never count as passing. */
const REQUIRED_METHODS = ['spf', 'dkim', 'dmarc'];
const FAILING_RESULTS: ReadonlySet<string> = new Set(['fail', 'softfail', 'permerror', 'temperror', 'policy', 'hardfail']);

/**
 * What failed in a test whose message landed where the seed expects: the authentication methods
 * the receiver did not pass (`dkim=fail`), else `test failed`. Undefined when the test passed or
 * its placement is already the failure. The run fails on these tests, so the cell must too.
 */
export function testFailure(m: Pick<MessageRecord, 'verdict' | 'tab' | 'expected' | 'promotionsRegression' | 'testStatus' | 'auth'>): string | undefined {
  if (!FAILED_STATUSES.has(String(m.testStatus)) || asExpected(m) !== 1) return undefined;
  const auth = m.auth && typeof m.auth === 'object' ? m.auth : {};
  const failing = Object.entries(auth)
    .filter(([k, v]) => (REQUIRED_METHODS.includes(k) && v !== 'pass') || FAILING_RESULTS.has(v))
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k}=${v}`);
  return failing.length ? failing.join(' ') : 'test failed';
}

/** As `asExpected`, but a failed test never counts as expected: the summary and the cell agree with the run. */
export function cellOk(m: Parameters<typeof testFailure>[0]): 1 | 0 | -1 {
  const ok = asExpected(m);
  return ok === 1 && testFailure(m) !== undefined ? 0 : ok;
}

export const REASON_MAX = 140;

function firstLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The reason shown in the cell, or undefined for a message found where it was looked for. Built
 * from the bounce record where there is one (status, reason word, diagnostic without the status
 * repeated), else from the verdict's detail line. Not clipped: the view clips and keeps the whole.
 */
export function cellReason(m: Pick<MessageRecord, 'verdict' | 'detail' | 'bounce'>): string | undefined {
  const v = String(m.verdict);
  const detail = m.detail ? firstLine(m.detail) : '';
  const b = typeof m.bounce === 'object' && m.bounce !== null ? (m.bounce as Record<string, unknown>) : undefined;
  if ((v === 'bounced' || v === 'rejected' || v === 'deferred') && b) {
    const status = typeof b.status === 'string' ? b.status : '';
    const reason = typeof b.reason === 'string' ? b.reason : '';
    let diag = typeof b.diagnostic === 'string' ? firstLine(b.diagnostic).replace(/^smtp;\s*/i, '') : '';
    // the diagnostic usually starts with the reply code and the status the line already names
    diag = diag.replace(/^\d{3}[ -]/, '');
    if (status && diag.startsWith(status)) diag = diag.slice(status.length).trimStart();
    const code = typeof b.replyCode === 'number' ? `${b.replyCode} ` : '';
    const head = [code + status, reason ? `(${reason})` : ''].filter(Boolean).join(' ').trim();
    return [head, diag].filter(Boolean).join(': ') || detail || undefined;
  }
  if (v === 'seed-unreachable') {
    const cause = detail.replace(/^seed mailbox could not be read after \d+ attempt\(s\): /, '');
    // the watcher's own line may already say "login refused for <user>": named once
    if (/^login refused\b/i.test(cause)) return cause;
    return /auth|login|credential|password/i.test(detail) ? `login refused: ${cause}` : detail || undefined;
  }
  if (v === 'skipped' || v === 'send-failed' || v === 'missing' || v === 'deferred' || v === 'rejected' || v === 'bounced') return detail || undefined;
  return undefined;
}

/** A reason cut for the cell: at a word boundary with "…"; `whole` is set when something was cut. */
export function clippedReason(text: string, max = REASON_MAX): { shown: string; whole?: string } {
  const shown = clipWords(text, max);
  return shown === text ? { shown } : { shown, whole: text };
}
