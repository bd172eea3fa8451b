/**
 * Every phrase and provider rule of src/classify is a data entry with an id and a documented
 * source. This module lets an evaluation see which entries a message exercises and switch entries
 * off, so that a cross-validation can score each held-back fold without the entries that only the
 * held-back messages support (scripts/eval-bounces.ts). Production code never sets either: all
 * entries are on and nothing is recorded.
 *
 * The state is module-level and synchronous: `withRuleSet` sets it for the duration of one
 * synchronous call and restores it, so nested or interleaved asynchronous use is impossible.
 */

export interface RuleSet {
  /** entry ids that do not apply */
  disabled?: ReadonlySet<string>;
  /** when given, every entry that matches is added here (matching is then exhaustive, not first-hit) */
  hits?: Set<string>;
}

const NONE: ReadonlySet<string> = new Set();
let disabled: ReadonlySet<string> = NONE;
let hits: Set<string> | null = null;

/** Run `fn` with the given entries disabled and/or matches recorded. */
export function withRuleSet<T>(set: RuleSet, fn: () => T): T {
  const saved = { disabled, hits };
  disabled = set.disabled ?? NONE;
  hits = set.hits ?? null;
  try {
    return fn();
  } finally {
    disabled = saved.disabled;
    hits = saved.hits;
  }
}

/** Is the entry in force? */
export function entryOn(id: string): boolean {
  return disabled.size === 0 || !disabled.has(id);
}

/** Is an evaluation recording matches (so a matcher must try every entry, not stop at the first)? */
export function recording(): boolean {
  return hits !== null;
}

export function noteHit(id: string): void {
  if (hits) hits.add(id);
}

/** A phrase or pattern entry, compiled once. */
export interface Entry {
  id: string;
  source: string;
  phrase?: string;
  re?: RegExp;
}

/** Test entries against lower-cased text: first match, or every match while recording. */
export function matchEntries(entries: readonly Entry[], lowerText: string): boolean {
  let found = false;
  const all = hits !== null;
  for (const e of entries) {
    if (disabled.size && disabled.has(e.id)) continue;
    if (e.phrase !== undefined ? lowerText.includes(e.phrase) : e.re!.test(lowerText)) {
      if (!all) return true;
      hits!.add(e.id);
      found = true;
    }
  }
  return found;
}
