/**
 * The decision procedure around the catalogue: which evidence wins when a wrapper quotes a reply,
 * when a status field and the reply's own code differ, and when a transient status meets a
 * resolver failure. Every diagnostic here is written for the test.
 */
import { test, expect } from '@playwright/test';
import { classify } from '../../src/classify/index.ts';

test('the reply a wrapper quotes decides over the wrapper and its status, also when the wrapper text names a cause', () => {
  // the whole text reads as filtered (no stage, status 4.4.7); the quoted reply carries its own 5.1.1
  const quoted = 'Message could not be delivered for 5 days: host mx.example.net said: 550 5.1.1 user unknown';
  expect(classify({ diagnostic: quoted, status: '4.4.7', action: 'failed' }).reason).toBe('userunknown');
  const rate = 'retry timeout exceeded; last error: 421 4.7.0 Too many connections from your host';
  expect(classify({ diagnostic: rate, status: '4.4.7', action: 'failed' }).reason).toBe('toomanyconn');
  // no quoted reply: the cause in the wrapper's own words still beats the expiry
  const refused = 'Deferred: Connection refused by mx.example.net. Message could not be delivered for 5 days';
  expect(classify({ diagnostic: refused, status: '4.4.7', action: 'failed' }).reason).toBe('blocked');
  // a quoted reply with no cause of its own leaves the wrapper's verdict
  const bare = 'Message could not be delivered for 5 days: host mx.example.net said: 451 4.4.0 try again later';
  expect(classify({ diagnostic: bare, status: '4.4.7', action: 'failed' }).reason).toBe('expired');
});

test("a generic status field yields to the reply's own registered code in the text", () => {
  // the field is the reporting MTA's summary (x.0.0, RFC 3463 §3.1); the reply carries 5.1.1 / 5.7.26
  expect(classify({ diagnostic: '550 5.1.1 <kim@example.net>... User unknown', status: '5.0.0' }).reason).toBe('userunknown');
  expect(classify({ diagnostic: '550 5.7.26 message rejected', status: '5.0.0' }).reason).toBe('authfailure');
  // a specific field stays: the class and detail of the field win over a generic code in the text
  expect(classify({ diagnostic: '550 5.0.0 mailbox full', status: '5.2.2' }).reason).toBe('mailboxfull');
  // no field: the text's code is the status
  expect(classify({ diagnostic: '552 5.2.2 over quota' }).reason).toBe('mailboxfull');
});

test('a transient resolver failure is a network error, not an unknown host', () => {
  const tryAgain = 'Host or domain name not found. Name service error for name=example.net type=MX: Host not found, try again';
  expect(classify({ diagnostic: tryAgain, status: '4.4.3', action: 'delayed' }).reason).toBe('networkerror');
  // the same wording under a permanent status, and a plain "host not found", stay hostunknown
  expect(
    classify({ diagnostic: 'Host or domain name not found. Name service error for name=example.net type=A: Host not found', status: '5.4.4' }).reason,
  ).toBe('hostunknown');
  expect(classify({ diagnostic: '550 5.1.2 Host unknown', status: '5.1.2' }).reason).toBe('hostunknown');
});

test('a registered "user account disabled" code is suspend, whatever the text says about the user', () => {
  expect(classify({ diagnostic: '550 5.7.13 <kim@example.net>: user unknown', status: '5.7.13', command: 'RCPT' }).reason).toBe('suspend');
  expect(classify({ diagnostic: '525 5.7.13 User account disabled' }).reason).toBe('suspend');
  // without it, the same words at RCPT are an unknown user
  expect(classify({ diagnostic: '550 5.1.1 <kim@example.net>: user unknown', command: 'RCPT' }).reason).toBe('userunknown');
});

test('protocol status codes (X.5.x) name a command error and leave a refusal to the text', () => {
  expect(classify({ diagnostic: '501 5.5.4 Syntax error in parameters or arguments' }).reason).toBe('syntaxerror');
  expect(classify({ diagnostic: '500 5.5.1 Command unrecognized' }).reason).toBe('syntaxerror');
  // a refusal sent with a protocol code is read by its words
  expect(classify({ diagnostic: '550 5.5.4 Mailbox is full' }).reason).toBe('mailboxfull');
  expect(classify({ diagnostic: '554 5.5.2 Message rejected as spam', command: 'DATA' }).reason).toBe('spamdetected');
});

test('a refusal that states its cause and then advises on SPF is the stated cause, not an SPF failure', () => {
  // a mailing-list host refusing for spam and suggesting SPF as a remedy: the advice names no failed check
  const advice =
    'Your email to group team@lists.example.org was rejected due to spam classification. To address this issue: ' +
    '* Set up SPF records for your sending domain if you have not done so already.';
  expect(classify({ diagnostic: advice, status: '5.0.0', replyCode: 550 }).reason).toBe('spamdetected');
  // an SPF failure named as such stays authfailure
  const failed = '550 5.7.1 SPF check: fail for example.org: 203.0.113.9 is not a permitted sender';
  expect(classify({ diagnostic: failed, status: '5.7.1' }).reason).toBe('authfailure');
});
