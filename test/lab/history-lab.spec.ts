import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { setScenario } from '../../lab/index.ts';
import { HistoryStore } from '../../src/record/store.ts';
import type { RunBundle } from '../../src/record/types.ts';
import { writeReport } from '../../src/report/write.ts';
import { PLACEMENT, runPw, suiteEnv } from './history-support.ts';
import { launchChromium } from './report-support.ts';
import { ROOT } from './support.ts';

/**
 * History, gate and report against the real lab. Serial: the gate test switches the lab's
 * scenario, which would disturb any other run at the same time.
 */
test.describe.configure({ mode: 'serial' });

const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-history-lab-'));
const history = path.join(dir, 'history.sqlite');
const CONFIG = ['test', '-c', 'playwright.config.ts'];

test.afterAll(async () => {
  await setScenario('healthy');
});

test('gate: healthy → dkim-broken fails naming seed and method; back to healthy passes', async () => {
  test.setTimeout(600_000);
  await setScenario('healthy');
  const first = await runPw([...CONFIG, ...PLACEMENT, '--project=dns'], suiteEnv(history));
  expect(first.code, first.output).toBe(0);
  expect(first.output).toContain('mailcanary gate: no baseline yet');

  await setScenario('dkim-broken');
  const broken = await runPw([...CONFIG, ...PLACEMENT, '--project=dns'], suiteEnv(history));
  expect(broken.code, broken.output).not.toBe(0);
  expect(broken.output).toMatch(/mailcanary gate: \d+ REGRESSION\(S\) against previous run/);
  // one line per seed and method, e.g. `✘ auth: lab-gmail: dkim pass → fail (html-with-link, plain)`
  for (const seed of ['lab-gmail', 'lab-outlook', 'lab-tonline'])
    expect(broken.output).toMatch(new RegExp(`✘ auth: ${seed}: dkim pass → (fail|permerror|neutral)`));
  // the regressions come before Playwright's own failure list
  const gateAt = broken.output.indexOf('REGRESSION(S)');
  const listAt = broken.output.search(/\n\s+\d+ failed\n/);
  if (listAt >= 0) expect(gateAt).toBeLessThan(listAt);

  await setScenario('healthy');
  const healed = await runPw([...CONFIG, ...PLACEMENT, '--project=dns'], suiteEnv(history));
  expect(healed.code, healed.output).toBe(0);
  expect(healed.output).toMatch(/mailcanary gate: no regression against previous run/);

  const store = HistoryStore.open(history);
  const runs = store.runs();
  expect(runs).toHaveLength(3);
  expect(runs[1].gate?.regressions.some((r) => /^lab-gmail: dkim pass → /.test(r))).toBe(true);
  expect(runs[2].gate?.regressions).toEqual([]);
  store.close();
});

test('the report of that lab history renders in headless Chromium: matrix, chart, drill-down', async () => {
  const store = HistoryStore.open(history, { readOnly: true });
  const n = store.runs().length;
  test.skip(n < 3, 'needs the history of the gate test');
  const file = writeReport(store, path.join(dir, 'report.html')).file;
  store.close();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(pathToFileURL(file).href);
    await expect(page.locator('html[data-ready="1"]')).toBeAttached();
    await expect(page.locator('#lab-banner')).toContainText('LAB RUN');
    // matrix: 5 lab seeds × 2 variants, coloured by verdict, with auth results
    const matrix = page.locator('#matrix');
    await expect(matrix.locator('tr[data-seed]')).toHaveCount(5);
    await expect(matrix.locator('td.cell')).toHaveCount(10);
    await expect(matrix.locator('td.cell.v-inbox')).toHaveCount(7);
    await expect(matrix.locator('td.cell.v-spam[data-seed="lab-gmx"]')).toHaveCount(1);
    await expect(matrix.locator('td.cell.v-missing[data-seed="lab-blackhole"]')).toHaveCount(2);
    await expect(matrix.locator('td.cell[data-seed="lab-gmail"][data-variant="plain"] .auth')).toContainText('dkim=pass');
    // trend charts: one uPlot canvas per provider, each with the 3 runs
    await expect(page.locator('#trends .chart[data-provider="gmail"] canvas')).toHaveCount(1);
    expect(await page.locator('#trends .chart canvas').count()).toBeGreaterThanOrEqual(4);
    await expect(page.locator('#trends .chart[data-provider="gmail"] .u-legend')).toContainText('inbox %');
    // filters: provider and variant narrow the matrix and the charts
    await page.selectOption('#f-provider', 'gmx');
    await expect(matrix.locator('tr[data-seed]')).toHaveCount(1);
    await expect(page.locator('#trends .chart canvas')).toHaveCount(1);
    await page.selectOption('#f-variant', 'plain');
    await expect(page.locator('#matrix td.cell')).toHaveCount(1);
    await page.selectOption('#f-provider', '');
    await page.selectOption('#f-variant', '');
    // the previous (dkim-broken) run shows its verdicts and its regressions count in the run list
    await expect(page.locator('#f-run option')).toHaveCount(3);
    await expect(page.locator('#f-run option').nth(1)).toContainText('regression(s)');
    // DNS posture: this run's checks and their history over the 3 runs
    expect(await page.locator('#dns .dns-history tr').count()).toBeGreaterThan(5);
    await expect(page.locator('#dns .dns-history tr').nth(1).locator('.strip span')).toHaveCount(3);
    await expect(page.locator('#dns')).toContainText('dkim');
    // drill-down of one message
    await page.locator('#matrix td.cell[data-seed="lab-gmail"][data-variant="plain"]').click();
    const drill = page.locator('#drill');
    await expect(drill).toBeVisible();
    await expect(drill.locator('table.authres')).toContainText('dkim');
    await expect(drill.locator('table.hops')).toContainText(/ipv4|ipv6/);
    await expect(drill.locator('pre.raw')).toContainText('Received:');
    const shot = test.info().outputPath('report-lab.png');
    await page.screenshot({ path: shot, fullPage: true });
    await test.info().attach('report-lab.png', { path: shot, contentType: 'image/png' });
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});

function rows(b: RunBundle): string[] {
  return b.messages.map((m) => `${m.seedId} ${m.provider} ${m.variant} ${m.expected} ${m.verdict} ${JSON.stringify(m.auth)}`).sort();
}

test('a run over 2 shards + merge-reports gives the same history rows as one unsharded run', async () => {
  test.setTimeout(600_000);
  await setScenario('healthy');
  const plain = path.join(dir, 'unsharded.sqlite');
  const one = await runPw([...CONFIG, ...PLACEMENT], suiteEnv(plain));
  expect(one.code, one.output).toBe(0);

  const sharded = path.join(dir, 'sharded.sqlite');
  const blobs = path.join(dir, 'blobs');
  const runId = `mcshard${Date.now().toString(36)}`;
  // each shard has its own blob directory (on CI: its own machine; the blob reporter empties it first)
  const shardEnvs = [1, 2].map((i) => suiteEnv(sharded, { MAILCANARY_RUN_ID: runId, PLAYWRIGHT_BLOB_OUTPUT_DIR: path.join(dir, `blob-${i}`) }));
  // the two shards run at the same time, as on two CI machines
  const shards = await Promise.all([1, 2].map((i) => runPw([...CONFIG, ...PLACEMENT, `--shard=${i}/2`], shardEnvs[i - 1])));
  for (const s of shards) {
    expect(s.code, s.output).toBe(0);
    expect(s.output).toMatch(/history, gate and report are written by `npx playwright merge-reports`/);
  }
  expect(existsSync(sharded)).toBe(false);
  // each message was sent once: the shards' manifests are disjoint and together cover the run
  const sent = shardEnvs.flatMap((e) => {
    const m = JSON.parse(readFileSync(path.join(e.MAILCANARY_STATE_DIR, 'runs', runId, 'manifest.json'), 'utf8'));
    return m.messages.map((x: { seedId: string; variant: string }) => `${x.seedId}/${x.variant}`);
  });
  expect(sent).toHaveLength(10);
  expect(new Set(sent).size).toBe(10);
  // collect the shards' blobs as CI collects their artifacts
  mkdirSync(blobs, { recursive: true });
  for (const i of [1, 2]) for (const f of readdirSync(path.join(dir, `blob-${i}`))) copyFileSync(path.join(dir, `blob-${i}`, f), path.join(blobs, f));
  expect(readdirSync(blobs).filter((f) => f.endsWith('.zip'))).toHaveLength(2);

  const mergeEnv = suiteEnv(sharded);
  const merged = await runPw(['merge-reports', '-c', 'playwright.config.ts', blobs], mergeEnv);
  expect(merged.code, merged.output).toBe(0);
  expect(merged.output).toContain(`run ${runId} recorded`);

  const a = HistoryStore.open(plain, { readOnly: true });
  const b = HistoryStore.open(sharded, { readOnly: true });
  expect(a.runs()).toHaveLength(1);
  expect(b.runs()).toHaveLength(1);
  const ba = a.bundle(a.runs()[0].runId)!;
  const bb = b.bundle(runId)!;
  expect(rows(bb)).toEqual(rows(ba));
  expect(bb.messages).toHaveLength(10);
  expect(bb.run.lab).toBe(true);
  a.close();
  b.close();
  // merging the same blobs again changes nothing (a run is replaced, not duplicated)
  const again = await runPw(['merge-reports', '-c', 'playwright.config.ts', blobs], mergeEnv);
  expect(again.code, again.output).toBe(0);
  const c = HistoryStore.open(sharded, { readOnly: true });
  expect(c.counts()).toEqual({ runs: 1, messages: 10, checks: 0 });
  c.close();
});

test('kill -9 during a history write, then a new run: no run lost or half-written', async () => {
  test.setTimeout(300_000);
  const file = path.join(dir, 'killed.sqlite');
  const writer = path.join(ROOT, 'test/fixtures/record/writer.ts');
  const committed: string[] = [];
  const begun: string[] = [];
  for (let round = 0; round < 3; round++) {
    const child = spawn(process.execPath, [writer, file, String(round)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    const killed = new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        buf += d;
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const l of lines) if (l.startsWith('committed ')) committed.push(l.slice(10));
        for (const l of lines) if (l.startsWith('begin ')) begun.push(l.slice(6));
        // after a few whole runs, kill in the middle of the next one (the writer announces each BEGIN)
        if (lines.some((l) => l.startsWith('begin ')) && committed.filter((c) => c.startsWith(`r${round}-`)).length >= 3) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    await killed;
    expect(child.signalCode).toBe('SIGKILL');
  }
  const store = HistoryStore.open(file);
  expect(String((store.db.prepare('PRAGMA integrity_check').get() as Record<string, unknown>).integrity_check)).toBe('ok');
  const runs = store.runs().map((r) => r.runId);
  // every run the writer saw committed is there, and every run there is whole
  for (const id of committed) expect(runs).toContain(id);
  for (const id of runs) {
    const b = store.bundle(id)!;
    expect(b.messages, `run ${id}`).toHaveLength(60);
    expect(b.checks, `run ${id}`).toHaveLength(12);
  }
  expect(runs.length).toBeGreaterThanOrEqual(9);
  // the kills landed inside writes: runs that began and never reported their commit are absent (or whole, above)
  const interrupted = begun.filter((id) => !committed.includes(id));
  expect(interrupted.length).toBeGreaterThan(0);
  store.close();

  // a new real run records into the same store
  await setScenario('healthy');
  const next = await runPw([...CONFIG, ...PLACEMENT], suiteEnv(file, { MAILCANARY_GATE: 'off' }));
  expect(next.code, next.output).toBe(0);
  const after = HistoryStore.open(file, { readOnly: true });
  expect(after.runs()).toHaveLength(runs.length + 1);
  expect(after.latestRun()?.lab).toBe(true);
  after.close();
});
