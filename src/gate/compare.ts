/**
 * The regression gate: compares a run with its baseline and lists what got worse. Pure.
 * - placement: a seed × variant that was in the inbox and now lands in spam, another folder,
 *   bounced, was rejected or is missing;
 * - authentication: a method (spf, dkim, dmarc, arc, …) that passed and now does not, on a
 *   message that was delivered both times (RFC 8601 result values: anything but `pass`);
 * - DNS posture: a check that passed (or warned) and now fails;
 * - check errors: a check that threw in this run (status `error`, a bug of mailcanary) is a
 *   finding whatever the baseline was, and also when there is no baseline: it tested nothing.
 * Outcomes that say nothing about the mail setup (seed mailbox unreachable, skipped, send
 * failed before submission) are not compared: they are listed as `unknown`, not as regressions.
 */
import type { CheckRecord, MessageRecord, RunBundle } from '../record/index.ts';
import { clipWords } from '../shared/clip.ts';

export type RegressionKind = 'placement' | 'auth' | 'dns' | 'check-error';

export interface Regression {
  kind: RegressionKind;
  /** seed id for placement/auth, check title for dns and check-error */
  subject: string;
  seedId?: string;
  variants?: string[];
  method?: string;
  /** the sender's From domain, when the run has several senders */
  senderDomain?: string;
  before: string;
  after: string;
  /** one line, e.g. `lab-gmail: dkim pass → fail (plain, html-with-link)` */
  line: string;
}

export interface GateResult {
  runId: string;
  baselineRunId?: string;
  /** why there is no baseline (first run) */
  note?: string;
  regressions: Regression[];
  /** everything compared, for JUnit: one entry per compared item, failed or not */
  compared: Array<{ kind: RegressionKind; name: string; failure?: string }>;
  /** items not comparable this time (unreachable seed, skipped, no evidence) */
  unknown: string[];
}

const WORSE_THAN_INBOX = new Set(['spam', 'bounced', 'missing', 'rejected']);
const NOT_COMPARABLE = new Set(['seed-unreachable', 'skipped', 'send-failed', 'deferred']);

function placementWorse(before: string, after: string): boolean {
  return before === 'inbox' && (WORSE_THAN_INBOX.has(after) || after.startsWith('other-folder:'));
}

/** Gmail's Promotions tab, for a seed that counts it (`promotions: 'regression'`): the baseline was in another tab. */
function promotionsWorse(before: MessageRecord, after: MessageRecord): boolean {
  return (
    after.promotionsRegression === true && before.verdict === 'inbox' && after.verdict === 'inbox' && after.tab === 'promotions' && before.tab !== 'promotions'
  );
}

/** A verdict with its Gmail tab, as the report shows it: `inbox:promotions`. */
function tabbed(m: MessageRecord): string {
  return m.verdict === 'inbox' && m.tab && m.tab !== 'primary' ? `inbox:${m.tab}` : m.verdict;
}

/** The variant without the sender it names (`plain from family.example via ipv6` → `plain via ipv6`). */
function ownVariant(m: MessageRecord): string {
  return m.sender ? m.variant.replace(` from ${m.sender.label}`, '') : m.variant;
}

/**
 * How a line names a message: `gmail / plain`; with several senders the sender comes first,
 * since receivers judge each domain on its own: `family.example: gmail / plain`.
 */
function messageName(m: MessageRecord): string {
  return `${m.sender ? `${m.sender.label}: ` : ''}${m.seedId} / ${ownVariant(m)}`;
}

function delivered(m: MessageRecord): boolean {
  return m.verdict === 'inbox' || m.verdict === 'spam' || m.verdict.startsWith('other-folder:');
}

/** One line per check that threw in this run: the check and the exception's message. */
function checkErrors(current: RunBundle, baseline: RunBundle | undefined): Regression[] {
  const before = new Map((baseline?.checks ?? []).map((c) => [c.title, c.status]));
  return current.checks
    .filter((c) => c.status === 'error')
    .map((c) => ({
      kind: 'check-error' as const,
      subject: c.title,
      before: before.get(c.title) ?? 'none',
      after: 'error',
      line: `check ${c.title}: error: ${clipWords(c.summary, 400)}`,
    }));
}

const ORDER: Record<RegressionKind, number> = { 'check-error': 0, placement: 1, auth: 2, dns: 3 };

function sortRegressions(list: Regression[]): void {
  list.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.subject.localeCompare(b.subject) || a.line.localeCompare(b.line));
}

export function compareRuns(current: RunBundle, baseline: RunBundle | undefined): GateResult {
  const result: GateResult = { runId: current.run.runId, regressions: [], compared: [], unknown: [] };
  for (const e of checkErrors(current, baseline)) {
    result.regressions.push(e);
    result.compared.push({ kind: 'check-error', name: `check ${e.subject}`, failure: e.line });
  }
  if (!baseline) {
    result.note = 'no baseline yet: this run becomes the baseline of the next one';
    sortRegressions(result.regressions);
    return result;
  }
  result.baselineRunId = baseline.run.runId;
  const base = new Map(baseline.messages.map((m) => [`${m.seedId}\u0000${m.variant}`, m]));
  // auth regressions grouped per seed + method + change, so ten variants make one line
  const authGroups = new Map<string, { seedId: string; sender?: MessageRecord['sender']; method: string; before: string; after: string; variants: string[] }>();

  for (const m of current.messages) {
    const b = base.get(`${m.seedId}\u0000${m.variant}`);
    const name = messageName(m);
    if (!b) continue;
    if (NOT_COMPARABLE.has(m.verdict) || NOT_COMPARABLE.has(b.verdict)) {
      result.unknown.push(`${name}: ${b.verdict} → ${m.verdict} (not comparable)`);
      continue;
    }
    const pLine = placementWorse(b.verdict, m.verdict)
      ? `${name}: ${b.verdict} → ${m.verdict}${m.detail ? ` (${clipWords(m.detail, 400)})` : ''}`
      : promotionsWorse(b, m)
        ? `${name}: inbox (${b.tab ?? 'primary'} tab) → inbox (promotions tab); this seed counts Promotions as a regression`
        : undefined;
    result.compared.push({ kind: 'placement', name: `placement ${name}`, failure: pLine });
    if (pLine)
      result.regressions.push({
        kind: 'placement',
        subject: m.seedId,
        seedId: m.seedId,
        variants: [m.variant],
        ...(m.sender ? { senderDomain: m.sender.domain } : {}),
        before: tabbed(b),
        after: tabbed(m),
        line: pLine,
      });

    if (!delivered(m) || !delivered(b)) continue;
    if (!Object.keys(m.auth ?? {}).length) {
      // no trusted Authentication-Results this time (no evidence recorded, or the provider's
      // header was not found): that says nothing about the methods themselves
      if (Object.keys(b.auth ?? {}).length) result.unknown.push(`${name}: no trusted authentication results this time (not comparable)`);
      continue;
    }
    for (const [method, was] of Object.entries(b.auth ?? {})) {
      if (was !== 'pass') continue;
      const now = m.auth?.[method] ?? 'none';
      const failed = now !== 'pass';
      result.compared.push({ kind: 'auth', name: `${method} ${name}`, failure: failed ? `${name}: ${method} pass → ${now}` : undefined });
      if (!failed) continue;
      const key = `${m.sender?.label ?? ''}\u0000${m.seedId}\u0000${method}\u0000${now}`;
      const g = authGroups.get(key) ?? { seedId: m.seedId, sender: m.sender, method, before: was, after: now, variants: [] };
      g.variants.push(ownVariant(m));
      authGroups.set(key, g);
    }
  }
  for (const g of authGroups.values()) {
    result.regressions.push({
      kind: 'auth',
      subject: g.seedId,
      seedId: g.seedId,
      method: g.method,
      variants: g.variants,
      ...(g.sender ? { senderDomain: g.sender.domain } : {}),
      before: g.before,
      after: g.after,
      line: `${g.sender ? `${g.sender.label}: ` : ''}${g.seedId}: ${g.method} ${g.before} → ${g.after} (${g.variants.join(', ')})`,
    });
  }

  const baseChecks = new Map<string, CheckRecord>(baseline.checks.map((c) => [c.title, c]));
  for (const c of current.checks) {
    const b = baseChecks.get(c.title);
    // an `error` is reported above; a baseline `error` tested nothing, so there is nothing to compare with
    if (!b || c.status === 'error') continue;
    if (c.status === 'unknown' || b.status === 'unknown' || b.status === 'error') {
      result.unknown.push(`dns ${c.title}: ${b.status} → ${c.status} (not comparable)`);
      continue;
    }
    const worse = (b.status === 'pass' || b.status === 'warn') && c.status === 'fail';
    const line = worse ? `dns ${c.title}: ${b.status} → fail: ${clipWords(c.summary, 400)}` : undefined;
    result.compared.push({ kind: 'dns', name: `dns ${c.title}`, failure: line });
    if (line) result.regressions.push({ kind: 'dns', subject: c.title, before: b.status, after: c.status, line });
  }
  sortRegressions(result.regressions);
  return result;
}

/** Picks the baseline: the pinned run when there is one (and it is not this run), else the previous run of the same kind. */
export function chooseBaseline(opts: {
  current: { runId: string; startedAt: number; lab: boolean };
  pinned?: string;
  exists: (runId: string) => boolean;
  previous: () => string | undefined;
}): { runId?: string; how: 'pinned' | 'previous' | 'none' } {
  if (opts.pinned && opts.pinned !== opts.current.runId && opts.exists(opts.pinned)) return { runId: opts.pinned, how: 'pinned' };
  const prev = opts.previous();
  return prev ? { runId: prev, how: 'previous' } : { how: 'none' };
}
