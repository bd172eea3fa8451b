import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { LAB_ENV_FILE, LAB_SEEDS, ROOT, runUserSuite } from './support.ts';

/**
 * Playwright's own HTML report, as an admin reads it: it is written by default (and never opens
 * a browser, so a nightly run ends), the last step of a placement test names the verdict and
 * its reason, the annotations read as words, and only a lab run's send step carries `@lab`.
 */
const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');

interface JsonStep {
  title: string;
  steps?: JsonStep[];
}

function specs(report: any): Array<{ title: string; tags: string[]; tests: any[] }> {
  const out: Array<{ title: string; tags: string[]; tests: any[] }> = [];
  const walk = (s: any) => {
    for (const c of s.suites ?? []) walk(c);
    for (const sp of s.specs ?? []) out.push({ title: sp.title, tags: sp.tags ?? [], tests: sp.tests ?? [] });
  };
  walk(report);
  return out;
}

test('a placement test’s steps and annotations say the verdict and its reason in words', async () => {
  test.setTimeout(170_000);
  const out = mkdtempSync(path.join(os.tmpdir(), 'mc-pw-report-'));
  const json = path.join(out, 'report.json');
  const run = await runUserSuite({
    env: { MAILCANARY_VARIANTS: 'plain', MAILCANARY_HISTORY: 'off', PLAYWRIGHT_JSON_OUTPUT_NAME: json },
    args: ['--project=send', '--project=placement', '--grep', '@gmail'],
  });
  expect(run.code, run.output).toBe(0);
  const placement = specs(JSON.parse(readFileSync(json, 'utf8'))).find((s) => s.title.startsWith('plain lands in'));
  expect(placement, run.output).toBeTruthy();
  const result = placement!.tests[0].results.at(-1);
  const titles = (result.steps as JsonStep[]).map((s) => s.title);
  expect(titles).toEqual(expect.arrayContaining(['send', 'wait']));
  // the verdict step: placement, whether it was expected, and the detail
  expect(titles.at(-1)).toMatch(/^inbox, as expected: /);
  const annotations: Array<{ type: string; description?: string }> = [...placement!.tests[0].annotations, ...result.annotations];
  // the JSON report lists runtime annotations on the test and on its result: one of each kind counts
  const readable = [...new Map(annotations.filter((a) => a.type === 'verdict' || a.type === 'seed').map((a) => [`${a.type}\n${a.description}`, a])).values()];
  expect(readable.map((a) => a.type).sort()).toEqual(['seed', 'verdict']);
  for (const a of readable) expect(a.description, `${a.type} annotation is words, not JSON`).not.toMatch(/^[{[]/);
  expect(readable.find((a) => a.type === 'seed')?.description).toMatch(/^lab-gmail: seed@gmail\.lab\.test at .+, expected inbox$/);
});

test('the HTML report is written by default and never opens, and only a lab run tags its send step @lab', async () => {
  test.setTimeout(120_000);
  const out = mkdtempSync(path.join(os.tmpdir(), 'mc-pw-html-'));
  // a user's real configuration: nothing here is contacted, `--list` only collects the tests
  const envFile = path.join(out, 'real.env');
  writeFileSync(
    envFile,
    ['SMTP_HOST=mail.example.invalid', 'SMTP_USER=monitor@example.org', 'SMTP_PASS=not-used', 'MAIL_FROM=monitor@example.org', 'BOUNCE_WATCH=false', ''].join(
      '\n',
    ),
  );
  const list = (extra: Record<string, string>) => {
    const json = path.join(out, `list-${Object.keys(extra).length}.json`);
    const r = spawnSync(process.execPath, [cli, 'test', '-c', path.join(ROOT, 'playwright.config.ts'), '--list', '--reporter=json', '--project=send'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...cleanEnv(), MAILCANARY_SEEDS: LAB_SEEDS, PLAYWRIGHT_JSON_OUTPUT_NAME: json, ...extra },
      timeout: 60_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    return specs(JSON.parse(readFileSync(json, 'utf8'))).find((s) => s.title.startsWith('send'))!;
  };
  const real = list({ MAILCANARY_ENV_FILE: envFile });
  expect(real.tags).toContain('send');
  expect(real.tags).not.toContain('lab');
  const lab = list({ MAILCANARY_ENV_FILE: envFile, MAILCANARY_LAB: 'true' });
  expect(lab.tags).toContain('lab');

  // the default reporters (no --reporter), on the lab's pre-send content checks (nothing leaves
  // the machine): the HTML report appears and the process ends by itself
  const html = path.join(out, 'html');
  const r = spawnSync(process.execPath, [cli, 'test', '-c', path.join(ROOT, 'playwright.config.ts'), '--project=content'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...cleanEnv(),
      MAILCANARY_ENV_FILE: LAB_ENV_FILE,
      MAILCANARY_SEEDS: LAB_SEEDS,
      MAILCANARY_HISTORY: 'off',
      PLAYWRIGHT_HTML_OUTPUT_DIR: html,
      MAILCANARY_OUTPUT_DIR: path.join(out, 'results'),
    },
    timeout: 90_000,
  });
  expect(r.error, 'the run must end by itself: the HTML reporter is set to open: never').toBeUndefined();
  expect(existsSync(path.join(html, 'index.html')), `${r.stdout}\n${r.stderr}`).toBe(true);
});

/** The outer test runner's variables must not leak into the inner run. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (
      v !== undefined &&
      !k.startsWith('TEST_') &&
      !k.startsWith('MAILCANARY_') &&
      !k.startsWith('SMTP_') &&
      !k.startsWith('BOUNCE_') &&
      !k.startsWith('PLAYWRIGHT_')
    )
      env[k] = v;
  return env;
}
