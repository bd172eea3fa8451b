import { createServer, type Server } from 'node:net';
import { expect, test } from '@playwright/test';
import { runUserSuite } from '../../lab/suite-runner.ts';
import { providerProjectIds } from '../../src/config/select.ts';
import { userRunFiles } from './user-run-files.ts';

/**
 * `npx playwright test --project=gmail`, the first command of docs/first-run.md, run end to end:
 * the project exists in the workers too (they re-evaluate the config without the runner's argv),
 * runs only the Gmail seed's placement tests and measures them. The seeds' IMAP server is a
 * loopback trap that closes each connection: the login before sending fails, so nothing is sent
 * (the submission server, another trap, sees no connection) and the tests fail as seed-unreachable.
 */
test('--project=gmail runs the gmail project in the workers, only the gmail seed', async () => {
  test.setTimeout(120_000);
  const count = { imap: 0, smtp: 0 };
  const trap = async (kind: 'imap' | 'smtp'): Promise<Server> => {
    const srv = createServer((s) => {
      count[kind]++;
      s.destroy();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    return srv;
  };
  const imap = await trap('imap');
  const smtp = await trap('smtp');
  const port = (imap.address() as { port: number }).port;
  const { seeds, envFile, cleared } = userRunFiles({
    prefix: 'mc-project-',
    imapPort: port,
    smtpPort: (smtp.address() as { port: number }).port,
    lines: ['BOUNCE_WATCH=false', 'SEED_GMAIL_PASSWORD=x', 'SEED_GMX_PASSWORD=x', 'MAILCANARY_TIMEOUT=5'],
  });
  try {
    const run = await runUserSuite({
      env: { ...cleared, MAILCANARY_ENV_FILE: envFile, MAILCANARY_SEEDS: seeds },
      args: ['--project=gmail'],
      timeoutMs: 100_000,
    });
    expect(run.output).not.toContain('not found in the worker process');
    const placement = run.tests.filter((t) => t.annotations.some((a) => a.type === 'mailcanary.plan'));
    expect(placement.map((t) => `${t.project} ${t.fullTitle}`).sort()).toEqual([
      'gmail gmail › html-with-link lands in inbox',
      'gmail gmail › plain lands in inbox',
    ]);
    // measured by mailcanary in the worker: the gmail mailbox could not be read, so nothing was sent to it
    for (const t of placement) {
      expect(t.status, t.errors.join('\n')).toBe('failed');
      expect(t.verdict).toBe('seed-unreachable');
      expect(t.errors.join('\n')).toContain('seed mailbox could not be read before sending, so nothing was sent to it');
    }
    expect(run.output).toMatch(/run mc\w+: sent 0\/0 message\(s\), 1 seed\(s\) not mailed: mailbox could not be read/);
    expect(run.output).toMatch(
      new RegExp(
        `mailcanary: seed gmail not mailed: its mailbox could not be read: [^\\n]*; fix: check imap\\.host and imap\\.port of seed gmail \\(now 127\\.0\\.0\\.1:${port}, implicit TLS;`,
      ),
    );
    expect(run.output).toMatch(/mailcanary: 2 placement test\(s\) not measured \(seed gmail\): seed mailbox could not be read before sending/);
    // one login per attempt to the gmail seed's server (the gmx seed is not selected), none to the submission server
    expect(count).toEqual({ imap: 2, smtp: 0 });
    expect(run.code).not.toBe(0);
  } finally {
    await Promise.all([imap, smtp].map((srv) => new Promise<void>((r) => srv.close(() => r()))));
  }
});

test('provider projects: the runner decides from --project, a worker reads the runner decision', () => {
  const runner = ['node', 'playwright', 'test', '--project=gmail,dns', '--project', 'gmx', '--grep', '@yahoo'];
  expect(providerProjectIds(runner, {})).toEqual(['gmail', 'gmx']);
  // a stale value outside a worker does not decide
  expect(providerProjectIds(['node', 'playwright', 'test'], { MAILCANARY_PROVIDER_PROJECTS: 'gmail' })).toEqual([]);
  // a worker's argv names no project
  expect(providerProjectIds(['node', 'workerProcessEntry.js'], { TEST_WORKER_INDEX: '0', MAILCANARY_PROVIDER_PROJECTS: 'gmail,gmx' })).toEqual([
    'gmail',
    'gmx',
  ]);
  expect(providerProjectIds(['node', 'workerProcessEntry.js'], { TEST_WORKER_INDEX: '0', MAILCANARY_PROVIDER_PROJECTS: '' })).toEqual([]);
});
