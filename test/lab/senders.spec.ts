import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Delivery } from '../../src/run/index.ts';
import { HistoryStore } from '../../src/record/index.ts';
import { ROOT, runUserSuite } from './support.ts';

/**
 * Several sender identities in one run of the user suite against the lab: each seed × variant
 * is sent once per sender, titled and tagged with its domain, recorded with it, and a bad
 * senders file stops the run before anything is sent.
 */
test.describe.configure({ timeout: 150_000 });

const FIXTURES = path.join(ROOT, 'test/fixtures/senders');
const ENV = {
  MAILCANARY_SEEDS: path.join(FIXTURES, 'seeds.ts'),
  MAILCANARY_SENDERS: path.join(FIXTURES, 'senders.ts'),
  MAILCANARY_VARIANTS: 'plain',
  MAILCANARY_SCORER: '',
  MAILCANARY_GATE: 'off',
};
const REPORTERS = '--reporter=json,line,./reporters/summary-reporter.ts,./reporters/placement-reporter.ts';

test('each sender of the senders file is its own test, titled and tagged with its domain, recorded with it', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-senders-'));
  const history = path.join(dir, 'history.sqlite');
  const run = await runUserSuite({
    env: { ...ENV, MAILCANARY_HISTORY: history, MAILCANARY_REPORT_DIR: path.join(dir, 'report') },
    args: ['--project=send', '--project=placement', REPORTERS],
  });
  const placement = run.tests.filter((t) => t.fullTitle.startsWith('lab-'));
  expect(placement.map((t) => t.fullTitle).sort(), run.output.slice(-3000)).toEqual([
    'lab-gmail › plain from canary.test lands in inbox',
    'lab-gmail › plain from mail.canary.test (system mail) lands in inbox',
  ]);
  const of = (title: string) =>
    JSON.parse(placement.find((t) => t.fullTitle === title)!.attachments.find((a) => a.name === 'delivery.json')!.body!) as Delivery;
  const canary = of('lab-gmail › plain from canary.test lands in inbox');
  const system = of('lab-gmail › plain from mail.canary.test (system mail) lands in inbox');
  expect(canary).toMatchObject({ verdict: 'inbox', sent: { sender: 'canary', senderDomain: 'canary.test', from: 'Canary Monitor <monitor@canary.test>' } });
  expect(canary.sent.envelopeFrom).toMatch(/^monitor-mc\d{12}[a-z0-9]{4}\.\d{3}@canary\.test$/);
  // the receiver judged the From domain of each message: the evidence names it
  expect(canary.evidence?.auth.dmarc).toBe('pass');
  expect(system.sent).toMatchObject({ sender: 'system', senderDomain: 'mail.canary.test', system: true, from: 'root@mail.canary.test' });
  expect(system.sent.envelopeFrom).toMatch(/^root-mc\d{12}[a-z0-9]{4}\.\d{3}@mail\.canary\.test$/);
  expect(system.tag).not.toBe(canary.tag);
  expect(['inbox', 'spam']).toContain(system.verdict);

  const store = HistoryStore.open(history, { readOnly: true });
  try {
    const latest = store.latestRun()!;
    const rows = store.bundle(latest.runId)!.messages;
    expect(rows.map((m) => [m.variant, m.sender?.domain, m.sender?.system]).sort()).toEqual([
      ['plain from canary.test', 'canary.test', false],
      ['plain from mail.canary.test (system mail)', 'mail.canary.test', true],
    ]);
  } finally {
    store.close();
  }
});

test('--grep @mail.canary.test runs and sends only the system mail', async () => {
  const run = await runUserSuite({
    env: {
      MAILCANARY_SEEDS: path.join(FIXTURES, 'seeds.ts'),
      MAILCANARY_SENDERS: path.join(FIXTURES, 'senders.ts'),
      MAILCANARY_VARIANTS: 'plain',
      MAILCANARY_SCORER: '',
      MAILCANARY_GATE: 'off',
    },
    args: [
      '--project=send',
      '--project=placement',
      '--grep',
      '@mail.canary.test',
      '--reporter=json,line,./reporters/summary-reporter.ts,./reporters/placement-reporter.ts',
    ],
  });
  expect(
    run.tests.filter((t) => t.fullTitle.startsWith('lab-')).map((t) => t.fullTitle),
    run.output.slice(-3000),
  ).toEqual(['lab-gmail › plain from mail.canary.test (system mail) lands in inbox']);
  expect(run.output).toMatch(/run mc\d{12}[a-z0-9]{4}: sent 1\/1 message\(s\)/);
});

test('a bad senders file: one line per mistake, nothing sent', async () => {
  const run = await runUserSuite({
    env: { ...ENV, MAILCANARY_SENDERS: path.join(FIXTURES, 'bad-senders.ts') },
  });
  expect(run.code).not.toBe(0);
  expect(run.output).toContain('mailcanary configuration is invalid (4 problems); nothing was sent');
  expect(run.output).toContain("senders[1].id: 'canary' is used by another sender");
  expect(run.output).toContain('senders[2] (club).login.userEnv: SMTP_CLUB_USER is not set');
  expect(run.output).toContain('senders[2] (club).login.passwordEnv: SMTP_CLUB_PASS is not set');
  expect(run.output).toContain('senders[3] (sel).dkimSelectors: "not a selector" is not a DKIM selector');
  expect(run.output).not.toMatch(/sent \d+\/\d+ message/);
  expect(existsSync(path.join(run.stateDir, 'current-run.json'))).toBe(false);
});
