/**
 * Classification by principle rather than by sample: every message here is written for the test
 * from RFC 3464/3463/5321 and the providers' documented reply texts.
 */
import { test, expect } from '@playwright/test';
import { parseBounce, classifyReason } from '../../src/classify/index.ts';
import { findStatuses, preferStatus } from '../../src/classify/status.ts';

interface Rcpt {
  to: string;
  status: string;
  diag: string;
  action?: string;
  remote?: string;
}

/** An RFC 3464 DSN (multipart/report) with one per-recipient block per entry. */
function dsn(rcpts: Rcpt[], opts: { subject?: string; text?: string; reporting?: string } = {}): string {
  const blocks = rcpts
    .map((r) =>
      [
        `Final-Recipient: rfc822; ${r.to}`,
        `Action: ${r.action ?? 'failed'}`,
        `Status: ${r.status}`,
        ...(r.remote ? [`Remote-MTA: dns; ${r.remote}`] : []),
        `Diagnostic-Code: ${r.diag}`,
      ].join('\n'),
    )
    .join('\n\n');
  return [
    'From: MAILER-DAEMON@mta.example.org',
    'To: sender@example.org',
    `Subject: ${opts.subject ?? 'Undelivered Mail Returned to Sender'}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    opts.text ??
      "This is the mail system at host mta.example.org.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.",
    '',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${opts.reporting ?? 'mta.example.org'}`,
    '',
    blocks,
    '',
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    'From: sender@example.org',
    'To: someone@example.net',
    'Subject: hello',
    '',
    '--b1--',
    '',
  ].join('\n');
}

test('user unknown without stage: the code decides; the words decide by the stage they were given at', () => {
  // no stage, but 5.1.1 (RFC 3463 "Bad destination mailbox address")
  const a = parseBounce(dsn([{ to: 'gone@example.net', status: '5.1.1', diag: 'smtp; 550 Unknown user gone@example.net' }]));
  expect(a.recipients[0]).toMatchObject({ reason: 'userunknown', status: '5.1.1', replyCode: 550 });
  // the same words answered at RCPT (Postfix wording) or after RCPT TO (Exim wording): the mailbox does not exist
  const b = parseBounce(dsn([{ to: 'gone@example.net', status: '5.0.0', diag: 'smtp; 550 Unknown user (in reply to RCPT TO command)' }]));
  expect(b.recipients[0].reason).toBe('userunknown');
  expect(classifyReason('SMTP error from remote mail server after RCPT TO:<gone@example.net>: 550 no such user here').reason).toBe('userunknown');
  // answered to the end of DATA: a content filter speaking through a "user unknown" reply
  const c = parseBounce(dsn([{ to: 'gone@example.net', status: '5.0.0', diag: 'smtp; 550 Unknown user (in reply to end of DATA command)' }]));
  expect(c.recipients[0].reason).toBe('filtered');
});

test('onhold fallbacks: Domino, Tencent QQ and Orange wording have reasons of their own', () => {
  const domino = [
    'From: Postmaster@notes.example.com',
    'To: sender@example.org',
    'Subject: DELIVERY FAILURE: User gone (gone@notes.example.com) not listed in Domino Directory',
    'Content-Type: text/plain',
    '',
    'Your message',
    '',
    '  Subject: hello',
    '',
    'was not delivered to:',
    '',
    '  gone@notes.example.com',
    '',
    'because:',
    '',
    '  User gone (gone@notes.example.com) not listed in Domino Directory',
    '',
  ].join('\n');
  const d = parseBounce(domino);
  expect(d.recipients[0]).toMatchObject({ finalRecipient: 'gone@notes.example.com', reason: 'userunknown' });
  const qq = parseBounce(
    dsn([
      {
        to: 'u@qq.com',
        status: '5.0.0',
        remote: 'mx3.qq.com',
        diag: 'smtp; 550 Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728',
      },
    ]),
  );
  expect(qq.recipients[0].reason).toBe('userunknown');
  const qqRate = parseBounce(dsn([{ to: 'u@qq.com', status: '4.0.0', action: 'delayed', remote: 'mx3.qq.com', diag: 'smtp; 451 Ip frequency limited' }]));
  expect(qqRate.recipients[0]).toMatchObject({ reason: 'speeding', hardBounce: false });
  const orange = parseBounce(
    dsn([
      {
        to: 'u@orange.fr',
        status: '5.1.0',
        remote: 'smtp-in.orange.fr',
        diag: 'smtp; 501 5.1.0 Emetteur invalide. Invalid Sender. OFR004_405 [405] (in reply to MAIL FROM command)',
      },
    ]),
  );
  expect(orange.recipients[0].reason).toBe('rejected');
});

test('policy vs spam vs blocked vs rejected: what was refused, not the words "rejected" or "policy"', () => {
  expect(
    classifyReason('550 5.7.1 Delivery not authorized: local policy violation, executable attachments refused (in reply to end of DATA command)').reason,
  ).toBe('policyviolation');
  expect(classifyReason('550 5.7.1 Message content rejected as spam (in reply to end of DATA command)').reason).toBe('spamdetected');
  expect(classifyReason('554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using bl.example.net (in reply to RCPT TO command)').reason).toBe(
    'blocked',
  );
  expect(classifyReason('553 5.1.8 <bad@sender.example>: Sender address rejected: Domain not found (in reply to MAIL FROM command)').reason).toBe('rejected');
});

test('wrapper: the cause quoted inside "expired" / "delayed" wins; a transport failure inside keeps the wrapper', () => {
  const full = parseBounce(
    dsn(
      [
        {
          to: 'full@example.net',
          status: '4.4.7',
          action: 'failed',
          diag: 'X-Postfix; delivery temporarily suspended: host mx.example.net[198.51.100.2] said: 452 4.2.2 Mailbox full, try again later',
        },
      ],
      { subject: 'Undelivered Mail Returned to Sender' },
    ),
  );
  expect(full.recipients[0]).toMatchObject({ reason: 'mailboxfull', status: '4.2.2' });
  const spam = classifyReason('Message expired after 5 days in queue. Last error: 550 5.7.1 <x@example.net>: message looks like spam');
  expect(spam.reason).toBe('spamdetected');
  const timeout = parseBounce(
    dsn([
      { to: 'slow@example.net', status: '4.4.7', diag: 'smtp; 554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>' },
    ]),
  );
  expect(timeout.recipients[0]).toMatchObject({ reason: 'expired', status: '4.4.2' });
});

test('code vs text: a registered specific code outranks vague words; a generic code defers to the text', () => {
  // RFC 7372 5.7.26 (multiple authentication checks failed) beside the vague "blocked"
  expect(classifyReason('550 5.7.26 This message has been blocked; see our sender guidelines').reason).toBe('authfailure');
  // RFC 3463 5.2.2 mailbox full, whatever the rest of the sentence suggests
  expect(classifyReason('552 5.2.2 Requested action not taken: account storage limit reached').reason).toBe('mailboxfull');
  // x.7.1 says only "not authorized": the text names the cause
  expect(classifyReason('550 5.7.1 Mail from 198.51.100.7 refused, listed at dnsbl.example.net').reason).toBe('blocked');
  expect(classifyReason('550 5.0.0 mailbox for gone@example.net does not exist (in reply to RCPT TO command)').reason).toBe('userunknown');
});

test('multi-recipient report: every recipient is classified on its own', () => {
  const r = parseBounce(
    dsn([
      { to: 'a@example.net', status: '5.1.1', diag: 'smtp; 550 5.1.1 <a@example.net>: Recipient address rejected: User unknown in virtual mailbox table' },
      { to: 'b@example.net', status: '5.2.2', diag: 'smtp; 552 5.2.2 <b@example.net>: mailbox full' },
      { to: 'c@example.com', status: '4.4.1', action: 'delayed', diag: 'smtp; 451 4.4.1 Connection timed out' },
      { to: 'd@example.com', status: '5.7.1', diag: 'smtp; 554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.example.net' },
    ]),
  );
  expect(r.recipients.map((x) => [x.finalRecipient, x.status, x.reason, x.hardBounce])).toEqual([
    ['a@example.net', '5.1.1', 'userunknown', true],
    ['b@example.net', '5.2.2', 'mailboxfull', true],
    ['c@example.com', '4.4.1', 'expired', false],
    ['d@example.com', '5.7.1', 'blocked', true],
  ]);
});

test('Hotmail/Outlook.com complaint (JMRP, not RFC 5965) is feedback about the original recipient', () => {
  const jmrp = [
    'From: staff@hotmail.com',
    'To: fbl@example.org',
    'Subject: complaint about message from 198.51.100.7',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="jm"',
    '',
    '--jm',
    'Content-Type: text/plain',
    '',
    'This is an email abuse report for an email message received from IP 198.51.100.7',
    '',
    '--jm',
    'Content-Type: message/rfc822',
    'Content-Disposition: inline',
    '',
    'X-HmXmrOriginalRecipient: <reader@hotmail.com>',
    'From: news@example.org',
    'To: reader@hotmail.com',
    'Subject: our news',
    '',
    'body',
    '',
    '--jm--',
    '',
  ].join('\n');
  const r = parseBounce(jmrp);
  expect(r).toMatchObject({ kind: 'feedback', feedbackType: 'abuse' });
  expect(r.recipients).toEqual([{ finalRecipient: 'reader@hotmail.com', reason: 'feedback', hardBounce: null }]);
});

test("status picking: the recipient's own remote reply, not the first code in the message or the reporting MTA's summary", () => {
  // Status: says 5.1.1 (the reporting MTA's mapping) while the remote's SMTP reply is 5.7.1 (RFC 3464 §2.3.4 vs §2.3.6)
  expect(preferStatus('5.1.1', 'SMTP; 550 5.7.1 IP address blacklisted by recipient')).toBe('5.7.1');
  // a generic field (5.0.0) gives way to the recipient's own text
  expect(preferStatus('5.0.0', 'X-Unix; 255', '554 5.3.0 unknown mailer error 255')).toBe('5.3.0');
  // field and remote agree on a generic code: keep it, whatever a local summary line says
  expect(preferStatus('5.5.0', 'SMTP; 550 5.5.0 Invalid recipient', '550 5.5.0 Invalid recipient\n550 5.1.1 <x@example.net>... User unknown')).toBe('5.5.0');
  // first code in a multi-recipient message is not every recipient's code
  const r = parseBounce(
    dsn(
      [
        { to: 'a@example.net', status: '4.0.0', action: 'delayed', diag: 'smtp; 450 4.2.1 The user you are trying to contact is receiving mail too quickly' },
        { to: 'b@example.net', status: '5.0.0', diag: 'smtp; 550 5.1.1 The email account that you tried to reach does not exist' },
      ],
      { reporting: 'mx.google.com' },
    ),
  );
  expect(r.recipients.map((x) => x.status)).toEqual(['4.2.1', '5.1.1']);
  expect(r.recipients.map((x) => x.reason)).toEqual(['speeding', 'userunknown']);
});

test('three-digit details (RFC 3463 §2: 1-3 digits) are kept: Microsoft 5.7.509, 4.7.650', () => {
  expect(findStatuses('550 5.7.509 Access denied, sending domain example.org does not pass DMARC verification')).toEqual(['5.7.509']);
  expect(findStatuses('code 4.4.316 and 5.2.121')).toEqual(['4.4.316', '5.2.121']);
  expect(findStatuses('on 5.12.2026 at 192.0.2.5, version 5.0.100')).toEqual([]);
  const r = parseBounce(
    dsn([
      {
        to: 'u@contoso.example',
        status: '5.7.509',
        remote: 'contoso-example.mail.protection.outlook.com',
        diag: 'smtp; 550 5.7.509 Access denied, sending domain EXAMPLE.ORG does not pass DMARC verification and has a DMARC policy of reject.',
      },
    ]),
  );
  expect(r.recipients[0]).toMatchObject({ status: '5.7.509', reason: 'authfailure', replyCode: 550 });
  const s775 = classifyReason(
    '451 4.7.650 The mail server [198.51.100.7] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)',
  );
  expect(s775.reason).toBe('badreputation');
});

test("a provider's own codes apply to that provider's recipient only, not to every recipient of the report", () => {
  const r = parseBounce(
    dsn(
      [
        {
          to: 'a@contoso.example',
          status: '5.7.606',
          remote: 'contoso-example.mail.protection.outlook.com',
          diag: 'smtp; 550 5.7.606 Access denied, banned sending IP [198.51.100.7]',
        },
        { to: 'b@example.net', status: '5.7.606', remote: 'mx.example.net', diag: 'smtp; 550 5.7.606 mailbox is full' },
      ],
      { text: 'Your message to a@contoso.example (outlook.com) and b@example.net could not be delivered.' },
    ),
  );
  expect(r.recipients.map((x) => x.reason)).toEqual(['blocked', 'mailboxfull']);
});
