import { expect, test } from '@playwright/test';
import { checkScenarioShows } from '../../lab/scenario-shows.ts';
import { getScenario } from '../../lab/scenarios.ts';

/** The demo's account of a scenario run: expected failures explained, anything else called out. */
const run = (failing: string[], passing: string[], skipped: string[] = []) => [
  ...failing.map((fullTitle) => ({ fullTitle, status: 'failed' })),
  ...passing.map((fullTitle) => ({ fullTitle, status: 'passed' })),
  ...skipped.map((fullTitle) => ({ fullTitle, status: 'skipped' })),
];
const family = [
  'lab-gmail › plain from family.test lands in inbox',
  'lab-gmail › html-with-link from family.test lands in inbox',
  'lab-outlook › plain from family.test lands in inbox',
  'lab-gmx › html-with-link from family.test lands in spam',
];
const others = [
  'lab-gmail › plain from canary.test lands in inbox',
  'lab-gmail › plain from club.test lands in inbox',
  'lab-outlook › plain from mail.canary.test (system mail) lands in inbox',
  // the blackhole drops mail unread: no DKIM verdict to fail on
  'lab-blackhole › plain from family.test is missing',
  'dns posture @dns › dkim › fam2026._domainkey.family.test key is valid',
];

test('dkim-broken-one-domain: exactly the family.test tests at the MXs that verify DKIM failing is as expected', () => {
  const r = checkScenarioShows(getScenario('dkim-broken-one-domain'), run(family, others, ['dns posture @dns › mta-sts › family.test policy']));
  expect(r.ok).toBe(true);
  expect(r.lines[0]).toContain('family.test mail carries dkim=fail');
  expect(r.lines).toContain(`  ✘ ${family[0]}`);
  expect(r.lines.at(-1)).toBe('[LAB] as the scenario expects: the 6 other test(s) passed or were skipped');
});

test('another domain failing too, or an expected failure passing, is called out', () => {
  const spread = checkScenarioShows(getScenario('dkim-broken-one-domain'), run([...family, others[0]], others.slice(1)));
  expect(spread.ok).toBe(false);
  expect(spread.lines).toContain(`  ✘ ${others[0]}`);
  expect(spread.lines.at(-1)).toContain('NOT as the scenario expects');
  const notBroken = checkScenarioShows(getScenario('dkim-broken-one-domain'), run([family[0]], [family[1], ...others]));
  expect(notBroken.ok).toBe(false);
  expect(notBroken.lines).toContain(`  ✓ (expected to fail!) ${family[1]}`);
});

test('a run without the expected tests (sender left out) or without any test is not as expected', () => {
  const r = checkScenarioShows(
    getScenario('dkim-broken-one-domain'),
    run(
      [],
      others.filter((t) => !t.includes('family')),
    ),
  );
  expect(r.ok).toBe(false);
  expect(r.lines.join('\n')).toMatch(/no test matched .*family/);
  expect(checkScenarioShows(getScenario('healthy'), []).ok).toBe(false);
});

test('healthy expects every test to pass; dkim-broken covers canary.test and the host name', () => {
  expect(checkScenarioShows(getScenario('healthy'), run([], others)).ok).toBe(true);
  expect(checkScenarioShows(getScenario('healthy'), run([others[0]], others.slice(1))).ok).toBe(false);
  const broken = getScenario('dkim-broken');
  const r = checkScenarioShows(
    broken,
    run(
      ['lab-gmail › plain from canary.test lands in inbox', 'lab-tonline › plain from mail.canary.test (system mail) lands in inbox'],
      ['lab-gmail › plain from club.test lands in inbox', 'lab-blackhole › plain from canary.test is missing'],
    ),
  );
  // club.test's own key still matches: its test passing is as expected
  expect(r.ok).toBe(true);
  // one sender (the MAIL_FROM shorthand): titles without "from"
  expect(broken.shows!.failing.some((re) => re.test('lab-gmx › html-with-link lands in spam'))).toBe(true);
  expect(broken.shows!.failing.some((re) => re.test('lab-blackhole › plain is missing'))).toBe(false);
});
