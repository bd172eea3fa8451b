import { test, expect } from '@playwright/test';
import { startSilentDns } from '../../lab/faults/dns.ts';
import { createResolver } from '../../src/shared/dns/resolver.ts';
import { runUserSuite } from './support.ts';
import { timed } from './faults-support.ts';

/**
 * The DNS resolver never answers (port 53 dropped by a firewall). Every lookup ends at the
 * resolver's own budget (2 tries × 2 s by default), and every posture check that needs DNS reports
 * `unknown` (a temporary error) — "the answer is unknown", never a verdict on the user's records, never a hang.
 */
test.describe.configure({ timeout: 120_000 });

test('a lookup against a silent resolver ends with ETIMEOUT within its budget', async () => {
  const dns = await startSilentDns();
  try {
    const resolve = createResolver({ servers: [`127.0.0.1:${dns.port}`], timeoutMs: 500, tries: 2 });
    const { value, ms } = await timed(() =>
      resolve('canary.test', 'TXT').then(
        () => 'answered',
        (e: { code?: string }) => e.code,
      ),
    );
    expect(value).toBe('ETIMEOUT');
    expect(ms).toBeLessThan(5_000);
    expect(dns.queries()).toBeGreaterThanOrEqual(1);
  } finally {
    await dns.close();
  }
});

test('user dns suite against a silent resolver: checks end as temporary errors, bounded time', async () => {
  const dns = await startSilentDns();
  try {
    const run = await runUserSuite({
      env: { MAILCANARY_DNS_SERVERS: `127.0.0.1:${dns.port}`, MAILCANARY_HISTORY: 'off' },
      args: ['--project=dns'],
      timeoutMs: 100_000,
    });
    const checks = run.tests
      .map((t) => t.annotations.find((a) => a.type === 'mailcanary.check')?.description)
      .filter((d): d is string => !!d)
      .map((d) => JSON.parse(d) as { status: string; id?: string });
    expect(checks.length, run.output).toBeGreaterThan(3);
    // every check that needs DNS says "unknown" (the answer is unknown), none passes or fails on
    // silence; only the TLD check, which needs no lookup, still gives its verdict
    const dnsChecks = checks.filter((c) => c.id !== 'tld');
    expect(
      dnsChecks.filter((c) => c.status !== 'unknown'),
      JSON.stringify(checks),
    ).toEqual([]);
    expect(dnsChecks.every((c) => /DNS timeout|temperror/.test((c as { summary?: string }).summary ?? ''))).toBe(true);
    expect(run.output).not.toMatch(/Unhandled|TypeError|Test timeout/);
    expect(run.ms).toBeLessThan(90_000);
    test.info().annotations.push({ type: 'figures', description: `${checks.length} checks in ${run.ms} ms, ${dns.queries()} queries unanswered` });
  } finally {
    await dns.close();
  }
});
