import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { classifyReason, REASONS } from '../../src/classify/index.ts';

const cases: Array<[string, string, boolean | null]> = [
  ['550 5.1.1 <x@example.com>: Recipient address rejected: User unknown in local recipient table', 'userunknown', true],
  ['452 4.2.2 The email account that you tried to reach is over quota', 'mailboxfull', false],
  ['552 5.3.4 Error: message file too big', 'mesgtoobig', true],
  ['550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org', 'blocked', true],
  ['550-5.7.26 This mail has been blocked because the sender is unauthenticated.', 'authfailure', true],
  ['550-5.7.25 The IP address sending this message does not have a PTR record setup', 'requireptr', true],
  ['554 5.7.1 Relay access denied', 'norelaying', true],
  ['550 5.1.2 Host unknown (Name server: example.invalid: host not found)', 'hostunknown', true],
  ['421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints', 'badreputation', false],
  ['554 5.7.1 IP=127.0.0.1 - None/bad reputation (NOWL) - A problem occurred.', 'badreputation', true],
  ['250 2.1.5 OK', 'delivered', null],
];

for (const [text, reason, hard] of cases) {
  test(`classifyReason: ${reason} <- ${text.slice(0, 50)}`, () => {
    const c = classifyReason(text);
    expect(c.reason).toBe(reason);
    expect(c.hardBounce).toBe(hard);
  });
}

test('explicit status and reply code take part (submission-time nodemailer error)', () => {
  expect(classifyReason('Mailbox unavailable', '5.1.1', 550).reason).toBe('userunknown');
  expect(classifyReason('try later', '4.7.1', 450).hardBounce).toBe(false);
});

test('any text yields a reason of the vocabulary and never throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (s) => {
      const c = classifyReason(s);
      expect(REASONS).toContain(c.reason);
    }),
    { numRuns: 300 },
  );
});
