import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import { labPaths, labTopology, readEvents, setScenario } from '../../lab/index.ts';
import { placeOnce, ROOT, runUserSuite, snapshotFlags, verdictsByTitle } from './support.ts';

test.afterEach(async () => {
  await setScenario('healthy');
});

test('healthy lab: the user suite finds every message where the simulated provider filed it, and changes no flag', async () => {
  const topo = labTopology();
  const seedsBefore = await Promise.all(topo.providers.map((p) => snapshotFlags(p.seed.address, p.seed.password, topo.imap.port)));
  const run = await runUserSuite();
  expect(run.code, run.output).toBe(0);
  const v = verdictsByTitle(run);
  expect(v).toMatchObject({
    'lab-gmail › plain lands in inbox': 'inbox',
    'lab-gmail › html-with-link lands in inbox': 'inbox',
    'lab-tonline › plain lands in inbox': 'inbox',
    'lab-outlook › plain lands in inbox': 'inbox',
    'lab-gmx › plain lands in inbox': 'inbox',
    // found in `Spamverdacht`, which carries no \Junk special-use flag, by the gmx preset's names
    'lab-gmx › html-with-link lands in spam': 'spam',
    'lab-blackhole › plain is missing': 'missing',
  });
  expect(run.tests.filter((t) => t.status !== 'passed').map((t) => t.fullTitle)).toEqual([]);
  expect(run.output).toContain('passed, 0 failed');
  // Every test carries its delivery record and the received headers for reporters.
  const gmail = run.tests.find((t) => t.fullTitle === 'lab-gmail › plain lands in inbox')!;
  const delivery = JSON.parse(gmail.attachments.find((a) => a.name === 'delivery.json')!.body!);
  expect(delivery).toMatchObject({ lab: true, verdict: 'inbox', seedId: 'lab-gmail', sighting: { folder: 'INBOX' } });
  expect(gmail.attachments.find((a) => a.name === 'received-headers.txt')!.body).toContain('X-Mailcanary-Tag');

  // PEEK and EXAMINE only: messages that were there keep their flags, new ones arrive unseen.
  const seedsAfter = await Promise.all(topo.providers.map((p) => snapshotFlags(p.seed.address, p.seed.password, topo.imap.port)));
  seedsAfter.forEach((after, i) => {
    for (const [key, flags] of seedsBefore[i]) expect(after.get(key), key).toBe(flags);
    for (const [key, flags] of after) if (!seedsBefore[i].has(key)) expect(flags, `${key} got a flag`).not.toContain('\\Seen');
  });
});

test('DKIM broken: the gmail-like provider no longer puts the message in the inbox', async () => {
  const healthy = await placeOnce(['lab-gmail']);
  expect(healthy['lab-gmail'].verdict).toBe('inbox');
  await setScenario('dkim-broken');
  const broken = await placeOnce(['lab-gmail']);
  expect(broken['lab-gmail'].verdict).toBe('spam');
  expect(broken['lab-gmail'].sighting?.rawHeaders).toMatch(/dkim=fail/);
});

test('the dropping provider gives missing at its timeout, without hanging', async () => {
  const r = await placeOnce(['lab-blackhole'], 4);
  expect(r['lab-blackhole'].verdict).toBe('missing');
  expect(r['lab-blackhole'].detail).toContain('Junk');
});

test('the t-online-like rejection ends the test as bounced, with reason, status and Telekom advice, in seconds', async () => {
  await setScenario('tonline-not-allowlisted');
  const run = await runUserSuite({ env: { MAILCANARY_VARIANTS: 'plain' } });
  const t = run.tests.find((x) => x.fullTitle === 'lab-tonline › plain lands in inbox')!;
  expect(t, run.output).toBeTruthy();
  expect(t.verdict).toBe('bounced');
  expect(t.status).toBe('failed');
  const d = JSON.parse(t.attachments.find((a) => a.name === 'delivery.json')!.body!);
  expect(['blocked', 'badreputation']).toContain(d.bounce.reason);
  expect(d.bounce).toMatchObject({ state: 'bounced', source: 'dsn', matchedBy: 'envelope', status: '5.7.1', hardBounce: true });
  expect(d.bounce.diagnostic).toContain('NOWL');
  expect(d.bounce.advice[0].provider).toMatch(/telekom|t-online/i);
  expect(t.errors.join('\n')).toContain('NOWL');
  // decided by the DSN, long before the seed's 30 s timeout
  expect(d.bounce.receivedAt - d.sent.submittedAt).toBeLessThan(15_000);
  // the other providers are unaffected
  expect(run.tests.find((x) => x.fullTitle === 'lab-gmail › plain lands in inbox')!.verdict).toBe('inbox');
});

test('a provider that tempfails: the test shows deferred, then the final outcome', async () => {
  await setScenario('outlook-tempfail');
  const run = await runUserSuite({ env: { MAILCANARY_VARIANTS: 'plain', MAILCANARY_HISTORY: 'off' } });
  const t = run.tests.find((x) => x.fullTitle === 'lab-outlook › plain lands in inbox')!;
  expect(t, run.output).toBeTruthy();
  expect(t.verdict).toBe('inbox');
  expect(t.status).toBe('passed');
  // the delay DSN (Action: delayed) was seen while the test kept waiting
  expect(
    t.annotations.some((a) => a.type === 'mailcanary.deferred' && /4\.7\.500|451/.test(a.description ?? '')),
    JSON.stringify(t.annotations),
  ).toBe(true);
  const d = JSON.parse(t.attachments.find((a) => a.name === 'delivery.json')!.body!);
  expect(d.deferrals.length).toBeGreaterThan(0);
  expect(d.deferrals[0]).toMatchObject({ state: 'deferred', source: 'dsn', action: 'delayed' });
  expect(d.detail).toContain('delay report');
  // the provider answered 451 twice before it accepted (Postfix retried from its queue)
  const events = readEvents(labPaths(labTopology().stateDir).events).filter((e) => e.provider === 'outlook' && e.mailFrom?.includes(d.tag));
  expect(events.map((e) => e.event)).toEqual(['tempfail', 'tempfail', 'filed']);
});

test('a provider that keeps tempfailing: the verdict is deferred at the timeout, with the delay report', async () => {
  await setScenario('outlook-tempfail-long');
  const run = await runUserSuite({
    env: { MAILCANARY_VARIANTS: 'plain', MAILCANARY_HISTORY: 'off', MAILCANARY_SEEDS: `${ROOT}/test/fixtures/deferred/seeds.ts` },
  });
  const t = run.tests.find((x) => x.fullTitle === 'lab-outlook › plain lands in inbox')!;
  expect(t, run.output).toBeTruthy();
  expect(t.verdict).toBe('deferred');
  const d = JSON.parse(t.attachments.find((a) => a.name === 'delivery.json')!.body!);
  expect(d.bounce).toMatchObject({ state: 'deferred', action: 'delayed' });
  expect(d.detail).toMatch(/still deferred/);
  expect(d.detail).toMatch(/4\.7\.500|451/);
});

test('two workers share each account connection budget: every seed is still read', async () => {
  // gmx and t-online presets allow 2 connections per account here: one per worker, no spam IDLE
  const run = await runUserSuite({ args: ['--project=send', '--project=placement', '--workers=2'], env: { MAILCANARY_HISTORY: 'off' } });
  expect(run.code, run.output).toBe(0);
  expect(run.tests.filter((t) => t.verdict === 'seed-unreachable').map((t) => t.fullTitle)).toEqual([]);
});

test('a bad seeds file or a missing variable stops the run with a clear error before anything is sent', async () => {
  let connections = 0;
  const server = new SMTPServer({
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onConnect: (_s, cb) => {
      connections++;
      cb();
    },
  });
  const port: number = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const p = (probe.address() as { port: number }).port;
      probe.close(() => server.listen(p, '127.0.0.1', () => resolve(p)));
    });
  });
  try {
    const badSeeds = await runUserSuite({ env: { SMTP_PORT: String(port), MAILCANARY_SEEDS: `${ROOT}/test/fixtures/config/bad-seeds.ts` } });
    expect(badSeeds.code).not.toBe(0);
    expect(badSeeds.output).toContain('provider');
    expect(badSeeds.output).toContain('is not a known provider preset');
    expect(badSeeds.output).toContain('fix:');
    const noHost = await runUserSuite({ env: { SMTP_PORT: String(port), SMTP_HOST: '', MAIL_FROM: '' } });
    expect(noHost.code).not.toBe(0);
    expect(noHost.output).toContain('SMTP_HOST');
    expect(noHost.output).toContain('MAIL_FROM');
    expect(noHost.output).not.toContain('lab-sender-password');
    expect(connections, 'SMTP connections made despite the bad configuration').toBe(0);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
