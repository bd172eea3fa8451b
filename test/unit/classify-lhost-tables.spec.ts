import { test, expect } from '@playwright/test';
import { parseBounce } from '../../src/classify/index.ts';
import { tableReason } from '../../src/classify/lhost.ts';
import { mail, rcpts } from './lhost-mail.ts';

test("MTA tables: an MTA's own sentence outranks the generic phrases, only for that MTA unless it names the MTA", () => {
  // Exim's getpwnam() failure is an unknown user there; elsewhere the same words are a filter's
  expect(tableReason('Exim', 'user not found')).toBe('userunknown');
  expect(tableReason('Postfix', 'user not found')).toBeUndefined();
  expect(tableReason('qmail', 'Requested action not taken: mailbox unavailable (not enough free space)')).toBe('systemfull');
  expect(tableReason('Courier', 'No such domain.')).toBe('hostunknown');
  // Exchange and Domino codes identify their MTA wherever they are quoted
  expect(tableReason(undefined, '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found')).toBe('userunknown');
  expect(tableReason('Postfix', '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized')).toBe('rejected');
  expect(tableReason(undefined, "Utilisateur x non répertorié dans l'annuaire Domino")).toBe('userunknown');
  expect(tableReason(undefined, 'no such table entry')).toBeUndefined();
});

test('Apache James: the error above "Message details:", the recipient from its "RCPT TO:" line; unindented boundary parameter still read', () => {
  const raw = [
    'From: postmaster@james.example.org',
    'Subject: [BOUNCE]',
    'Message-ID: <1.2.3.JavaMail.james@james.example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: multipart/alternative;',
    'boundary="inner"',
    '',
    '--inner',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Error: Invalid user address',
    '',
    'Error message below:',
    '550 - Requested action not taken: mailbox full',
    '',
    'Message details:',
    '  Subject: hello',
    '  MAIL FROM: sender@origin.example.org',
    '  RCPT TO: u@james.example.org',
    '  From: sender@origin.example.org',
    '',
    '--inner--',
    '',
    '--outer--',
    '',
  ].join('\n');
  const r = parseBounce(raw);
  expect(r.mtaModule).toBe('ApacheJames');
  expect(r.recipients.map((x) => [x.finalRecipient, x.reason, x.replyCode])).toEqual([['u@james.example.org', 'mailboxfull', 550]]);
});

test('Gmail "(state N)": the stage names the reason only when the status code is generic', () => {
  expect(tableReason('Gmail', '550 550 <a@b.example> No such user here (state 17).')).toBe('filtered');
  expect(tableReason('Gmail', '500 Remote server does not support TLS (state 6).')).toBe('failedstarttls');
  // a specific status code keeps its own meaning (RFC 3463 §3.3: 5.2.2 mailbox full)
  expect(tableReason('Gmail', '550 550 5.2.2 <a@b.example>... Mailbox Full (state 14).')).toBeUndefined();
  expect(tableReason('Gmail', 'DNS Error: Domain name not found')).toBe('hostunknown');
});

test('DragonFly, MailFoundry, Active!hunter: each recipient line and the reply that follows it', () => {
  const df = mail(
    [
      'From: MAILER-DAEMON <>',
      'Subject: Mail delivery failed',
      'Received: from MAILER-DAEMON id e070f by df.example.jp (DragonFly Mail Agent v0.13); Sun, 16 Jun 2024 18:15:07 +0900',
    ],
    [
      'This is the DragonFly Mail Agent v0.13 at df.example.jp.',
      '',
      'There was an error delivering your mail to <v@df.example.com>.',
      '',
      'email.example.jp [192.0.2.25] did not like our RCPT TO:',
      '552 5.2.2 <v@df.example.com>: Recipient address rejected: Mailbox full',
      '',
      'Original message follows.',
    ],
  );
  expect(rcpts(df)).toEqual([['v@df.example.com', 'mailboxfull']]);
  const gone = df.replace(/did not like our RCPT TO:\n552 5\.2\.2 [^\n]*/, 'DNS lookup failure: host nowhere.example.com not found');
  expect(rcpts(gone)).toEqual([['v@df.example.com', 'hostunknown']]);
  const mf = mail(
    [
      'From: MAILER-DAEMON@mf.example.ne.jp',
      'Subject: Message delivery has failed',
      'Received: From localhost (127.0.0.1) by smtp9.mf.example.ne.jp (MAILFOUNDRY) id abc',
    ],
    [
      'Unable to deliver message to: <w@mf.example.org>',
      'Delivery failed for the following reason:',
      'Server mx22.example.org[192.0.2.222] failed with: 550 <w@mf.example.org> No such user here',
      '',
      'This has been a permanent failure.  No further delivery attempts will be made.',
    ],
  );
  expect(parseBounce(mf).recipients[0]).toMatchObject({ finalRecipient: 'w@mf.example.org', replyCode: 550 });
  const ah = mail(
    ['From: MAILER-DAEMON@ah.example.org', 'Subject: Returned mail: see transcript for details', 'X-AHMAILID: 0000'],
    [
      '  ----- The following addresses had permanent fatal errors -----',
      '',
      '>>> x@ah.example.org <x@ah.example.org>',
      '',
      '  ----- Transcript of session follows -----',
      '552 sorry, mailbox quota exceeded (#5.2.2)',
    ],
  );
  expect(rcpts(ah)).toEqual([['x@ah.example.org', 'mailboxfull']]);
});

test('1&1, GMX and Zoho notices: recipient lines and each MTA table', () => {
  const einsundeins = mail(
    ['From: "Mail Delivery System" <mailer-daemon@1und1.example.de>', 'Subject: Mail delivery failed: returning message to sender'],
    [
      'This message was created automatically by mail delivery software.',
      '',
      'A message that you sent could not be delivered to one or more of',
      'its recipients. This is a permanent error. The following address failed:',
      '',
      'y@1und1.example.eu',
      '',
      'For the following reason:',
      '',
      'Mail size limit exceeded. For explanation visit',
      'http://postmaster.example.com/en/error-messages',
      '--- The header of the original message is following. ---',
    ],
  );
  expect(rcpts(einsundeins)).toEqual([['y@1und1.example.eu', 'mesgtoobig']]);
  const gmx = mail(
    ['From: "Mail Delivery System" <mailer-daemon@gmx.example.net>', 'Subject: Mail delivery failed', 'X-GMX-Antispam: 0 (Mail was not recognized as spam)'],
    [
      'This message was created automatically by mail delivery software.',
      '',
      '<z@gmx.example.co.jp>',
      '',
      'Reason:',
      'delivery retry timeout exceeded',
      '',
      '--- The header of the original message is following. ---',
    ],
  );
  expect(rcpts(gmx)).toEqual([['z@gmx.example.co.jp', 'expired']]);
  const zoho = mail(
    ['From: mailer-daemon@zoho.example.com', 'Subject: Undelivered Mail Returned to Sender', 'X-ZohoMail: Si CHF_MF_NL SS_10'],
    [
      'This message was created automatically by mail delivery software.',
      'A message that you sent could not be delivered to one or more of its recipients. This is a permanent error.',
      '',
      'aa@zoho.example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.2.2 <aa@zoho.example.co.jp>... Mailbox full',
      '[Status: Error, Address: <bb@zoho.example.co.jp>, ResponseCode 421, , Host not reachable.]',
    ],
  );
  expect(rcpts(zoho)).toEqual([
    ['aa@zoho.example.co.jp', 'mailboxfull'],
    ['bb@zoho.example.co.jp', 'expired'],
  ]);
});

test('fml: the body sentence decides before the Subject ("header may cause mail loop" is a rejection)', () => {
  const raw = (subject: string, body: string): string =>
    mail(['From: neko-admin@ml.example.jp', `Subject: ${subject}`, 'Message-ID: <20170429.FML12345.neko@ml.example.jp>', 'X-MLServer: fml [fml 4.0]'], [body]);
  expect(parseBounce(raw('Loop Alert: dangerous mail (neko ML)', 'X-ML-Name: header may cause mail loop <neko@ml.example.jp>.')).recipients[0].reason).toBe(
    'rejected',
  );
  expect(parseBounce(raw('Security Alert (neko ML)', 'Please check the mail <neko@ml.example.jp>.')).recipients[0].reason).toBe('securityerror');
  expect(parseBounce(raw('fml system error message (neko ML)', 'Something went wrong <neko@ml.example.jp>.')).recipients[0].reason).toBe('systemerror');
});

test('RFC 3834: auto-generated/auto-notified and X-Apple-Action: vacation are auto-replies; mail to or from root is not', () => {
  const reply = (h: string[]): string =>
    parseBounce(mail(['From: Neko <neko@home.example.org>', 'To: sender@origin.example.org', ...h], ['I am away until Monday.'])).kind;
  expect(reply(['Subject: Re: hello', 'Auto-Submitted: auto-generated'])).toBe('auto-reply');
  expect(reply(['Subject: Re: hello', 'Auto-Submitted: auto-notified'])).toBe('auto-reply');
  expect(reply(['Subject: Re: hello', 'X-Apple-Action: vacation'])).toBe('auto-reply');
  expect(reply(['Subject: Auto: hello'])).toBe('auto-reply');
  const cron = parseBounce(
    mail(['From: root@host.example.org', 'To: admin@origin.example.org', 'Subject: Cron <root@host> run-parts', 'Auto-Submitted: auto-generated'], ['done']),
  );
  expect(cron.kind).toBe('not-a-bounce');
});

test('ARF: report-type=feedback-report on a multipart/mixed container is still a feedback report', () => {
  const raw = [
    'From: fbl@isp.example.net',
    'Subject: FW: spam',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; report-type=feedback-report; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'This is an email abuse report for an email message received from IP 192.0.2.1',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Feedback-Type: abuse',
    'User-Agent: FBL/1.0',
    'Version: 1',
    'Original-Rcpt-To: <reader@isp.example.net>',
    '',
    '--b--',
    '',
  ].join('\n');
  const r = parseBounce(raw);
  expect(r.kind).toBe('feedback');
  expect(r.feedbackType).toBe('abuse');
  expect(r.recipients.map((x) => x.finalRecipient)).toEqual(['reader@isp.example.net']);
});

test("Sendmail transcript: with no Diagnostic-Code, the transcript's own lines are the diagnostic (mail.local's unknown user)", () => {
  const raw = mail(
    ['From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'Subject: Returned mail: see transcript for details'],
    [
      'The original message was received at Thu, 29 Apr 2000 23:34:45 +0900 (JST)',
      'from [192.0.2.230]',
      '',
      '   ----- The following addresses had permanent fatal errors -----',
      '<cc@example.net>',
      '',
      '   ----- Transcript of session follows -----',
      'mail.local: unknown user: cc',
      '554 <cc@example.net>... Service unavailable',
      '',
      'Reporting-MTA: dns; mx.example.net',
      'Received-From-MTA: DNS; [192.0.2.231]',
      '',
      'Final-Recipient: RFC822; <cc@example.net>',
      'Action: failed',
      'Status: 5.5.0',
    ],
  );
  const r = parseBounce(raw).recipients[0];
  expect(r).toMatchObject({ finalRecipient: 'cc@example.net', reason: 'userunknown', replyCode: 554 });
  expect(r.diagnosticCode).toContain('mail.local: unknown user: cc');
  expect(r.diagnosticCode).not.toContain('Received-From-MTA');
});

test('Exim: two failed addresses, each with the error indented under it; a base64 body still names Exim', () => {
  const body = [
    'This message was created automatically by mail delivery software.',
    '',
    'A message that you sent could not be delivered to one or more of its',
    'recipients. This is a permanent error. The following address(es) failed:',
    '',
    '  dd@exim.example.org',
    '    Unrouteable address',
    '  ee@exim.example.org',
    '    host mx.exim.example.org [192.0.2.1]',
    '    SMTP error from remote mail server after RCPT TO:<ee@exim.example.org>:',
    '    552 5.2.2 <ee@exim.example.org>: mailbox is full',
    '',
    '------ This is a copy of the message, including all the headers. ------',
    '',
  ].join('\n');
  const raw = [
    'From: Mail Delivery System <Mailer-Daemon@exim.example.org>',
    'Subject: Mail delivery failed: returning message to sender',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(body).toString('base64'),
    '',
  ].join('\n');
  const r = parseBounce(raw);
  expect(r.mtaModule).toBe('Exim');
  expect(r.recipients.map((x) => [x.finalRecipient, x.reason, x.diagnosticCode])).toEqual([
    ['dd@exim.example.org', 'hostunknown', 'Unrouteable address'],
    ['ee@exim.example.org', 'mailboxfull', expect.stringContaining('552 5.2.2')],
  ]);
});

test('qmail: "<addr>:" blocks keep each remote reply with its own recipient; a refused sender is rejected', () => {
  const raw = mail(
    ['From: MAILER-DAEMON@qmail.example.jp', 'Subject: failure notice'],
    [
      'Hi. This is the qmail-send program at qmail.example.jp.',
      "I'm afraid I wasn't able to deliver your message to the following addresses.",
      "This is a permanent error; I've given up. Sorry it didn't work out.",
      '',
      '<ff@qmail.example.org>:',
      '192.0.2.153 does not like recipient.',
      'Remote host said: 550 5.1.1 <ff@qmail.example.org>... User Unknown',
      'Giving up on 192.0.2.153.',
      '',
      '<gg@qmail.example.org>:',
      'Connected to 192.0.2.154 but sender was rejected.',
      'Remote host said: 550 5.7.1 <sender@origin.example.jp>... Access denied',
      '',
      '--- Below this line is a copy of the message.',
    ],
  );
  expect(parseBounce(raw).mtaModule).toBe('qmail');
  expect(rcpts(raw)).toEqual([
    ['ff@qmail.example.org', 'userunknown'],
    ['gg@qmail.example.org', 'rejected'],
  ]);
});

test('Postfix "--- Delivery report unavailable ---": the returned To: is the recipient and the reason is undefined, not guessed', () => {
  const raw = [
    'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'This is the mail system at host mx.example.net.',
    '',
    "I'm sorry to have to inform you that your message could not",
    "be delivered to one or more recipients. It's attached below.",
    '',
    '                   The mail system',
    '',
    '\t--- Delivery report unavailable ---',
    '',
    '--b',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    'X-Postfix-Queue-ID: B1C79423C925',
    '',
    '--b',
    'Content-Type: message/rfc822',
    '',
    'From: sender@origin.example.org',
    'To: hh@dest.example.org',
    'Subject: hello',
    '',
    'body',
    '--b--',
    '',
  ].join('\n');
  const r = parseBounce(raw);
  expect(r.mtaModule).toBe('Postfix');
  expect(r.recipients.map((x) => [x.finalRecipient, x.reason])).toEqual([['hh@dest.example.org', 'undefined']]);
});

test("Verizon's MMS gateway (sysadmin@...vzwpix.com) is Verizon's; its 'No valid recipients' is an unknown user", () => {
  const raw = mail(
    ['From: sysadmin@mms.vzwpix.com', 'To: sender@origin.example.org', 'Subject: Undeliverable Message'],
    ['Error: No valid recipients', '', 'Original Message:', 'To: 5555550100@vzwpix.com', 'Subject: hello'],
  );
  const r = parseBounce(raw);
  expect(r.mtaModule).toBe('Verizon');
  expect(tableReason('Verizon', 'Error: No valid recipients')).toBe('userunknown');
  expect(r.recipients.map((x) => [x.finalRecipient, x.reason])).toEqual([['5555550100@vzwpix.com', 'userunknown']]);
});
