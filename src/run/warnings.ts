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
