/**
 * The generic vocabulary: wordings that no catalogued MTA writes word for word still name their
 * cause by the words the RFCs and postmaster pages use. Every text here is written for the test.
 */
import { test, expect } from '@playwright/test';
import { classifyReason, parseBounce } from '../../src/classify/index.ts';

test('reverse DNS / PTR wording is requireptr whatever the sentence around it', () => {
  expect(classifyReason('550 5.7.1 Client 198.51.100.9 lacks a reverse DNS name; we require one').reason).toBe('requireptr');
  expect(classifyReason('554 Your host has no PTR-record, connection refused').reason).toBe('requireptr');
  expect(classifyReason('421 4.7.0 rDNS check for 203.0.113.4 did not succeed').reason).toBe('requireptr');
});

test('a refusal naming the sender reputation is badreputation, also when it also says "rate limited"', () => {
  expect(classifyReason('451 4.7.1 Deferred: the sending IP reputation is too poor right now').reason).toBe('badreputation');
  expect(classifyReason('550 5.7.1 Rejected because of the reputation of your domain').reason).toBe('badreputation');
});

test('a content filter calling the message spam is spamdetected, even with a content code', () => {
  expect(classifyReason('554 5.6.0 Your message was flagged as spam by our filter').reason).toBe('spamdetected');
  expect(classifyReason('550 5.7.1 Message rejected: spam score 14.2 exceeds threshold').reason).toBe('spamdetected');
  expect(classifyReason('550 Mail refused: probability of spam too high').reason).toBe('spamdetected');
});

test('routing and DNS failures are networkerror, a missing domain stays hostunknown', () => {
  expect(classifyReason('connect to mx.example.net[198.51.100.3]:25: Network is unreachable').reason).toBe('networkerror');
  expect(classifyReason('550 5.4.300 Message expired, DNS lookup failed for the destination').reason).toBe('networkerror');
  expect(classifyReason('Host or domain name not found. Name service error for name=example.invalid type=MX: Host not found').reason).toBe('hostunknown');
});

test('a bare domain "does not exist" and an unrouteable address are hostunknown; a mailbox is not', () => {
  expect(classifyReason('550 mail.example.org does not exist').reason).toBe('hostunknown');
  expect(classifyReason('550 unrouteable address').reason).toBe('hostunknown');
  expect(classifyReason('550 5.1.1 <nobody@example.org>: mailbox does not exist (in reply to RCPT TO command)').reason).toBe('userunknown');
});

test('end-user address space told to use its provider relay, or an invalid sending IP, is blocked', () => {
  expect(classifyReason('550 5.7.0 Mail from residential IP ranges is not accepted here').reason).toBe('blocked');
  expect(classifyReason("550 Use your ISP's SMTP relay for outgoing mail").reason).toBe('blocked');
  expect(classifyReason('554 Invalid sending IP for this domain').reason).toBe('blocked');
});

test('an SPF refusal without the word "fail" is authfailure, not the generic 5.1.0 address reason', () => {
  expect(classifyReason('550 5.1.0 203.0.113.8 is not permitted to send for <example.org> according to its SPF policy').reason).toBe('authfailure');
  expect(classifyReason('550 5.7.0 Please check your SPF record and try again').reason).toBe('authfailure');
});

test('retries that ran out are expired without a status code', () => {
  expect(classifyReason('Delivery to the host failed after 14 attempts, message removed').reason).toBe('expired');
  expect(classifyReason('All servers for this domain have been failing for too long a time').reason).toBe('expired');
});

test("an address refused at MAIL FROM is the sender's address: rejected, not userunknown", () => {
  const t = 'SMTP error from remote mail server after MAIL FROM:<me@example.org> SIZE=900: 553 5.1.0 sender domain example.org does not exist';
  expect(classifyReason(t).reason).toBe('rejected');
  // the same words at RCPT are the recipient's
  expect(classifyReason('SMTP error from remote mail server after RCPT TO:<you@example.net>: 550 5.1.1 user does not exist').reason).toBe('userunknown');
});

test("a Sendmail DSN without Diagnostic-Code: the transcript's address line is read, not the section banner", () => {
  const raw = [
    'From: MAILER-DAEMON@relay.example.org',
    'To: sender@example.org',
    'Subject: Returned mail: see transcript for details',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="s1"',
    '',
    '--s1',
    'Content-Type: text/plain',
    '',
    '   ----- The following addresses had permanent fatal errors -----',
    '<rcpt@example.net>',
    '',
    '   ----- Transcript of session follows -----',
    '<rcpt@example.net>... Deferred: Connection refused by mx.example.net.',
    'Message could not be delivered for 5 days',
    '',
    '--s1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; relay.example.org',
    '',
    'Final-Recipient: RFC822; rcpt@example.net',
    'Action: failed',
    'Status: 4.4.7',
    '',
    '--s1--',
    '',
  ].join('\r\n');
  const r = parseBounce(Buffer.from(raw));
  expect(r.recipients).toHaveLength(1);
  expect(r.recipients[0].reason).toBe('blocked');
  expect(r.recipients[0].status).toBe('4.4.7');
});

test('an SMTP verb quoted in upper case is the stage when nothing else names one', () => {
  expect(classifyReason('550 5.0.0 RCPT TO:<x@example.net> User unknown').reason).toBe('userunknown');
  expect(classifyReason('550 5.0.0 MAIL FROM:<me@example.org> RCPT TO:<x@example.net> DATA: User unknown').reason).toBe('filtered');
  // lower-case prose is not a quoted verb: no stage, the words alone are a filter's answer
  expect(classifyReason('550 5.0.0 the data you sent: user unknown').reason).toBe('filtered');
});

test('a refusal "for policy reasons" is policyviolation: the policy is the cause, "rejected" only the verb', () => {
  expect(classifyReason('554 Mail from sender@example.org rejected for policy reasons').reason).toBe('policyviolation');
  expect(classifyReason('550 5.7.1 Message not accepted for policy reasons').reason).toBe('policyviolation');
  // a sender refusal that names no policy stays rejected
  expect(classifyReason('550 5.1.8 Sender address rejected: domain has no MX (in reply to MAIL FROM command)').reason).toBe('rejected');
});

test('a message refused for carrying a virus is virusdetected, not the generic 5.7.1 securityerror', () => {
  expect(classifyReason('554 5.7.1 Your message was rejected due to the presence of a virus').reason).toBe('virusdetected');
  expect(classifyReason('550 5.7.1 Message containing known malware refused').reason).toBe('virusdetected');
});
