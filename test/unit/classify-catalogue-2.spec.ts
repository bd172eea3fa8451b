/**
 * Further catalogue entries (sisimai's newer per-reason lists, transcribed as our own data) and
 * the decision rules around them: which reason a diagnostic made of the catalogue's words gets
 * bare, under a status code of its class and inside a Postfix "said: ... (in reply to ...)"
 * wrapper. Every diagnostic here is written for the test.
 */
import { test, expect } from '@playwright/test';
import { classify, classifyReason } from '../../src/classify/index.ts';

const reasonOf = (t: string): string => classifyReason(t).reason;
const postfix = (reply: string, command: string): string => `host mx.example.net[198.51.100.5] said: ${reply} (in reply to ${command} command)`;

test('"message ... exceeds ... limit" is a message too big; a header or recipient-list limit is not', () => {
  expect(reasonOf('552 Message of 31457280 bytes exceeds the configured limit')).toBe('mesgtoobig');
  expect(reasonOf(postfix('552 5.3.4 Message body exceeds size limit', 'end of DATA'))).toBe('mesgtoobig');
  expect(reasonOf('554 5.6.0 Message header size, or recipient list, exceeds policy limit')).toBe('contenterror');
  // the per-mailbox limit of RFC 3463 X.2.3 stays its own reason
  expect(reasonOf('552 5.2.3 Message length exceeds administrative limit')).toBe('exceedlimit');
});

test('an inactive mailbox is suspended, also under a 5.1.1 or 5.2.1 status and at RCPT', () => {
  expect(reasonOf('550 Mailbox is inactive')).toBe('suspend');
  expect(reasonOf('550 5.2.1 mailbox is inactive')).toBe('suspend');
  expect(reasonOf(postfix('550 5.1.1 <kim@example.net>: user not active', 'RCPT TO'))).toBe('suspend');
  expect(reasonOf('550 5.1.1 kim@example.net is not an active address at this host')).toBe('suspend');
  // "not" must qualify "active" itself
  expect(reasonOf('550 5.1.1 User unknown, not interested in active content')).toBe('userunknown');
});

test('an unverified sending identity of a relay service is a relay refusal', () => {
  const ses = 'Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: kim@example.org';
  expect(reasonOf(`554 ${ses}`)).toBe('norelaying');
  expect(reasonOf(postfix(`554 5.7.1 ${ses}`, 'end of DATA'))).toBe('norelaying');
});

test('a reply that is only a code and the word "spam" is spamdetected, also inside a Postfix wrapper', () => {
  expect(reasonOf('550 5.7.1 spam')).toBe('spamdetected');
  expect(reasonOf(postfix('550 5.7.1 spam', 'end of DATA'))).toBe('spamdetected');
  // a score with the word spam after it
  expect(reasonOf('550 5.7.1 Message score 9.1 is above the spam threshold')).toBe('spamdetected');
  expect(reasonOf(postfix('554 5.7.1 your score-spam was too high', 'end of DATA'))).toBe('spamdetected');
});

test('a refusal of the sending IP address is blocked', () => {
  expect(reasonOf('554 5.7.1 Mail from this IP address is not accepted')).toBe('blocked');
  expect(reasonOf(postfix('550 5.7.1 Connections from your IP address are refused', 'RCPT TO'))).toBe('blocked');
  // "from" and "IP address" across a sentence end are not one phrase
  expect(reasonOf('550 5.7.1 Mail from kim@example.org rejected. IP address logged')).not.toBe('blocked');
});

test("Google Workspace's page on a compliance rule's refusal is a policy violation", () => {
  const g = '550 5.7.1 The message was not delivered. See https://support.google.com/a/answer/172179 for details';
  expect(reasonOf(g)).toBe('policyviolation');
  expect(reasonOf(postfix(g, 'end of DATA'))).toBe('policyviolation');
});

test('a local system error and an unreachable host', () => {
  expect(reasonOf('451 4.3.0 could not load configuration for domain example.net')).toBe('systemerror');
  expect(classify({ diagnostic: 'Host not reachable', status: '4.4.7', action: 'failed' }).reason).toBe('expired');
  expect(reasonOf('451 4.0.0 host not reachable')).toBe('expired');
});

test('a refusal "by policy" or for content restrictions is a policy violation; Postfix\'s missing reverse hostname is requireptr', () => {
  expect(reasonOf('550 5.7.1 Message blocked by organization policy')).toBe('policyviolation');
  expect(reasonOf('550 5.7.1 Message rejected due to content restrictions')).toBe('policyviolation');
  // an authentication policy is still authfailure, a spam verdict still spamdetected
  expect(reasonOf('550 5.7.1 Email rejected per DMARC policy for example.org')).toBe('authfailure');
  expect(reasonOf(postfix('550 5.7.1 Message rejected as spam by content filtering policy', 'end of DATA'))).toBe('spamdetected');
  expect(reasonOf(postfix('450 4.7.1 Client host rejected: cannot find your reverse hostname, [198.51.100.7]', 'RCPT TO'))).toBe('requireptr');
});

test('policy, attachment, DNSBL and sender-blocklist families read wordings no catalogue lists', () => {
  // a policy named further after the verb, a policy that "prohibited" the mail
  expect(reasonOf('550 Rejected by header based Anti-Spoofing policy: kim@example.org')).toBe('policyviolation');
  expect(reasonOf('550 5.7.1 The domain you are sending to has a policy that prohibited the mail that you sent')).toBe('policyviolation');
  // an attachment type refused
  expect(reasonOf(postfix('550 5.7.1 Attachment type not allowed (.exe)', 'end of DATA'))).toBe('policyviolation');
  expect(reasonOf('554 5.7.1 Message contains a forbidden file type')).toBe('policyviolation');
  // an attachment named without a refusal of it is no policy
  expect(reasonOf('552 5.3.4 Message size exceeds fixed limit, attachments included')).toBe('mesgtoobig');
  expect(reasonOf('554 5.7.1 Rejected: banned attachment in message')).toBe('policyviolation');
  // a filter's last word "spam"
  expect(reasonOf('550 5.7.1 Message rejected by the mail filter: spam')).toBe('spamdetected');
  expect(reasonOf('550 5.7.1 Message rejected by the mail filter: spam trap address')).not.toBe('spamdetected');
  // the client's address with a DNSBL operator's name; the sender's address on a block list
  expect(reasonOf('550 5.7.1 Mail from IP 198.51.100.1 was rejected due to listing in Spamhaus SBL')).toBe('blocked');
  expect(reasonOf('550 5.7.1 Your sender address is on our blocklist')).toBe('rejected');
});

test("a host not found behind Postfix's HELO or client restriction is the client's name, not the recipient's domain", () => {
  expect(reasonOf(postfix('450 4.7.1 <bogus.invalid>: Helo command rejected: Host not found', 'RCPT TO'))).toBe('blocked');
  expect(reasonOf('554 5.7.1 Helo command rejected: Host not found')).toBe('blocked');
  // the recipient's domain not found is still hostunknown
  expect(reasonOf(postfix('550 5.1.2 <kim@nowhere.invalid>: Recipient address rejected: Domain not found', 'RCPT TO'))).toBe('hostunknown');
});

test('a host that accepts no mail is notaccept; one that refuses mail from someone is not', () => {
  expect(reasonOf('550 5.7.27 This domain does not accept mail')).toBe('notaccept');
  expect(reasonOf('550 5.7.1 The recipient does not accept mail from outside the organization')).not.toBe('notaccept');
});
