import { test } from '@playwright/test';
import { reportCheck, type ReportableCheck } from './check-result.ts';
import { createResolver, resolverWithTimeout } from '../src/shared/dns/resolver.ts';
import { serverConfigFromEnv } from '../src/server-checks/config.ts';
import { planServerChecks, runServerCheck } from '../src/server-checks/plan.ts';
import type { PlannedServerCheck } from '../src/server-checks/plan.ts';
import type { ServerConfig } from '../src/server-checks/types.ts';

/**
 * Server posture: what a receiving provider sees when it talks to your server.
 * One test per check, known at collection time from the configuration:
 *   open relay (MX refuses every relay trick before DATA; nothing is ever sent: the probe stops
 *   at RCPT), banner/EHLO name vs PTR, TLS on the MX, submission and 465 ports (IPv6 too),
 *   website with imprint/contact page, reputation by DNS joined with the block lists.
 * pass → passes; warn → passes with `warning` annotations; fail → fails with what is wrong and
 * how to fix it; unknown (the network did not reach it) → skipped with the reason; error (the
 * check threw: a bug of mailcanary) → fails with the exception and where it was thrown.
 * Configuration: MAILCANARY_DOMAINS (or MAIL_FROM's domain), MAILCANARY_SENDING_IPS, MAILCANARY_HELO,
 * MAILCANARY_DNS_SERVERS, SMTP_HOST, SMTP_TLS_CA_FILE, MAILCANARY_SMTP_PORTS, MAILCANARY_WEB_PORT,
 * MAILCANARY_RELAY_PROBE_RCPT, MAILCANARY_SMTP_TIMEOUT, MAILCANARY_CERT_MIN_DAYS.
 */
let config: ServerConfig | undefined;
let configError: string | undefined;
try {
  config = serverConfigFromEnv(process.env);
} catch (err) {
  configError = err instanceof Error ? err.message : String(err);
}

test.describe('server posture @server', () => {
  if (!config) {
    test('configuration', () => {
      throw new Error(`server checks are not configured: ${configError}`);
    });
    return;
  }
  const cfg = config;
  const plan: PlannedServerCheck[] = planServerChecks(cfg);
  const resolver = resolverWithTimeout(createResolver({ servers: cfg.dnsServers.length ? cfg.dnsServers : undefined, timeoutMs: 3000, tries: 2 }), 8000);

  for (const p of plan) {
    test(p.title, { tag: [`@server-${p.id}`] }, async ({}, testInfo) => {
      // every network step is bounded (MAILCANARY_SMTP_TIMEOUT); this is the outer limit for a check over several addresses
      test.setTimeout(Math.max(120_000, cfg.timeouts.greetingMs * 8));
      const result = await runServerCheck(p, cfg, { resolver });
      const { id, title, target, status, summary, fix } = result;
      await reportCheck(result as unknown as ReportableCheck & Record<string, unknown>, testInfo, { id, title, target, status, summary, fix });
    });
  }
});
