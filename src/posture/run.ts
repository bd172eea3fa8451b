/**
 * Runs the planned posture checks concurrently through one shared, caching, time-bounded
 * resolver. Every check returns data; an exception escaping a check is a mailcanary bug: that
 * check's result is `error` with the message and where it was thrown, the others run on.
 */
import { cachingResolver, resolverWithTimeout } from '../shared/dns/resolver.ts';
import type { Resolver } from '../shared/dns/resolver.ts';
import { planPostureChecks } from './plan.ts';
import type { PlannedCheck } from './plan.ts';
import type { CheckContext, CheckResult, MtaStsFetcher, PostureConfig } from './types.ts';
import type { Outcome } from './checks/outcome.ts';
import { checkHelo, checkReverseDns } from './checks/rdns.ts';
import { checkMx } from './checks/mx.ts';
import { checkSpfPass, checkSpfRecord } from './checks/spf.ts';
import { checkDkimKey } from './checks/dkim.ts';
import { checkDmarc } from './checks/dmarc.ts';
import { checkMtaSts } from './checks/mta-sts.ts';
import { httpsMtaStsFetcher } from './checks/mta-sts-fetch.ts';
import { checkBimi, checkTlsRpt } from './checks/reporting.ts';
import { checkList, checkTld } from './checks/lists.ts';
import { internalErrorOutcome } from '../shared/internal-error.ts';

export interface RunOptions {
  /** per-query limit; a query past it is ETIMEOUT (default 5000 ms) */
  queryTimeoutMs?: number;
  /** overall limit of one SPF evaluation (default 20000 ms) */
  spfTimeLimitMs?: number;
  /** checks running at once (default 16) */
  concurrency?: number;
  /** MTA-STS policy fetcher (default: HTTPS to the policy host, port and CA from the configuration) */
  fetchMtaSts?: MtaStsFetcher;
  /** run only these planned checks (default: the whole plan) */
  plan?: PlannedCheck[];
}

export async function runPlannedCheck(p: PlannedCheck, ctx: CheckContext): Promise<CheckResult> {
  let o: Outcome;
  try {
    o = await dispatch(p, ctx);
  } catch (err) {
    o = internalErrorOutcome(p.id, err);
  }
  const r: CheckResult = { id: p.id, title: p.title, target: p.target, status: o.status, summary: o.summary };
  if (o.fix) r.fix = o.fix;
  if (o.details) r.details = o.details;
  if (o.warnings && o.warnings.length) r.warnings = o.warnings;
  return r;
}

function dispatch(p: PlannedCheck, ctx: CheckContext): Promise<Outcome> {
  const a = p.params;
  switch (p.id) {
    case 'rdns':
      return checkReverseDns(a.ip, ctx);
    case 'helo':
      return checkHelo(a.helo, ctx);
    case 'mx':
      return checkMx(a.domain, ctx);
    case 'spf-record':
      return checkSpfRecord(a.domain, ctx);
    case 'spf':
      return checkSpfPass(a.domain, ctx);
    case 'dkim':
      return checkDkimKey(a.selector, a.domain, ctx);
    case 'dmarc':
      return checkDmarc(a.domain, ctx);
    case 'mta-sts':
      return checkMtaSts(a.domain, ctx);
    case 'tls-rpt':
      return checkTlsRpt(a.domain, ctx);
    case 'bimi':
      return checkBimi(a.domain, ctx);
    case 'blocklist':
    case 'allowlist': {
      const list = ctx.config.lists.find((l) => l.zone === a.zone);
      if (!list) throw new Error(`no list ${a.zone} in the configuration`);
      return checkList(list, a.target, ctx);
    }
    case 'tld':
      return checkTld(a.host);
    default:
      throw new Error(`unknown posture check id "${p.id}"`);
  }
}

/** Builds the shared context: one caching, time-bounded resolver for the whole run. */
export function postureContext(config: PostureConfig, resolver: Resolver, opts: RunOptions = {}): CheckContext {
  return {
    config,
    resolver: cachingResolver(resolverWithTimeout(resolver, opts.queryTimeoutMs ?? 5000)),
    spfTimeLimitMs: opts.spfTimeLimitMs ?? 20_000,
    fetchMtaSts:
      opts.fetchMtaSts ?? httpsMtaStsFetcher({ port: config.mtaStsPort, extraCa: config.extraCa, timeoutMs: Math.max(opts.queryTimeoutMs ?? 5000, 10_000) }),
  };
}

export async function runPostureChecks(config: PostureConfig, resolver: Resolver, opts: RunOptions = {}): Promise<CheckResult[]> {
  const plan = opts.plan ?? planPostureChecks(config);
  const ctx = postureContext(config, resolver, opts);
  const limit = Math.max(1, opts.concurrency ?? 16);
  const results: CheckResult[] = new Array(plan.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.length) {
      const i = next++;
      results[i] = await runPlannedCheck(plan[i], ctx);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, plan.length) }, worker));
  return results;
}
