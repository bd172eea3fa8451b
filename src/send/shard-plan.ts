/**
 * Which messages a shard sends. Playwright runs the `send` setup project in every shard that has
 * placement tests (dependencies are not sharded), so without a plan every shard would send every
 * message. The reporter sees the shard's tests in onBegin, before any worker starts; their static
 * `mailcanary.plan` annotations (`{"seedId","variant"}`) become MAILCANARY_SHARD_PLAN, which the
 * workers inherit. Pure.
 */
export interface PlanEntry {
  seedId: string;
  variant: string;
  /** submission path (SMTP_PATHS name); absent for the default path */
  path?: string;
  /** sender id; absent when the run has one sender */
  sender?: string;
}

/** one key per message of the matrix: seed, variant, path and sender */
export function planKey(p: PlanEntry): string {
  return `${p.seedId}\u0000${p.variant}\u0000${p.path ?? ''}\u0000${p.sender ?? ''}`;
}

export function shardPlan(annotationLists: Array<Array<{ type: string; description?: string }>>): PlanEntry[] {
  const out: PlanEntry[] = [];
  const seen = new Set<string>();
  for (const list of annotationLists) {
    for (const a of list) {
      if (a.type !== 'mailcanary.plan' || !a.description) continue;
      try {
        const p = JSON.parse(a.description) as Partial<PlanEntry>;
        if (typeof p.seedId !== 'string' || typeof p.variant !== 'string') continue;
        const entry: PlanEntry = {
          seedId: p.seedId,
          variant: p.variant,
          ...(typeof p.path === 'string' ? { path: p.path } : {}),
          ...(typeof p.sender === 'string' ? { sender: p.sender } : {}),
        };
        const key = planKey(entry);
        if (!seen.has(key)) out.push(entry);
        seen.add(key);
      } catch {
        /* not ours */
      }
    }
  }
  return out;
}

/** Reads MAILCANARY_SHARD_PLAN; undefined when not sharded (send everything). */
export function shardPlanFromEnv(env: NodeJS.ProcessEnv = process.env): PlanEntry[] | undefined {
  const raw = env.MAILCANARY_SHARD_PLAN;
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? (v as PlanEntry[]).filter((p) => typeof p?.seedId === 'string' && typeof p?.variant === 'string') : undefined;
  } catch {
    return undefined;
  }
}
