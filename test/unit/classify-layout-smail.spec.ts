import { test, expect } from '@playwright/test';
import { parseBounce } from '../../src/classify/index.ts';
import { mail } from './lhost-mail.ts';

test('Smail 3 / T-Online layout: each failed address gets its own line, Smail\'s "... unknown host" is hostunknown', () => {
  const r = parseBounce(
    mail(
      ['From: Mail Delivery System <Mailer-Daemon@smail.example.net>', 'To: sender@example.org', 'Subject: mail failed, returning to sender'],
      [
        '|------------------------- Message log follows: -------------------------|',
        ' no valid recipients were found for this message',
        '|------------------------- Failed addresses follow: ---------------------|',
        ' ken@gone.example.com ... unknown host',
        ' <lea@t-online.example>',
        '   552 5.2.2 <lea@t-online.example> Quota exceeded (mailbox for user is full)',
        '|------------------------- Message text follows: ------------------------|',
        'Subject: hello',
      ],
    ),
  );
  expect(r.recipients.map((x) => [x.finalRecipient, x.reason])).toEqual([
    ['ken@gone.example.com', 'hostunknown'],
    ['lea@t-online.example', 'mailboxfull'],
  ]);
  expect(r.recipients[1].status).toBe('5.2.2');
  expect(r.recipients[0].diagnosticCode).not.toMatch(/quota/i);
});
