import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the user-facing suite (`npx playwright test`) as a child process against the lab, the way
 * a user runs it, and returns its JSON report flattened: for the lab tests and the benches.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LAB_ENV_FILE = path.join(ROOT, 'lab/lab.env');
export const LAB_SEEDS = path.join(ROOT, 'lab/seeds.lab.ts');
export const LAB_SENDERS = path.join(ROOT, 'lab/senders.lab.ts');

export interface SuiteTest {
  title: string;
  fullTitle: string;
  /** the Playwright project that ran it */
  project: string;
  status: string;
  verdict?: string;
  annotations: Array<{ type: string; description?: string }>;
  attachments: Array<{ name: string; body?: string; path?: string; contentType: string }>;
  errors: string[];
}

export interface SuiteRun {
  code: number;
  output: string;
  tests: SuiteTest[];
  stateDir: string;
  ms: number;
}

/** Runs the user-facing suite (`npx playwright test`) as a user would, against the lab. */
export async function runUserSuite(
  opts: {
    env?: Record<string, string | undefined>;
    args?: string[];
    timeoutMs?: number;
    /** extra reporters after json, line and the summary */ reporters?: string[];
  } = {},
): Promise<SuiteRun> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mc-suite-'));
  const report = path.join(tmp, 'report.json');
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const env: Record<string, string | undefined> = {
    ...process.env,
    MAILCANARY_ENV_FILE: LAB_ENV_FILE,
    MAILCANARY_SEEDS: LAB_SEEDS,
    MAILCANARY_STATE_DIR: path.join(tmp, 'state'),
    MAILCANARY_OUTPUT_DIR: path.join(tmp, 'results'),
    PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    // one sender (lab.env's MAIL_FROM shorthand) unless a test asks for every lab sender with
    // MAILCANARY_SENDERS=lab/senders.lab.ts (LAB_SENDERS): keeps each lab run to one message per seed × variant
    MAILCANARY_SENDERS: '',
    ...opts.env,
  };
  // The outer test runner's worker variables must not leak into the inner run.
  for (const k of Object.keys(env)) if (k.startsWith('TEST_') || k === 'PW_TS_ESM_LEGACY_LOADER_ON') delete env[k];
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      cli,
      'test',
      '-c',
      path.join(ROOT, 'playwright.config.ts'),
      `--reporter=${['json', 'line', './reporters/summary-reporter.ts', ...(opts.reporters ?? [])].join(',')}`,
      ...(opts.args ?? ['--project=send', '--project=placement']),
    ],
    {
      cwd: ROOT,
      env: env as NodeJS.ProcessEnv,
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 150_000);
  const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  clearTimeout(timer);
  const ms = Date.now() - started;
  let tests: SuiteTest[] = [];
  try {
    tests = flatten(JSON.parse(readFileSync(report, 'utf8')));
  } catch {
    /* no report: the run failed before any test (e.g. a configuration error) */
  }
  return { code, output, tests, stateDir: path.join(tmp, 'state'), ms };
}

/** Playwright's JSON report as one entry per test, with its last result. */
export function flatten(report: any): SuiteTest[] {
  const out: SuiteTest[] = [];
  const walk = (suite: any, titles: string[]) => {
    for (const s of suite.suites ?? []) walk(s, s.title && !s.title.endsWith('.ts') ? [...titles, s.title] : titles);
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const r = t.results?.[t.results.length - 1] ?? {};
        const annotations = [...(t.annotations ?? []), ...(r.annotations ?? [])];
        out.push({
          title: spec.title,
          fullTitle: [...titles, spec.title].join(' › '),
          project: t.projectName ?? '',
          status: r.status ?? t.status,
          verdict: annotations.find((a: any) => a.type === 'mailcanary.verdict')?.description,
          annotations,
          attachments: (r.attachments ?? []).map((a: any) => ({ ...a, body: a.body ? Buffer.from(a.body, 'base64').toString('utf8') : undefined })),
          errors: (r.errors ?? []).map((e: any) => e.message ?? ''),
        });
      }
    }
  };
  walk(report, []);
  return out;
}

export function verdictsByTitle(run: SuiteRun): Record<string, string | undefined> {
  return Object.fromEntries(run.tests.filter((t) => t.verdict).map((t) => [t.fullTitle, t.verdict]));
}
