import { test, expect } from '@playwright/test';
import { parseBounce } from '../../src/classify/index.ts';
import { mail, rcpts } from './lhost-mail.ts';

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
    [
      'Your message',
      '',
      '  Subject: hello',
      '',
      'was not delivered to:',
      '',
      '  kuro@domino.example.org',
      '',
      'because:',
      '',
      '  User kuro (kuro@domino.example.org) not listed in Domino Directory',
    ],
  );
  expect(parseBounce(raw).mtaModule).toBe('Domino');
  expect(rcpts(raw)).toEqual([['kuro@domino.example.org', 'userunknown']]);
});

test('Notes "Failure Reasons": the reason line before the address belongs to it; hop count is networkerror', () => {
  const raw = mail(
    ['From: Mail Router <router@notes.example.jp>', 'Subject: Undeliverable message'],
    [
      '------- Failure Reasons  --------',
      '',
      'Message has exceeded maximum hop count',
      'tora@notes.example.jp',
      '',
      '------- Returned Message --------',
      'To: tora@notes.example.jp',
    ],
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
    [
      'Message from x2.example.com.',
      'Unable to deliver message to the following address(es).',
      '',
      '<a@x2.example.com>:',
      "This user doesn't have a x2.example.com account (a@x2.example.com) [0]",
      '',
      '<b@x2.example.com>:',
      'Mailbox quota exceeded',
      '',
      '--- Original message follows.',
    ],
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
    [
      'This message was not delivered.',
      'Sent <<< RCPT TO:<e@scan.example.co.jp>',
      'Received >>> 552 5.2.2 <e@scan.example.co.jp>... Mailbox full',
      '',
      'Unable to deliver message to <e@scan.example.co.jp>.',
    ],
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
    [
      'このメールは「m-FILTER」が自動的に生成して送信しています。',
      '',
      'g@mf.example.jp',
      '',
      '-------server message',
      '550 5.1.1 unknown user <g@mf.example.jp>',
      '',
      '-------SMTP command',
      'RCPT',
      '',
      '-------original message',
    ],
  );
  expect(parseBounce(raw).recipients[0]).toMatchObject({ finalRecipient: 'g@mf.example.jp', reason: 'userunknown', replyCode: 550 });
});

test('Biglobe, KDDI and EZweb notices: each MTA table names the reason', () => {
  const biglobe = mail(
    ['From: postmaster@biglobe.ne.jp', 'Subject: Returned mail: Delivery failed'],
    [
      '   ----- The following addresses had delivery problems -----',
      'h@mail.biglobe.ne.jp',
      '',
      '   ----- Non-delivered information -----',
      "The number of messages in recipient's mailbox exceeded the local limit.",
    ],
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
    [
      'Your message:',
      '   From:    sender@origin.example.org',
      '   Subject: hello',
      '',
      'Could not be delivered because of',
      '',
      '550 5.1.1 User unknown',
      '',
      'The following recipients were affected:',
      '    k@mm.example.com',
      '    l@mm.example.com',
      '',
      'Additional Information',
      '======================',
      'Original Sender:    <sender@origin.example.org>',
    ],
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
    [
      'An email that you attempted to send to the following address could not be delivered:',
      '-- q@mc.example.org',
      '',
      'The problem appears to be :',
      '-- Recipient email address is possibly incorrect',
      '',
      'Additional information follows :',
      '-- 5.1.1 User unknown',
    ],
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

test('Sendmail 5 transcript: the command and reply before "NNN <addr>..." belong to it; an unrelated deferral line does not', () => {
  const raw = mail(
    ['From: Mail Delivery Subsystem <MAILER-DAEMON@mx1.example.net>', 'Subject: Returned mail: Remote protocol error'],
    [
      '   ----- Transcript of session follows -----',
      'While talking to mx.example.edu:',
      '>>> MAIL From:<sender@origin.example.jp>',
      '<<< 550 Insecure Mail Relay',
      '554 <ii@example.edu>... Remote protocol error',
      '421 example.org (smtp)... Deferred: Connection timed out during user open with example.org',
      '',
      '   ----- Unsent message follows -----',
      'From: sender@origin.example.jp',
      'To: ii@example.edu',
    ],
  );
  const r = parseBounce(raw);
  expect(r.mtaModule).toBe('V5sendmail');
  expect(r.recipients[0]).toMatchObject({ finalRecipient: 'ii@example.edu', reason: 'norelaying', replyCode: 550 });
  expect(r.recipients[0].diagnosticCode).not.toContain('Deferred');
});

test('Exchange 2007 report without DSN fields (French): each recipient with its RESOLVER line', () => {
  const raw = mail(
    ['From: postmaster@mail.example.fr', 'Subject: Non remis : hello', 'Content-Language: fr-FR'],
    [
      'La remise a échoué pour les destinataires suivants.',
      '',
      'Informations de diagnostic pour les administrateurs :',
      '',
      'Serveur de génération : mx.example.fr',
      '',
      'jj@example.fr',
      '#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##',
      '',
      'kk@example.fr',
      '#550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient ##',
      '',
      "En-têtes de message d'origine :",
      'Received: from origin.example.org',
    ],
  );
  const r = parseBounce(raw);
  expect(r.mtaModule).toBe('Exchange2007');
  expect(rcpts(raw)).toEqual([
    ['jj@example.fr', 'userunknown'],
    ['kk@example.fr', 'exceedlimit'],
  ]);
});
