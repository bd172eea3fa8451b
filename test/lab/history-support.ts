/** Runs the user suite against the lab with the placement reporter, for the history/gate/report lab tests. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { LAB_ENV_FILE, LAB_SEEDS, ROOT } from './support.ts';

export interface Run {
  code: number;
  output: string;
}

export function runPw(args: string[], env: Record<string, string | undefined>, timeoutMs = 170_000): Promise<Run> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const full: Record<string, string | undefined> = { ...process.env, ...env };
  // the outer test runner's worker variables must not leak into the inner run
  for (const k of Object.keys(full)) if (k.startsWith('TEST_') || k === 'PW_TS_ESM_LEGACY_LOADER_ON') delete full[k];
  const child = spawn(process.execPath, [cli, ...args], { cwd: ROOT, env: full as NodeJS.ProcessEnv });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve({ code: c ?? 1, output });
    }),
  );
}

/** Environment of one user-suite run: its own state and output dirs, the given history store. */
export function suiteEnv(history: string, extra: Record<string, string> = {}): Record<string, string> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mc-hist-'));
  return {
    MAILCANARY_ENV_FILE: LAB_ENV_FILE,
    MAILCANARY_SEEDS: LAB_SEEDS,
    MAILCANARY_STATE_DIR: path.join(tmp, 'state'),
    MAILCANARY_OUTPUT_DIR: path.join(tmp, 'results'),
    MAILCANARY_REPORT_DIR: path.join(tmp, 'report'),
    MAILCANARY_HISTORY: history,
    // one sender (MAIL_FROM), as runUserSuite: one message per seed × variant, gate lines without a domain
    MAILCANARY_SENDERS: '',
    ...extra,
  };
}

export const PLACEMENT = ['--project=send', '--project=placement'];
