import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ImapFlow } from 'imapflow';
import { labReports, labTopology, SCENARIOS, sendSpoof, setScenario, type SentReport } from '../../lab/index.ts';
import { reportsConfigured, runReportsCheck, type ReportsCheck } from '../../src/receiver-reports/check.ts';
import { labEnv, placeOnce } from './support.ts';

const DAY = 86_400_000;

/**
 * The gmail-like and outlook-like MXs report back in real formats over real SMTP: after a
 * healthy run their aggregate report lists only the lab's own sending address, all passing;
 * after the `spoofer` scenario the gmail-like report lists 127.0.0.66 and the reports check
 * fails on it as an unknown, failing source. Their TLS reports name the MTA-STS policy the lab
 * serves for canary.test (sts, mode enforce, mx mail.canary.test); with the MX's certificate
 * expired that enforced policy keeps the gmail-like aggregate report queued, while its TLS report
 * goes out in clear with the failure, and the queued report arrives once the certificate is good
 * again. The report periods come from the clock the test injects (a day or more apart, so each
 * evaluation window holds one round of reports).
 */
test('lab MX reports: our own IP passes, the spoofer is an unknown failing source, the enforced MTA-STS policy holds mail back', async () => {
  test.setTimeout(120_000);
  const env = {
    ...labEnv,
    MAILCANARY_HISTORY: path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-rr-lab-')), 'h.sqlite'),
    MAILCANARY_REPORTS_DAYS: '1',
    MAILCANARY_REPORTS_SILENT_DAYS: '5',
  };
  const conf = reportsConfigured(env);
  if ('skip' in conf) throw new Error(`lab.env must configure the report mailbox: ${conf.skip}`);
  const box = conf.mailbox;
  const imap = new ImapFlow({
    host: box.account.imap.host,
    port: box.account.imap.port,
    secure: false,
    auth: { user: box.account.imap.user, pass: box.password },
    logger: false,
    disableAutoIdle: true,
  });
  await imap.connect();
  const sent: SentReport[] = [];
  /** Mails the MXs' reports with periods ending at `now` and waits until Dovecot holds them. */
  const reportRound = async (now: number) => {
    const round = await labReports(now);
    sent.push(...round);
    const ids = round
      .filter((r) => r.delivery === 'tls' || r.delivery === 'clear')
      .map((r) => `<${r.reportId}@${r.provider === 'gmail' ? 'gmail.lab.test' : 'outlook.lab.test'}>`);
    for (const deadline = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 250))) {
      await imap.mailboxOpen(box.mailbox, { readOnly: true });
      const found: string[] = [];
      for (const id of ids) if (((await imap.search({ header: { 'message-id': id } }, { uid: true })) || []).length) found.push(id);
      if (found.length === ids.length) return round;
      if (Date.now() > deadline) throw new Error(`reports not delivered to ${box.mailbox} within 20 s: ${ids.filter((i) => !found.includes(i)).join(', ')}`);
    }
  };
  const check = (now: number): Promise<ReportsCheck> => runReportsCheck(env, box, { now });
  // whole seconds: report periods are in seconds (RFC 7489 appendix C), the windows compared in ms
  const t0 = Math.floor(Date.now() / 1000) * 1000;
  try {
    // what earlier lab tests sent goes into reports of the period before this test's
    const flushed = await reportRound(t0);
    await check(t0);

    const placed = await placeOnce(['lab-gmail', 'lab-outlook']);
    expect(placed['lab-gmail'].verdict).toBe('inbox');
    const healthyRound = await reportRound(t0 + 2 * DAY);
    expect(healthyRound.map((r) => `${r.provider} ${r.kind} ${r.delivery}`).sort()).toEqual([
      'gmail aggregate tls',
      'gmail tlsrpt tls',
      'outlook aggregate tls',
      'outlook tlsrpt tls',
    ]);
    // RFC 7489 §7.2.1.1: receiver!policy-domain!begin!end.xml.gz, the period from the injected clock
    // a period starts where the provider's previous report ended, else a day before its end
    const end = Math.floor((t0 + 2 * DAY) / 1000);
    const begin = flushed.some((r) => r.provider === 'gmail') ? Math.floor(t0 / 1000) : end - 86_400;
    expect(healthyRound.find((r) => r.provider === 'gmail' && r.kind === 'aggregate')!.file).toBe(`gmail.lab.test!canary.test!${begin}!${end}.xml.gz`);

    const healthy = await check(t0 + 2 * DAY);
    const d = healthy.details;
    expect(d.collected.stored).toBeGreaterThanOrEqual(4);
    expect(d.perReporter.map((r) => r.reporter).sort()).toEqual(['gmail.lab.test', 'outlook.lab.test']);
    // the gmail-like MX takes the main Postfix's mail over IPv6, the outlook-like over IPv4: both ours
    for (const ip of ['::1', '127.0.0.1'])
      expect(
        d.sources.find((s) => s.ip === ip),
        ip,
      ).toMatchObject({ class: 'own', dmarcFail: 0 });
    expect(d.sources.filter((s) => s.class === 'unknown')).toEqual([]);
    expect(d.findings).toEqual([]);
    expect(healthy.status).toBe('pass');
    // the providers' own deliveries to canary.test's MX (their report mails) went over verified STARTTLS
    for (const reporter of ['gmail.lab.test', 'outlook.lab.test'])
      expect(
        d.tls.find((x) => x.reporter === reporter && x.policyDomain === 'canary.test'),
        reporter,
      ).toMatchObject({ failed: 0, successful: expect.any(Number) });
    expect(d.tls.every((x) => x.successful > 0 && x.failed === 0)).toBe(true);
    // RFC 8460 §4.4: the policy each provider applied is the one lab/services/web.ts serves
    for (const x of d.tls) expect(x).toMatchObject({ policyType: 'sts', mode: 'enforce', mxHosts: ['mail.canary.test'] });

    await setScenario('spoofer');
    await reportRound(t0 + 3 * DAY);
    const spoofed = await check(t0 + 3 * DAY);
    expect(spoofed.status).toBe('fail');
    expect(spoofed.details.sources.find((s) => s.ip === '127.0.0.66')).toMatchObject({
      class: 'unknown',
      finding: 'spoofing',
      dmarcPass: 0,
      reporters: ['gmail.lab.test'],
    });
    expect(spoofed.details.findings.map((f) => f.kind)).toContain('new-unknown-source');
    const finding = spoofed.details.findings.find((f) => f.kind === 'new-unknown-source');
    expect(finding?.line).toMatch(/^new unknown source 127\.0\.0\.66 sent 2 message\(s\) as your domain, none passing DMARC: spoofing/);
    expect(spoofed.details.sources.find((s) => s.ip === '::1')).toMatchObject({ class: 'own' });

    // RFC 8461 §5.1: the MX's certificate expired, the enforced policy forbids sending the aggregate in clear
    await setScenario('cert-expired');
    const spoof = await sendSpoof(labTopology(), SCENARIOS.spoofer.spoof!, t0 + 4 * DAY);
    // the MX judges each message (DMARC p=reject outside the spoofer scenario): taken or refused, it is in the next report
    expect(spoof.accepted + spoof.refused.length, JSON.stringify(spoof)).toBe(SCENARIOS.spoofer.spoof!.count);
    const expired = await reportRound(t0 + 4 * DAY);
    expect(expired.map((r) => `${r.provider} ${r.kind} ${r.delivery}`)).toEqual(['gmail aggregate queued', 'gmail tlsrpt clear']);
    // the window also holds the previous round's report, which had no failure
    const failing = (await check(t0 + 4 * DAY)).details.tls.filter((x) => x.reporter === 'gmail.lab.test' && x.failed > 0);
    expect(failing).toEqual([expect.objectContaining({ policyType: 'sts', mode: 'enforce', failed: 1, failures: { 'certificate-expired': 1 } })]);
    // the TLS report's own session in clear is left out of the next report (RFC 8460 §3): the queued aggregate goes first
    await setScenario('healthy');
    const retried = await reportRound(t0 + 5 * DAY);
    expect(retried.find((r) => r.kind === 'aggregate')).toMatchObject({ reportId: expired[0].reportId, delivery: 'tls' });
    expect(retried.find((r) => r.kind === 'tlsrpt')).toMatchObject({ provider: 'gmail', delivery: 'tls', messages: 1 });
  } finally {
    await setScenario('healthy');
    // the report e-mails this test caused, by their exact Message-IDs: later lab runs must not read them
    await imap.mailboxOpen(box.mailbox);
    for (const r of sent) {
      const uids =
        (await imap.search({ header: { 'message-id': `<${r.reportId}@${r.provider === 'gmail' ? 'gmail.lab.test' : 'outlook.lab.test'}>` } }, { uid: true })) ||
        [];
      if (uids.length) await imap.messageDelete(uids, { uid: true });
    }
    await imap.logout();
  }
});
