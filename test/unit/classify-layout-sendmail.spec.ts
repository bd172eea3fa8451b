import { test, expect } from '@playwright/test';
import { parseBounce } from '../../src/classify/index.ts';
import { readSendmail, sendmailError } from '../../src/classify/lhost-sendmail.ts';
import { mail } from './lhost-mail.ts';

const headers = [
  'From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>',
  'To: <sender@example.net>',
  'Subject: Returned mail: see transcript for details',
];

/** Sendmail's report for three recipients at two hosts: two refused at RCPT (pipelined), one at DATA. */
const report = [
  'The original message was received at Tue, 1 Dec 2026 10:00:00 +0100',
  'from localhost [127.0.0.1]',
  '',
  '   ----- The following addresses had permanent fatal errors -----',
  '<ann@one.example>',
  '<bob@one.example>',
  '<cat@two.example>',
  '',
  '   ----- Transcript of session follows -----',
  '... while talking to mx.one.example.:',
  '>>> DATA',
  '<<< 550 5.1.1 <ann@one.example>... No such mailbox',
  '550 5.1.1 <ann@one.example>... User unknown',
  '<<< 452 4.2.2 <bob@one.example>... Mailbox over quota, try again later',
  '<bob@one.example>... Deferred: 452 4.2.2 Mailbox over quota',
  '<<< 554 5.5.1 Error: no valid recipients',
  '... while talking to mx.two.example.:',
  '>>> DATA',
  '<<< 554-5.7.1 Message rejected:',
  '<<< 554 5.7.1 spam content detected',
  '554 5.0.0 Service unavailable',
];

const field = (a: string, action: string, status: string, host: string): string[] => [
  `Final-Recipient: RFC822; ${a}`,
  `Action: ${action}`,
  `Status: ${status}`,
  `Remote-MTA: DNS; ${host}`,
  '',
];

const dsn = (fields: string[]): string =>
  mail(
    [...headers, 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="X1"'],
    ['--X1', '', ...report, '', '--X1', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; relay.example.net', '', ...fields, '--X1--'],
  );

test("Sendmail DSN, several recipients, no Diagnostic-Code: each gets its own RCPT reply or its session's DATA reply", () => {
  const r = parseBounce(
    dsn([
      ...field('ann@one.example', 'failed', '5.0.0', 'mx.one.example'),
      ...field('bob@one.example', 'delayed', '4.0.0', 'mx.one.example'),
      ...field('cat@two.example', 'failed', '5.0.0', 'mx.two.example'),
    ]),
  );
  expect(r.kind).toBe('dsn');
  expect(r.recipients.map((x) => [x.finalRecipient, x.reason, x.status, x.replyCode])).toEqual([
    ['ann@one.example', 'userunknown', '5.1.1', 550],
    ['bob@one.example', 'mailboxfull', '4.2.2', 452],
    ['cat@two.example', 'spamdetected', '5.7.1', 554],
  ]);
  // no recipient carries another one's words
  expect(r.recipients[0].diagnosticCode).not.toMatch(/quota|spam/i);
  expect(r.recipients[2].diagnosticCode).toMatch(/spam content detected/);
  expect(r.recipients[2].diagnosticCode).not.toMatch(/ann@|bob@/);
});

test("Sendmail transcript reader: a pipelined reply above a recipient line is that recipient's RCPT reply; an unclaimed one is the session's", () => {
  const rep = readSendmail(report.join('\n'))!;
  expect(rep.sessions.map((s) => s.host)).toEqual(['mx.one.example', 'mx.two.example']);
  expect(sendmailError(rep, 'ANN@one.example')).toEqual({
    text: '<<< 550 5.1.1 <ann@one.example>... No such mailbox\n550 5.1.1 <ann@one.example>... User unknown',
    command: 'RCPT',
  });
  // a recipient the transcript does not name: its Remote-MTA's session failed at DATA for all
  expect(sendmailError(rep, 'dan@two.example', 'dns; mx.two.example')).toEqual({
    text: '<<< 554-5.7.1 Message rejected:\n<<< 554 5.7.1 spam content detected\n554 5.0.0 Service unavailable',
    command: 'DATA',
  });
  // one.example's DATA reply ("no valid recipients") is claimed by no one it refused on its own
  expect(sendmailError(rep, 'eve@one.example', 'dns; mx.one.example')?.command).toBe('DATA');
  expect(sendmailError(rep, 'zed@three.example', 'dns; mx.three.example')).toBeUndefined();
});

test('Sendmail transcript without pipelining: the reply after ">>> RCPT To:<a>" is a\'s; "(reason: ...)" stands in when the transcript names nobody', () => {
  const rep = readSendmail(
    [
      '   ----- The following addresses had permanent fatal errors -----',
      'gus@three.example',
      '    (reason: 550 5.7.1 Relaying denied)',
      'hal@four.example',
      '',
      '   ----- Transcript of session follows -----',
      'While talking to mx.four.example:',
      '>>> RCPT To:<hal@four.example>',
      '<<< 550 5.1.1 unknown or illegal alias: hal@four.example',
      '>>> DATA',
      '<<< 503 5.5.1 No recipients',
    ].join('\n'),
  )!;
  expect(sendmailError(rep, 'hal@four.example')).toEqual({ text: '<<< 550 5.1.1 unknown or illegal alias: hal@four.example', command: 'RCPT' });
  expect(sendmailError(rep, 'gus@three.example')).toEqual({ text: '550 5.7.1 Relaying denied' });
});

test("a Sendmail report without DSN fields: the transcript names the recipients and each one's reply", () => {
  const r = parseBounce(mail(headers, [...report, '', '   ----- Original message follows -----', '', 'Subject: hello', '', 'hi']));
  expect(r.kind).toBe('nonstandard-bounce');
  expect(r.recipients.map((x) => [x.finalRecipient, x.reason, x.replyCode])).toEqual([
    ['ann@one.example', 'userunknown', 550],
    ['bob@one.example', 'mailboxfull', 452],
    ['cat@two.example', 'spamdetected', 554],
  ]);
});
