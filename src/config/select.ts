/**
 * Provider selection: `npx playwright test --project=gmail` or `--grep @gmail` runs only the
 * Gmail seeds, and the send step sends only to them (sending to a seed nobody reads would
 * waste a message of the daily budget and train the provider on unread mail).
 *
 * The Playwright config runs in the main process and sees the command line; it passes the
 * selection to the workers as MAILCANARY_PROVIDERS (workers inherit the environment).
 */
import { PROVIDER_IDS } from '../knowledge/providers.ts';

/** Provider ids named by `--project` or `--grep @id` on a Playwright command line (pure). */
export function providersFromArgv(argv: readonly string[]): string[] {
  const found = new Set<string>();
  const values = (flag: string[]): string[] => {
    const out: string[] = [];
    argv.forEach((a, i) => {
      for (const f of flag) {
        if (a === f && argv[i + 1] !== undefined) out.push(argv[i + 1]);
        else if (a.startsWith(`${f}=`)) out.push(a.slice(f.length + 1));
      }
    });
    return out;
  };
  for (const p of values(['--project'])) for (const x of p.split(',')) if ((PROVIDER_IDS as string[]).includes(x)) found.add(x);
  for (const g of values(['--grep', '-g'])) {
    for (const m of g.matchAll(/@([a-z0-9-]+)/gi)) if ((PROVIDER_IDS as string[]).includes(m[1].toLowerCase())) found.add(m[1].toLowerCase());
  }
  return [...found];
}

/** The selection in force: MAILCANARY_PROVIDERS (comma list) or null for all providers. */
export function selectedProviders(env: Record<string, string | undefined>): string[] | null {
  const raw = env.MAILCANARY_PROVIDERS?.trim();
  if (!raw) return null;
  return raw
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
}

export function isSelected(provider: string, selection: string[] | null): boolean {
  return selection === null || selection.includes(provider);
}

/**
 * The provider projects of this run (`--project=gmail` makes a project `gmail`). Playwright
 * evaluates the config again in every worker, whose command line names no project, so the
 * runner (no TEST_WORKER_INDEX, which Playwright sets in its workers) decides from its argv and
 * the workers read that decision from MAILCANARY_PROVIDER_PROJECTS, which they inherit.
 */
export function providerProjectIds(argv: readonly string[], env: Record<string, string | undefined>): string[] {
  if (env.TEST_WORKER_INDEX !== undefined)
    return (env.MAILCANARY_PROVIDER_PROJECTS ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  // a provider selected by --grep only gets no project of its own, so a plain run does not run placement twice
  const named = new Set(
    argv.flatMap((a, i) => (a === '--project' ? (argv[i + 1] ?? '') : a.startsWith('--project=') ? a.slice(10) : '').split(',')).filter(Boolean),
  );
  return providersFromArgv(argv).filter((id) => named.has(id));
}
