import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { labPaths, labTopology } from '../../lab/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { HistoryStore, previousServerLogReading, serverLogReading, writeServerLogReading } from '../../src/record/index.ts';
import { sendAll } from '../../src/send/submit.ts';
import { newRunId } from '../../src/send/tag.ts';
import { readServerLog } from '../../src/server-log/index.ts';
import { labEnv, ROOT, runUserSuite } from './support.ts';
import { launchChromium } from './report-support.ts';

/**
 * Real mail to a domain no seed watches: the council-like MX refuses the lab server at RCPT by
 * IP reputation. Only the lab Postfix's log knows; the user's `server-log` project, run as a user
 * runs it, finds the refusal under council.lab.test with the recipient masked, records it in the
 * history, shows it in the report's "Rejections of your real mail" and fails as newly rejecting
 * against the previous reading.
 */
test('mail to an unwatched domain refused by IP reputation shows in the real-mail section, masked, newly rejecting', async ({}, testInfo) => {
  test.setTimeout(90_000);
  const paths = labPaths(labTopology().stateDir);
  const council = labTopology().providers.find((p) => p.id === 'council')!;
  const config = await loadConfig(ROOT, labEnv);
  expect(config.seeds.map((s) => s.address)).not.toContain(council.seed.address);
  const dir = testInfo.outputPath('server-log');
  const history = path.join(dir, 'history.sqlite');

  // the previous run's reading ended a moment ago: it saw mail to the council delivered, no refusal
  const started = Date.now();
  const store = HistoryStore.open(history);
  store.writeRun({
    run: { runId: 'previous-run', startedAt: started - 60_000, finishedAt: started - 1000, lab: true, status: 'passed' },
    messages: [],
    checks: [],
  });
  writeServerLogReading(store, 'previous-run', true, {
    source: `file ${paths.postfixLog}`,
    since: started - 3_600_000,
    until: started - 1000,
    basis: 'default',
    stats: { lines: 0, used: 0, ignored: 0, garbage: 0, truncated: 0, tooLong: 0, rotations: 0, evicted: 0 },
    rejections: [],
    volume: {
      messages: 1,
      recipients: 1,
      bySender: [],
      byDomain: [],
      domains: [council.domain],
      selfGenerated: { messages: 0, share: 0, byKind: {}, topDomains: [] },
    },
  });
  store.close();

  const [m] = await sendAll({ sender: config.sender, runId: newRunId(), plan: [{ seedId: 'council', to: council.seed.address, variant: 'plain' }] });
  expect(m.submitError, JSON.stringify(m.submitError)).toBeUndefined();
  // Postfix logs the refusal within a second or two
  let bounced = false;
  for (const deadline = Date.now() + 20_000; !bounced && Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
    const r = await readServerLog({ kind: 'file', path: paths.postfixLog }, { now: Date.now(), since: started - 1000 });
    bounced = r.rejections.some((g) => g.domain === council.domain);
  }
  expect(bounced, `no refusal for ${council.domain} in ${paths.postfixLog} within 20 s`).toBe(true);

  const run = await runUserSuite({
    args: ['--project=server-log'],
    reporters: ['./reporters/placement-reporter.ts'],
    env: {
      MAILCANARY_LOG_FILE: paths.postfixLog,
      MAILCANARY_HISTORY: history,
      MAILCANARY_REPORT_DIR: path.join(dir, 'report'),
      MAILCANARY_WEBHOOK_URL: '',
    },
    timeoutMs: 60_000,
  });
  const t = run.tests.find((x) => x.title.startsWith('rejections of your real mail'));
  expect(t, run.output).toBeDefined();
  // the test fails on the newly rejecting domain, naming it and the remote's reply; so does the gate
  expect(t!.status, run.output).toBe('failed');
  const line = `${council.domain}: newly rejects for reputation: 550 5.7.1 Service unavailable; client [127.0.0.1] rejected: CYREN IP reputation determined a medium risk`;
  expect(t!.errors.join('\n')).toContain(line);
  expect(run.output).toContain(`✘ server-log: ${line}`);
  expect(run.code).not.toBe(0);
  expect(t!.annotations.find((a) => a.type === 'rejection' && a.description?.startsWith(`${council.domain}: bounced`))?.description).toContain(
    'CYREN IP reputation',
  );

  const h = HistoryStore.open(history, { readOnly: true });
  const current = previousServerLogReading(h, { until: Date.now(), lab: true })!;
  expect(current.runId).not.toBe('previous-run');
  expect(current).toMatchObject({ basis: 'previous-run', since: started - 1000 });
  const group = serverLogReading(h, current.runId)!.rejections.find((g) => g.domain === council.domain);
  h.close();
  expect(group).toMatchObject({ status: 'bounced', reason: 'badreputation', messages: 1, recipients: [`***@${council.domain}`], replyCode: 550 });
  expect(group!.advice?.id).toBe('cyren-ip-reputation');

  const html = readFileSync(path.join(dir, 'report', 'index.html'), 'utf8');
  expect(html).toContain('Rejections of your real mail');
  expect(html).toContain(`***@${council.domain}`);
  expect(html).toContain(`newly rejects for reputation`);
  expect(html).not.toContain(council.seed.address);

  // the page's script draws the same section (DOM nodes, text only): on a phone-sized screen it
  // stays inside the page and passes the accessibility audit
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(path.join(dir, 'report', 'index.html')).href);
    await expect(page.locator('html[data-ready="1"]')).toBeAttached();
    const section = page.locator('#real-mail');
    await expect(section.getByRole('heading', { name: 'Rejections of your real mail' })).toBeVisible();
    const row = section.locator('tr', { hasText: council.domain }).first();
    await expect(row).toContainText('newly rejects for reputation');
    await expect(row).toContainText(`***@${council.domain}`);
    await expect(row).toContainText('CYREN IP reputation determined a medium risk');
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    const axe = await new AxeBuilder({ page }).include('#real-mail').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  } finally {
    await browser.close();
  }
});
