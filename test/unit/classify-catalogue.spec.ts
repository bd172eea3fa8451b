/**
 * Catalogue entries per reason (sisimai's per-reason phrase lists, transcribed as our own data):
 * plain phrases, bounded "A ... B" patterns and the vetoes that keep one reason's words from
 * being read as another's. Every diagnostic here is written for the test, with and without a
 * plausible reply code and enhanced status.
 */
import { test, expect } from '@playwright/test';
import { classify, classifyReason } from '../../src/classify/index.ts';

const reasonOf = (t: string): string => classifyReason(t).reason;

test('a bounded pair matches with a variable middle, and not when the parts are too far apart', () => {
  // "no <name> in name directory" (X.500-style directories)
  expect(reasonOf('550 5.1.1 No kim.lee@example.org in name directory')).toBe('userunknown');
  expect(reasonOf('553 5.1.1 no kim.lee@example.org in name directory')).toBe('userunknown');
  // "IP <address> is blocked by EarthLink"
  expect(reasonOf('550 IP 198.51.100.23 is blocked by EarthLink. Go to the postmaster page')).toBe('blocked');
  // a DNS failure on the client's own name is a PTR requirement, not a network error
  expect(reasonOf('451 DNS lookup failure: 203.0.113.40 try again later')).toBe('requireptr');
  // a connection count, a session count
  expect(reasonOf('421 4.7.0 Connection count limit reached for 198.51.100.2, closing')).toBe('toomanyconn');
  expect(reasonOf('452 Too many concurrent SMTP sessions from your network')).toBe('toomanyconn');
  // the parts of a pair must stay in one sentence and within bounds
  const far = `421 Connection closed. ${'x'.repeat(60)} Your message size limit is 10MB`;
  expect(reasonOf(far)).not.toBe('toomanyconn');
});

test('rate wording with words between "temporarily" and "rate limited" is speeding', () => {
  expect(reasonOf('450 4.7.1 Mail from 198.51.100.9 is temporarily being rate limited')).toBe('speeding');
  expect(reasonOf('Mail from your IP has been temporarily and automatically rate limited')).toBe('speeding');
});

test('an account that no longer accepts mail is suspended, also under a 5.1.1 status', () => {
  expect(reasonOf('550 This address no longer accepts mail.')).toBe('suspend');
  expect(reasonOf('550 5.1.1 This address no longer accepts mail.')).toBe('suspend');
  expect(classify({ diagnostic: 'This address no longer accepts mail', status: '5.2.1' }).reason).toBe('suspend');
});

test("the sending quota of the sender's own relay is a rate, not a full mailbox", () => {
  expect(reasonOf('554 Throttling failure: Daily message quota exceeded.')).toBe('toomanyconn');
  expect(reasonOf('Throttling failure: Maximum sending rate exceeded')).toBe('toomanyconn');
  // a connection rate is a connection count over time, not a sending speed
  expect(reasonOf('452 4.3.2 Connection rate limit exceeded.')).toBe('toomanyconn');
  expect(reasonOf('451 4.7.1 Rate limit exceeded, please slow down')).toBe('speeding');
  // the recipient's quota stays a full mailbox
  expect(reasonOf('552 5.2.2 Mailbox quota exceeded for this recipient')).toBe('mailboxfull');
});

test('vetoes: another cause named in the same words decides', () => {
  // a domain named unknown is hostunknown, although "email address is unknown" is also in the text
  expect(reasonOf('550 Mail domain mentioned in email address is unknown')).toBe('hostunknown');
  expect(reasonOf('550 5.1.2 Mail domain mentioned in email address is unknown')).toBe('hostunknown');
  // "mailbox <addr> unavailable or access denied" is about the mailbox, not the client
  expect(classify({ diagnostic: '550 Mailbox kim@example.org unavailable or access denied', command: 'RCPT' }).reason).toBe('userunknown');
  // a virus named with spam content is virusdetected
  expect(reasonOf('554 5.7.1 The message was rejected because it contains prohibited virus or spam content')).toBe('virusdetected');
  // a hop count that ran out is a routing loop (networkerror), not a local system error
  expect(reasonOf('554 5.4.6 Hop count exceeded - possible mail loop')).toBe('networkerror');
  // null MX answered by Sendmail (RFC 7505): no host will accept mail, the name exists
  expect(reasonOf('550 5.1.10 Name server: .: host not found')).toBe('notaccept');
  // SMTP AUTH is missing, not a relay or unknown user
  expect(reasonOf("553 sorry, you don't authenticate or the domain isn't in my list of allowed rcpthosts")).toBe('securityerror');
  // "no valid recipients from <ip>" is a refusal of the client
  expect(reasonOf('554 Error: no valid recipients from 198.51.100.61')).toBe('blocked');
});

test("a resolver's temporary failure is networkerror; the host's absence stays hostunknown", () => {
  expect(reasonOf('Host mx.example.net not found, try again')).toBe('networkerror');
  expect(reasonOf('Name service error for name=example.org type=MX: Host not found, try again')).toBe('networkerror');
  expect(reasonOf('Host or domain name not found. Name service error for name=example.invalid type=A: Host not found')).toBe('hostunknown');
});

test('a spam verdict that names the message between the verb and "as spam" is spamdetected', () => {
  expect(reasonOf('550 The server detected your message as spam and has prevented delivery.')).toBe('spamdetected');
  expect(reasonOf('554 5.7.1 We identified this email as spam')).toBe('spamdetected');
  expect(reasonOf('550 5.7.1 spam')).toBe('spamdetected');
  expect(reasonOf('554 Rejected: bulk email from an unsolicited source')).toBe('spamdetected');
});

test('catalogue phrases: recipient directory, filters, mailers and auto-replies', () => {
  expect(classify({ diagnostic: '550 5.1.1 RESOLVER.ADR.Recipient NotFound; not found', command: 'RCPT' }).reason).toBe('userunknown');
  expect(classify({ diagnostic: '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized', command: 'DATA' }).reason).toBe('filtered');
  expect(reasonOf('Mail file size exceeds the maximum size allowed for mail delivery')).toBe('mailboxfull');
  expect(classify({ diagnostic: 'Command died: /usr/local/bin/procmail -a x', diagnosticType: 'x-unix' }).reason).toBe('mailererror');
  expect(reasonOf('Hello, I will be traveling for work on the 4th and back later')).toBe('vacation');
  expect(reasonOf('550 5.7.1 Message from <kim@example.org> (a@b:blocked)')).toBe('blocked');
  expect(reasonOf('550 5.1.0 Your access to submit messages to this e-mail system has been rejected')).toBe('rejected');
  expect(reasonOf('553 Envelope blocked – sender domain is on a deny list')).toBe('rejected');
});

test('a pair written with an SMTP code inside it: "... is not allowed to send mail. ... _401" is authfailure', () => {
  expect(reasonOf('550 5.7.1 example.org is not allowed to send mail. SPF ref: AUP_401')).toBe('authfailure');
});

test('a server that wants the client to log in (RFC 4954 §6) is securityerror in any wording', () => {
  expect(reasonOf('550 Please turn on SMTP authentication in your mail program')).toBe('securityerror');
  expect(reasonOf('530 5.7.0 SMTP AUTH is required before sending')).toBe('securityerror');
  expect(reasonOf('553 You must authenticate first')).toBe('securityerror');
  // an SPF or DKIM verdict is authfailure, not a login
  expect(reasonOf('550 5.7.1 SPF authentication failed for example.org')).toBe('authfailure');
});

test('a multiline reply joined into one line is read without its "550-5.x.y" continuation prefixes (RFC 5321 §4.2.1)', () => {
  const joined = '550-5.7.1 This message was classified as 550-5.7.1 spam by our content filter 550 5.7.1 see the help page';
  expect(reasonOf(joined)).toBe('spamdetected');
  const rate =
    '450-4.2.1 The user you are trying to contact is receiving mail at a rate that 450-4.2.1 prevents additional messages from being delivered. 450 4.2.1 Try later';
  expect(reasonOf(rate)).toBe('speeding');
  // a single-line reply is untouched: the code stays where catalogue phrases expect it
  expect(reasonOf('550 5.7.1 spam')).toBe('spamdetected');
});

test('relay and resolver wordings of OpenSMTPD, Courier and qmail are networkerror; a mail loop is a routing loop (RFC 3463 X.4.6)', () => {
  expect(reasonOf('Network error on destination MXs')).toBe('networkerror');
  expect(reasonOf('Temporary failure in MX lookup for example.org')).toBe('networkerror');
  expect(reasonOf('Exceeded maximum hop count (25) for this message')).toBe('networkerror');
  expect(reasonOf('554 Mail loop detected for <kim@example.org>')).toBe('networkerror');
  // a loop the local system refuses to create stays a local system error
  expect(reasonOf('Delivery to kim@example.org failed: it would create a mail loop')).toBe('systemerror');
});

test('directory, transport and internal delivery failures of the receiving system are systemerror', () => {
  expect(reasonOf('451 Temporary LDAP lookup failure, try again later')).toBe('systemerror');
  expect(reasonOf('Several matches found in Domino Directory for kim')).toBe('systemerror');
  expect(reasonOf('451 4.3.0 Internal delivery agent error')).toBe('systemerror');
  expect(reasonOf('Mail transport unavailable')).toBe('systemerror');
});

test('bounded spam pairs: the verdict words around "spam" within one sentence', () => {
  expect(classify({ diagnostic: '550 5.7.1 Your message appears to us to be spam', command: 'DATA' }).reason).toBe('spamdetected');
  expect(classify({ diagnostic: '554 5.7.1 This mail contains likely spam content', command: 'DATA' }).reason).toBe('spamdetected');
  expect(classify({ diagnostic: '550 Our spam filter rejected the message', command: 'DATA' }).reason).toBe('spamdetected');
  // a refusal of the sending IP that mentions spam is still about the client (a filter runs only after DATA)
  expect(classify({ diagnostic: '554 Dynamic/zombied/spam IPs blocked', command: 'CONN' }).reason).toBe('blocked');
});

test('suspension pairs: "account ... disabled", "has been ... suspended", "mailbox ... disabled"', () => {
  expect(reasonOf('550 The account of this recipient has been disabled by its owner')).toBe('suspend');
  expect(reasonOf('550 5.2.1 This mailbox has been temporarily suspended')).toBe('suspend');
  expect(reasonOf('550 Mailbox for kim@example.org is disabled')).toBe('suspend');
});

test('catalogue wordings of hosts, null MX and block lists', () => {
  expect(reasonOf("Sorry, I couldn't find any host named example.invalid. (#5.1.2)")).toBe('hostunknown');
  expect(reasonOf('DNS lookup of example.invalid responded with code NXDOMAIN')).toBe('hostunknown');
  expect(reasonOf('No MX found for example.org')).toBe('notaccept');
  expect(reasonOf('554 5.7.1 The sending server 198.51.100.7 is blacklisted')).toBe('blocked');
  expect(reasonOf('550 5.7.1 Dynamically assigned pool IPs may not send mail here')).toBe('blocked');
  expect(reasonOf('552 Message size exceeds fixed ceiling of 10485760 bytes')).toBe('mesgtoobig');
  expect(reasonOf('550 5.7.1 example.org is not allowed to send mail according to its SPF record')).toBe('authfailure');
});
