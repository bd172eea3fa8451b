import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { labPaths, labTopology, readEvents } from '../../lab/index.ts';
import type { Delivery } from '../../src/run/index.ts';
import { ROOT, runUserSuite } from './support.ts';
import type { SuiteRun, SuiteTest } from './support.ts';
import { launchChromium } from './report-support.ts';

/**
 * The same server reached over two submission paths. The lab's main Postfix relays to
 * the gmail-like MX over ::1; its second instance (lab/services/postfix-v4path.ts) speaks IPv4
 * only. One user-suite run with SMTP_PATHS sends every seed × variant through both paths, and
 * the evidence, the test titles, the warnings and the HTML report tell the families apart.
 */
test.describe.configure({ timeout: 180_000 });

const SEEDS = path.join(ROOT, 'test/fixtures/ipfamily/seeds.ts');

function byTitle(run: SuiteRun, title: string): SuiteTest {
  const t = run.tests.find((x) => x.fullTitle === title);
  expect(t, `no test '${title}' in: ${run.tests.map((x) => x.fullTitle).join(', ')}\n${run.output.slice(-3000)}`).toBeTruthy();
  return t!;
}

function deliveryOf(t: SuiteTest): Delivery {
  const body = t.attachments.find((a) => a.name === 'delivery.json')?.body;
  expect(body, `${t.fullTitle} has no delivery.json`).toBeTruthy();
  return JSON.parse(body!) as Delivery;
}

const warningsOf = (t: SuiteTest) => t.annotations.filter((a) => a.type === 'warning').map((a) => a.description ?? '');

test('a lab seed reached over IPv6 and over IPv4 in the same run, reported side by side', async () => {
  const topo = labTopology();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-ipfam-'));
  const reportDir = path.join(dir, 'report');
  const run = await runUserSuite({
    env: {
      MAILCANARY_SEEDS: SEEDS,
      MAILCANARY_VARIANTS: 'plain',
      SMTP_PATHS: `ipv6=${topo.submission.host}:${topo.submission.port},ipv4=${topo.submission4.host}:${topo.submission4.port}`,
      MAILCANARY_HISTORY: path.join(dir, 'history.sqlite'),
      MAILCANARY_REPORT_DIR: reportDir,
      MAILCANARY_GATE: 'off',
    },
    // the placement reporter records the run and writes the HTML report (a later --reporter wins)
    args: ['--project=send', '--project=placement', '--reporter=json,line,./reporters/summary-reporter.ts,./reporters/placement-reporter.ts'],
  });
  expect(run.code, run.output.slice(-3000)).toBe(0);
  // seed × variant × path: four placement tests, titled with their path
  expect(
    run.tests
      .filter((t) => t.fullTitle.startsWith('lab-'))
      .map((t) => t.fullTitle)
      .sort(),
  ).toEqual([
    'lab-gmail › plain via ipv4 lands in inbox',
    'lab-gmail › plain via ipv6 lands in inbox',
    'lab-tonline › plain via ipv4 lands in inbox',
    'lab-tonline › plain via ipv6 lands in inbox',
  ]);

  const v6 = deliveryOf(byTitle(run, 'lab-gmail › plain via ipv6 lands in inbox'));
  const v4 = deliveryOf(byTitle(run, 'lab-gmail › plain via ipv4 lands in inbox'));
  expect(v6).toMatchObject({ verdict: 'inbox', path: 'ipv6', sent: { path: 'ipv6' } });
  expect(v4).toMatchObject({ verdict: 'inbox', path: 'ipv4', sent: { path: 'ipv4' } });
  expect(v6.evidence?.received.acceptance).toMatchObject({ family: 'ipv6', ip: { address: '::1' } });
  expect(v4.evidence?.received.acceptance).toMatchObject({ family: 'ipv4', ip: { address: '127.0.0.1' } });
  expect(v6.detail).toContain('via path ipv6');
  expect(v6.detail).toContain('over IPv6');
  expect(v4.detail).toContain('over IPv4');
  expect(v6.tag).not.toBe(v4.tag);
  // both paths are the same signing server: DKIM passes on each
  expect(v6.evidence?.auth.dkim).toBe('pass');
  expect(v4.evidence?.auth.dkim).toBe('pass');

  // the MX simulator's own view of the connecting address agrees with the evidence
  const events = readEvents(labPaths(topo.stateDir).events).filter((e) => e.provider === 'gmail' && e.event === 'filed');
  expect(events.find((e) => e.tag === v6.tag)?.ip).toBe('::1');
  expect(events.find((e) => e.tag === v4.tag)?.ip).toBe('127.0.0.1');

  // gmail-like is dual-stack: each path kept its family, no warning
  expect(warningsOf(byTitle(run, 'lab-gmail › plain via ipv6 lands in inbox'))).toEqual([]);
  expect(warningsOf(byTitle(run, 'lab-gmail › plain via ipv4 lands in inbox'))).toEqual([]);
  // t-online-like has no AAAA: the ipv6 path reached it over IPv4, and the run says so
  const tonline6 = byTitle(run, 'lab-tonline › plain via ipv6 lands in inbox');
  expect(deliveryOf(tonline6).evidence?.received.acceptance?.family).toBe('ipv4');
  expect(warningsOf(tonline6).join('\n')).toContain('path ipv6 reached lab-tonline over IPv4, not IPv6');

  // the HTML report: one column per variant × path, the family in each cell
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(reportDir, 'index.html')).href);
    const headers = await page.locator('#matrix tr').first().locator('th').allTextContents();
    // the columns come in the order they were sent: SMTP_PATHS names ipv6 first
    expect(headers).toEqual(['seed', 'provider', 'plain via ipv6', 'plain via ipv4']);
    const cell = (seed: string, variant: string) => page.locator(`#matrix td.cell[data-seed="${seed}"][data-variant="${variant}"]`);
    await expect(cell('lab-gmail', 'plain via ipv6')).toHaveAttribute('data-verdict', 'inbox');
    await expect(cell('lab-gmail', 'plain via ipv6').locator('.family')).toHaveText('over IPv6');
    await expect(cell('lab-gmail', 'plain via ipv4').locator('.family')).toHaveText('over IPv4');
    await expect(cell('lab-tonline', 'plain via ipv6').locator('.family')).toHaveText('over IPv4');
  } finally {
    await browser.close();
  }
});

test('without SMTP_PATHS nothing changes: same titles, no path in the records', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-ipfam-'));
  const run = await runUserSuite({
    env: {
      MAILCANARY_SEEDS: SEEDS,
      MAILCANARY_VARIANTS: 'plain',
      SMTP_PATHS: '',
      MAILCANARY_HISTORY: path.join(dir, 'history.sqlite'),
      MAILCANARY_REPORT_DIR: path.join(dir, 'report'),
      MAILCANARY_GATE: 'off',
    },
  });
  expect(run.code, run.output.slice(-3000)).toBe(0);
  const gmail = deliveryOf(byTitle(run, 'lab-gmail › plain lands in inbox'));
  expect(gmail).not.toHaveProperty('path');
  expect(gmail.sent).not.toHaveProperty('path');
  expect(gmail.evidence?.received.acceptance?.family).toBe('ipv6');
  expect(byTitle(run, 'lab-tonline › plain lands in inbox').verdict).toBe('inbox');
});

test('a bad SMTP_PATHS stops the run before anything is sent, naming the variable', async () => {
  const run = await runUserSuite({
    env: { MAILCANARY_SEEDS: SEEDS, MAILCANARY_VARIANTS: 'plain', SMTP_PATHS: 'ipv6=::1:1587,ipv4=127.0.0.1:1588', MAILCANARY_HISTORY: 'off' },
  });
  expect(run.code).not.toBe(0);
  expect(run.output).toContain('SMTP_PATHS');
  expect(run.output).toContain('without brackets');
  expect(run.output).not.toContain('lab-sender-password');
});
