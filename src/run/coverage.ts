/**
 * Whether a run tested anything. A run in which every placement test was skipped (a CI secret
 * renamed, so no seed password is set) has measured nothing and must not be green; neither may a
 * run that executed no test at all. With MAILCANARY_REQUIRE_ALL_SEEDS=true any skipped seed fails
 * the run. Reads only the annotations that travel with test results, so a live run and
 * `merge-reports` of its shards judge alike.
 */

export interface TestOutcome {
  /** final status of the test (after retries) */
  status: string;
  annotations: Array<{ type: string; description?: string }>;
}

interface SkipNote {
  seedId?: string;
  missing: string[];
  requireAllSeeds: boolean;
  /** the env file the run read (`.env` or MAILCANARY_ENV_FILE), as the fix names it */
  envFile?: string;
  /** variables set under a name near an unset one: likely misspellings */
  near: Array<{ missing: string; set: string }>;
}

/** Placement tests carry the static `mailcanary.plan` annotation (suites/placement.spec.ts). */
const isPlacement = (t: TestOutcome) => t.annotations.some((a) => a.type === 'mailcanary.plan');

function skipNote(t: TestOutcome): SkipNote | undefined {
  const a = t.annotations.find((x) => x.type === 'mailcanary.skip');
  if (!a?.description) return undefined;
  try {
    const v = JSON.parse(a.description) as Record<string, unknown>;
    const missing = Array.isArray(v.missing) ? v.missing.filter((m): m is string => typeof m === 'string') : [];
    return {
      seedId: typeof v.seedId === 'string' ? v.seedId : undefined,
      missing,
      requireAllSeeds: v.requireAllSeeds === true,
      envFile: typeof v.envFile === 'string' && v.envFile ? v.envFile : undefined,
      near: Array.isArray(v.near)
        ? v.near.filter((x): x is { missing: string; set: string } => typeof x?.missing === 'string' && typeof x?.set === 'string')
        : [],
    };
  } catch {
    return undefined;
  }
}

const list = (xs: string[]) => [...new Set(xs)].join(', ');

/** Why these placement tests were skipped, in one clause: the unset variables first. */
function why(skipped: TestOutcome[]): string {
  const notes = skipped.map(skipNote);
  const missing = notes.flatMap((n) => n?.missing ?? []);
  const seeds = notes.map((n) => n?.seedId).filter((s): s is string => !!s);
  const parts: string[] = [];
  if (missing.length) {
    const names = [...new Set(missing)];
    parts.push(
      `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} not set (seed${new Set(seeds).size > 1 ? 's' : ''} ${list(seeds)} skipped); ` +
        `set them in ${notes.find((n) => n?.envFile)?.envFile ?? '.env'} or as CI secrets under the names the seeds file gives (imap.passwordEnv)`,
    );
    const near = new Map(notes.flatMap((n) => n?.near ?? []).map((x) => [x.missing, x.set]));
    for (const [m, set] of near) parts.push(`${set} is set: a misspelling of ${m}?`);
  }
  const other = skipped.filter((t, i) => !notes[i]?.missing.length);
  const reasons = other.map((t) => t.annotations.find((a) => a.type === 'skip')?.description).filter((d): d is string => !!d);
  if (reasons.length) parts.push(`skipped: ${list(reasons)}`);
  const silent = other.length - reasons.length;
  if (silent) parts.push(`${silent} placement test(s) did not run (the send step failed or the run was interrupted)`);
  return parts.join('; ');
}

/**
 * The line that fails the run, or undefined when it tested something. Not for a shard: one shard
 * may hold only skipped seeds; the merge of all shards is judged.
 */
export function untestedRun(tests: TestOutcome[]): string | undefined {
  const placement = tests.filter(isPlacement);
  const skipped = placement.filter((t) => t.status === 'skipped');
  if (placement.length && skipped.length === placement.length) return `mailcanary: no seed was tested: ${why(skipped)}`;
  if (!tests.some((t) => t.status !== 'skipped')) {
    if (!tests.length) return 'mailcanary: no test was executed: the run had no test';
    const reasons = [...new Set(tests.map((t) => t.annotations.find((a) => a.type === 'skip')?.description).filter((d): d is string => !!d))];
    const shown = reasons.length ? ` (${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? `; ${reasons.length - 3} more reason(s)` : ''})` : '';
    return `mailcanary: no test was executed: all ${tests.length} test(s) were skipped${shown}`;
  }
  const required = skipped.filter((t) => skipNote(t)?.requireAllSeeds);
  if (required.length) return `mailcanary: MAILCANARY_REQUIRE_ALL_SEEDS=true and a seed was skipped: ${why(required)}`;
  return undefined;
}

/**
 * The placement tests that could not measure (a seed mailbox that refused its login, a
 * submission that failed), one line per cause with the seeds it hit, so eight refused logins of
 * one mailbox are one line at the end of the run, with their fix.
 */
export function notTestedLines(tests: TestOutcome[]): string[] {
  const groups = new Map<string, { count: number; seeds: Set<string> }>();
  for (const t of tests) {
    const a = t.annotations.find((x) => x.type === 'mailcanary.not-tested');
    if (!a?.description) continue;
    let note: { seedId?: unknown; detail?: unknown };
    try {
      note = JSON.parse(a.description) as typeof note;
    } catch {
      continue;
    }
    if (typeof note.detail !== 'string') continue;
    // the attempts differ between tests of one mailbox; the cause does not
    const cause = note.detail.replace(/^seed mailbox could not be read after \d+ attempt\(s\): /, 'seed mailbox could not be read: ');
    const g = groups.get(cause) ?? { count: 0, seeds: new Set<string>() };
    g.count++;
    if (typeof note.seedId === 'string') g.seeds.add(note.seedId);
    groups.set(cause, g);
  }
  return [...groups].map(
    ([cause, g]) => `mailcanary: ${g.count} placement test(s) not measured (seed${g.seeds.size > 1 ? 's' : ''} ${list([...g.seeds])}): ${cause}`,
  );
}
