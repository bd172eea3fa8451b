/** Shared by both scorer clients: unknown results, rule order, the one-line summary. */
import type { ScoreResult, ScoreRule, ScorerSetting, UnknownScore } from './types.ts';

export function unknown(setting: ScorerSetting, reason: string): UnknownScore {
  return { state: 'unknown', scorer: setting.kind, url: setting.url, reason };
}

/** Rules that cost points first (highest first), then the rest by name: the order a reader scans. */
export function sortRules(rules: ScoreRule[]): ScoreRule[] {
  return [...rules].sort((a, b) => Math.abs(b.score) - Math.abs(a.score) || a.name.localeCompare(b.name));
}

function points(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(Math.round(n * 100) / 100);
}

/** `NAME(points)` list, e.g. `DBL_SPAM(6.5), SUBJ_ALL_CAPS(2.7)`. */
export function ruleList(rules: ScoreRule[], max = 12): string {
  const shown = rules.slice(0, max).map((r) => `${r.name}(${points(r.score)})`);
  return shown.join(', ') + (rules.length > max ? `, … ${rules.length - max} more` : '');
}

/** `rspamd 1.2 / 15 (no action): R_PARTS_DIFFER(0.4), …` or `rspamd unknown: <reason>`. */
export function scoreLine(r: ScoreResult): string {
  const name = r.scorer === 'rspamd' ? 'rspamd' : 'SpamAssassin';
  if (r.state === 'unknown') return `${name} unknown: ${r.reason}`;
  return `${name} ${points(r.score)} / ${points(r.threshold)} (${r.action}): ${ruleList(r.rules) || 'no rules'}`;
}
