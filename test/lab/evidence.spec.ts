import nodemailer from 'nodemailer';
import { expect, test } from '@playwright/test';
import { setScenario } from '../../lab/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import { whyLines } from '../../src/report/why.ts';
import { transportOptions } from '../../src/send/submit.ts';
import { TAG_HEADER, messageTag, newRunId } from '../../src/send/tag.ts';
import { SeedWatcher } from '../../src/watch/seed-watcher.ts';
import { labEnv, placeOnce, ROOT } from './support.ts';

test.afterEach(async () => {
  await setScenario('healthy');
});

test('healthy: what the gmail-like provider concluded, and the address family that reached each provider', async () => {
  const r = await placeOnce(['lab-gmail', 'lab-tonline', 'lab-outlook']);
  const gmail = r['lab-gmail'];
  expect(gmail.evidence?.authResults.status).toBe('found');
  expect(gmail.evidence?.auth).toMatchObject({ spf: 'pass', dkim: 'pass', dmarc: 'pass' });
  expect(gmail.evidence?.dkim.find((s) => s.result === 'pass')).toMatchObject({ domain: 'canary.test', selector: 'mc2026' });
  // The lab's Postfix relays to the gmail-like MX over IPv6 (::1), to the others over IPv4.
  expect(gmail.evidence?.received.acceptance).toMatchObject({ family: 'ipv6' });
  expect(gmail.evidence?.received.acceptance?.ip?.address).toBe('::1');
  expect(r['lab-tonline'].evidence?.received.acceptance).toMatchObject({ family: 'ipv4' });
  expect(r['lab-outlook'].evidence?.received.acceptance?.ip?.address).toBe('127.0.0.1');
  expect(gmail.detail).toContain('IPv6');
  // Delays are measured from submission to the mailbox.
  expect(gmail.evidence?.delays.submissionToMailboxMs).toBeGreaterThanOrEqual(0);
  // The outlook-like provider's spam verdict headers are decoded.
  expect(r['lab-outlook'].evidence?.spam.verdicts.length).toBeGreaterThan(0);
});

/**
 * Real mail the gmx-like MX files as spam: its X-UI-Filterresults sits in the MX's own block
 * below its Received (where a receiving MTA's filters write), so the report's why row quotes it.
 */
test("healthy: the gmx-like MX's junk verdict on the .xyz link is the provider's, and the why row quotes it", async () => {
  const r = await placeOnce(['lab-gmx', 'lab-outlook'], undefined, 'html-with-link');
  const gmx = r['lab-gmx'];
  expect(gmx.verdict).toBe('spam');
  const own = gmx.evidence!.spam.verdicts.filter((v) => v.fromProvider);
  expect(own.map((v) => v.header)).toContain('X-UI-Filterresults');
  expect(gmx.evidence!.spam.providerSaysSpam).toBe(true);
  const why = whyLines({ verdict: gmx.verdict, auth: gmx.evidence!.auth, evidence: gmx.evidence } as never, 1);
  expect(why[0]).toMatch(/^X-UI-Filterresults: junk, level 10 \(junk:10;V03:K0:lab-suspicious-tld/);
  expect(why.join('\n')).not.toContain('no verdict header written by the provider');
  // the outlook-like MX's rspamd verdict, in its block too, says not spam for the inbox mail
  const outlook = r['lab-outlook'];
  expect(outlook.verdict).toBe('inbox');
  expect(outlook.evidence!.spam.verdicts.filter((v) => v.fromProvider).length).toBeGreaterThan(0);
  expect(outlook.evidence!.spam.providerSaysSpam).toBe(false);
});

test('DKIM broken: the provider reports dkim=fail and the assertion names the method', async () => {
  await setScenario('dkim-broken');
  const r = await placeOnce(['lab-gmail']);
  expect(r['lab-gmail'].evidence?.auth.dkim).toBe('fail');
  expect(r['lab-gmail'].evidence?.auth.spf).toBe('pass');
});

test('a forged Authentication-Results written by the sender is ignored', async () => {
  await setScenario('dkim-broken');
  const config = await loadConfig(ROOT, labEnv);
  const seed = config.seeds.find((s) => s.id === 'lab-gmail')!;
  const runId = newRunId();
  const tag = messageTag(runId, 0);
  const transport = nodemailer.createTransport(transportOptions(config.sender.smtp));
  const submittedAt = Date.now();
  try {
    await transport.sendMail({
      from: config.sender.from,
      to: seed.address,
      envelope: { from: config.sender.envelopeFrom, to: [seed.address] },
      subject: `forged results ${tag}`,
      text: 'A message that claims its own DKIM pass.',
      headers: { [TAG_HEADER]: tag, 'Authentication-Results': 'mx.gmail.lab.test; dkim=pass header.d=canary.test; spf=pass; dmarc=pass' },
    });
  } finally {
    transport.close();
  }
  const watcher = new SeedWatcher(seed, { password: labEnv[seed.imap.passwordEnv]!, pollIntervalMs: 200 });
  try {
    const watch = await watcher.waitFor(tag, submittedAt + 20_000, submittedAt);
    const sent = {
      runId,
      tag,
      seedId: seed.id,
      variant: 'plain',
      to: seed.address,
      from: config.sender.from,
      envelopeFrom: config.sender.envelopeFrom,
      messageId: '',
      subject: '',
      submittedAt,
    };
    const d = deliveryFrom({ seed, sent, expected: 'inbox', lab: true, watch });
    expect(d.sighting?.rawHeaders).toMatch(/Authentication-Results: mx\.gmail\.lab\.test; dkim=pass header\.d=canary\.test;/);
    expect(d.evidence?.auth.dkim).toBe('fail');
    const ar = d.evidence!.authResults;
    expect(ar.ignored.some((i) => /sender could have written/.test(i.why))).toBe(true);
  } finally {
    await watcher.close();
  }
});
