import { expect, test } from '@playwright/test';
import { setScenario } from '../../lab/index.ts';
import { runUserSuite } from './support.ts';

/**
 * The DNS posture suite against the lab's NSD: every check passes for the healthy zone, and each
 * scenario that breaks one part of the setup fails exactly the checks about it, with the fix.
 */
const cases: Array<{ scenario: string; fails: RegExp[]; mayAlsoFail?: RegExp[]; fix: RegExp }> = [
  { scenario: 'spf-missing-ip', fails: [/spf › canary\.test sending IPs pass/], fix: /ip4:|SPF/i },
  {
    scenario: 'spf-too-many-lookups',
    fails: [/spf › canary\.test record is valid and within limits/],
    mayAlsoFail: [/spf › canary\.test sending IPs pass/],
    fix: /10|lookup/i,
  },
  { scenario: 'dmarc-missing', fails: [/dmarc › canary\.test policy is valid/], mayAlsoFail: [/bimi › canary\.test/], fix: /_dmarc/ },
  { scenario: 'ipv6-ptr-missing', fails: [/rdns › ::1 has forward-confirmed reverse DNS/], fix: /PTR/ },
  {
    scenario: 'ip-listed',
    fails: [/blocklist › 127\.0\.0\.1 not listed on bl\.lab\.test/, /blocklist › ::1 not listed on bl\.lab\.test/],
    fix: /delist|bl\.lab\.test/i,
  },
];

test.afterAll(async () => {
  await setScenario('healthy');
});

test('healthy lab: every DNS posture check passes', async () => {
  await setScenario('healthy');
  const run = await runUserSuite({ args: ['--project=dns'], env: { MAILCANARY_HISTORY: 'off' } });
  expect(run.tests.length, run.output).toBeGreaterThan(10);
  expect(run.tests.filter((t) => t.status === 'failed').map((t) => t.fullTitle)).toEqual([]);
  for (const id of ['rdns', 'spf', 'dkim', 'dmarc', 'blocklist', 'mx']) {
    expect(
      run.tests.some((t) => t.fullTitle.includes(`› ${id} ›`) && t.status === 'passed'),
      id,
    ).toBe(true);
  }
});

for (const c of cases) {
  test(`scenario ${c.scenario}: the broken check fails with its fix, the others pass`, async () => {
    await setScenario(c.scenario);
    const run = await runUserSuite({ args: ['--project=dns'], env: { MAILCANARY_HISTORY: 'off' } });
    const failed = run.tests.filter((t) => t.status === 'failed');
    for (const re of c.fails) {
      const t = failed.find((x) => re.test(x.fullTitle));
      expect(t, `${re} should fail:\n${run.output.slice(-3000)}`).toBeTruthy();
      expect(t!.errors.join('\n')).toContain('Fix:');
      expect(t!.errors.join('\n')).toMatch(c.fix);
    }
    const allowed = [...c.fails, ...(c.mayAlsoFail ?? [])];
    expect(failed.filter((t) => !allowed.some((re) => re.test(t.fullTitle))).map((t) => t.fullTitle)).toEqual([]);
  });
}
