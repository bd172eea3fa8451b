/**
 * Comparison of a parse against an expected parse, with the rules of the project's
 * Authentication-Results corpora: method/result/ptype/property compared lower-cased, values
 * verbatim; `props_complete: false` means the expected props are a subset, `results_complete: false`
 * that the expected results are an ordered subsequence; `error` names the expected failure kind.
 * Used by scripts/eval-authres.ts and by the unit tests' own fixtures.
 */
import type { AuthResParse, AuthResult } from '../../src/evidence/authres.ts';

export interface ExpectedResult {
  method: string;
  result: string;
  reason?: string;
  props?: Record<string, string>;
}

export interface ExpectedParse {
  error?: 'syntax' | 'semantic';
  authservId?: string | null;
  version?: string;
  results?: ExpectedResult[];
  results_complete?: boolean;
}

export interface CompareOptions {
  propsComplete?: boolean;
  resultsComplete?: boolean;
}

/** Returns the differences as readable lines; empty when the parse matches. */
export function compareParse(actual: AuthResParse, expected: ExpectedParse, opts: CompareOptions = {}): string[] {
  if (expected.error) {
    if (actual.ok) return [`expected a ${expected.error} error, got a successful parse`];
    if (actual.error.kind !== expected.error) return [`expected a ${expected.error} error, got ${actual.error.kind}: ${actual.error.message}`];
    return [];
  }
  if (!actual.ok) return [`expected a parse, got ${actual.error.kind} error: ${actual.error.message}`];
  const h = actual.header;
  const diffs: string[] = [];
  const expId = expected.authservId === undefined ? null : expected.authservId;
  if (h.authservId !== expId) diffs.push(`authservId: expected ${JSON.stringify(expId)}, got ${JSON.stringify(h.authservId)}`);
  if ((expected.version ?? null) !== (h.version ?? null)) diffs.push(`version: expected ${JSON.stringify(expected.version)}, got ${JSON.stringify(h.version)}`);
  const propsComplete = opts.propsComplete !== false;
  const resultsComplete = opts.resultsComplete !== false && expected.results_complete !== false;
  const exp = expected.results ?? [];
  if (resultsComplete) {
    if (exp.length !== h.results.length)
      diffs.push(`results: expected ${exp.length}, got ${h.results.length} (${h.results.map((r) => `${r.method}=${r.result}`).join(', ')})`);
    const n = Math.min(exp.length, h.results.length);
    for (let i = 0; i < n; i++) diffs.push(...compareResult(h.results[i], exp[i], i, propsComplete));
  } else {
    // ordered subsequence: each expected result matched by a later actual result than the previous one
    let j = 0;
    for (let i = 0; i < exp.length; i++) {
      while (j < h.results.length && compareResult(h.results[j], exp[i], j, propsComplete).length > 0) j++;
      if (j === h.results.length) {
        diffs.push(`result #${i} ${exp[i].method}=${exp[i].result} not found in order`);
        break;
      }
      j++;
    }
  }
  return diffs;
}

function compareResult(a: AuthResult, e: ExpectedResult, i: number, propsComplete: boolean): string[] {
  const diffs: string[] = [];
  const where = `result #${i}`;
  if (a.method !== e.method.toLowerCase()) diffs.push(`${where} method: expected ${e.method}, got ${a.method}`);
  if (a.result !== e.result.toLowerCase()) diffs.push(`${where} result: expected ${e.result}, got ${a.result}`);
  if (e.reason !== undefined || propsComplete) {
    if ((e.reason ?? undefined) !== a.reason) diffs.push(`${where} reason: expected ${JSON.stringify(e.reason)}, got ${JSON.stringify(a.reason)}`);
  }
  const ep: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.props ?? {})) ep[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(ep)) {
    if (!(k in a.props)) diffs.push(`${where} prop ${k}: missing (expected ${JSON.stringify(v)})`);
    else if (a.props[k] !== v) diffs.push(`${where} prop ${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(a.props[k])}`);
  }
  if (propsComplete) {
    for (const k of Object.keys(a.props)) if (!(k in ep)) diffs.push(`${where} prop ${k}: unexpected (${JSON.stringify(a.props[k])})`);
  }
  return diffs;
}
