import { expect, test } from '@playwright/test';
import { addServerLogFindings, compareRuns, gateJUnit, newlyRejecting, rejectionCategory, type RejectionLike } from '../../src/gate/index.ts';
import type { RunBundle } from '../../src/record/index.ts';
import { shiftedNow } from './test-clock.ts';

const CYREN = '550 5.7.1 CYREN IP reputation determined a medium risk';
const g = (domain: string, reason: string, reply = CYREN, messages = 1): RejectionLike => ({
  domain,
  reason,
  status: 'bounced',
  messages,
  example: `mx.${domain} said after RCPT: ${reply}`,
  reply,
});

test('reputation, authentication and policy refusals count; a full mailbox or unknown user does not', () => {
  expect(rejectionCategory('badreputation')).toBe('reputation');
  expect(rejectionCategory('blocked')).toBe('reputation');
  expect(rejectionCategory('authfailure')).toBe('authentication');
  expect(rejectionCategory('requireptr')).toBe('authentication');
  expect(rejectionCategory('policyviolation')).toBe('policy');
  for (const r of ['userunknown', 'mailboxfull', 'hostunknown', 'networkerror', 'expired', 'undefined', 'toString', '__proto__'])
    expect(rejectionCategory(r), r).toBeUndefined();
});

test('a domain that refuses for reputation now and did not before is named with its reply', () => {
  const found = newlyRejecting(
    [g('rathaus.lab.test', 'badreputation'), g('old.example', 'blocked'), g('gone.example', 'userunknown')],
    [g('old.example', 'badreputation')],
  );
  expect(found.map((f) => f.line)).toEqual([`rathaus.lab.test: newly rejects for reputation: ${CYREN}`]);
  expect(found[0]).toMatchObject({ domain: 'rathaus.lab.test', category: 'reputation', reason: 'badreputation', status: 'bounced', messages: 1 });
});

test('the same domain for another kind of reason is new; two reasons of one kind make one finding', () => {
  const found = newlyRejecting(
    [
      g('a.example', 'authfailure', '550 5.7.26 DMARC policy violation', 2),
      g('a.example', 'badreputation', CYREN, 3),
      g('a.example', 'blocked', '554 blocked', 1),
    ],
    [g('a.example', 'authfailure')],
  );
  expect(found).toHaveLength(1);
  expect(found[0]).toMatchObject({ category: 'reputation', messages: 4, line: `a.example: newly rejects for reputation: ${CYREN}` });
});

test('no previous reading: nothing is new (the first reading becomes the baseline)', () => {
  expect(newlyRejecting([g('rathaus.lab.test', 'badreputation')], undefined)).toEqual([]);
  expect(newlyRejecting([g('rathaus.lab.test', 'badreputation')], [])).toHaveLength(1);
});

test('a long or multi-line reply is cut to one line at a word', () => {
  const long = `554 5.7.1 ${'reputation '.repeat(60)}\nsecond line`;
  const [f] = newlyRejecting([g('x.example', 'badreputation', long)], []);
  expect(f.line.length).toBeLessThan(340);
  expect(f.line).not.toContain('\n');
  expect(f.line.endsWith('…')).toBe(true);
});

test('findings join the gate result as `server-log` regressions and JUnit testcases', () => {
  const now = shiftedNow();
  const bundle: RunBundle = { run: { runId: 'mc9', startedAt: now, finishedAt: now, lab: true, status: 'passed' }, messages: [], checks: [] };
  const gate = compareRuns(bundle, undefined);
  const found = addServerLogFindings(gate, [g('council.lab.test', 'badreputation'), g('still.example', 'blocked')], [g('still.example', 'blocked')]);
  expect(found).toHaveLength(1);
  expect(gate.regressions).toEqual([
    {
      kind: 'server-log',
      subject: 'council.lab.test',
      before: 'none',
      after: 'bounced (badreputation)',
      line: `council.lab.test: newly rejects for reputation: ${CYREN}`,
    },
  ]);
  expect(gate.compared.map((c) => [c.name, !!c.failure])).toEqual([
    ['server log council.lab.test', true],
    ['server log still.example', false],
  ]);
  const xml = gateJUnit(gate, { timestamp: new Date(now) });
  expect(xml).toContain('classname="mailcanary.gate.server-log" name="server log council.lab.test"');
  expect(xml).toMatch(/failures="1"/);
  // without a previous reading nothing is compared
  const first = compareRuns(bundle, undefined);
  addServerLogFindings(first, [g('council.lab.test', 'badreputation')], undefined);
  expect(first.regressions).toEqual([]);
  expect(first.compared).toEqual([]);
});
