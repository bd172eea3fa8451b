/**
 * Why a message landed where it did, for the drill-down's "why" row: the provider's own spam
 * verdict headers as src/evidence decoded them (meaning, score against threshold, the rules that
 * fired), the authentication methods the receiver did not pass, and the local content score of
 * the variant (src/score, scored before sending). Only headers the provider wrote count (above
 * its Received hop or in its own block below it, src/evidence/spam): a field the sender could
 * have written explains nothing about the receiver's decision.
 * Pure; the strings are made visible by the caller (data.ts).
 */
import type { MessageRecord } from '../record/index.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const points = (n: number) => String(Math.round(n * 100) / 100);
const MAX_RULES = 6;

/** Rules with points, highest first (`DBL_SPAM(6.5)`), else the named tests. */
function rulesOf(v: Record<string, unknown>): string[] {
  const rules = Array.isArray(v.rules) ? v.rules.filter(isObj) : [];
  const scored = rules
    .filter((r) => typeof r.name === 'string' && (num(r.score) ?? 0) > 0)
    .sort((a, b) => (num(b.score) ?? 0) - (num(a.score) ?? 0))
    .slice(0, MAX_RULES)
    .map((r) => `${String(r.name)}(${points(num(r.score)!)})`);
  if (scored.length) return scored;
  return (Array.isArray(v.tests) ? v.tests.filter((t): t is string => typeof t === 'string') : []).slice(0, MAX_RULES);
}

/** One line per provider verdict header: `X-UI-Filterresults: junk, level 10 (junk:10;V03:K0:…)`. */
function verdictLine(v: Record<string, unknown>): string | undefined {
  if (v.fromProvider !== true || typeof v.header !== 'string') return undefined;
  const said = typeof v.meaning === 'string' && v.meaning ? v.meaning : v.spam === true ? 'spam' : v.spam === false ? 'not spam' : undefined;
  const score = num(v.score);
  const threshold = num(v.threshold);
  const parts = [
    said,
    score !== undefined ? `score ${points(score)}${threshold !== undefined ? ` of ${points(threshold)}` : ''}` : undefined,
    num(v.level) !== undefined && !(said ?? '').includes(`level ${num(v.level)}`) ? `level ${num(v.level)}` : undefined,
  ].filter(Boolean);
  const rules = rulesOf(v);
  // a vendor whose rules are not decoded names them in the raw field (GMX's tokens after the level)
  const tail = rules.length ? `: ${rules.join(', ')}` : typeof v.raw === 'string' && v.raw ? ` (${v.raw})` : '';
  if (!parts.length && !tail) return undefined;
  return `${v.header}: ${parts.join(', ') || 'verdict header'}${tail}`;
}

function scoreLine(c: unknown): string | undefined {
  if (!isObj(c) || c.state !== 'scored' || num(c.score) === undefined) return undefined;
  const rules = rulesOf(c);
  const threshold = num(c.threshold);
  return `local ${String(c.scorer)} score before sending: ${points(num(c.score)!)}${threshold !== undefined ? ` of ${points(threshold)}` : ''}${
    typeof c.action === 'string' ? ` (${c.action})` : ''
  }${rules.length ? `: ${rules.join(', ')}` : ''}`;
}

/**
 * The lines of the "why" row, or [] for a message that needs none (found in the inbox as
 * expected, or never delivered: its bounce or reason says why). The provider's verdicts that
 * call it spam come first.
 */
export function whyLines(m: Pick<MessageRecord, 'verdict' | 'auth' | 'evidence' | 'contentScore'>, ok: 1 | 0 | -1): string[] {
  const ev = isObj(m.evidence) ? m.evidence : undefined;
  const v = String(m.verdict);
  if (!ev || (ok === 1 && v !== 'spam')) return [];
  const spam = isObj(ev.spam) && Array.isArray(ev.spam.verdicts) ? ev.spam.verdicts.filter(isObj) : [];
  const ordered = [...spam.filter((x) => x.spam === true), ...spam.filter((x) => x.spam !== true)];
  const out = ordered.map(verdictLine).filter((l): l is string => l !== undefined);
  if (!out.length)
    out.push(
      spam.length
        ? 'no verdict header written by the provider (the spam headers found sit where the sender could have written them)'
        : 'the provider wrote no spam verdict header',
    );
  const auth = isObj(m.auth) ? Object.entries(m.auth).filter(([, r]) => typeof r === 'string' && r !== 'pass' && r !== 'none') : [];
  if (auth.length) out.push(`authentication: ${auth.map(([k, r]) => `${k}=${r}`).join(' ')}`);
  const score = scoreLine(m.contentScore);
  if (score) out.push(score);
  return out;
}
