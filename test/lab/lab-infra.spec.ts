import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
/**
 * The lab itself, checked end to end against the running daemons: DNS content, authenticated
 * submission through Postfix + OpenDKIM, the MX simulators' verdicts per scenario, DSNs back to
 * the sender, and the MX event log.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { promises as dns } from 'node:dns';
import { expect, test } from '@playwright/test';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { labTopology, labPaths, labStatus, readEvents, setScenario } from '../../lab/index.ts';
import type { MxEvent } from '../../lab/index.ts';
import { renderZone, txtStrings } from '../../lab/dns/render.ts';
import { decideMessage, decideAtRcpt } from '../../lab/mx/policies/index.ts';
import { linkHosts, suspiciousHosts } from '../../lab/mx/policies/gmx.ts';
import { receivedHeader, firstHeader } from '../../lab/mx/headers.ts';
import { getScenario } from '../../lab/scenarios.ts';
import { caCovers, ensureLabCa } from '../../lab/tls/index.ts';

const topo = labTopology();
const paths = labPaths(topo.stateDir);

test.describe.configure({ mode: 'serial' });
test.afterEach(async () => {
  await setScenario('healthy');
});

function resolver(): dns.Resolver {
  const r = new dns.Resolver({ timeout: 2000, tries: 1 });
  r.setServers([`${topo.dns.host}:${topo.dns.port}`]);
  return r;
}

function newTag(): string {
  return `lab${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

function transport(user = topo.sender.address, pass = topo.sender.password) {
  // submission offers AUTH only after STARTTLS, with a certificate of the lab CA
  const ca = readFileSync(join(topo.caDir, 'ca.pem'));
  return nodemailer.createTransport({
    host: topo.submission.host,
    port: topo.submission.port,
    secure: false,
    requireTLS: true,
    tls: { ca, servername: topo.mailHost },
    auth: { user, pass },
  });
}

/** Submits a tagged message; the envelope sender carries the tag so DSNs can be matched. */
async function send(to: string, tag: string, extra: { text?: string } = {}) {
  return transport().sendMail({
    from: topo.sender.address,
    to,
    envelope: { from: `monitor-${tag}@${topo.domain}`, to },
    subject: `lab infra ${tag}`,
    text: extra.text ?? `lab infra test ${tag}\n`,
    headers: { 'X-Mailcanary-Tag': tag },
  });
}

async function withMailbox<T>(user: string, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const pass = user === topo.sender.address ? topo.sender.password : topo.providers.find((p) => p.seed.address === user)!.seed.password;
  const c = new ImapFlow({ host: topo.imap.host, port: topo.imap.port, secure: false, auth: { user, pass }, logger: false });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout().catch(() => c.close());
  }
}

/** Raw sources of messages in `folder` whose header or body contains `needle`. */
async function findMessages(user: string, folder: string, search: { header?: [string, string]; body?: string }): Promise<string[]> {
  return withMailbox(user, async (c) => {
    const lock = await c.getMailboxLock(folder);
    try {
      const uids = await c.search(search.header ? { header: { [search.header[0]]: search.header[1] } } : { body: search.body! }, { uid: true });
      if (!uids || uids.length === 0) return [];
      const out: string[] = [];
      for await (const m of c.fetch(uids, { source: true }, { uid: true })) out.push(m.source!.toString('utf8'));
      return out;
    } finally {
      lock.release();
    }
  });
}

async function waitForMessage(user: string, folder: string, search: { header?: [string, string]; body?: string }, timeoutMs = 15_000): Promise<string> {
  let found: string[] = [];
  await expect.poll(async () => (found = await findMessages(user, folder, search)).length, { timeout: timeoutMs, intervals: [200] }).toBeGreaterThan(0);
  return found[0];
}

async function waitForEvents(pred: (e: MxEvent) => boolean, count = 1, timeoutMs = 15_000): Promise<MxEvent[]> {
  await expect.poll(() => readEvents(paths.events).filter(pred).length, { timeout: timeoutMs, intervals: [200] }).toBeGreaterThanOrEqual(count);
  return readEvents(paths.events).filter(pred);
}

test('lab reports every service healthy', async () => {
  const s = await labStatus();
  expect(s.services.filter((x) => !x.ready).map((x) => x.name)).toEqual([]);
  expect(s.healthy).toBe(true);
  expect(s.scenario).toBe('healthy');
});

test('DNS serves SPF, split DKIM key, DMARC, MX and forward-confirmed PTR', async () => {
  const r = resolver();
  const txt = (name: string) => r.resolveTxt(name);
  const mx = async (name: string) => (await r.resolveMx(name)).map(({ exchange, priority }) => ({ exchange, priority }));
  expect((await txt('canary.test')).map((p) => p.join(''))).toContain('v=spf1 ip4:127.0.0.1 ip6:::1 -all');
  const dkim = await txt(`mc2026._domainkey.canary.test`);
  expect(dkim).toHaveLength(1);
  expect(dkim[0].length).toBeGreaterThan(1); // RSA-2048 does not fit one 255-byte string
  for (const part of dkim[0]) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(255);
  expect(dkim[0].join('')).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]{300,}={0,2}$/);
  expect((await txt('_dmarc.canary.test')).map((p) => p.join(''))).toEqual(['v=DMARC1; p=quarantine; rua=mailto:dmarc@canary.test; adkim=r; aspf=r']);
  expect(await mx('canary.test')).toEqual([{ exchange: 'mail.canary.test', priority: 10 }]);
  expect(await r.resolve4('mail.canary.test')).toEqual(['127.0.0.1']);
  expect(await r.resolve6('mail.canary.test')).toEqual(['::1']);
  // resolvePtr, not reverse(): c-ares' reverse() consults /etc/hosts first
  expect(await r.resolvePtr('1.0.0.127.in-addr.arpa')).toEqual(['mail.canary.test']);
  expect(await r.resolvePtr(`1.${'0.'.repeat(31)}ip6.arpa`)).toEqual(['mail.canary.test']);
  for (const p of topo.providers) {
    expect(await mx(p.domain)).toEqual([{ exchange: p.mxHost, priority: 10 }]);
    expect(await r.resolve4(p.mxHost)).toEqual(['127.0.0.1']);
  }
  expect(await r.resolve6('mx.gmail.lab.test')).toEqual(['::1']);
  await expect(r.resolveTxt('nothing-here.canary.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
});

test('submission needs the right password', async () => {
  await expect(transport(topo.sender.address, 'wrong-password').verify()).rejects.toMatchObject({ responseCode: 535 });
  await expect(transport().verify()).resolves.toBe(true);
});

test('healthy: gmail-like files DKIM-signed mail in INBOX with dkim=pass (over IPv6)', async () => {
  const tag = newTag();
  const info = await send('seed@gmail.lab.test', tag);
  expect(info.response).toMatch(/^250 /);
  const src = await waitForMessage('seed@gmail.lab.test', 'INBOX', { header: ['X-Mailcanary-Tag', tag] });
  const head = src.slice(0, src.search(/\r?\n\r?\n/));
  expect(head).toMatch(/^Return-Path: <monitor-/);
  expect(head).toMatch(
    /^Received: from mail\.canary\.test \(\[IPv6:::1\]\)\r?\n\tby mx\.gmail\.lab\.test with ESMTP id [0-9a-f]+\r?\n\tfor <seed@gmail\.lab\.test>; /m,
  );
  expect(head).toContain('X-Mailcanary-Lab: simulated gmail-like MX');
  expect(head).toMatch(/Authentication-Results: mx\.gmail\.lab\.test;\s+dkim=pass header\.i=@canary\.test header\.s=mc2026/);
  expect(head).toMatch(/spf=pass[^;]*smtp\.mailfrom=monitor-/);
  expect(head).toMatch(/dmarc=pass/);
  expect(head).toMatch(/DKIM-Signature: v=1; a=rsa-sha256;[\s\S]*d=canary\.test;[\s\S]*s=mc2026;/);
  const [ev] = await waitForEvents((e) => e.tag === tag);
  expect(ev).toMatchObject({
    provider: 'gmail',
    event: 'filed',
    folder: 'INBOX',
    rcpt: 'seed@gmail.lab.test',
    ip: '::1',
    auth: { spf: 'pass', dkim: 'pass', dmarc: 'pass' },
  });
});

test('dkim-broken: gmail-like files into [Gmail]/Spam with dkim=fail', async () => {
  await setScenario('dkim-broken');
  const tag = newTag();
  await send('seed@gmail.lab.test', tag);
  const src = await waitForMessage('seed@gmail.lab.test', '[Gmail]/Spam', { header: ['X-Mailcanary-Tag', tag] });
  expect(src).toMatch(/Authentication-Results: mx\.gmail\.lab\.test;\s+dkim=fail/);
  expect(await findMessages('seed@gmail.lab.test', 'INBOX', { header: ['X-Mailcanary-Tag', tag] })).toEqual([]);
  const [ev] = await waitForEvents((e) => e.tag === tag);
  expect(ev).toMatchObject({ provider: 'gmail', event: 'filed', folder: '[Gmail]/Spam', auth: { dkim: 'fail', spf: 'pass' } });
});

test('tonline-not-allowlisted: NOWL reject comes back as a DSN to the sender', async () => {
  await setScenario('tonline-not-allowlisted');
  const tag = newTag();
  await send('seed@t-online.lab.test', tag);
  const dsn = await waitForMessage(topo.sender.address, 'INBOX', { body: tag }, 15_000);
  expect(dsn).toMatch(/Content-Type: multipart\/report; report-type=delivery-status/);
  expect(dsn).toContain('NOWL');
  expect(dsn).toMatch(/Status: 5\.7\.1/);
  expect(dsn).toMatch(/DKIM-Signature: [^\n]*\r?\n?[\s\S]*d=canary\.test/); // DSNs are signed like any other mail
  const [ev] = await waitForEvents((e) => e.provider === 't-online' && e.mailFrom === `monitor-${tag}@canary.test`);
  expect(ev).toMatchObject({ event: 'rejected', code: 554, rcpt: 'seed@t-online.lab.test', ip: '127.0.0.1' });
  expect(ev.text).toContain('(NOWL)');
});

test('outlook-tempfail: two 451s, Postfix retries, then INBOX', async () => {
  await setScenario('outlook-tempfail');
  const tag = newTag();
  await send('seed@outlook.lab.test', tag);
  await waitForMessage('seed@outlook.lab.test', 'INBOX', { header: ['X-Mailcanary-Tag', tag] }, 30_000);
  const evs = readEvents(paths.events).filter((e) => e.tag === tag);
  expect(evs.map((e) => e.event)).toEqual(['tempfail', 'tempfail', 'filed']);
  expect(evs[0]).toMatchObject({ code: 451, text: '4.7.500 Server busy. Please try again later.' });
  expect(new Set(evs.map((e) => e.messageId)).size).toBe(1);
});

test('gmx-like sends links to suspicious TLDs to Spamverdacht, others to INBOX', async () => {
  const bad = newTag();
  const good = newTag();
  await send('seed@gmx.lab.test', bad, { text: 'see https://win-now.example.xyz/offer\n' });
  await send('seed@gmx.lab.test', good, { text: 'see https://docs.example.org/guide\n' });
  const spam = await waitForMessage('seed@gmx.lab.test', 'Spamverdacht', { header: ['X-Mailcanary-Tag', bad] });
  expect(spam).toMatch(/X-UI-Filterresults: junk:/);
  const ok = await waitForMessage('seed@gmx.lab.test', 'INBOX', { header: ['X-Mailcanary-Tag', good] });
  expect(ok).toMatch(/X-UI-Filterresults: notjunk:1;/);
});

test('blackhole accepts and files nothing', async () => {
  const tag = newTag();
  await send('seed@blackhole.lab.test', tag);
  const [ev] = await waitForEvents((e) => e.tag === tag);
  expect(ev).toMatchObject({ provider: 'blackhole', event: 'dropped', rcpt: 'seed@blackhole.lab.test' });
  const seed = topo.providers.find((p) => p.id === 'blackhole')!.seed;
  for (const folder of ['INBOX', ...seed.folders]) {
    expect(await findMessages(seed.address, folder, { header: ['X-Mailcanary-Tag', tag] })).toEqual([]);
  }
  // and no DSN: the sender never learns
  expect(await findMessages(topo.sender.address, 'INBOX', { body: tag })).toEqual([]);
});

test('unknown scenario names are refused with the list of known ones', async () => {
  await expect(setScenario('no-such-scenario')).rejects.toThrow(/unknown lab scenario "no-such-scenario": use one of healthy, dkim-broken/);
});

test('gmail-like refuses unauthenticated mail in the SMTP dialogue (550 5.7.26)', async () => {
  // straight to the simulator over IPv6, as a stranger: no DKIM, and the envelope domain has no SPF
  const tag = newTag();
  const gmail = topo.providers.find((p) => p.id === 'gmail')!;
  const direct = nodemailer.createTransport({ host: gmail.listenHost, port: gmail.port, secure: false, ignoreTLS: true, name: 'stranger.example' });
  const err = await direct
    .sendMail({ from: 'someone@gmx.lab.test', to: gmail.seed.address, subject: tag, text: 'x', headers: { 'X-Mailcanary-Tag': tag } })
    .then(
      () => undefined,
      (e: { responseCode?: number; response?: string }) => e,
    );
  expect(err?.responseCode).toBe(550);
  expect(err?.response).toContain('5.7.26 This mail is unauthenticated');
  const [ev] = await waitForEvents((e) => e.tag === tag);
  expect(ev).toMatchObject({ provider: 'gmail', event: 'rejected', code: 550, auth: { spf: 'none', dkim: 'none' } });
  // unknown mailboxes are refused at RCPT
  const unknown = await direct.sendMail({ from: 'someone@gmx.lab.test', to: 'nobody@gmail.lab.test', subject: 'x', text: 'x' }).then(
    () => undefined,
    (e: { responseCode?: number }) => e,
  );
  expect(unknown?.responseCode).toBe(550);
});

test.describe('pure pieces of the lab', () => {
  test('TXT data is split into <=255-byte strings and re-joins to the original', () => {
    const long = 'v=DKIM1; k=rsa; p=' + 'A'.repeat(600);
    const rendered = txtStrings(long);
    const parts = [...rendered.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
    expect(parts.map((p) => p.length)).toEqual([255, 255, 108]);
    expect(parts.join('')).toBe(long);
    expect(txtStrings('say "hi"')).toBe('"say \\"hi\\""');
    expect(() => txtStrings('caf\u00e9')).toThrow(/printable ASCII/);
    const zone = renderZone({ origin: 'x.test', records: [{ name: '@', type: 'MX', priority: 5, value: 'mx.x.test.' }] }, 42);
    expect(zone).toMatch(/^@\tIN SOA ns\.canary\.test\. hostmaster\.canary\.test\. \( 42 /m);
    expect(zone).toMatch(/^@\t5\tIN MX\t5 mx\.x\.test\.$/m);
  });

  test('provider policies decide from the facts', () => {
    const healthy = getScenario('healthy');
    const pass = { spf: 'pass', dkim: 'pass', dmarc: 'pass' };
    const base = { ip: '127.0.0.1', scenario: healthy, previousAttempts: 0 };
    expect(decideMessage({ ...base, provider: 'gmail', auth: pass }).action).toBe('inbox');
    expect(decideMessage({ ...base, provider: 'gmail', auth: { ...pass, dkim: 'fail' } }).action).toBe('spam');
    expect(decideMessage({ ...base, provider: 'gmail', auth: { spf: 'softfail', dkim: 'none', dmarc: 'fail' } })).toMatchObject({
      action: 'reject',
      code: 550,
    });
    expect(decideMessage({ ...base, provider: 'outlook', auth: { ...pass, dmarc: 'fail' } }).headers).toContainEqual(['X-MS-Exchange-Organization-SCL', '5']);
    expect(decideMessage({ ...base, provider: 'blackhole', auth: pass }).action).toBe('drop');
    expect(decideAtRcpt({ provider: 't-online', ip: '::1', scenario: healthy })).toBeNull();
    expect(decideAtRcpt({ provider: 't-online', ip: '::1', scenario: getScenario('tonline-not-allowlisted') })?.text).toContain(
      'IP=::1 - None/bad reputation (NOWL)',
    );
    const tf = getScenario('outlook-tempfail');
    expect([0, 1, 2].map((n) => decideMessage({ ...base, scenario: tf, previousAttempts: n, provider: 'outlook', auth: pass }).action)).toEqual([
      'tempfail',
      'tempfail',
      'inbox',
    ]);
    expect(decideMessage({ ...base, scenario: tf, provider: 'gmail', auth: pass }).action).toBe('inbox');
  });

  test('gmx-like link scan finds hosts in text and HTML, ignoring userinfo, ports and case', () => {
    const hosts = linkHosts('go to HTTPS://User@Promo.Example.XYZ:8443/a and http://ok.example.org.', '<a href="//cdn.example.top/x">x</a>');
    expect(hosts).toEqual(expect.arrayContaining(['promo.example.xyz', 'ok.example.org', 'cdn.example.top']));
    expect(suspiciousHosts(hosts).sort()).toEqual(['cdn.example.top', 'promo.example.xyz']);
    expect(suspiciousHosts(linkHosts('plain text, no links xyz.'))).toEqual([]);
  });

  test('trace headers neutralise hostile input', () => {
    const h = receivedHeader({
      helo: 'evil\r\nX-Injected: 1',
      ip: '::1',
      by: 'mx.gmail.lab.test',
      id: 'abc',
      rcpt: 'a>\r\nB: c@x',
      date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    });
    expect(h).not.toMatch(/X-Injected: 1/);
    expect(h.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(h).toContain('([IPv6:::1])');
    expect(h).toMatch(/; Fri, 02 Jan 2026 03:04:05 \+0000\r\n$/);
    expect(firstHeader('Subject: a\r\n b\r\nX-Mailcanary-Tag: t1\r\n\r\nX-Mailcanary-Tag: body', 'x-mailcanary-tag')).toBe('t1');
    expect(firstHeader('Subject: a\r\n b\r\n\r\n', 'Subject')).toBe('a b');
  });

  test('the lab CA is kept while it covers a certificate issued now, and made again when it does not', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mc-lab-ca-')), 'ca');
    const pem = () => readFileSync(join(dir, 'ca.pem'), 'utf8');
    await ensureLabCa(dir);
    const first = pem();
    const x = new X509Certificate(first);
    const [from, to] = [Date.parse(x.validFrom), Date.parse(x.validTo)];
    const DAY = 86_400_000;
    // every time below derives from the CA's own validity, never from the calendar
    expect(caCovers(first, new Date(from))).toBe(true);
    expect(caCovers(first, new Date(to - 92 * DAY))).toBe(true);
    expect(caCovers(first, new Date(from - DAY))).toBe(false); // made while the clock ran ahead
    expect(caCovers(first, new Date(to - 30 * DAY))).toBe(false); // a 90-day leaf would outlive it
    expect(caCovers('not a certificate', new Date(from))).toBe(false);
    await ensureLabCa(dir, new Date(from + DAY));
    expect(pem()).toBe(first);
    await ensureLabCa(dir, new Date(from - DAY));
    const second = pem();
    expect(second).not.toBe(first);
    await ensureLabCa(dir, new Date(to - 30 * DAY));
    expect(pem()).not.toBe(second);
  });
});
