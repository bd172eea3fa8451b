import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { reportCheck, type ReportableCheck } from './check-result.ts';
import { createResolver } from '../src/shared/dns/resolver.ts';
import { postureConfigFromEnv } from '../src/posture/config.ts';
import { loadSenders, sendersFile } from '../src/config/index.ts';
import { planPostureChecks } from '../src/posture/plan.ts';
import { runPostureChecks } from '../src/posture/run.ts';
import type { PlannedCheck } from '../src/posture/plan.ts';
import type { CheckResult, PostureConfig } from '../src/posture/types.ts';

/**
 * DNS posture of the sending domains and IPs: one test per check × target, known at
 * collection time from the configuration. The DNS work runs once per worker (beforeAll) through
 * one shared resolver; each test reports its own result:
 *   pass → passes; warn → passes with `warning` annotations; fail → fails with what is wrong and
 *   how to fix it; unknown (DNS did not answer, list refused the resolver) → skipped with the reason;
 *   error (the check threw: a bug of mailcanary) → fails with the exception and where it was thrown.
 * Configuration: the senders file (MAILCANARY_SENDERS or seeds/senders.ts: each sender domain with
 * its own DKIM selectors, a system sender's host name for SPF and DMARC) or else MAILCANARY_DOMAINS /
 * MAIL_FROM with MAILCANARY_DKIM_SELECTORS; MAILCANARY_SENDING_IPS, MAILCANARY_HELO,
 * MAILCANARY_DNS_SERVERS, MAILCANARY_BLOCKLISTS_EXTRA, MAILCANARY_LINK_URL.
 */
let config: PostureConfig | undefined;
let configError: string | undefined;
try {
  // with a senders file, every sender's domains and selectors; else MAILCANARY_DOMAINS or MAIL_FROM
  const senders = sendersFile(process.cwd(), process.env) ? await loadSenders(process.env, process.cwd(), { logins: false }) : undefined;
  config = postureConfigFromEnv(process.env, senders);
} catch (err) {
  configError = err instanceof Error ? err.message : String(err);
}

test.describe('dns posture @dns', () => {
  // one worker runs the group in order, so the checks run once rather than once per worker
  test.describe.configure({ mode: 'default' });

  if (!config) {
    test('configuration', () => {
      throw new Error(`DNS posture checks are not configured: ${configError}`);
    });
    return;
  }
  const cfg = config;
  const plan: PlannedCheck[] = planPostureChecks(cfg);
  let results = new Map<string, CheckResult>();

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    // Playwright replaces the worker after a failed test and this hook runs again there; the
    // results of this run (workers share the runner as parent process) are reused, so the
    // blocklists and the user's resolver are asked once per run, not once per failure
    const dir = test.info().project.outputDir;
    const cache = join(dir, `.dns-posture-${process.ppid}.json`);
    let all: CheckResult[];
    if (existsSync(cache)) {
      all = JSON.parse(readFileSync(cache, 'utf8')) as CheckResult[];
    } else {
      const resolver = createResolver({ servers: cfg.dnsServers.length ? cfg.dnsServers : undefined, timeoutMs: 3000, tries: 2 });
      all = await runPostureChecks(cfg, resolver, { plan });
      mkdirSync(dir, { recursive: true });
      writeFileSync(cache, JSON.stringify(all));
    }
    results = new Map(all.map((r) => [r.title, r]));
  });

  for (const p of plan) {
    test(p.title, { tag: [`@dns-${p.id}`] }, async ({}, testInfo) => {
      const r = results.get(p.title);
      expect(r, `no result for "${p.title}": the posture run did not produce it`).toBeTruthy();
      const result = r!;
      await reportCheck(result as unknown as ReportableCheck & Record<string, unknown>, testInfo);
    });
  }
});
