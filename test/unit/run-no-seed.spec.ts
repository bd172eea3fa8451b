import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { runUserSuite } from '../../lab/suite-runner.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { userRunFiles } from './user-run-files.ts';

/**
 * The user's command with no seed password set (a CI secret renamed): `npx playwright test
 * --project=placement` must exit non-zero and say which variables are missing. Every server the
 * run could reach (submission, bounce mailbox, the seeds' IMAP) is a loopback trap that counts
 * connections: nothing may be sent or logged into.
 */
test('no seed password set: --project=placement fails, names the unset variables, and sends nothing', async () => {
  test.setTimeout(120_000);
  let connections = 0;
  const trap: Server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => trap.listen(0, '127.0.0.1', () => r()));
  const port = (trap.address() as { port: number }).port;
  // the file decides: SMTP, the bounce mailbox and both seeds are the trap, no seed password is set
  const { dir, seeds, envFile, cleared } = userRunFiles({
    prefix: 'mc-noseed-',
    imapPort: port,
    smtpPort: port,
    lines: ['BOUNCE_IMAP_HOST=127.0.0.1', `BOUNCE_IMAP_PORT=${port}`, 'SEED_GMAIL_PASSWORD=', 'SEED_GMX_PASSWORD='],
  });
  writeFileSync(envFile, `${readFileSync(envFile, 'utf8')}MAILCANARY_SEEDS=${seeds}\n`);
  try {
    const run = await runUserSuite({
      env: { ...cleared, MAILCANARY_ENV_FILE: envFile, MAILCANARY_SEEDS: seeds },
      // the reporters of playwright.config.ts, plus JSON to read the results
      args: ['--project=placement', '--reporter=json,./reporters/placement-reporter.ts,list,./reporters/summary-reporter.ts'],
      timeoutMs: 100_000,
    });
    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toContain('mailcanary: no seed was tested: SEED_GMAIL_PASSWORD, SEED_GMX_PASSWORD are not set (seeds gmail, gmx skipped)');
    expect(run.output).toMatch(/1 passed, 0 failed, 4 skipped\s*$/);
    const placement = run.tests.filter((t) => t.annotations.some((a) => a.type === 'mailcanary.plan'));
    expect(placement.map((t) => t.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    // nothing was sent, no mailbox was opened
    expect(connections).toBe(0);
    const runs = readdirSync(path.join(run.stateDir, 'runs'));
    expect(runs).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(run.stateDir, 'runs', runs[0], 'manifest.json'), 'utf8')).messages).toEqual([]);
    // the history records the run as failed, with the reason for the report's header
    const store = HistoryStore.open(path.join(dir, 'history.sqlite'), { readOnly: true });
    expect(store.run(runs[0])).toMatchObject({
      status: 'failed',
      notices: [expect.stringContaining('no seed was tested: SEED_GMAIL_PASSWORD, SEED_GMX_PASSWORD')],
    });
    store.close();
  } finally {
    await new Promise<void>((r) => trap.close(() => r()));
  }
});
