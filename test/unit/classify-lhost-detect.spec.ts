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
  expect(r.recipients).toHaveLength(1);
  expect(r.recipients[0].replyCode).toBe(421);
  expect(r.recipients[0].diagnosticCode).toContain('Deferred: 421');
  expect(r.recipients[0].diagnosticCode).not.toContain('Content-Type');
});

test('Sendmail: an X-Unix Diagnostic-Code is an exit status; the reply code comes from the transcript', () => {
  const r = parseBounce(
    sendmailDsn(['local delivery program failed: too many clients already', '554 5.3.0 unknown mailer error 255'], ['Action: failed', 'Status: 5.0.0', 'Diagnostic-Code: X-Unix; 255']),
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
    sendmailDsn(['<one@mx.example.net>... Deferred: Connection refused by mx.example.net.', 'Message could not be delivered for 5 days'], ['Action: failed', 'Status: 4.4.7']),
  );
  expect(own.recipients[0].diagnosticCode).toContain('Connection refused by mx.example.net');
});
