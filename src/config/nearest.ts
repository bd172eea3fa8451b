/**
 * The known name a misspelt setting most likely meant, for a fix line that says "did you mean
 * timeoutSeconds?". Case is ignored; a name counts as meant when it is within a third of its
 * length in edits (Damerau-Levenshtein with adjacent transpositions),  so `timeoutSecond`,
 * `pasword_env` and `gmial` find theirs and an unrelated word finds none.
 */
export function nearestName(word: string, known: readonly string[], maxEdits?: number): string | undefined {
  const w = word.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = editDistance(w, name.toLowerCase());
    // a name of three letters or fewer is too short to guess from
    if (name.length > 3 && d <= (maxEdits ?? Math.max(1, Math.floor(name.length / 3))) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** The fix for an unknown setting: the nearest known one first, then the whole list. */
export function unknownSettingFix(word: string, known: readonly string[]): string {
  const near = nearestName(word, known);
  return near ? `did you mean ${near}? (the known settings are: ${known.join(', ')})` : `remove it or use one of: ${known.join(', ')}`;
}

function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * A variable that is set (not empty) under a name near the unset `name`: `SEED_GMAIL_PASWORD` for
 * `SEED_GMAIL_PASSWORD`, at most two edits away (`SEED_GMX_PASSWORD` is another seed's, not a
 * typo). `others` are names in use for something else (the other seeds' variables). Only names
 * are compared and returned, never a value.
 */
export function nearSetVariable(name: string, env: Record<string, string | undefined>, others: readonly string[] = []): string | undefined {
  const set = Object.keys(env).filter((k) => k !== name && !others.includes(k) && (env[k] ?? '') !== '');
  return nearestName(name, set, 2);
}
