/**
 * Builds the history records of a run from Playwright test results. Pure: the reporter turns
 * TestCase/TestResult into `ResultInput`s (annotations, attachments decoded to text) and this
 * module reads only those, so it works the same on a live run and on `merge-reports`.
 * Every field may be missing or malformed (older suites, a crashed worker, a hostile header):
 * what cannot be read is skipped with a warning, never thrown.
 */
import type { CheckRecord, MessageRecord, MessageSender, RunBundle } from './types.ts';
import { untestedRun } from '../run/index.ts';
import { bounceOffNotices } from '../watch/index.ts';

export interface ResultInput {
  /** Playwright title path (project, file, describe…, title) */
  titlePath: string[];
  /** final status of the test (after retries) */
  status: string;
  annotations: Array<{ type: string; description?: string }>;
  /** attachments with their body as UTF-8 text (path attachments read by the caller) */
  attachments: Array<{ name: string; contentType?: string; body?: string }>;
}

export interface CollectOptions {
  /** when the Playwright run began (used when no send step annotated the run) */
  startedAt: number;
  finishedAt: number;
  status: string;
  /** lab flag from the environment, used when no annotation says */
  lab?: boolean;
}

export interface Collected {
  bundle?: RunBundle;
  warnings: string[];
}

const MAX_TEXT = 256 * 1024;
/** RFC 5322 §2.1.1 caps a line at 998 characters: a longer Subject is hostile or broken, and kept only that far */
export const MAX_SUBJECT = 998;

export function capSubject(s: string | undefined): string | undefined {
  return s !== undefined && s.length > MAX_SUBJECT ? `${s.slice(0, MAX_SUBJECT)}… [${s.length} characters]` : s;
}

function parseJson(text: string | undefined, what: string, warnings: string[]): unknown {
  if (text === undefined) return undefined;
  if (text.length > 8 * MAX_TEXT) {
    warnings.push(`${what}: ${text.length} characters, larger than ${8 * MAX_TEXT}: not recorded`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    warnings.push(`${what}: not valid JSON (${(err as Error).message.slice(0, 80)}): not recorded`);
    return undefined;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function authOf(evidence: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(evidence) || !isObj(evidence.auth)) return out;
  for (const [k, v] of Object.entries(evidence.auth)) if (typeof v === 'string' && k.length <= 40) out[k.toLowerCase()] = v.toLowerCase();
  return out;
}

function lastAnnotation(r: ResultInput, type: string): string | undefined {
  let found: string | undefined;
  for (const a of r.annotations) if (a.type === type) found = a.description;
  return found;
}

/** The reason Playwright recorded for a skip (`test.skip(cond, reason)` adds a `skip` annotation). */
function skipReason(r: ResultInput): string {
  const why = r.annotations.filter((a) => a.type === 'skip' && a.description).pop()?.description;
  return why ? `skipped: ${why}` : 'test skipped (no reason given)';
}

/** The `mailcanary.sender` annotation of a run with several senders (suites/placement.spec.ts). */
function senderOf(r: ResultInput, label: string, warnings: string[]): MessageSender | undefined {
  const a = parseJson(lastAnnotation(r, 'mailcanary.sender'), `${label}: mailcanary.sender`, warnings);
  if (!isObj(a) || !str(a.domain)) return undefined;
  const domain = str(a.domain)!.toLowerCase().slice(0, 253);
  return { id: str(a.id) ?? '', domain, label: str(a.label) ?? domain, system: a.system === true };
}

/** `plain`, `plain from family.example`, `plain via ipv6`, `plain from family.example via ipv6`: one column each. */
function variantColumn(variant: string, path: string | undefined, sender: MessageSender | undefined): string {
  return `${variant}${sender ? ` from ${sender.label}` : ''}${path ? ` via ${path}` : ''}`;
}

function messageOf(r: ResultInput, warnings: string[]): (MessageRecord & { lab?: boolean }) | undefined {
  const label = r.titlePath.filter(Boolean).join(' › ');
  const sender = senderOf(r, label, warnings);
  const att = r.attachments.find((a) => a.name === 'delivery.json');
  const d = parseJson(att?.body, `${label}: delivery.json`, warnings);
  const seedAnn = parseJson(lastAnnotation(r, 'mailcanary.seed'), `${label}: mailcanary.seed`, warnings);
  const seed = isObj(seedAnn) ? seedAnn : {};
  const verdictAnn = lastAnnotation(r, 'mailcanary.verdict');
  if (!isObj(d)) {
    // no delivery record: a skipped seed, or the test failed before the verdict step
    const planAnn = parseJson(lastAnnotation(r, 'mailcanary.plan'), `${label}: mailcanary.plan`, warnings);
    const plan = isObj(planAnn) ? planAnn : {};
    const seedId = str(seed.id) ?? str(plan.seedId);
    const variant = str(plan.variant);
    if (!seedId || !variant) return undefined;
    // a message of another sender or over a named submission path (SMTP_PATHS) is its own column
    const planPath = str(plan.path);
    return {
      runId: '',
      seedId,
      provider: str(seed.provider) ?? 'unknown',
      variant: variantColumn(variant, planPath, sender),
      ...(sender ? { sender } : {}),
      verdict: verdictAnn ?? (r.status === 'skipped' ? 'skipped' : 'missing'),
      testStatus: r.status,
      address: str(seed.address),
      auth: {},
      lab: seed.lab === true,
      detail: r.status === 'skipped' ? skipReason(r) : 'no delivery record: the test ended before its verdict',
    };
  }
  const sent = isObj(d.sent) ? d.sent : {};
  const seedId = str(d.seedId) ?? str(seed.id);
  const baseVariant = str(d.variant) ?? str(sent.variant);
  const path = str(d.path) ?? str(sent.path);
  const variant = baseVariant && variantColumn(baseVariant, path, sender);
  if (!seedId || !variant) {
    warnings.push(`${label}: delivery.json has no seedId or variant: not recorded`);
    return undefined;
  }
  const headers = r.attachments.find((a) => a.name === 'received-headers.txt')?.body;
  const sighting = isObj(d.sighting) ? d.sighting : {};
  const tab = str(sighting.tab);
  return {
    runId: str(d.runId) ?? str(sent.runId) ?? '',
    seedId,
    provider: str(d.provider) ?? str(seed.provider) ?? 'unknown',
    variant,
    ...(sender ? { sender } : {}),
    expected: str(d.expected),
    verdict: str(d.verdict) ?? verdictAnn ?? 'missing',
    testStatus: r.status,
    address: str(seed.address) ?? str(sent.to),
    tag: str(d.tag),
    subject: capSubject(str(sent.subject)),
    ...(tab ? { tab: tab.toLowerCase().slice(0, 40) } : {}),
    ...(seed.promotions === 'regression' || seed.promotions === 'inbox' ? { promotionsRegression: seed.promotions === 'regression' } : {}),
    submittedAt: num(sent.submittedAt),
    auth: authOf(d.evidence),
    detail: str(d.detail),
    evidence: d.evidence,
    bounce: d.bounce,
    rawHeaders: headers !== undefined ? headers.slice(0, MAX_TEXT) : undefined,
    lab: d.lab === true || seed.lab === true,
  };
}

function checkOf(r: ResultInput, warnings: string[]): CheckRecord | undefined {
  const label = r.titlePath.filter(Boolean).join(' › ');
  const text = r.attachments.find((a) => a.name === 'check')?.body ?? lastAnnotation(r, 'mailcanary.check');
  const c = parseJson(text, `${label}: check`, warnings);
  if (!isObj(c)) return undefined;
  const title = str(c.title);
  const status = str(c.status);
  if (!title || !status) {
    warnings.push(`${label}: check result has no title or status: not recorded`);
    return undefined;
  }
  return {
    runId: '',
    checkId: str(c.id) ?? title.split(' ')[0],
    title,
    target: str(c.target) ?? '',
    status,
    summary: str(c.summary) ?? '',
    fix: str(c.fix),
    details: c.details,
  };
}

/** The send step's `mailcanary.score` annotations (suites/score-step.ts), by variant. */
function contentScores(results: ResultInput[], warnings: string[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const r of results) {
    for (const a of r.annotations) {
      if (a.type !== 'mailcanary.score' || a.description === undefined) continue;
      const v = parseJson(a.description, 'mailcanary.score', warnings);
      if (isObj(v) && str(v.variant)) {
        const { variant, ...score } = v;
        out.set(String(variant), score);
      }
    }
  }
  return out;
}

/**
 * One history run from all results of a Playwright run (or of a merged sharded run).
 * Shards that could not share a run id each made their own: they are folded into one run,
 * named by the smallest id, the others kept as aliases, so a merged sharded run gives the same
 * rows as an unsharded one.
 */
export function collectRun(results: ResultInput[], opts: CollectOptions): Collected {
  const warnings: string[] = [];
  const runs: Array<{ runId: string; startedAt?: number; lab?: boolean }> = [];
  const messages = new Map<string, MessageRecord & { lab?: boolean }>();
  const scores = contentScores(results, warnings);
  const checks = new Map<string, CheckRecord>();
  let labMessages = 0;
  for (const r of results) {
    const runAnn = lastAnnotation(r, 'mailcanary.run');
    if (runAnn !== undefined) {
      const v = parseJson(runAnn, 'mailcanary.run', warnings);
      if (isObj(v) && str(v.runId)) runs.push({ runId: str(v.runId)!, startedAt: num(v.startedAt), lab: typeof v.lab === 'boolean' ? v.lab : undefined });
    }
    const m = messageOf(r, warnings);
    if (m?.lab) labMessages++;
    if (m) {
      const score = scores.get(m.variant.replace(/ via .*$/, ''));
      if (score !== undefined) m.contentScore = score;
      const key = `${m.seedId}\u0000${m.variant}`;
      // a retried test appears once (its final result); a later record of the same key wins
      messages.set(key, m);
    }
    const c = checkOf(r, warnings);
    if (c) checks.set(c.title, c);
  }
  if (!messages.size && !checks.size) return { warnings };
  const ids = [...new Set([...runs.map((r) => r.runId), ...[...messages.values()].map((m) => m.runId).filter(Boolean)])].sort();
  const runId =
    ids[0] ??
    `run-${new Date(opts.startedAt)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}`;
  const starts = runs.map((r) => r.startedAt).filter((n): n is number => n !== undefined);
  const labs = runs.map((r) => r.lab).filter((b): b is boolean => b !== undefined);
  const lab = labs.length ? labs.some(Boolean) : labMessages > 0 || (opts.lab ?? false);
  if (ids.length > 1)
    warnings.push(`results carry ${ids.length} run ids (${ids.join(', ')}): recorded as one run ${runId}; set MAILCANARY_RUN_ID for all shards of a run`);
  // what concerns the whole run, for the report's header; a run that tested nothing is failed
  const untested = untestedRun(results);
  const notices = [...bounceOffNotices(results.flatMap((r) => r.annotations)), ...(untested ? [untested.replace(/^mailcanary: /, '')] : [])];
  const bundle: RunBundle = {
    run: {
      runId,
      startedAt: starts.length ? Math.min(...starts) : opts.startedAt,
      finishedAt: opts.finishedAt,
      lab,
      status: untested && opts.status === 'passed' ? 'failed' : opts.status,
      ...(ids.length > 1 ? { aliases: ids.slice(1) } : {}),
      ...(notices.length ? { notices } : {}),
    },
    messages: [...messages.values()]
      .map(({ lab: _lab, ...m }) => ({ ...m, runId }))
      .sort((a, b) => a.seedId.localeCompare(b.seedId) || a.variant.localeCompare(b.variant)),
    checks: [...checks.values()].map((c) => ({ ...c, runId })).sort((a, b) => a.title.localeCompare(b.title)),
  };
  return { bundle, warnings };
}
