import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The files of a user's run against loopback traps (tests that start `npx playwright test` as a
 * user does): a seeds file with a gmail and a gmx seed whose IMAP is `imapPort`, an env file with
 * the submission server at `smtpPort` and the given extra lines, and the outer variables cleared
 * so the file decides.
 */
export function userRunFiles(opts: { prefix: string; imapPort: number; smtpPort: number; lines: string[] }): {
  dir: string;
  seeds: string;
  envFile: string;
  cleared: Record<string, undefined>;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), opts.prefix));
  const seeds = path.join(dir, 'seeds.ts');
  writeFileSync(
    seeds,
    `export default [
  { id: 'gmail', address: 'me.seed@gmail.example', provider: 'gmail', imap: { host: '127.0.0.1', port: ${opts.imapPort}, passwordEnv: 'SEED_GMAIL_PASSWORD' } },
  { id: 'gmx', address: 'me.seed@gmx.example', provider: 'gmx', imap: { host: '127.0.0.1', port: ${opts.imapPort}, passwordEnv: 'SEED_GMX_PASSWORD' } },
];
`,
  );
  const envFile = path.join(dir, 'test.env');
  writeFileSync(
    envFile,
    [
      'SMTP_HOST=127.0.0.1',
      `SMTP_PORT=${opts.smtpPort}`,
      'SMTP_USER=monitor@example.org',
      'SMTP_PASS=not-a-real-password',
      'MAIL_FROM=monitor@example.org',
      ...opts.lines,
      `MAILCANARY_HISTORY=${path.join(dir, 'history.sqlite')}`,
      `MAILCANARY_REPORT_DIR=${path.join(dir, 'report')}`,
      '',
    ].join('\n'),
  );
  // nothing of the outer environment may set a seed password or another server
  const cleared = Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => /^(SEED_|SMTP_|BOUNCE_|MAIL_FROM|ENVELOPE_FROM|MAILCANARY_)/.test(k) && !/^MAILCANARY_(STATE|OUTPUT)_DIR$/.test(k))
      .map((k) => [k, undefined]),
  );
  return { dir, seeds, envFile, cleared };
}
