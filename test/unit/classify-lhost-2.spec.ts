import { test, expect } from '@playwright/test';
import { parseBounce } from '../../src/classify/index.ts';
import { office365StatusReason } from '../../src/classify/lhost.ts';
import { mail, rcpts } from './lhost-mail.ts';

/** A multipart/report with a text part and a delivery-status part (RFC 3464 §2). */
const report = (headers: string[], text: string[], fields: string[]): string =>
  mail(
    [...headers, 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b0"'],
    ['--b0', 'Content-Type: text/plain', '', ...text, '', '--b0', 'Content-Type: message/delivery-status', '', ...fields, '', '--b0--'],
  );

const exim = (headers: string[], address: string, error: string[]): string =>
  mail(headers, [
    'This message was created automatically by mail delivery software.',
    '',
    'A message that you sent could not be delivered to one or more of its',
    'recipients. This is a permanent error. The following address(es) failed:',
    '',
    `  ${address}`,
    ...error.map((l) => `    ${l}`),
    '',
    '------ This is a copy of the message, including all the headers. ------',
    '',
    'Subject: hello',
  ]);

test('MX Logic marks an Exim notice with its own headers: family MXLogic, Exim strings apply ("Unrouteable address")', () => {
  const raw = exim(
    [
      'From: Mail Delivery System <mailer-daemon@mxl.example.net>',
      'Subject: Mail delivery failed: returning message to sender',
      'X-MX-Bounce: mta/src/queue/bounce',
    ],
    'kuro@gone.example.org',
    ['Unrouteable address'],
  );
  expect(parseBounce(raw).mtaModule).toBe('MXLogic');
  expect(rcpts(raw)).toEqual([['kuro@gone.example.org', 'hostunknown']]);
});

test('Mail.Ru is Exim: "an MX or SRV record indicated no SMTP service" is notaccept, "mailbox is full" mailboxfull', () => {
  const headers = (id: string) => [
    'From: Mail Delivery System <mailer-daemon@corp.mail.ru>',
    'Subject: Mail delivery failed: returning message to sender',
    `Message-ID: <${id}@f1.mail.ru>`,
  ];
  const a = exim(headers('a1'), 'shiro@nomx.example.org', ['an MX or SRV record indicated no SMTP service']);
  expect(parseBounce(a).mtaModule).toBe('MailRu');
  expect(rcpts(a)).toEqual([['shiro@nomx.example.org', 'notaccept']]);
  const b = exim(headers('b2'), 'mike@full.example.org', ['mailbox is full: retry timeout exceeded']);
  expect(rcpts(b)).toEqual([['mike@full.example.org', 'mailboxfull']]);
});

test('McAfee Email Gateway: "<addr>   (reason)" in deliveryproblems.txt is the recipient\'s own error', () => {
  const raw = report(
    ['From: postmaster@gw.example.com', 'Subject: Delivery Status', 'X-NAI-Header: Modified by McAfee Email Gateway'],
    ['   --- The following addresses had delivery problems ---', '', '<tora@example.com>   (User (tora@example.com) unknown. )'],
    ['Reporting-MTA: dns; gw.example.com', '', 'Final-Recipient: rfc822; tora@example.com', 'Action: failed', 'Status: 5.0.0'],
  );
  expect(parseBounce(raw).mtaModule).toBe('McAfee');
  expect(rcpts(raw)).toEqual([['tora@example.com', 'userunknown']]);
});

test('PowerMTA: the bounce category decides when the status is coarse (5.0.0), not when it has a detail (5.2.2)', () => {
  const pmta = (status: string, category: string, diag: string) =>
    report(
      ['From: postmaster@pmta.example.net', 'Subject: Delivery report'],
      ['Hello, this is the mail server on pmta.example.net.', '', ' <neko@example.jp>  delivery failed; will not continue trying'],
      [
        'Reporting-MTA: dns; pmta.example.net',
        '',
        'Final-Recipient: rfc822;neko@example.jp',
        'Action: failed',
        `Status: ${status}`,
        `Diagnostic-Code: smtp;${diag}`,
        `X-PowerMTA-BounceCategory: ${category}`,
      ],
    );
  const coarse = pmta('5.0.0', 'inactive-mailbox', '550 Sorry, no mailbox here by that name');
  expect(parseBounce(coarse).mtaModule).toBe('PowerMTA');
  expect(rcpts(coarse)).toEqual([['neko@example.jp', 'suspend']]);
  expect(rcpts(pmta('5.0.0', 'quota-issues', '552 Requested action aborted'))).toEqual([['neko@example.jp', 'mailboxfull']]);
  // 5.2.2 (RFC 3463 §3.3 mailbox full) says more than the category
  expect(rcpts(pmta('5.2.2', 'bad-mailbox', '552 5.2.2 Mailbox full'))).toEqual([['neko@example.jp', 'mailboxfull']]);
});

test('Office 365: an Exchange Online status code means what Exchange Online documents where the text names no cause', () => {
  expect(office365StatusReason('5.7.508')).toBe('toomanyconn');
  expect(office365StatusReason('5.7.606')).toBe('blocked');
  expect(office365StatusReason('5.4.316')).toBe('expired');
  expect(office365StatusReason('5.0.0')).toBeUndefined();
  const raw = report(
    ['From: postmaster@tenant.onmicrosoft.com', 'Subject: Undeliverable: hello', 'X-MS-Exchange-Message-Is-Ndr:'],
    ['Delivery has failed to these recipients or groups:', '', 'hana@example.org'],
    [
      'Reporting-MTA: dns; AM0PR01MB0001.eurprd01.prod.outlook.com',
      '',
      'Final-Recipient: rfc822;hana@example.org',
      'Action: failed',
      'Status: 5.7.136',
      'Diagnostic-Code: smtp;550 5.7.136 Access denied',
    ],
  );
  expect(parseBounce(raw).mtaModule).toBe('Office365');
  expect(rcpts(raw)).toEqual([['hana@example.org', 'rejected']]);
});

test("Amazon SES: the bounceSubType (MessageTooLarge) is SES's own verdict; General names no cause", () => {
  const ses = (subtype: string, diag: string) =>
    mail(
      ['From: no-reply@sns.amazonaws.com', 'Subject: AWS Notification Message', 'Content-Type: text/plain; charset=UTF-8'],
      [
        JSON.stringify({
          notificationType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: subtype,
            bouncedRecipients: [{ emailAddress: 'sora@example.net', action: 'failed', status: '5.0.0', diagnosticCode: diag }],
            reportingMTA: 'dsn; a1-2.smtp-out.example.com',
          },
          mail: { destination: ['sora@example.net'] },
        }),
      ],
    );
  expect(rcpts(ses('MessageTooLarge', 'smtp; 550 Rejected'))).toEqual([['sora@example.net', 'mesgtoobig']]);
  expect(rcpts(ses('General', 'smtp; 550 5.1.1 user unknown'))).toEqual([['sora@example.net', 'userunknown']]);
});

test("SES receiving, AOL, Outlook.com: each family's own sentences (RFC 3464 fields name the recipients)", () => {
  const received = report(
    ['From: MAILER-DAEMON@email-smtp.example.com', 'Subject: Delivery Status Notification (Failure)', 'X-SES-Outgoing: 2016.01.14-198.51.100.9'],
    ['This message could not be delivered.'],
    [
      'Reporting-MTA: dns; inbound-smtp.example.com',
      '',
      'Final-Recipient: rfc822; ao@example.com',
      'Action: failed',
      'Status: 5.3.4',
      'Diagnostic-Code: smtp; 552 Message too large',
    ],
  );
  expect(parseBounce(received).mtaModule).toBe('AmazonSES');
  expect(rcpts(received)).toEqual([['ao@example.com', 'mesgtoobig']]);

  const aol = report(
    ['From: Mail Delivery System <MAILER-DAEMON@aol.example.com>', 'Subject: Undelivered Mail Returned to Sender', 'X-AOL-IP: 203.0.113.5'],
    ["I'm sorry to have to inform you that your message could not be delivered."],
    [
      'Reporting-MTA: dns; omr.aol.example.com',
      '',
      'Final-Recipient: rfc822; kiiro@nxdomain.example',
      'Action: failed',
      'Status: 5.0.0',
      'Diagnostic-Code: X-Postfix; Host or domain name not found. Name service error for name=nxdomain.example type=A: Host not found',
    ],
  );
  expect(parseBounce(aol).mtaModule).toBe('Aol');
  expect(rcpts(aol)).toEqual([['kiiro@nxdomain.example', 'hostunknown']]);

  // relayed by another MTA, Outlook.com's sentence still names the failure
  const relayed = report(
    ['From: MAILER-DAEMON@relay.example.net', 'Subject: Undelivered Mail Returned to Sender'],
    ['The mail system could not deliver your message.'],
    [
      'Final-Recipient: rfc822; midori@unreachable.example',
      'Action: failed',
      'Status: 5.0.0',
      'Diagnostic-Code: smtp; 554 The mail could not be delivered to the recipient because the domain is not reachable. Please check the domain and try again',
    ],
  );
  expect(rcpts(relayed)).toEqual([['midori@unreachable.example', 'hostunknown']]);
});

test('SendGrid "Action: expired" is expired; amavis and Barracuda notices are named by their marks', () => {
  const sg = report(
    ['From: SendGrid <apps@sendgrid.net>', 'Return-Path: <apps@sendgrid.net>', 'Subject: Undelivered Mail Returned to Sender'],
    [
      'This is an automatically generated message from SendGrid.',
      '',
      "I'm sorry to have to tell you that your message was not able to be",
      'delivered to one of its intended recipients.',
    ],
    ['Final-Recipient: rfc822; haru@slow.example.org', 'Action: expired', 'Status: 4.0.0', 'Diagnostic-Code: smtp; 421 try again later'],
  );
  expect(parseBounce(sg).mtaModule).toBe('SendGrid');
  expect(rcpts(sg)).toEqual([['haru@slow.example.org', 'expired']]);

  const amavis = report(
    ['From: "Content-filter at mx.example.jp" <postmaster@mx.example.jp>', 'Subject: Undeliverable mail, MTA-BLOCKED'],
    ['The message WAS NOT relayed to:', '<natsu@example.jp>:', '   554 5.7.0 Reject, id=12345-01 - BANNED: virus.exe'],
    [
      'Reporting-MTA: dns; mx.example.jp',
      '',
      'Final-Recipient: rfc822; natsu@example.jp',
      'Action: failed',
      'Status: 5.7.0',
      'Diagnostic-Code: smtp; 554 5.7.0 Reject, id=12345-01 - BANNED: virus.exe',
    ],
  );
  expect(parseBounce(amavis).mtaModule).toBe('Amavis');

  const barracuda = report(
    ['From: postmaster@bar.example.com', 'Subject: **Message you sent blocked by our bulk email filter**'],
    ['Your message to: aki@example.com', 'was blocked by our Spam Firewall.'],
    [
      'Reporting-MTA: dns; bar.example.com',
      '',
      'Final-Recipient: rfc822; aki@example.com',
      'Action: failed',
      'Status: 5.7.1',
      'Diagnostic-Code: smtp; 550 5.7.1 Message blocked by spam filter',
    ],
  );
  expect(parseBounce(barracuda).mtaModule).toBe('Barracuda');
  expect(rcpts(barracuda)).toEqual([['aki@example.com', 'spamdetected']]);
});

test('MessageLabs "542 addr Rejected" is userunknown; SurfControl reads "Addressed To:" and the attempt line', () => {
  const ml = report(
    ['From: MAILER-DAEMON@messagelabs.com', 'Subject: Mail Delivery Failure', 'X-Msg-Ref: server-1.tower-2.messagelabs.com!1419367175!1!1'],
    ['This is an automatically generated Delivery Status Notification.'],
    [
      'Reporting-MTA: dns; server-1.tower-2.messagelabs.com',
      '',
      'Final-Recipient: rfc822; fuyu@example.com',
      'Action: failed',
      'Status: 5.0.0',
      'Diagnostic-Code: smtp; 542 fuyu@example.com Rejected',
    ],
  );
  expect(parseBounce(ml).mtaModule).toBe('MessageLabs');
  expect(rcpts(ml)).toEqual([['fuyu@example.com', 'userunknown']]);

  const sc = mail(
    [
      'From: postmaster@sc.example.com',
      'Subject: Undeliverable: hello',
      'X-SEF-Processed: 0_0_0_000__2010_04_29_23_34_45',
      'X-Mailer: SurfControl E-mail Filter',
    ],
    [
      'Your message could not be sent.',
      'A transcript of the attempts to send the message follows.',
      'The number of attempts made: 1',
      'Addressed To: yuki@example.com',
      '',
      'Thu 29 Apr 2010 23:34:45 +0900',
      'Failed to send to identified host,',
      'yuki@example.com: [192.0.2.5], 550 yuki@example.com... Mailbox is full',
      '--- Message non-deliverable.',
    ],
  );
  expect(parseBounce(sc).mtaModule).toBe('SurfControl');
  expect(rcpts(sc)).toEqual([['yuki@example.com', 'mailboxfull']]);
});

test("Google's own sentence names the reason wherever relayed; its DNS wording only in Google's notice", () => {
  const relayed = (diag: string) =>
    report(
      ['From: MAILER-DAEMON@relay.example.net', 'Subject: Undelivered Mail Returned to Sender'],
      ['The mail system could not deliver your message.'],
      ['Final-Recipient: rfc822; kaze@example.org', 'Action: failed', 'Status: 5.0.0', `Diagnostic-Code: smtp; ${diag}`],
    );
  expect(
    rcpts(
      relayed(
        "550 Your message wasn't delivered to kaze@example.org because the address couldn't be found. Check for typos or unnecessary spaces and try again.",
      ),
    ),
  ).toEqual([['kaze@example.org', 'userunknown']]);

  const google = mail(
    [
      'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      'Subject: Delivery Status Notification (Failure)',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="g0"',
    ],
    [
      '--g0',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      '** Message not delivered **',
      '',
      'There was a problem delivering your message to kaze@example.org. See the technical details below.',
      '',
      "DNS Error: DNS type 'mx' lookup of example.org responded with code NXDOMAIN",
      '',
      '--g0',
      'Content-Type: message/rfc822',
      '',
      'From: sender@example.com',
      'To: kaze@example.org',
      'Subject: hello',
      '',
      'hi',
      '--g0--',
    ],
  );
  expect(parseBounce(google).mtaModule).toBe('GoogleWorkspace');
  expect(rcpts(google)).toEqual([['kaze@example.org', 'networkerror']]);
});

test('Messaging Server with RFC 3464 fields: each recipient keeps its own "Reason:"/"Diagnostic code:" block', () => {
  const raw = report(
    ['From: Internet Mail Delivery <postmaster@ms.example.com>', 'Subject: Delivery Notification: Delivery has failed'],
    [
      'This report relates to a message you sent with the following header fields:',
      '',
      '  Message-id: <1@ms.example.com>',
      '',
      'Your message cannot be delivered to the following recipients:',
      '',
      '  Recipient address: a@example.jp',
      '  Reason: Remote SMTP server has rejected address',
      '  Diagnostic code: smtp;552 5.2.2 <a@example.jp>... Mailbox full',
      '',
      '  Recipient address: b@example.jp',
      '  Reason: Illegal host/domain name found',
    ],
    [
      'Reporting-MTA: dns;ms.example.com (tcp-daemon)',
      '',
      'Final-recipient: rfc822;a@example.jp',
      'Action: failed',
      'Status: 5.0.0',
      '',
      'Final-recipient: rfc822;b@example.jp',
      'Action: failed',
      'Status: 5.0.0',
    ],
  );
  const r = parseBounce(raw);
  expect(r.mtaModule).toBe('MessagingServer');
  expect(r.recipients.map((x) => [x.finalRecipient, x.reason])).toEqual([
    ['a@example.jp', 'mailboxfull'],
    ['b@example.jp', 'hostunknown'],
  ]);
  // the second recipient's diagnostic is its own, not the first one's
  expect(r.recipients[1].diagnosticCode).toBe('Illegal host/domain name found');
});

test('Mimecast with RFC 3464 fields: the "-- " lines are the recipient\'s diagnostic when the fields carry none', () => {
  const raw = report(
    ['From: Postmaster <postmaster@mimecast.example.com>', 'Subject: [Postmaster] Email Delivery Failure', 'Message-Id: <1-2@us-mta-1.us.mimecast.lan>'],
    [
      'An email that you attempted to send to the following address could not be delivered:',
      '-- c@example.org',
      '',
      'The problem appears to be :',
      '-- Recipient email address is possibly incorrect',
      '',
      'Additional information follows :',
      '-- 550 5.2.2 Mailbox full',
    ],
    ['Reporting-MTA: dns; us-mta-1.us.mimecast.lan', '', 'Final-Recipient: rfc822; c@example.org', 'Action: failed', 'Status: 5.0.0'],
  );
  const r = parseBounce(raw);
  expect(r.mtaModule).toBe('Mimecast');
  expect(r.recipients[0].diagnosticCode).toBe('Recipient email address is possibly incorrect 550 5.2.2 Mailbox full');
  expect(rcpts(raw)).toEqual([['c@example.org', 'mailboxfull']]);
});
