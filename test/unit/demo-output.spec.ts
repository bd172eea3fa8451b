import { expect, test } from '@playwright/test';
import { checkScenarioShows } from '../../lab/scenario-shows.ts';
import { getScenario } from '../../lab/scenarios.ts';
import { demoOutcome, skippedLines, warnedLines } from '../../scripts/support/demo-outcome.ts';
import { labLines, logTime, messageLabels, realMailLines } from '../../scripts/support/server-log-lines.ts';
import type { RealMailReading } from '../../scripts/support/server-log-lines.ts';
import { shiftedNow } from './test-clock.ts';

/** What `npm run demo` prints after the suites, and the status it exits with. */
const NOW = shiftedNow();
const t = (fullTitle: string, status: string, annotations: Array<{ type: string; description?: string }> = []) => ({ fullTitle, status, annotations });

test('skipped tests and unknown checks are listed with their reasons', () => {
  const lines = skippedLines([
    t('dns posture @dns › mta-sts › canary.test policy', 'passed'),
    t('receiver reports @reports › reports of the last 7 days', 'skipped', [{ type: 'skip', description: 'unknown: no report in the window' }]),
    t('lab-gmail › plain lands in inbox', 'skipped', [{ type: 'mailcanary.skip', description: 'seed disabled' }]),
    t('server posture › reputation', 'skipped'),
  ]);
  expect(lines).toEqual([
    '[LAB] skipped or unknown (3), each with its reason:',
    '  - receiver reports @reports › reports of the last 7 days: unknown: no report in the window',
    '  - lab-gmail › plain lands in inbox: seed disabled',
    '  - server posture › reputation: no reason given',
  ]);
  expect(skippedLines([t('a', 'passed')])).toEqual([]);
});

test('checks that passed with a warning are listed with their fix', () => {
  const check = (status: string, fix?: string) => ({
    type: 'mailcanary.check',
    description: JSON.stringify({ status, summary: `${status} summary`, ...(fix ? { fix } : {}) }),
  });
  const lines = warnedLines([
    t('dns posture @dns › bimi › canary.test record', 'passed', [check('warn', 'get a VMC')]),
    t('dns posture @dns › spf › canary.test record', 'passed', [check('pass')]),
    t('content @content › plain › List-Unsubscribe with one-click (RFC 8058)', 'passed', [check('warn')]),
  ]);
  expect(lines).toEqual([
    '[LAB] warnings (2), each with its fix:',
    '  - dns posture @dns › bimi › canary.test record: warn summary — fix: get a VMC',
    '  - content @content › plain › List-Unsubscribe with one-click (RFC 8058): warn summary',
  ]);
  expect(warnedLines([t('a', 'passed', [check('pass')])])).toEqual([]);
});

const family = ['lab-gmail › plain from family.test lands in inbox', 'lab-gmail › html-with-link from family.test lands in inbox'];
const others = ['lab-gmail › plain from canary.test lands in inbox', 'lab-gmail › plain from club.test lands in inbox'];

test('a scenario run that failed exactly what the scenario says exits 0, although the suite exited 1', () => {
  const tests = [...family.map((f) => t(f, 'failed')), ...others.map((o) => t(o, 'passed'))];
  const shows = checkScenarioShows(getScenario('dkim-broken-one-domain'), tests);
  const o = demoOutcome({ shows, suiteStatus: 1, serverLogStatus: 0, tests });
  expect(o.code).toBe(0);
  expect(o.lines).toEqual(['[LAB] exit 0: the run showed what the scenario says (the suite itself exited 1 for the expected failures)']);
});

test('a scenario run that did not show what the scenario says exits 1', () => {
  // family.test passed: the scenario did not break it
  const tests = [...family.map((f) => t(f, 'passed')), ...others.map((o) => t(o, 'passed'))];
  const o = demoOutcome({ shows: checkScenarioShows(getScenario('dkim-broken-one-domain'), tests), suiteStatus: 0, serverLogStatus: 0, tests });
  expect(o).toEqual({ code: 1, lines: ['[LAB] exit 1: the run did not show what the scenario says'] });
  // a healthy run with a failure, and a run that ended before any test
  const red = [t(others[0], 'failed')];
  expect(demoOutcome({ shows: checkScenarioShows(getScenario('healthy'), red), suiteStatus: 1, serverLogStatus: 0, tests: red }).code).toBe(1);
  expect(demoOutcome({ shows: checkScenarioShows(getScenario('healthy'), []), suiteStatus: 1, serverLogStatus: 0, tests: [] }).code).toBe(1);
});

test('every test green but the suite red (the gate failed it) keeps the suite status; a failed server-log reading is never 0', () => {
  const green = others.map((o) => t(o, 'passed'));
  const gated = demoOutcome({ shows: checkScenarioShows(getScenario('healthy'), green), suiteStatus: 1, serverLogStatus: 0, tests: green });
  expect(gated.code).toBe(1);
  expect(gated.lines[0]).toContain('but the suite exited 1');
  expect(demoOutcome({ shows: checkScenarioShows(getScenario('healthy'), green), suiteStatus: 0, serverLogStatus: 3, tests: green }).code).toBe(1);
  // no `shows`: the suite's own status
  expect(demoOutcome({ suiteStatus: 1, serverLogStatus: 0, tests: green })).toEqual({
    code: 1,
    lines: ["[LAB] this scenario names no expected failures: exit 1, the suite's own status"],
  });
});

test('test messages are named as their placement tests: seed, variant and sender', () => {
  const m = (seedId: string, sender: string | undefined, from: string, extra = {}) => ({ seedId, variant: 'plain', sender, from, ...extra });
  expect(
    messageLabels([
      m('lab-gmail', 'canary', 'monitor@canary.test', { senderDomain: 'canary.test' }),
      m('lab-gmail', 'family', 'monitor@family.test', { senderDomain: 'family.test' }),
      m('lab-gmail', 'system', 'root@mail.canary.test', { senderDomain: 'mail.canary.test', system: true }),
      m('lab-gmx', 'canary', 'monitor@canary.test', { senderDomain: 'canary.test', path: 'ipv6' }),
    ]),
  ).toEqual([
    'lab-gmail › plain from canary.test',
    'lab-gmail › plain from family.test',
    'lab-gmail › plain from mail.canary.test (system mail)',
    'lab-gmx › plain from canary.test via ipv6',
  ]);
  // one sender: no sender in the title; two sharing a domain: by address
  expect(messageLabels([m('lab-gmail', undefined, 'monitor@canary.test')])).toEqual(['lab-gmail › plain']);
  expect(messageLabels([m('s', 'a', 'news@x.test', { senderDomain: 'x.test' }), m('s', 'b', 'Info@x.test', { senderDomain: 'x.test' })])).toEqual([
    's › plain from news@x.test',
    's › plain from info@x.test',
  ]);
});

test("the run's rejections are one block, every line [LAB], every time in one form", () => {
  const reading: RealMailReading = {
    runId: 'mc202612020225abcd',
    since: NOW - 3_600_000 + 449,
    until: NOW + 123,
    basis: 'previous-run',
    rejections: [
      {
        domain: 'council.lab.test',
        status: 'bounced',
        messages: 1,
        attempts: 1,
        reason: 'reputation',
        firstAt: NOW - 60_000,
        lastAt: NOW - 60_000,
        example: '550 5.7.1 Service unavailable; client [127.0.0.1] rejected: CYREN IP reputation determined a medium risk',
      } as RealMailReading['rejections'][number],
    ],
    volume: {
      messages: 1,
      recipients: 1,
      selfGenerated: { messages: 0, share: 0 },
      bySender: [],
      byDomain: [{ key: 'council.lab.test', messages: 1 }],
    } as unknown as RealMailReading['volume'],
  };
  const lines = labLines(['', ...realMailLines(reading)]);
  expect(lines[0]).toBe('');
  expect(lines.slice(1).every((l) => l.startsWith('[LAB] '))).toBe(true);
  expect(lines[1]).toBe(
    `[LAB] rejections of your real mail (server-log project, run mc202612020225abcd, ${logTime(reading.since)} … ${logTime(reading.until)} (since the previous run)):`,
  );
  expect(lines.filter((l) => l.includes('council.lab.test: bounced'))).toHaveLength(1);
  // one time form: whole seconds, UTC, "T" and "Z"
  const times = lines.join('\n').match(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z| UTC)/g) ?? [];
  expect(times.length).toBeGreaterThanOrEqual(4);
  for (const time of times) expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(labLines(['[LAB] already', 'x'])).toEqual(['[LAB] already', '[LAB] x']);
});
