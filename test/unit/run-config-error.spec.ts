import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT, runUserSuite } from '../../lab/suite-runner.ts';

/**
 * The user's command with two typos in the seeds file. Both suite files that build their tests
 * from the configuration (placement, content) meet the error: it is printed once, without a
 * code frame of mailcanary's loader, and the closing lines name it instead of "no test was
 * executed". The configuration fails before any connection, so no server is needed.
 */
test('an invalid seeds file: the ConfigError once, and the summary names it with its problems', async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-cfgerr-'));
  const envFile = path.join(dir, 'test.env');
  writeFileSync(envFile, ['SMTP_HOST=127.0.0.1', 'SMTP_PORT=9', 'MAIL_FROM=monitor@example.org', 'SEED_PASSWORD_LAB=x', 'BOUNCE_WATCH=false', ''].join('\n'));
  const cleared = Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => /^(SEED_|SMTP_|BOUNCE_|MAIL_FROM|ENVELOPE_FROM|MAILCANARY_)/.test(k) && !/^MAILCANARY_(STATE|OUTPUT)_DIR$/.test(k))
      .map((k) => [k, undefined]),
  );
  const run = await runUserSuite({
    env: { ...cleared, MAILCANARY_ENV_FILE: envFile, MAILCANARY_SEEDS: path.join(ROOT, 'test/fixtures/config/typo-seeds.ts') },
    // every project, as `npx playwright test` runs them
    args: [],
    timeoutMs: 100_000,
  });
  expect(run.code, run.output).not.toBe(0);
  expect(run.output.match(/mailcanary configuration is invalid/g), run.output).toHaveLength(1);
  expect(run.output).toContain('fix: did you mean timeoutSeconds?');
  expect(run.output).not.toMatch(/src\/config\/load\.ts:\d+/);
  expect(run.output).not.toContain('no test was executed');
  // a run stopped by its configuration does not close like a neutral run
  expect(run.output).not.toContain('0 passed, 0 failed');
  expect(run.output).toMatch(
    new RegExp(
      [
        'mailcanary: configuration invalid \\(2 problems, above\\); nothing was sent:',
        '  - test/fixtures/config/typo-seeds.ts: seeds\\[0\\] \\(lab-gmail\\)\\.timeoutSecond: is not a seed setting',
        '  - test/fixtures/config/typo-seeds.ts: seeds\\[0\\] \\(lab-gmail\\)\\.provider: "gmial" is not a known provider preset',
        '',
        'mailcanary: nothing ran: configuration invalid \\(2 problems, above\\)\\s*$',
      ].join('\\n'),
    ),
  );
});
