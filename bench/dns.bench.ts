/**
 * Wall time of a full DNS posture run (every check), against an in-memory zone with
 * simulated resolver latency, and optionally against a live resolver (the lab NSD).
 *   node bench/dns.bench.ts [rounds]                      fake zone (test/fixtures/posture)
 *   node bench/dns.bench.ts --live 127.0.0.1:5353 [rounds] the configuration from MAILCANARY_* env
 * Prints a table and writes bench/results/dns.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fakeResolver } from '../test/support/fake-resolver.ts';
import { createResolver } from '../src/shared/dns/resolver.ts';
import type { Resolver } from '../src/shared/dns/resolver.ts';
import { postureConfigFromEnv } from '../src/posture/config.ts';
import { runPostureChecks } from '../src/posture/run.ts';
import type { RunOptions } from '../src/posture/run.ts';
import type { PostureConfig } from '../src/posture/types.ts';
import { healthyConfig, healthyMtaSts, healthyZone } from '../test/fixtures/posture/zones.ts';

const args = process.argv.slice(2);
const liveAt = args.indexOf('--live');
const live = liveAt >= 0 ? args[liveAt + 1] : undefined;
const rounds = Number(args.find((a, i) => /^\d+$/.test(a) && i !== liveAt + 1) ?? 5);

interface Row {
  scenario: string;
  checks: number;
  queries: number | null;
  medianMs: number;
  maxMs: number;
  statuses: Record<string, number>;
}

async function measure(scenario: string, config: PostureConfig, makeResolver: () => Resolver & { queries?: unknown[] }, opts: RunOptions): Promise<Row> {
  const times: number[] = [];
  let queries: number | null = null;
  let statuses: Record<string, number> = {};
  let checks = 0;
  for (let i = 0; i < rounds; i++) {
    const resolver = makeResolver();
    const t0 = performance.now();
    const results = await runPostureChecks(config, resolver, opts);
    times.push(performance.now() - t0);
    checks = results.length;
    queries = Array.isArray(resolver.queries) ? resolver.queries.length : null;
    statuses = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
  times.sort((a, b) => a - b);
  return { scenario, checks, queries, medianMs: Math.round(times[Math.floor(times.length / 2)]), maxMs: Math.round(times[times.length - 1]), statuses };
}

const rows: Row[] = [];
if (live) {
  const config = { ...postureConfigFromEnv(process.env), dnsServers: [live] };
  rows.push(await measure(`live resolver ${live}`, config, () => createResolver({ servers: [live], timeoutMs: 2000, tries: 2 }), {}));
} else {
  const config = healthyConfig();
  const zone = healthyZone();
  for (const latency of [0, 5, 20]) {
    for (const concurrency of [16, 1]) {
      rows.push(
        await measure(`fake zone, ${latency} ms/query, ${concurrency} at once`, config, () => fakeResolver(zone, { latencyMs: latency }), {
          concurrency,
          fetchMtaSts: healthyMtaSts,
        }),
      );
    }
  }
  // jittered latency: 1-40 ms, like a recursive resolver with a partly warm cache
  rows.push(
    await measure('fake zone, 1-40 ms jitter, 16 at once', config, () => fakeResolver(zone, { latencyMs: () => 1 + Math.floor(Math.random() * 40) }), {
      fetchMtaSts: healthyMtaSts,
    }),
  );
  // a resolver that never answers: bounded by the per-query timeout, everything unknown
  rows.push(
    await measure('resolver hangs, 250 ms query timeout', config, () => fakeResolver(zone, { fail: () => 'hang' }), {
      queryTimeoutMs: 250,
      spfTimeLimitMs: 2000,
      fetchMtaSts: healthyMtaSts,
    }),
  );
}

console.log('scenario                                   checks  queries  median ms  max ms  statuses');
for (const r of rows) {
  console.log(
    `${r.scenario.padEnd(42)} ${String(r.checks).padStart(6)} ${String(r.queries ?? '-').padStart(8)} ${String(r.medianMs).padStart(10)} ${String(r.maxMs).padStart(7)}  ${Object.entries(
      r.statuses,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
}
mkdirSync(fileURLToPath(new URL('./results', import.meta.url)), { recursive: true });
writeFileSync(
  fileURLToPath(new URL('./results/dns.json', import.meta.url)),
  JSON.stringify({ node: process.version, date: new Date().toISOString(), rounds, rows }, null, 2) + '\n',
);
