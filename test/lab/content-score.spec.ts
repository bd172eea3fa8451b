import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { launchChromium } from './report-support.ts';
import { getScenario, labPaths, labTopology, readEvents, setScenario } from '../../lab/index.ts';
import { parseSpamVerdicts, splitHeaderBlock } from '../../src/evidence/index.ts';
import { runUserSuite, verdictsByTitle, type SuiteRun } from './support.ts';

/** The header block the placement test found (its `received-headers.txt` attachment). */
function receivedHeaders(t: SuiteRun['tests'][number]): string {
  const body = t.attachments.find((a) => a.name === 'received-headers.txt')?.body;
  expect(body, `${t.fullTitle} has no received headers`).toBeTruthy();
  return body!;
}

test.afterEach(async () => {
  await setScenario('healthy');
});

/** The content scores the send step attached, by variant. */
function scores(
  run: SuiteRun,
): Record<
  string,
  { state: string; action?: string; score?: number; rules?: Array<{ name: string; score: number; description?: string; options: string[] }>; reason?: string }
> {
  const send = run.tests.find((t) => t.title === 'send the tagged test messages');
  expect(send, run.output).toBeTruthy();
  return Object.fromEntries(
    send!.annotations
      .filter((a) => a.type === 'mailcanary.score')
      .map((a) => JSON.parse(a.description!))
      .map((s) => [s.variant, s]),
  );
}

test("the lab's rspamd scores every variant before sending; the healthy placements stay; the report shows the rules next to the placement", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-score-report-'));
  const run = await runUserSuite({
    env: { MAILCANARY_PROVIDERS: 'gmx,outlook', MAILCANARY_HISTORY: path.join(dir, 'h.sqlite'), MAILCANARY_REPORT_DIR: path.join(dir, 'report') },
    // with the placement reporter, which records the history and writes the report
    args: [
      '--project=send',
      '--project=placement',
      '--grep',
      '@gmx|@outlook',
      '--reporter=json,line,./reporters/summary-reporter.ts,./reporters/placement-reporter.ts',
    ],
  });
  expect(run.code, run.output).toBe(0);
  const s = scores(run);
  expect(Object.keys(s).sort()).toEqual(['html-with-link', 'plain']);
  for (const [variant, r] of Object.entries(s)) {
    expect(r.state, `${variant}: ${r.reason}`).toBe('scored');
    expect(r.action).toBe('no action');
    expect(r.rules!.length).toBeGreaterThan(3);
    // rspamd's own symbols, with its descriptions
    expect(r.rules!.find((x) => x.name === 'MIME_GOOD')).toMatchObject({ score: -0.1, description: 'Known content-type' });
    expect(run.output).toContain(`mailcanary: ${variant}: rspamd `);
  }
  expect(verdictsByTitle(run)).toMatchObject({
    'lab-gmx › plain lands in inbox': 'inbox',
    'lab-gmx › html-with-link lands in spam': 'spam',
    'lab-outlook › plain lands in inbox': 'inbox',
    'lab-outlook › html-with-link lands in inbox': 'inbox',
  });
  // the filed copy carries rspamd's real headers
  const outlook = run.tests.find((t) => t.fullTitle === 'lab-outlook › plain lands in inbox')!;
  const v = parseSpamVerdicts(splitHeaderBlock(receivedHeaders(outlook)).fields);
  expect(v.find((x) => x.header === 'X-Rspamd-Action')).toMatchObject({ spam: false });
  expect(v.find((x) => x.header === 'X-Spamd-Result')!.rules!.map((r) => r.name)).toContain('MIME_GOOD');

  // the HTML report: the local score and its rules beside the receiver's placement
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(dir, 'report', 'index.html')).href);
    await expect(page.locator('html[data-ready="1"]')).toBeAttached();
    for (const [seed, variant, placed] of [
      ['lab-outlook', 'plain', 'outlook filed it in the inbox'],
      ['lab-gmx', 'html-with-link', 'gmx filed it as spam'],
    ]) {
      await page.locator(`td.cell[data-seed="${seed}"][data-variant="${variant}"]`).click();
      const line = page.locator('#drill .content-score-line');
      await expect(line).toContainText(`${placed}; rspamd scores it ${Math.round(s[variant].score! * 100) / 100} / 15 (no action): `);
      await expect(line).toContainText('MIME_GOOD(-0.1)');
      await expect(page.locator('#drill table.content-rules')).toContainText('Known content-type');
    }
  } finally {
    await browser.close();
  }
});

test('spammy-content: rspamd files exactly the spammy messages as spam at gmx-like and outlook-like, the evidence lists its symbols', async () => {
  const startedAt = Date.now();
  const scenario = await setScenario('spammy-content');
  const run = await runUserSuite({
    env: { ...scenario.suiteEnv, MAILCANARY_PROVIDERS: 'gmail,gmx,outlook' },
    args: ['--project=send', '--project=placement', '--grep', '@gmail|@gmx|@outlook'],
  });
  expect(run.code, run.output).toBe(0);
  expect(verdictsByTitle(run)).toEqual({
    'lab-gmail › plain lands in inbox': 'inbox',
    'lab-gmail › spammy lands in inbox': 'inbox',
    'lab-gmx › plain lands in inbox': 'inbox',
    'lab-gmx › spammy lands in spam': 'spam',
    'lab-outlook › plain lands in inbox': 'inbox',
    'lab-outlook › spammy lands in spam': 'spam',
  });
  // the local score says the same before sending: the listed link domain and the content rules
  const s = scores(run);
  expect(s.plain).toMatchObject({ state: 'scored', action: 'no action' });
  expect(s.spammy).toMatchObject({ state: 'scored', action: 'add header' });
  expect(s.spammy.rules!.find((r) => r.name === 'DBL_SPAM')).toMatchObject({ score: 6.5, options: [expect.stringContaining('prize-claims.test')] });
  expect(s.spammy.rules!.map((r) => r.name)).toEqual(expect.arrayContaining(['SUBJ_ALL_CAPS', 'PHISHING']));
  for (const seed of ['lab-gmx', 'lab-outlook']) {
    const t = run.tests.find((x) => x.fullTitle === `${seed} › spammy lands in spam`)!;
    const v = parseSpamVerdicts(splitHeaderBlock(receivedHeaders(t)).fields);
    // the delivery record's evidence reads the same symbols
    const d = JSON.parse(t.attachments.find((a) => a.name === 'delivery.json')!.body!);
    expect(d.evidence.spam.verdicts.find((x: { header: string }) => x.header === 'X-Spamd-Result').rules.map((r: { name: string }) => r.name)).toContain(
      'DBL_SPAM',
    );
    const result = v.find((x) => x.header === 'X-Spamd-Result')!;
    expect(result).toMatchObject({ vendor: 'rspamd', spam: true, fromProvider: true });
    expect(result.rules!.find((r) => r.name === 'DBL_SPAM')).toMatchObject({ score: 6.5 });
    expect(v.find((x) => x.header === 'X-Rspamd-Action')).toMatchObject({ spam: true, meaning: 'rspamd action: add header' });
  }
  // the MX log says why: rspamd's action, not the provider's own rule
  const filed = readEvents(labPaths(labTopology().stateDir).events).filter((e) => e.ts >= startedAt && e.event === 'filed' && e.folder !== 'INBOX');
  expect(filed.map((e) => e.provider).sort()).toEqual(['gmx', 'outlook']);
  for (const e of filed) expect(e.reason).toContain('rspamd add header');
  expect(getScenario('spammy-content').suiteEnv!.MAILCANARY_VARIANTS).toBe('plain,spammy');
});
