import { expect, test } from '@playwright/test';
import { checkScenarioShows } from '../../lab/scenario-shows.ts';
import { getScenario, scenarioNames } from '../../lab/scenarios.ts';

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

test('every scenario other than healthy says what it shows, in its own words', () => {
  const healthy = getScenario('healthy');
  for (const name of scenarioNames().filter((n) => n !== 'healthy')) {
    const s = getScenario(name);
    expect(s.shows, name).toBeDefined();
    expect(s.shows!.why, name).not.toBe(healthy.shows!.why);
    expect(s.shows!.why.length, name).toBeGreaterThan(40);
  }
});

/** Titles as a full lab run (`npm run demo`) reports them, one or two of each kind. */
const titles = [
  'lab-gmail › plain from canary.test lands in inbox',
  'lab-gmail › plain from family.test lands in inbox',
  'lab-tonline › plain from canary.test lands in inbox',
  'lab-tonline › html-with-link from mail.canary.test (system mail) lands in inbox',
  'lab-gmx › html-with-link from canary.test lands in spam',
  'lab-gmx › plain from club.test lands in inbox',
  'lab-outlook › plain from canary.test lands in inbox',
  'lab-outlook › plain from mail.canary.test (system mail) lands in inbox',
  'lab-blackhole › plain from canary.test is missing',
  'rejections of your real mail and outbound volume @server-log',
  'dns posture @dns › spf › canary.test sending IPs pass',
  'dns posture @dns › spf › canary.test record is valid and within limits',
  'dns posture @dns › spf › family.test sending IPs pass',
  'dns posture @dns › dmarc › canary.test policy is valid',
  'dns posture @dns › dmarc › mail.canary.test policy is valid',
  'dns posture @dns › rdns › ::1 has forward-confirmed reverse DNS',
  'dns posture @dns › blocklist › 127.0.0.1 not listed on bl.lab.test',
  'dns posture @dns › blocklist › news.canary-shop.xyz not listed on dbl.lab.test',
  'server posture @server › open relay › canary.test MX refuses to relay',
  'server posture @server › banner › canary.test MX greeting and EHLO name match the PTR',
  'server posture @server › banner › sending host ::1 EHLO name matches the PTR',
  'server posture @server › tls › submission 127.0.0.1 port 1587 requires STARTTLS before AUTH',
  'server posture @server › website › canary.test serves a page with imprint or contact details over HTTPS',
  'server posture @server › reputation › 127.0.0.1 by DNS reputation services and block lists',
  'content @content plain › plain link-lists',
];
const matching = (name: string) => {
  const s = getScenario(name).shows!;
  return titles.filter((t) => s.failing.some((re) => re.test(t)));
};

test('the expected failures are the tests the scenario breaks, and no other', () => {
  expect(matching('tonline-not-allowlisted')).toEqual([titles[2], titles[3]]);
  expect(matching('outlook-tempfail-long')).toEqual([titles[6], titles[7]]);
  expect(matching('open-relay')).toEqual(['server posture @server › open relay › canary.test MX refuses to relay']);
  // canary.test's own SPF: its mail at the four verifying MXs, not family.test's, not the system mail's, not the blackhole
  expect(matching('spf-missing-ip')).toEqual([titles[0], titles[2], titles[4], titles[6], 'dns posture @dns › spf › canary.test sending IPs pass']);
  // the host name has no DMARC record of its own: it falls back to canary.test's; its mail still passes
  expect(matching('dmarc-missing')).toContain('dns posture @dns › dmarc › mail.canary.test policy is valid');
  expect(matching('dmarc-missing')).not.toContain(titles[7]);
  // the lab receivers find the sending IPs within the lookup limit: only the record check fails
  expect(matching('spf-too-many-lookups')).toEqual(['dns posture @dns › spf › canary.test record is valid and within limits']);
  // nothing is submitted with a broken certificate: every placement test fails, the blackhole's too
  expect(matching('cert-expired')).toEqual(expect.arrayContaining([titles[8], titles[1]]));
  expect(matching('cert-expired')).not.toContain(titles[9]);
  expect(matching('website-no-contact')).toEqual(['server posture @server › website › canary.test serves a page with imprint or contact details over HTTPS']);
});

test('a test that may fail either way is neither unexplained nor required', () => {
  const s = getScenario('tonline-not-allowlisted');
  const tonline = [titles[2], titles[3]];
  const rest = titles.filter((t) => !tonline.includes(t) && t !== titles[9]);
  for (const logStatus of ['failed', 'passed']) {
    const r = checkScenarioShows(s, [...run(tonline, rest), { fullTitle: titles[9], status: logStatus }]);
    expect(r.ok, logStatus).toBe(true);
    expect(r.lines).toContain('[LAB] may fail or pass, depending on the history of earlier runs (1):');
    expect(r.lines).toContain(`  ${logStatus === 'failed' ? '✘' : '✓'} ${titles[9]}`);
    expect(r.lines.at(-1)).toBe(`[LAB] as the scenario expects: the ${rest.length} other test(s) passed or were skipped`);
  }
  // the scenario's own failures are still required
  expect(checkScenarioShows(s, run([titles[2]], [titles[3], ...rest])).ok).toBe(false);
});
