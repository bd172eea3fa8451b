import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ImapFlow } from 'imapflow';
import { HistoryStore } from '../../src/record/store.ts';
import { collectFromImap, reportMailboxFromEnv } from '../../src/receiver-reports/collect-imap.ts';
import { ReportStore } from '../../src/receiver-reports/store.ts';
import { aggregateXml, failureMail, gzip, reportMail, tlsReport, zipOf } from '../fixtures/receiver-reports/build.ts';
import { labEnv } from './support.ts';

/**
 * The report mailbox on the lab's Dovecot (the monitor account, a folder of its own): report
 * e-mails are collected over real IMAP, stored once, and the mailbox is left exactly as it was:
 * no flag set (EXAMINE + BODY.PEEK), nothing moved, a second collection downloads nothing.
 */
test('report e-mails are collected from the report mailbox once, and the mailbox stays untouched', async () => {
  const folder = `Reports-${process.pid}-${Date.now()}`;
  const env = {
    REPORTS_IMAP_HOST: labEnv.BOUNCE_IMAP_HOST,
    REPORTS_IMAP_PORT: labEnv.BOUNCE_IMAP_PORT,
    REPORTS_IMAP_USER: labEnv.BOUNCE_IMAP_USER,
    REPORTS_IMAP_PASS: labEnv.BOUNCE_IMAP_PASS,
    REPORTS_IMAP_TLS: 'none',
    REPORTS_IMAP_ALLOW_PLAINTEXT_AUTH: 'true',
    REPORTS_IMAP_MAILBOX: folder,
  };
  const { mailbox, problems } = reportMailboxFromEnv(env);
  expect(problems).toEqual([]);
  const admin = new ImapFlow({
    host: env.REPORTS_IMAP_HOST!,
    port: Number(env.REPORTS_IMAP_PORT),
    secure: false,
    auth: { user: env.REPORTS_IMAP_USER!, pass: env.REPORTS_IMAP_PASS! },
    logger: false,
    disableAutoIdle: true,
  });
  await admin.connect();
  const now = Date.now();
  const day = Math.floor(now / 86_400_000) * 86_400;
  await admin.mailboxCreate(folder);
  try {
    const agg = aggregateXml({
      reportId: `lab-${now}`,
      begin: day - 86_400,
      end: day - 1,
      records: [
        { ip: '::1', count: 4 },
        { ip: '203.0.113.66', count: 2, dkim: 'fail', spf: 'fail', disposition: 'reject' },
      ],
    });
    const tls = {
      ...tlsReport(),
      'report-id': `tls-${now}`,
      'date-range': { 'start-datetime': new Date((day - 86_400) * 1000).toISOString(), 'end-datetime': new Date((day - 1) * 1000).toISOString() },
    };
    const ruf = `Feedback-Type: auth-failure\r\nUser-Agent: lab/1\r\nVersion: 1\r\nArrival-Date: ${new Date(now).toUTCString()}\r\nSource-IP: 203.0.113.66\r\nReported-Domain: canary.test\r\nAuth-Failure: dmarc`;
    const mails = [
      reportMail(zipOf('report.xml', Buffer.from(agg)), 'application/zip', 'gmail.lab.test!canary.test.zip', `<agg-${now}@gmail.lab.test>`),
      reportMail(gzip(JSON.stringify(tls)), 'application/tlsrpt+gzip', 'outlook.lab.test!canary.test.json.gz', `<tls-${now}@outlook.lab.test>`),
      failureMail(ruf).replace('<ruf-42@gmail-like.lab.test>', `<ruf-${now}@gmail.lab.test>`),
      `From: someone@example.org\r\nTo: rua@canary.test\r\nMessage-ID: <chat-${now}@example.org>\r\nSubject: question about your reports\r\n\r\nHello!\r\n`,
    ];
    for (const m of mails) await admin.append(folder, m);
    const flags = async () => {
      await admin.mailboxOpen(folder, { readOnly: true });
      const out: string[] = [];
      for await (const m of admin.fetch('1:*', { uid: true, flags: true })) out.push(`${m.uid}:${[...(m.flags ?? [])].sort().join(' ')}`);
      return out;
    };
    const before = await flags();
    expect(before).toHaveLength(4);

    const store = new ReportStore(HistoryStore.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-rr-lab-')), 'h.sqlite')));
    const first = await collectFromImap(store, mailbox!, { retentionDays: 400 });
    expect(first.messages).toBe(4);
    expect(first.outcomes.map((o) => [o.status, o.kind])).toEqual([
      ['stored', 'aggregate'],
      ['stored', 'tlsrpt'],
      ['stored', 'failure'],
      ['error', 'no-report-in-message'],
    ]);
    expect(first.outcomes[0].detail).toContain(`lab-${now}`);
    expect(store.counts()).toMatchObject({ aggregate: 1, records: 2, tls: 1, failure: 1, messages: 4 });

    const second = await collectFromImap(store, mailbox!, { retentionDays: 400 });
    expect(second).toEqual({ outcomes: [], messages: 4, alreadyRead: 4 });
    expect(await flags()).toEqual(before);
    store.history.close();
  } finally {
    await admin.mailboxDelete(folder).catch(() => {});
    await admin.logout();
  }
});
