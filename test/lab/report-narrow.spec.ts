import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { buildEvidence } from '../../src/evidence/index.ts';
import { HistoryStore, writeServerLogReading } from '../../src/record/index.ts';
import type { MessageRecord, RunBundle } from '../../src/record/index.ts';
import { writeReport } from '../../src/report/write.ts';
import { messageTag } from '../../src/send/tag.ts';
import { chromiumPerFile } from './report-support.ts';

/**
 * The report of a run with two senders in Debian's Chromium, at 390 and 1440 px: at 390 px the
 * drill-down's tables and the rejections of real mail are cards whose values keep their words
 * (an address or a date on one line), and each trend strip starts on the screen; at 1440 px the
 * matrix heads each sending domain once with its columns in the order they were sent, the trend
 * axis reads ISO days, and a filter that hides the drilled cell closes the drill-down.
 */
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-02T03:00:00Z');
const SENDERS = [
  { id: 'family', domain: 'family.example', label: 'family.example', system: false },
  { id: 'system', domain: 'mail.example.org', label: 'mail.example.org (system mail)', system: true },
];
const SEEDS = [
  { id: 'gmail-main', provider: 'gmail' },
  { id: 'gmx', provider: 'gmx' },
  { id: 'tonline', provider: 'tonline' },
];
const V6 = '2001:db8:4b1d:7e00::25';

/** Two hops, the receiver's Received field first; dates from the run's start. */
function headers(at: number): string {
  const date = new Date(at).toUTCString().replace('GMT', '+0000');
  return (
    'Authentication-Results: mx01.mail-in.gmx.example; spf=pass smtp.mailfrom=monitor-tag@family.example smtp.helo=mail.example.org;' +
    ' dkim=pass header.i=@family.example header.s=fam2026 header.a=rsa-sha256 header.b=Pbqd78Zx; dmarc=pass policy.dmarc=quarantine header.from=family.example\r\n' +
    `Received: from mail.example.org (mail.example.org [IPv6:${V6}])\r\n\tby mx01.mail-in.gmx.example (mailcanary-lab) with ESMTPS id 7F3A9C\r\n\tfor <seed@gmx.example>; ${date}\r\n` +
    `Received: from [127.0.0.1] (localhost [127.0.0.1]) by mail.example.org (Postfix) with ESMTPSA id 41AB;\r\n\t${date} (UTC)\r\n` +
    'From: Family <monitor@family.example>\r\nSubject: mail check\r\n'
  );
}

/** One night: per seed, per sender, plain then html-with-link, numbered as src/send/matrix.ts does. */
function night(runId: string, startedAt: number): RunBundle {
  const rawHeaders = headers(startedAt + 2000);
  const evidence = buildEvidence({ rawHeaders, authservIds: ['mx01.mail-in.gmx.example'], submittedAt: startedAt + 1000 });
  const messages: MessageRecord[] = [];
  for (const seed of SEEDS)
    for (const s of SENDERS)
      for (const v of ['plain', 'html-with-link'])
        messages.push({
          runId,
          seedId: seed.id,
          provider: seed.provider,
          variant: `${v} from ${s.label}`,
          expected: 'inbox',
          verdict: seed.id === 'gmx' && v !== 'plain' ? 'spam' : 'inbox',
          testStatus: 'passed',
          tag: messageTag(runId, messages.length),
          submittedAt: startedAt + 1000,
          auth: { ...evidence.auth },
          evidence,
          rawHeaders,
          sender: s,
        });
  return { run: { runId, startedAt, finishedAt: startedAt + 60_000, lab: false, status: 'passed' }, messages, checks: [] };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-report-narrow-'));
const store = HistoryStore.open(path.join(dir, 'h.sqlite'));
const RUN = 'mc202611030300narr';
store.writeRun(night('mc202611020300narr', T0));
store.writeRun(night(RUN, T0 + DAY));
const REPLY =
  'mx00.t-online.example said after RCPT: 554 5.7.1 IP=203.0.113.5 - None/bad reputation (NOWL) To request becoming whitelisted, fill in the form at the postmaster page';
writeServerLogReading(store, RUN, false, {
  source: 'file /var/log/mail.log',
  since: T0,
  until: T0 + DAY,
  basis: 'previous-run',
  stats: { lines: 40, used: 30, ignored: 8, garbage: 2, truncated: 0, tooLong: 0, rotations: 0, evicted: 0 },
  rejections: [
    {
      domain: 't-online.example',
      reason: 'badreputation',
      status: 'bounced',
      messages: 8,
      attempts: 8,
      hardBounce: true,
      firstAt: T0 + DAY - 3_600_000,
      lastAt: T0 + DAY - 60_000,
      relays: ['mx00.t-online.example'],
      example: REPLY,
      reply: REPLY.slice(REPLY.indexOf('554')),
      dsn: '5.7.1',
      replyCode: 554,
      advice: {
        id: 'telekom-nowl',
        provider: 'Telekom',
        reason: 'badreputation',
        meaning: 'Telekom accepts mail only from servers it knows; an unknown IP is refused.',
        action: 'Fill in the whitelisting form with the server name, its IP address and an abuse contact.',
        link: 'https://example.invalid',
      } as never,
      recipients: ['***@t-online.example'],
    },
  ],
  volume: { messages: 12, recipients: 12, bySender: [], byDomain: [], selfGenerated: { messages: 0, share: 0, byKind: {}, topDomains: [] } },
});
const file = writeReport(store, path.join(dir, 'index.html'), { runId: RUN, now: T0 + 2 * DAY }).file;
store.close();
const url = pathToFileURL(file).href;

const browser = chromiumPerFile();

async function open(width: number): Promise<Page> {
  const page = await browser().newPage({ viewport: { width, height: 900 } });
  await page.goto(url);
  await expect(page.locator('html[data-ready="1"]')).toBeAttached();
  return page;
}

/** Where the text of a cell sits: its box and its line boxes (the client rects of its text). */
function layout(l: Locator) {
  return l.evaluate((e) => {
    const range = document.createRange();
    range.selectNodeContents(e);
    const b = e.getBoundingClientRect();
    const lines = new Set(
      Array.from(range.getClientRects())
        .filter((r) => r.width > 0)
        .map((r) => Math.round(r.top)),
    );
    return { left: b.left, right: b.right, width: b.width, lines: lines.size, text: e.textContent ?? '' };
  });
}

test('at 390 px the drill-down and the rejections are cards: every value on the screen, an address or a date on one line', async ({}, testInfo) => {
  const page = await open(390);
  await page.locator('#matrix td.cell[data-seed="gmx"][data-variant="html-with-link from family.example"] button.open').click();
  await expect(page.locator('#drill h2')).toHaveText('Message gmx / html-with-link from family.example');
  await testInfo.attach('drill-390px.png', { body: await page.locator('#drill').screenshot(), contentType: 'image/png' });
  const cells = page.locator('#drill table.hops td, #drill table.authres td');
  expect(await cells.count()).toBeGreaterThan(20);
  for (const c of await cells.all()) {
    const l = await layout(c);
    if (!l.text) continue;
    expect(l.left, `"${l.text}" starts on the screen`).toBeGreaterThanOrEqual(0);
    expect(l.right, `"${l.text}" ends on the screen`).toBeLessThanOrEqual(390);
    // a column crushed to a few letters puts one or two characters on each line
    if (l.lines > 1) expect(l.text.length / l.lines, `"${l.text}" in ${l.lines} line(s)`).toBeGreaterThan(12);
  }
  for (const [label, text] of [
    ['IP', V6],
    ['IP', '127.0.0.1'],
    ['date', new Date(T0 + DAY + 2000).toISOString().replace('T', ' ').slice(0, 19) + ' UTC'],
  ]) {
    const l = await layout(page.locator(`#drill table.hops td[data-label="${label}"]`, { hasText: text }).first());
    expect(l.lines, `${label} ${text} on one line`).toBe(1);
  }
  await expect(page.locator('#drill table.hops thead')).toBeHidden();

  const row = page.locator('#real-mail table.real-mail tbody tr');
  await expect(row).toHaveCount(1);
  await testInfo.attach('real-mail-390px.png', { body: await page.locator('#real-mail').screenshot(), contentType: 'image/png' });
  for (const label of ['reason', 'advice', 'last reply', 'last seen']) {
    const l = await layout(row.locator(`td[data-label="${label}"]`));
    expect(l.left, `${label} starts on the screen`).toBeGreaterThanOrEqual(0);
    expect(l.right, `${label} ends on the screen`).toBeLessThanOrEqual(390);
  }
  expect((await layout(row.locator('td[data-label="last reply"]'))).width, 'the reply has the width of the card').toBeGreaterThan(300);
  expect((await layout(row.locator('td[data-label="last seen"]'))).lines).toBe(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'nothing widens the page').toBeLessThanOrEqual(390);
  await page.close();
});

test('at 390 px each trend strip starts on the screen beside its wrapped label', async () => {
  const page = await open(390);
  const rows = page.locator('#trends table.calendar tbody tr');
  await expect(rows).toHaveCount(SEEDS.length * 4);
  for (const r of await rows.all()) {
    const label = await layout(r.locator('td').first());
    // the label wraps between words, never a few letters a line
    if (label.lines > 1) expect(label.text.length / label.lines, `"${label.text}" in ${label.lines} line(s)`).toBeGreaterThan(12);
    const [first, last] = [await r.locator('.cal span').first().boundingBox(), await r.locator('.cal span').last().boundingBox()];
    expect(first!.x, `the strip of "${label.text}" starts beside its label`).toBeGreaterThanOrEqual(label.right - 1);
    expect(last!.x + last!.width, `the strip of "${label.text}" is on the screen`).toBeLessThanOrEqual(390);
  }
  await page.close();
});

test('at 1440 px: one heading per sending domain, plain first; ISO trend axis; a filter that hides the drilled cell closes it', async () => {
  const page = await open(1440);
  await expect(page.locator('#matrix tr.domains th')).toHaveText(['family.example', 'mail.example.org']);
  await expect(page.locator('#matrix thead tr:not(.domains) th')).toHaveText([
    'seed',
    'provider',
    'plain',
    'html-with-link',
    'plain (system mail)',
    'html-with-link (system mail)',
  ]);
  // the trend strips of a seed follow the same order
  const labels = await page.locator('#trends table.calendar tbody tr td:first-child').allTextContents();
  expect(labels.slice(0, 4)).toEqual([
    'gmail-main / plain from family.example',
    'gmail-main / html-with-link from family.example',
    'gmail-main / plain from mail.example.org (system mail)',
    'gmail-main / html-with-link from mail.example.org (system mail)',
  ]);

  const chart = page.locator('#trends .chart[data-provider="gmx"]');
  await expect(chart.locator('canvas').first()).toBeAttached();
  const ticks = (await chart.getAttribute('data-x-ticks'))!.split(' ');
  expect(ticks).toEqual(['2026-11-02', '2026-11-03']);
  // the legend's day has no marker and the legend no table borders
  await expect(chart.locator('.u-legend .u-series').first().locator('.u-marker')).toBeHidden();
  expect(
    await chart
      .locator('.u-legend th')
      .first()
      .evaluate((e) => getComputedStyle(e).borderTopWidth),
  ).toBe('0px');

  // at this width the drill-down's tables stay tables
  await page.locator('#matrix td.cell[data-seed="gmx"][data-variant="plain from family.example"] button.open').click();
  const hop = page.locator('#drill table.hops tbody tr').first();
  const [ip, date] = [await hop.locator('td[data-label="IP"]').boundingBox(), await hop.locator('td[data-label="date"]').boundingBox()];
  expect(ip!.y, 'a hop is one table row').toBe(date!.y);
  await expect(page).toHaveURL(/seed=gmx/);
  // a filter that keeps the cell keeps the drill-down; one that hides it closes it and its link
  await page.selectOption('#f-provider', 'gmx');
  await expect(page.locator('#drill')).toBeVisible();
  await page.selectOption('#f-domain', 'mail.example.org');
  await expect(page.locator('#drill')).toBeHidden();
  await expect(page).not.toHaveURL(/seed=/);
  await page.close();
});
