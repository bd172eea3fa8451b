import { test, expect } from '@playwright/test';
import { parseBounce } from '../../src/classify/index.ts';
import { tableReason } from '../../src/classify/lhost.ts';

/** A bounce as the MTA writes it: header lines, a blank line, the body (LF line ends). */
const mail = (headers: string[], body: string[]): string => `${headers.join('\n')}\n\n${body.join('\n')}\n`;
const rcpts = (raw: string): Array<[string, string]> => parseBounce(raw).recipients.map((r) => [r.finalRecipient, r.reason]);

test('Exchange 2003: each "addr on date" recipient gets its own MSEXCH code (000C05A6 unknown, 000C0595 ambiguous)', () => {
  const raw = mail(
    ['From: System Administrator <postmaster@ex.example.net>', 'Subject: Undeliverable: hello', 'X-Mailer: Internet Mail Service (5.5.2657.72)'],
    [
      'Your message',
      '',
      '  To:      one@ex.example.net',
      '  Subject: hello',
      '  Sent:    Thu, 29 Apr 2010 18:14:35 +0000',
      '',
      'did not reach the following recipient(s):',
      '',
      'one@ex.example.net on Thu, 29 Apr 2010 18:14:40 +0000',
      '    The recipient name is not recognized',
      '    The MTS-ID of the original message is: c=us;a= ;p=ex;l=EX0000',
      '    MSEXCH:IMS:EX:SITE:SERVER 0 (000C05A6) Unknown Recipient',
      'two@ex.example.net on Thu, 29 Apr 2010 18:14:40 +0000',
      '    The recipient name is ambiguous',
      '    MSEXCH:IMS:EX:SITE:SERVER 0 (000C0595) Ambiguous Recipient',
    ],
  );
  const r = parseBounce(raw);
  expect(r.mtaModule).toBe('Exchange2003');
  expect(rcpts(raw)).toEqual([
    ['one@ex.example.net', 'userunknown'],
    ['two@ex.example.net', 'filtered'],
  ]);
});

test('Domino "DELIVERY FAILURE": recipient under "was not delivered to:", reason from the "because:" line', () => {
  const raw = mail(
    ['From: Postmaster <postmaster@domino.example.org>', 'Subject: DELIVERY FAILURE: User kuro (kuro@domino.example.org) not listed in Domino Directory'],
    ['Your message', '', '  Subject: hello', '', 'was not delivered to:', '', '  kuro@domino.example.org', '', 'because:', '', '  User kuro (kuro@domino.example.org) not listed in Domino Directory'],
  );
  expect(parseBounce(raw).mtaModule).toBe('Domino');
  expect(rcpts(raw)).toEqual([['kuro@domino.example.org', 'userunknown']]);
});

test('Notes "Failure Reasons": the reason line before the address belongs to it; hop count is networkerror', () => {
  const raw = mail(
    ['From: Mail Router <router@notes.example.jp>', 'Subject: Undeliverable message'],
    ['------- Failure Reasons  --------', '', 'Message has exceeded maximum hop count', 'tora@notes.example.jp', '', '------- Returned Message --------', 'To: tora@notes.example.jp'],
  );
  expect(rcpts(raw)).toEqual([['tora@notes.example.jp', 'networkerror']]);
});

// Without an SMTP stage, "User unknown" is a filter's answer in this project's vocabulary (see classify.ts)
test('X1 "addr [error]" lines: two recipients, two reasons', () => {
  const raw = mail(
    ['From: "Mail Delivery System" <MAILER-DAEMON@x1.example.com>', 'Subject: Returned Mail: User unknown'],
    [
      'The original message was received at Thu, 29 Apr 2010 23:34:45 +0900 (JST)',
      'from sender@origin.example.org',
      '',
      '---The following addresses had delivery errors---',
      '',
      'one@x1.example.com [User unknown]',
      'two@x1.example.com [Mailbox full]',
    ],
  );
  expect(rcpts(raw)).toEqual([
    ['one@x1.example.com', 'filtered'],
    ['two@x1.example.com', 'mailboxfull'],
  ]);
});

test('X2 "<addr>:" blocks and X3 "* addr" + "SMTP:RCPT host" lines', () => {
  const x2 = mail(
    ['From: MAILER-DAEMON@x2.example.com', 'Subject: Delivery failure'],
    ['Message from x2.example.com.', 'Unable to deliver message to the following address(es).', '', '<a@x2.example.com>:', "This user doesn't have a x2.example.com account (a@x2.example.com) [0]", '', '<b@x2.example.com>:', 'Mailbox quota exceeded', '', '--- Original message follows.'],
  );
  expect(parseBounce(x2).mtaModule).toBe('X2');
  expect(rcpts(x2)).toEqual([
    ['a@x2.example.com', 'filtered'],
    ['b@x2.example.com', 'mailboxfull'],
  ]);
  const x3 = mail(
    ['From: Mail Delivery System <mailer-daemon@x3.example.com>', 'Subject: Delivery status notification'],
    [
      '============================================================================',
      '      This is an automatically generated Delivery Status Notification.',
      '',
      'Delivery to the following recipients failed permanently:',
      '',
      '  * c@x3.example.com',
      '',
      '============================================================================',
      '                            Technical details:',
      '',
      'SMTP:RCPT host 192.0.2.8: 553 5.3.0 <c@x3.example.com>... No such user here',
    ],
  );
  expect(parseBounce(x3).recipients[0]).toMatchObject({ finalRecipient: 'c@x3.example.com', reason: 'userunknown', replyCode: 553 });
});

test('X6 "SMTP Server <host> rejected recipient <addr>" with the reply on the next line', () => {
  const raw = mail(
    ['From: postmaster@x6.example.com', 'Subject: There was an error sending your mail'],
    [
      'We had trouble delivering your message. Full details follow:',
      '',
      "Subject: 'hello'",
      "Date: 'Thu, 29 Apr 2012 23:34:45 +0000'",
      '',
      '1 error(s):',
      '',
      'SMTP Server <mx.x6.example.net> rejected recipient <d@x6.example.net>',
      '  (Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]',
      '',
      'The attachment contains the original mail headers',
    ],
  );
  expect(parseBounce(raw).recipients[0]).toMatchObject({ finalRecipient: 'd@x6.example.net', reason: 'userunknown', status: '5.1.1' });
});

test('InterScan: the "Received >>>" reply decides; its own "Unable to deliver" alone is userunknown', () => {
  const withReply = mail(
    ['From: "InterScan MSS" <postmaster@scan.example.co.jp>', 'Subject: Mail could not be delivered'],
    ['This message was not delivered.', 'Sent <<< RCPT TO:<e@scan.example.co.jp>', 'Received >>> 552 5.2.2 <e@scan.example.co.jp>... Mailbox full', '', 'Unable to deliver message to <e@scan.example.co.jp>.'],
  );
  expect(rcpts(withReply)).toEqual([['e@scan.example.co.jp', 'mailboxfull']]);
  const alone = mail(
    ['From: "InterScan MSS" <postmaster@scan.example.co.jp>', 'Subject: Mail could not be delivered'],
    ['Reason: Unable to deliver message to <f@scan.example.co.jp> (and other recipients in the same domain).'],
  );
  expect(rcpts(alone)).toEqual([['f@scan.example.co.jp', 'userunknown']]);
});

test('m-FILTER: the line after "-------server message" is the reply, the SMTP command is its stage', () => {
  const raw = mail(
    ['From: mfilter@mf.example.jp', 'Subject: failure notice', 'X-Mailer: m-FILTER'],
    ['このメールは「m-FILTER」が自動的に生成して送信しています。', '', 'g@mf.example.jp', '', '-------server message', '550 5.1.1 unknown user <g@mf.example.jp>', '', '-------SMTP command', 'RCPT', '', '-------original message'],
  );
  expect(parseBounce(raw).recipients[0]).toMatchObject({ finalRecipient: 'g@mf.example.jp', reason: 'userunknown', replyCode: 550 });
});

test('Biglobe, KDDI and EZweb notices: each MTA table names the reason', () => {
  const biglobe = mail(
    ['From: postmaster@biglobe.ne.jp', 'Subject: Returned mail: Delivery failed'],
    ['   ----- The following addresses had delivery problems -----', 'h@mail.biglobe.ne.jp', '', '   ----- Non-delivered information -----', "The number of messages in recipient's mailbox exceeded the local limit."],
  );
  expect(rcpts(biglobe)).toEqual([['h@mail.biglobe.ne.jp', 'mailboxfull']]);
  const kddi = mail(
    ['From: no-reply@.dion.ne.jp', 'Subject: Mail System Error'],
    ['Your mail sent on: Thu, 29 Apr 2010 11:04:47 +0900', '     Could not be delivered to: <i@kddi.example.ne.jp>', '     As their mailbox is full.'],
  );
  expect(rcpts(kddi)).toEqual([['i@kddi.example.ne.jp', 'mailboxfull']]);
  const spam = kddi.replace('Subject: Mail System Error', 'Subject: Mail System Error\nX-SPASIGN: NG');
  expect(rcpts(spam)).toEqual([['i@kddi.example.ne.jp', 'filtered']]);
  const ezweb = mail(
    ['From: <Postmaster@ezweb.ne.jp>', 'Subject: Mail System Error - Returned Mail', 'Message-Id: <20110000000000.F000000@lsean.ezweb.ne.jp>'],
    ['The user(s) account is disabled.', '', '<j@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)'],
  );
  expect(rcpts(ezweb)).toEqual([['j@ezweb.ne.jp', 'suspend']]);
});

test('MailMarshal: the error before "The following recipients were affected:" belongs to each listed recipient', () => {
  const raw = mail(
    ['From: MailMarshal <mm@mm.example.com>', 'Subject: Undeliverable Mail: "hello"'],
    ['Your message:', '   From:    sender@origin.example.org', '   Subject: hello', '', 'Could not be delivered because of', '', '550 5.1.1 User unknown', '', 'The following recipients were affected:', '    k@mm.example.com', '    l@mm.example.com', '', 'Additional Information', '======================', 'Original Sender:    <sender@origin.example.org>'],
  );
  expect(rcpts(raw)).toEqual([
    ['k@mm.example.com', 'userunknown'],
    ['l@mm.example.com', 'userunknown'],
  ]);
});

test('Messaging Server "Recipient address:" blocks with "Reason:" and "Diagnostic code:"', () => {
  const raw = mail(
    ['From: Internet Mail Delivery <postmaster@ms.example.com>', 'Subject: Delivery Notification: Delivery has failed'],
    [
      'This report relates to a message you sent with the following header fields:',
      '',
      '  To: m@ms.example.com',
      '',
      'Your message cannot be delivered to the following recipients:',
      '',
      '  Recipient address: m@ms.example.com',
      '  Reason: Illegal host/domain name found',
      '',
      '  Recipient address: n@ms.example.com',
      '  Reason: Remote SMTP server has rejected address',
      '  Diagnostic code: smtp;550 5.2.2 <n@ms.example.com>... Mailbox full',
    ],
  );
  expect(rcpts(raw)).toEqual([
    ['m@ms.example.com', 'hostunknown'],
    ['n@ms.example.com', 'mailboxfull'],
  ]);
});

test('Smail 3 layout (T-Online): " <addr>" then its reply, and " addr ... failed: reason"', () => {
  const raw = mail(
    ['From: Mail Delivery System <Mailer-Daemon@t-online.de>', 'Subject: mail failed, returning to sender'],
    [
      '|------------------------- Failed addresses follow: ---------------------|',
      ' <o@t-online.example.de>',
      '   552 5.2.2 <o@t-online.example.de> Quota exceeded (mailbox for user is full)',
      ' p@nohost.example.de ... unknown host',
      '|------------------------- Message header follows: ----------------------|',
    ],
  );
  expect(rcpts(raw)).toEqual([
    ['o@t-online.example.de', 'mailboxfull'],
    ['p@nohost.example.de', 'hostunknown'],
  ]);
});

test('Mimecast "-- addr" and "-- error" lines; Google Workspace notice names no recipient: the returned To: is it', () => {
  const mc = mail(
    ['From: Postmaster <postmaster@mimecast.example.com>', 'Subject: [Postmaster] Email Delivery Failure'],
    ['An email that you attempted to send to the following address could not be delivered:', '-- q@mc.example.org', '', 'The problem appears to be :', '-- Recipient email address is possibly incorrect', '', 'Additional information follows :', '-- 5.1.1 User unknown'],
  );
  expect(rcpts(mc)).toEqual([['q@mc.example.org', 'userunknown']]);
  const gw = [
    'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
    'Subject: Delivery Status Notification (Failure)',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    '** Address not found **',
    '',
    "Your message wasn't delivered to r@gw.example.com because the address couldn't be found. Check for typos or unnecessary spaces and try again.",
    '',
    '--b1',
    'Content-Type: message/rfc822',
    '',
    'From: sender@origin.example.org',
    'To: r@gw.example.com',
    'Subject: hello',
    '',
    'body',
    '--b1--',
    '',
  ].join('\n');
  const r = parseBounce(gw);
  expect(r.mtaModule).toBe('GoogleWorkspace');
  expect(r.recipients.map((x) => [x.finalRecipient, x.reason])).toEqual([['r@gw.example.com', 'userunknown']]);
});

test('OpenSMTPD "addr: error" lines, one per recipient, its own failure strings', () => {
  const raw = mail(
    ['From: Mailer Daemon <MAILER-DAEMON@smtpd.example.org>', 'Subject: Delivery status notification: error'],
    [
      '    Hi!',
      '',
      '    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.',
      '',
      '    An error has occurred while attempting to deliver a message for',
      '    the following list of recipients:',
      '',
      's@smtpd.example.net: 550 5.2.2 <s@smtpd.example.net>... Mailbox Full',
      't@nomx.example.net: No MX found for domain',
      '',
      '    Below is a copy of the original message:',
    ],
  );
  expect(rcpts(raw)).toEqual([
    ['s@smtpd.example.net', 'mailboxfull'],
    ['t@nomx.example.net', 'notaccept'],
  ]);
});

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
    ['From: MAILER-DAEMON <>', 'Subject: Mail delivery failed', 'Received: from MAILER-DAEMON id e070f by df.example.jp (DragonFly Mail Agent v0.13); Sun, 16 Jun 2024 18:15:07 +0900'],
    ['This is the DragonFly Mail Agent v0.13 at df.example.jp.', '', 'There was an error delivering your mail to <v@df.example.com>.', '', 'email.example.jp [192.0.2.25] did not like our RCPT TO:', '552 5.2.2 <v@df.example.com>: Recipient address rejected: Mailbox full', '', 'Original message follows.'],
  );
  expect(rcpts(df)).toEqual([['v@df.example.com', 'mailboxfull']]);
  const gone = df.replace(/did not like our RCPT TO:\n552 5\.2\.2 [^\n]*/, 'DNS lookup failure: host nowhere.example.com not found');
  expect(rcpts(gone)).toEqual([['v@df.example.com', 'hostunknown']]);
  const mf = mail(
    ['From: MAILER-DAEMON@mf.example.ne.jp', 'Subject: Message delivery has failed', 'Received: From localhost (127.0.0.1) by smtp9.mf.example.ne.jp (MAILFOUNDRY) id abc'],
    ['Unable to deliver message to: <w@mf.example.org>', 'Delivery failed for the following reason:', 'Server mx22.example.org[192.0.2.222] failed with: 550 <w@mf.example.org> No such user here', '', 'This has been a permanent failure.  No further delivery attempts will be made.'],
  );
  expect(parseBounce(mf).recipients[0]).toMatchObject({ finalRecipient: 'w@mf.example.org', replyCode: 550 });
  const ah = mail(
    ['From: MAILER-DAEMON@ah.example.org', 'Subject: Returned mail: see transcript for details', 'X-AHMAILID: 0000'],
    ['  ----- The following addresses had permanent fatal errors -----', '', '>>> x@ah.example.org <x@ah.example.org>', '', '  ----- Transcript of session follows -----', '552 sorry, mailbox quota exceeded (#5.2.2)'],
  );
  expect(rcpts(ah)).toEqual([['x@ah.example.org', 'mailboxfull']]);
});

test('1&1, GMX and Zoho notices: recipient lines and each MTA table', () => {
  const einsundeins = mail(
    ['From: "Mail Delivery System" <mailer-daemon@1und1.example.de>', 'Subject: Mail delivery failed: returning message to sender'],
    ['This message was created automatically by mail delivery software.', '', 'A message that you sent could not be delivered to one or more of', 'its recipients. This is a permanent error. The following address failed:', '', 'y@1und1.example.eu', '', 'For the following reason:', '', 'Mail size limit exceeded. For explanation visit', 'http://postmaster.example.com/en/error-messages', '--- The header of the original message is following. ---'],
  );
  expect(rcpts(einsundeins)).toEqual([['y@1und1.example.eu', 'mesgtoobig']]);
  const gmx = mail(
    ['From: "Mail Delivery System" <mailer-daemon@gmx.example.net>', 'Subject: Mail delivery failed', 'X-GMX-Antispam: 0 (Mail was not recognized as spam)'],
    ['This message was created automatically by mail delivery software.', '', '<z@gmx.example.co.jp>', '', 'Reason:', 'delivery retry timeout exceeded', '', '--- The header of the original message is following. ---'],
  );
  expect(rcpts(gmx)).toEqual([['z@gmx.example.co.jp', 'expired']]);
  const zoho = mail(
    ['From: mailer-daemon@zoho.example.com', 'Subject: Undelivered Mail Returned to Sender', 'X-ZohoMail: Si CHF_MF_NL SS_10'],
    ['This message was created automatically by mail delivery software.', 'A message that you sent could not be delivered to one or more of its recipients. This is a permanent error.', '', 'aa@zoho.example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.2.2 <aa@zoho.example.co.jp>... Mailbox full', '[Status: Error, Address: <bb@zoho.example.co.jp>, ResponseCode 421, , Host not reachable.]'],
  );
  expect(rcpts(zoho)).toEqual([
    ['aa@zoho.example.co.jp', 'mailboxfull'],
    ['bb@zoho.example.co.jp', 'expired'],
  ]);
});

test('fml: the body sentence decides before the Subject ("header may cause mail loop" is a rejection)', () => {
  const raw = (subject: string, body: string): string =>
    mail(['From: neko-admin@ml.example.jp', `Subject: ${subject}`, 'Message-ID: <20170429.FML12345.neko@ml.example.jp>', 'X-MLServer: fml [fml 4.0]'], [body]);
  expect(parseBounce(raw('Loop Alert: dangerous mail (neko ML)', 'X-ML-Name: header may cause mail loop <neko@ml.example.jp>.')).recipients[0].reason).toBe('rejected');
  expect(parseBounce(raw('Security Alert (neko ML)', 'Please check the mail <neko@ml.example.jp>.')).recipients[0].reason).toBe('securityerror');
  expect(parseBounce(raw('fml system error message (neko ML)', 'Something went wrong <neko@ml.example.jp>.')).recipients[0].reason).toBe('systemerror');
});

test('RFC 3834: auto-generated/auto-notified and X-Apple-Action: vacation are auto-replies; mail to or from root is not', () => {
  const reply = (h: string[]): string => parseBounce(mail(['From: Neko <neko@home.example.org>', 'To: sender@origin.example.org', ...h], ['I am away until Monday.'])).kind;
  expect(reply(['Subject: Re: hello', 'Auto-Submitted: auto-generated'])).toBe('auto-reply');
  expect(reply(['Subject: Re: hello', 'Auto-Submitted: auto-notified'])).toBe('auto-reply');
  expect(reply(['Subject: Re: hello', 'X-Apple-Action: vacation'])).toBe('auto-reply');
  expect(reply(['Subject: Auto: hello'])).toBe('auto-reply');
  const cron = parseBounce(mail(['From: root@host.example.org', 'To: admin@origin.example.org', 'Subject: Cron <root@host> run-parts', 'Auto-Submitted: auto-generated'], ['done']));
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
