import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { expect, test } from '@playwright/test';
import nodemailer from 'nodemailer';
import { labPaths, labTopology, readEvents, setScenario } from '../../lab/index.ts';
import type { MxEvent } from '../../lab/index.ts';
import { LAB_SENDERS, ROOT, runUserSuite } from './support.ts';

/**
 * Every domain the lab server sends for, through the running Postfix + OpenDKIM: each domain's
 * sender logs in with its own account, its mail is signed with its own key and judged by the
 * gmail-like MX on its own; dkim-broken-one-domain breaks exactly family.test.
 */
const topo = labTopology();
const paths = labPaths(topo.stateDir);
const ca = () => readFileSync(join(topo.caDir, 'ca.pem'));

test.describe.configure({ mode: 'serial' });
test.afterAll(async () => {
  await setScenario('healthy');
});

/** One message per identity, each through the submission login of its domain; returns the tags. */
async function sendFromEach(): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  const identities = [
    ...topo.senderDomains.map((d) => ({ from: d.login.address, login: d.login })),
    { from: `root@${topo.mailHost}`, login: topo.senderDomains[0].login },
  ];
  await Promise.all(
    identities.map(async ({ from, login }) => {
      const tag = `lab${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
      tags.set(from, tag);
      const t = nodemailer.createTransport({
        host: topo.submission.host,
        port: topo.submission.port,
        secure: false,
        requireTLS: true,
        tls: { ca: ca(), servername: topo.mailHost },
        auth: { user: login.address, pass: login.password },
      });
      const domain = from.split('@')[1];
      await t.sendMail({
        from,
        to: 'seed@gmail.lab.test',
        envelope: { from: `${from.split('@')[0]}-${tag}@${domain}`, to: 'seed@gmail.lab.test' },
        subject: `sender domains ${tag}`,
        text: `one of every sending domain ${tag}\n`,
        headers: { 'X-Mailcanary-Tag': tag },
      });
      t.close();
    }),
  );
  return tags;
}

async function eventsFor(tags: Map<string, string>): Promise<Map<string, MxEvent>> {
  const wanted = new Set(tags.values());
  await expect.poll(() => readEvents(paths.events).filter((e) => e.tag && wanted.has(e.tag)).length, { timeout: 20_000, intervals: [200] }).toBe(tags.size);
  const events = readEvents(paths.events);
  return new Map([...tags].map(([from, tag]) => [from, events.find((e) => e.tag === tag)!]));
}

test('healthy: each domain logs in with its own account and passes SPF, DKIM and DMARC at gmail-like', async () => {
  await setScenario('healthy');
  const events = await eventsFor(await sendFromEach());
  for (const [from, ev] of events) {
    expect({ from, folder: ev.folder, auth: ev.auth }).toEqual({ from, folder: 'INBOX', auth: { spf: 'pass', dkim: 'pass', dmarc: 'pass' } });
  }
});

test('dkim-broken-one-domain: only family.test fails DKIM and lands in spam; the others stay in the inbox', async () => {
  await setScenario('dkim-broken-one-domain');
  const events = await eventsFor(await sendFromEach());
  const seen = Object.fromEntries([...events].map(([from, ev]) => [from, `${ev.folder} dkim=${ev.auth.dkim} dmarc=${ev.auth.dmarc}`]));
  expect(seen).toEqual({
    'monitor@canary.test': 'INBOX dkim=pass dmarc=pass',
    'monitor@family.test': '[Gmail]/Spam dkim=fail dmarc=pass',
    'monitor@club.test': 'INBOX dkim=pass dmarc=pass',
    [`root@${topo.mailHost}`]: 'INBOX dkim=pass dmarc=pass',
  });
});

test('the DNS suite with the lab senders checks every domain and the host name, each named in its titles, all passing', async () => {
  await setScenario('healthy');
  const run = await runUserSuite({ args: ['--project=dns'], env: { MAILCANARY_SENDERS: LAB_SENDERS, MAILCANARY_HISTORY: 'off' } });
  const titles = run.tests.map((t) => t.fullTitle);
  expect(run.tests.filter((t) => t.status === 'failed').map((t) => `${t.fullTitle}: ${t.errors.join(' ').slice(0, 200)}`)).toEqual([]);
  for (const d of topo.senderDomains) {
    for (const t of [
      `spf › ${d.domain} sending IPs pass`,
      `dkim › ${d.selector}._domainkey.${d.domain} key is valid`,
      `dmarc › ${d.domain} policy is valid`,
      `tls-rpt › ${d.domain} reporting record`,
      // the lab website is every domain's MTA-STS policy host, on the stand-in port with the lab CA
      `mta-sts › ${d.domain} policy`,
    ]) {
      const test_ = run.tests.find((x) => x.fullTitle.endsWith(t));
      expect(test_?.status, `${t}\n${run.output.slice(-2000)}`).toBe('passed');
    }
    const bimi = `bimi › ${d.domain} record`;
    expect(
      titles.some((x) => x.endsWith(bimi)),
      bimi,
    ).toBe(true);
  }
  for (const t of [`spf › ${topo.mailHost} sending IPs pass`, `dmarc › ${topo.mailHost} policy is valid`]) {
    expect(run.tests.find((x) => x.fullTitle.endsWith(t))?.status, t).toBe('passed');
  }
  // the server's checks once, however many domains
  expect(titles.filter((t) => /› rdns › 127\.0\.0\.1 /.test(t))).toHaveLength(1);
  expect(titles.filter((t) => /› dkim › mc2026\._domainkey\.(family|club)\.test/.test(t))).toEqual([]);
});

test('npm run demo -- --scenario dkim-broken-one-domain names every sender domain and fails only family.test, as the demo explains', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mc-demo-test-'));
  try {
    // the gmail-like seed only (8 messages): the lab stays up for the next tests (--keep)
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'scripts/demo.ts'), '--keep', '--scenario', 'dkim-broken-one-domain', '--project=send', '--project=placement', '--grep', '@gmail'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 150_000,
        env: {
          ...process.env,
          MAILCANARY_STATE_DIR: join(tmp, 'state'),
          MAILCANARY_HISTORY: 'off',
          MAILCANARY_REPORT_DIR: join(tmp, 'report'),
          MAILCANARY_OUTPUT_DIR: join(tmp, 'results'),
        },
      },
    );
    // colours off: Playwright's list reporter colours its marks when the parent forces colour
    const out = stripVTControlCharacters(`${r.stdout}${r.stderr}`);
    // the run failed exactly what the scenario says: the demo exits 0 and says why
    expect(r.status, out.slice(-3000)).toBe(0);
    expect(out).toContain('[LAB] exit 0: the run showed what the scenario says (the suite itself exited 1 for the expected failures)');
    for (const d of ['canary.test', 'family.test', 'club.test', 'mail.canary.test (system mail)']) {
      expect(out, d).toMatch(new RegExp(`[✓✘] +\\d+ \\[placement\\] › .*lab-gmail › plain from ${d.replace(/[.()]/g, '\\$&')} lands in inbox`));
    }
    const failedTitles = [...out.matchAll(/✘ +\d+ \[placement\] › \S+ › (.+?) @/g)].map((m) => m[1]);
    expect(failedTitles.sort()).toEqual(['lab-gmail › html-with-link from family.test lands in inbox', 'lab-gmail › plain from family.test lands in inbox']);
    expect(out).toContain('[LAB] scenario dkim-broken-one-domain: family.test mail carries dkim=fail');
    expect(out).toContain('[LAB] expected to fail: 2 test(s), 2 of them failed:');
    // the send step and the six gmail-like tests of canary.test, club.test and the system mail
    expect(out).toMatch(/\[LAB\] as the scenario expects: the 7 other test\(s\) passed or were skipped/);
    expect(out).not.toContain('NOT as the scenario expects');
    // the closing server-log part: every line the lab's, each test message named with its sender, every time in one form
    const closing = out
      .slice(out.indexOf("[LAB] your server's log"))
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('[lab]'));
    expect(
      closing.filter((l) => !l.startsWith('[LAB]')),
      closing.join('\n'),
    ).toEqual([]);
    for (const d of ['canary.test', 'family.test', 'club.test', 'mail.canary.test (system mail)']) {
      expect(
        closing.some((l) => l.startsWith(`[LAB]   lab-gmail › plain from ${d} (queue id `)),
        `${d}\n${closing.join('\n')}`,
      ).toBe(true);
    }
    expect(closing.filter((l) => /› plain \(queue id/.test(l))).toEqual([]);
    expect(out).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z|\d\d:\d\d:\d\d UTC/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
