/**
 * The checks that passed with a warning (`warn`: legal but risky, with a fix), read from the
 * `mailcanary.check` annotation that travels with each test result (suites/check-result.ts), so
 * a console that says "all passed" still names every one of them, as it names skips and unknowns.
 */

export interface TitledOutcome {
  /** the test's title below its file: `dns posture @dns › bimi › canary.test record` */
  title: string;
  annotations: ReadonlyArray<{ type: string; description?: string }>;
}

export interface WarnedCheck {
  title: string;
  summary: string;
  fix?: string;
}

export function warnedChecks(tests: readonly TitledOutcome[]): WarnedCheck[] {
  const out: WarnedCheck[] = [];
  for (const t of tests) {
    const a = t.annotations.find((x) => x.type === 'mailcanary.check');
    if (!a?.description) continue;
    let check: { status?: unknown; summary?: unknown; fix?: unknown };
    try {
      check = JSON.parse(a.description) as typeof check;
    } catch {
      continue;
    }
    if (check.status !== 'warn') continue;
    out.push({
      title: t.title,
      summary: typeof check.summary === 'string' ? check.summary : 'warning',
      ...(typeof check.fix === 'string' && check.fix ? { fix: check.fix } : {}),
    });
  }
  return out;
}

/** `<head> (N), each with its fix:` and one line per warned check; nothing when none warned. */
export function warningLines(tests: readonly TitledOutcome[], head: string): string[] {
  const warned = warnedChecks(tests);
  if (!warned.length) return [];
  return [`${head} (${warned.length}), each with its fix:`, ...warned.map((w) => `  - ${w.title}: ${w.summary}${w.fix ? ` — fix: ${w.fix}` : ''}`)];
}

/**
 * The reasons of the skipped tests, one line per reason with how many tests it skipped, so a
 * closing `1 skipped` never stands without its why (Playwright's `skip` annotation).
 */
export function skipReasonLines(tests: ReadonlyArray<{ status: string; annotations: TitledOutcome['annotations'] }>, head: string): string[] {
  const reasons = new Map<string, number>();
  for (const t of tests) {
    if (t.status !== 'skipped') continue;
    const r =
      t.annotations.find((a) => a.type === 'skip' && a.description)?.description?.trim() ||
      'no reason given (a test it depends on failed, or the run was interrupted)';
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  if (!reasons.size) return [];
  return [`${head}, each with its reason:`, ...[...reasons].map(([r, n]) => `  - ${r} (${n} test${n === 1 ? '' : 's'})`)];
}
