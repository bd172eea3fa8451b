import { test, expect } from '@playwright/test';
import { parseBounce } from '../../src/classify/index.ts';
import { mail } from './lhost-mail.ts';

const sendmailDsn = (transcript: string[], fields: string[]): string =>
  mail(
    [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.org>',
      'To: <owner@example.org>',
      'Subject: Returned mail: see transcript for details',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="SM.1/relay.example.org"',
    ],
    [
      'This is a MIME-encapsulated message',
      '',
      '--SM.1/relay.example.org',
      '',
      'The original message was received at Thu, 1 Jan 2026 10:00:00 +0900',
      'from client.example.org [198.51.100.7]',
      '',
      '   ----- The following addresses had permanent fatal errors -----',
      '<one@mx.example.net>',
      '',
      '   ----- Transcript of session follows -----',
      ...transcript,
      '',
      '--SM.1/relay.example.org',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; relay.example.org',
      '',
      'Final-Recipient: RFC822; one@mx.example.net',
      ...fields,
      '',
      '--SM.1/relay.example.org--',
    ],
  );

test('Sendmail: the transcript after "The original message was received at" is the report, its "<<<" reply gives the code', () => {
  // Diagnostic-Code empty: the reply and the recipient's "... Deferred:" line stand in the transcript
  const r = parseBounce(
    sendmailDsn(
      ['... while talking to mx.example.net.:', '<<< 421', '<one@mx.example.net>... Deferred: 421', 'Warning: message still undelivered after 4 hours'],
      ['Action: delayed', 'Status: 4.5.0', 'Diagnostic-Code: SMTP; '],
    ),
  );
  // its banner is indented by three spaces (savemail.c)
  expect(r.mtaModule).toBe('Sendmail');
  expect(r.recipients).toHaveLength(1);
  expect(r.recipients[0].replyCode).toBe(421);
  expect(r.recipients[0].diagnosticCode).toContain('Deferred: 421');
  expect(r.recipients[0].diagnosticCode).not.toContain('Content-Type');
});

test('Sendmail: an X-Unix Diagnostic-Code is an exit status; the reply code comes from the transcript', () => {
  const r = parseBounce(
    sendmailDsn(
      ['local delivery program failed: too many clients already', '554 5.3.0 unknown mailer error 255'],
      ['Action: failed', 'Status: 5.0.0', 'Diagnostic-Code: X-Unix; 255'],
    ),
  );
  expect(r.recipients[0].replyCode).toBe(554);
  expect(r.recipients[0].status).toBe('5.3.0');
});

test('Sendmail: a bare local name\'s "... Deferred" line is an alias expansion, not the recipient\'s error', () => {
  const r = parseBounce(
    sendmailDsn(
      ['localuser... Deferred: Connection refused by [127.0.0.1]', 'Message could not be delivered for 5 days', 'Message will be deleted from queue'],
      ['Action: failed', 'Status: 4.4.7'],
    ),
  );
  expect(r.recipients[0].diagnosticCode).not.toContain('Connection refused');
  expect(r.recipients[0].reason).toBe('expired');
  // the same words on the recipient's own line are its error
  const own = parseBounce(
    sendmailDsn(
      ['<one@mx.example.net>... Deferred: Connection refused by mx.example.net.', 'Message could not be delivered for 5 days'],
      ['Action: failed', 'Status: 4.4.7'],
    ),
  );
  expect(own.recipients[0].diagnosticCode).toContain('Connection refused by mx.example.net');
});

const eximHead = (subject: string): string[] => [
  'From: Mail Delivery System <Mailer-Daemon@relay.example.org>',
  'To: owner@example.org',
  `Subject: ${subject}`,
  'Message-Id: <E1tAbCd-000AbC-Zz@relay.example.org>',
];

test('Exim: recognised by its From, Subject and message id shape; a frozen message is expired', () => {
  const raw = mail(eximHead('Message frozen'), [
    'Message 1tAbCd-000AbC-Zz has been frozen by the system filter.',
    'The sender is <owner@example.org>.',
    '',
    '  one@mx.example.net: forced freeze',
    '',
    '------ This is a copy of the message, including all the headers. ------',
    '',
    'From: owner@example.org',
  ]);
  const r = parseBounce(raw);
  expect(r.mtaModule).toBe('Exim');
  expect(r.recipients.map((x) => [x.finalRecipient, x.reason])).toEqual([['one@mx.example.net', 'expired']]);
  // one mark alone (the From) is not Exim's notice
  const other = parseBounce(raw.replace('Subject: Message frozen', 'Subject: Notice').replace('<E1tAbCd-000AbC-Zz@', '<abc.def@'));
  expect(other.mtaModule).not.toBe('Exim');
});

test('Exim: its own retry wording is expired, a failing pipe a mailer error; a quoted remote reply decides for itself', () => {
  const notice = (lines: string[]): string =>
    mail(eximHead('Mail delivery failed: returning message to sender'), [
      'This message was created automatically by mail delivery software.',
      '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  one@mx.example.net',
      ...lines,
      '',
      '------ This is a copy of the message, including all the headers. ------',
    ]);
  expect(parseBounce(notice(['    all hosts have been failing for a long time and were last tried after this message arrived'])).recipients[0].reason).toBe(
    'expired',
  );
  expect(parseBounce(notice(['    pipe to |/usr/local/bin/filter', '      generated by one@mx.example.net'])).recipients[0].reason).toBe('mailererror');
  expect(
    parseBounce(
      notice(['    SMTP error from remote mail server after RCPT TO:<one@mx.example.net>:', '    host mx.example.net [192.0.2.1]: 550 5.1.1 user unknown']),
    ).recipients[0].reason,
  ).toBe('userunknown');
});

test('X-Failed-Recipients names the recipients when the notice text names none (Google Groups)', () => {
  const raw = mail(
    [
      'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      'To: owner@example.org',
      'Subject: Delivery Status Notification (Failure)',
      'X-Failed-Recipients: team@googlegroups.com, crew@googlegroups.com',
    ],
    [
      'Hello owner@example.org,',
      '',
      "We're writing to let you know that the group you tried to contact (team) may not exist, or you may not have permission to post messages to the group.",
    ],
  );
  expect(parseBounce(raw).recipients.map((x) => [x.finalRecipient, x.reason])).toEqual([
    ['team@googlegroups.com', 'rejected'],
    ['crew@googlegroups.com', 'rejected'],
  ]);
});

const qmail = (lines: string[]): string =>
  mail(
    ['From: MAILER-DAEMON@relay.example.org', 'To: owner@example.org', 'Subject: failure notice'],
    [
      'Hi. This is the qmail-send program at relay.example.org.',
      "I'm afraid I wasn't able to deliver your message to the following addresses.",
      "This is a permanent error; I've given up. Sorry it didn't work out.",
      '',
      '<one@mx.example.net>:',
      ...lines,
      '',
      '--- Below this line is a copy of the message.',
    ],
  );

test('qmail: its own failure strings (qmail-local, qmail-remote, qmail-send, qmail-ldap) each give their reason', () => {
  const cases: Array<[string[], string]> = [
    [['disk quota exceeded'], 'mailboxfull'],
    [['Message size exceeds fixed maximum message size: 10485760 bytes'], 'mesgtoobig'],
    [['Mailaddress is administratively disabled. (#5.2.1)'], 'suspend'],
    [['Unable to contact LDAP server. (#4.4.3)'], 'systemerror'],
    [["Sorry, I couldn't find any host named mx.example.net. (#5.1.2)"], 'hostunknown'],
    [
      ["Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", "I'm not going to try again; this message has been in the queue too long."],
      'networkerror',
    ],
    [["I'm not going to try again; this message has been in the queue too long."], 'expired'],
    // the stage qmail-remote names decides before the queue's give-up line
    [
      [
        'Connected to 192.0.2.1 but my name was rejected.',
        'Remote host said: 501 5.0.0 Invalid domain name',
        "I'm not going to try again; this message has been in the queue too long.",
      ],
      'blocked',
    ],
  ];
  for (const [lines, reason] of cases) expect([lines[0], parseBounce(qmail(lines)).recipients[0]?.reason]).toEqual([lines[0], reason]);
});

test('Gmail is named by its own sentence or its mailer-daemon, not by another notice\'s plural "recipients failed"', () => {
  const dsn = (from: string, sentence: string): string =>
    mail(
      [
        `From: ${from}`,
        'To: owner@example.org',
        'Subject: Delivery Status Notification (Failure)',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      ],
      [
        '--B',
        'Content-Type: text/plain',
        '',
        sentence,
        '',
        '     one@mx.example.net',
        '',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; relay.example.org',
        '',
        'Final-Recipient: rfc822; one@mx.example.net',
        'Action: failed',
        'Status: 5.1.1',
        '',
        '--B--',
      ],
    );
  expect(parseBounce(dsn('postmaster@relay.example.org', 'Delivery to the following recipients failed.')).mtaModule).not.toBe('Gmail');
  expect(parseBounce(dsn('postmaster@relay.example.org', 'Delivery to the following recipient failed permanently:')).mtaModule).toBe('Gmail');
  expect(parseBounce(dsn('Mail Delivery Subsystem <mailer-daemon@googlemail.com>', 'Delivery to the following recipients failed.')).mtaModule).toBe('Gmail');
});

test('iMail: named by its "Undeliverable Mail " Subject alone; its own lines give the reason', () => {
  const imail = (line: string): string =>
    mail(
      ['From: postmaster@mx.example.net', 'To: owner@example.org', 'Subject: Undeliverable Mail '],
      [line, '', 'Original message follows.', '', 'From: owner@example.org'],
    );
  const r = parseBounce(imail('Unknown user: one@mx.example.net'));
  expect(r.mtaModule).toBe('IMail');
  expect(r.recipients.map((x) => [x.finalRecipient, x.reason])).toEqual([['one@mx.example.net', 'userunknown']]);
  expect(parseBounce(imail('Delivery failed 5 attempts: one@mx.example.net')).recipients[0].reason).toBe('expired');
  expect(parseBounce(imail('User mailbox exceeds allowed size: one@mx.example.net')).recipients[0].reason).toBe('mailboxfull');
});

test('recognition by the marks alone: Verizon SMS, m-FILTER and Active!hunter reach their own readers', () => {
  const verizon = parseBounce(
    mail(
      ['From: post_master@vtext.com', 'To: owner@example.org', 'Subject: Undeliverable Message'],
      [
        'Error: 550 - Requested action not taken: no such user here',
        '',
        'Original Message:',
        'From: owner@example.org',
        'To: 5550001234@vtext.com',
        'Subject: hi',
      ],
    ),
  );
  expect([verizon.mtaModule, verizon.recipients.map((x) => [x.finalRecipient, x.reason])]).toEqual(['Verizon', [['5550001234@vtext.com', 'userunknown']]]);

  const mfilter = parseBounce(
    mail(
      ['From: MAILER-DAEMON@relay.example.org', 'To: owner@example.org', 'Subject: failure notice', 'X-Mailer: m-FILTER'],
      [
        '*** ERROR: the following addresses had permanent errors ***',
        'one@mx.example.net',
        '',
        '-------server message',
        '550 5.2.2 <one@mx.example.net>... Mailbox full',
        '',
        '-------SMTP command',
        'RCPT TO:<one@mx.example.net>',
        '',
        '-------original message',
      ],
    ),
  );
  expect([mfilter.mtaModule, mfilter.recipients.map((x) => [x.finalRecipient, x.reason, x.status])]).toEqual([
    'mFILTER',
    [['one@mx.example.net', 'mailboxfull', '5.2.2']],
  ]);

  const ah = parseBounce(
    mail(
      ['From: MAILER-DAEMON@relay.example.org', 'To: owner@example.org', 'Subject: failure notice', 'X-AHMAILID: 0001'],
      [
        '  ----- The following addresses had permanent fatal errors -----',
        '',
        '>>> one@mx.example.net <one@mx.example.net>',
        '',
        '  ----- Transcript of session follows -----',
        '550 sorry, no mailbox here by that name (#5.1.1)',
        '',
        'Content-Type: message/rfc822',
      ],
    ),
  );
  expect([ah.mtaModule, ah.recipients.map((x) => [x.finalRecipient, x.reason])]).toEqual(['Activehunter', [['one@mx.example.net', 'userunknown']]]);
});
