import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { LAB_SENDERS, runUserSuite } from './support.ts';

/**
 * The user's command with a wrong password, against the lab's real Postfix and Dovecot. A
 * refused submission login fails the send step with the variables to fix, in one line for all
 * its messages; a refused seed login names the seed's passwordEnv (and the app password its
 * provider takes), and its placement tests are one line at the end of the run.
 */
test.describe.configure({ timeout: 120_000 });

const ENV = { MAILCANARY_SCORER: '', MAILCANARY_GATE: 'off', MAILCANARY_HISTORY: 'off', BOUNCE_WATCH: 'false' };

test('wrong SMTP_PASS: the send step fails naming SMTP_USER and SMTP_PASS, no "not attempted", nothing measured as green', async () => {
  const run = await runUserSuite({ env: { ...ENV, SMTP_PASS: 'not-the-lab-password', MAILCANARY_VARIANTS: 'plain' }, timeoutMs: 90_000 });
  expect(run.code, run.output).not.toBe(0);
  const send = run.tests.find((t) => t.title === 'send the tagged test messages');
  expect(send?.status, run.output).toBe('failed');
  const line =
    /your server refused the login of monitor@canary\.test \(AUTH PLAIN\): 535 5\.7\.8 [^\n]*\(sender canary\.test\): 5 of 5 message\(s\) not sent; fix: check SMTP_USER and SMTP_PASS in lab\/lab\.env \(or the CI secrets\)/;
  expect(send!.errors.join('\n')).toMatch(line);
  expect(run.output).toMatch(new RegExp(`mailcanary: \\[LAB\\] ${line.source}`));
  expect(run.output).not.toContain('not attempted');
  expect(run.output).not.toContain('not-the-lab-password');
  // Playwright runs no test of a project whose dependency failed: nothing passes as measured
  const placement = run.tests.filter((t) => t.annotations.some((a) => a.type === 'mailcanary.plan'));
  expect(placement.length).toBe(5);
  expect(placement.every((t) => t.status === 'skipped')).toBe(true);
});

test('wrong seed password: the fix names SEED_PASSWORD_LAB and an app password, repeated refusals are one line', async () => {
  const run = await runUserSuite({
    env: { ...ENV, SEED_PASSWORD_LAB: 'not-the-seed-password', MAILCANARY_VARIANTS: 'plain,html-with-link' },
    args: ['--project=send', '--project=placement', '--grep', '@gmail'],
    timeoutMs: 90_000,
  });
  expect(run.code, run.output).not.toBe(0);
  const placement = run.tests.filter((t) => t.verdict);
  expect(placement.map((t) => t.verdict)).toEqual(['seed-unreachable', 'seed-unreachable']);
  // the login before sending found it: nothing was sent to the seed
  expect(run.output).toMatch(/run mc\w+: sent 0\/0 message\(s\), 1 seed\(s\) not mailed: mailbox could not be read/);
  expect(run.output).toMatch(
    /mailcanary: 2 placement test\(s\) not measured \(seed lab-gmail\): seed mailbox could not be read before sending, so nothing was sent to it: login refused for seed@gmail\.lab\.test: [^\n]*; fix: check SEED_PASSWORD_LAB in lab\/lab\.env \(or the CI secrets\): the IMAP password of seed@gmail\.lab\.test \(seed lab-gmail\); Gmail needs app password/,
  );
  expect(run.output.match(/placement test\(s\) not measured/g)).toHaveLength(1);
  expect(run.output).not.toContain('not-the-seed-password');
});

test("one sender's wrong password: the others are measured, the refused sender's tests fail as send-failed naming its variables", async () => {
  const run = await runUserSuite({
    env: { ...ENV, MAILCANARY_SENDERS: LAB_SENDERS, LAB_FAMILY_SMTP_PASS: 'not-the-family-password', MAILCANARY_VARIANTS: 'plain' },
    args: ['--project=send', '--project=placement', '--grep', '@gmail'],
    timeoutMs: 90_000,
  });
  expect(run.code, run.output).not.toBe(0);
  const send = run.tests.find((t) => t.title === 'send the tagged test messages');
  expect(send?.status, run.output).toBe('passed');
  expect(run.output).toMatch(/your server refused the login of monitor@family\.test [^\n]*fix: check LAB_FAMILY_SMTP_USER and LAB_FAMILY_SMTP_PASS/);
  const placement = run.tests.filter((t) => t.verdict);
  const family = placement.filter((t) => t.fullTitle.includes('family.test'));
  const others = placement.filter((t) => !t.fullTitle.includes('family.test'));
  expect(family.length).toBeGreaterThan(0);
  expect(family.map((t) => [t.verdict, t.status])).toEqual(family.map(() => ['send-failed', 'failed']));
  expect(others.length).toBeGreaterThan(0);
  expect(
    others.every((t) => t.status === 'passed'),
    others.map((t) => `${t.fullTitle}: ${t.verdict}`).join('\n'),
  ).toBe(true);
  expect(run.output).not.toContain('not-the-family-password');
});

test('a seed IMAP port nothing listens on: nothing is sent to it, the fix names its host, port and TLS mode', async () => {
  const free = createServer();
  await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
  const port = (free.address() as { port: number }).port;
  await new Promise<void>((r) => free.close(() => r()));
  const run = await runUserSuite({
    env: { ...ENV, MAILCANARY_LAB_IMAP_PORT: String(port), MAILCANARY_VARIANTS: 'plain' },
    args: ['--project=send', '--project=placement', '--grep', '@gmail'],
    timeoutMs: 90_000,
  });
  expect(run.code, run.output).not.toBe(0);
  expect(run.tests.filter((t) => t.verdict).map((t) => [t.verdict, t.status])).toEqual([['seed-unreachable', 'failed']]);
  expect(run.output).toMatch(/run mc\w+: sent 0\/0 message\(s\), 1 seed\(s\) not mailed: mailbox could not be read/);
  expect(run.output).toMatch(
    new RegExp(
      `seed mailbox could not be read before sending, so nothing was sent to it: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}; fix: check imap\\.host and imap\\.port of seed lab-gmail \\(now 127\\.0\\.0\\.1:${port}, `,
    ),
  );
  expect(run.output).not.toContain('ECONNREFUSED: connect ECONNREFUSED');
});
