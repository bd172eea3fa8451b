/**
 * Remote-host rule sets: which provider's rules apply (the recipient's domain, the host that
 * answered, then the reporting MTA) and the kinds of rule a provider has (a wording under one
 * status code, a code gated by the reply class, a code scheme in the text, a range of codes, a
 * wording alone). Every DSN here is written for the test from the providers' documented replies.
 */
import { test, expect } from '@playwright/test';
import { parseBounce } from '../../src/classify/index.ts';
import { remoteHosts, unfoldReply } from '../../src/classify/providers.ts';
import { dsn, type Dsn } from './provider-dsn.ts';

const reason = (d: Dsn): string | undefined => parseBounce(dsn(d)).recipients[0]?.reason;
const M365 = 'contoso-com.mail.protection.outlook.com';

test('an Exchange Online code alone decides for a company domain hosted at Microsoft 365, named only by the host that answered', () => {
  const diag = '550 5.7.606 Message refused';
  expect(reason({ to: 'a@contoso.example', status: '5.7.606', diag, said: M365 })).toBe('blocked');
  expect(reason({ to: 'a@contoso.example', status: '5.7.606', diag, remote: M365 })).toBe('blocked');
  // the same reply from a host that is not Microsoft's is not read by Microsoft's codes
  expect(reason({ to: 'a@contoso.example', status: '5.7.606', diag, said: 'mx.contoso.example' })).toBe('securityerror');
});

test('a wording Exchange documents under one status code applies under that code only', () => {
  const text = 'Access denied, the sending IPv6 address [2001:db8::25] must have a reverse DNS record';
  expect(reason({ to: 'a@contoso.example', status: '5.7.25', diag: `550 5.7.25 ${text}`, remote: M365 })).toBe('blocked');
  expect(reason({ to: 'a@contoso.example', status: '5.7.1', diag: `550 5.7.1 ${text}`, remote: M365 })).not.toBe('blocked');
  expect(reason({ to: 'a@contoso.example', status: '5.2.1', diag: '550 5.2.1 Mailbox cannot be accessed', remote: M365 })).toBe('suspend');
  expect(reason({ to: 'a@contoso.example', status: '4.4.23', diag: '451 4.4.23 Message failed to be replicated: no healthy secondary', remote: M365 })).toBe(
    'systemerror',
  );
  expect(reason({ to: 'a@contoso.example', status: '5.4.8', diag: '550 5.4.8 MX hosts of contoso.example failed MTA-STS validation', remote: M365 })).toBe(
    'failedstarttls',
  );
});

test('the provider that answered speaks before the one that wrote the report', () => {
  const diag = '550 5.1.351 Remote server returned unknown recipient or mailbox unavailable -> 550 : User unknown';
  const base = { to: 'a@ezweb.ne.jp', status: '5.1.351', diag, reporting: 'TY2PR01MB1234.jpnprd01.prod.outlook.com' };
  // au/KDDI's "550 : User unknown" without an address is its reception filter
  expect(reason({ ...base, remote: 'msmx.au.com' })).toBe('filtered');
  // relayed to a host no rule set knows, the report's own wording is Exchange's unknown recipient
  expect(reason({ ...base, to: 'a@plain.example', remote: 'mx.plain.example' })).toBe('userunknown');
});

test("Outlook.com's postmaster codes are read under the reply class they are documented for", () => {
  const to = 'a@hotmail.com';
  const remote = 'hotmail-com.olc.protection.outlook.com';
  expect(reason({ to, remote, status: '4.7.0', diag: '421 4.7.0 [RP-001] Unfortunately, some messages from 198.51.100.7 were not sent.' })).toBe(
    'badreputation',
  );
  expect(reason({ to, remote, status: '5.7.1', diag: '550 5.7.1 Mail rejected for policy reasons [SC-003]' })).toBe('blocked');
  expect(reason({ to, remote, status: '5.7.1', diag: '550 5.7.1 Mail rejected for policy reasons [DY-002]' })).toBe('virusdetected');
  expect(reason({ to, remote, status: '5.5.0', diag: '554 The mail could not be delivered to the recipient because the domain is not reachable' })).toBe(
    'hostunknown',
  );
});

test("a multi-line reply's continuation prefixes do not break the provider's sentence", () => {
  expect(unfoldReply('550-5.2.1 the user is receiving mail at a rate that 550-5.2.1 prevents additional messages')).toBe(
    'the user is receiving mail at a rate that prevents additional messages',
  );
  const diag =
    '550-5.2.1 The user you are trying to contact is receiving mail at a rate that 550-5.2.1 prevents additional messages from being delivered. 550 5.2.1 https://support.google.com/mail/?p=ReceivingRatePerm';
  expect(reason({ to: 'a@gmail.com', status: '5.2.1', diag, remote: 'gmail-smtp-in.l.google.com' })).toBe('speeding');
});

test('Google wordings documented under one code: syntax errors, busy servers, a missing DMARC record', () => {
  const g = { to: 'a@gmail.com', remote: 'gmail-smtp-in.l.google.com' };
  expect(reason({ ...g, status: '5.7.11', diag: '501 5.7.11 Syntax error (no parameters allowed).' })).toBe('syntaxerror');
  expect(reason({ ...g, status: '4.4.5', diag: '421 4.4.5 Server busy, try again later.' })).toBe('systemerror');
  expect(
    reason({
      ...g,
      status: '4.7.40',
      diag: "421 4.7.40 The sending domain doesn't have a DMARC record. Gmail requires all bulk email senders to add a DMARC record to their domain.",
    }),
  ).toBe('authfailure');
});

test('reports name the answering host in their own words', () => {
  expect(remoteHosts('<a@b.example>: host mx1.b.example[198.51.100.1] said: 550 no')).toBe('mx1.b.example');
  expect(remoteHosts('... while talking to mfsmax.docomo.ne.jp.:\n>>> RCPT To:<a@docomo.ne.jp>')).toBe('mfsmax.docomo.ne.jp');
  expect(remoteHosts('550 5.1.1 user unknown')).toBe('');
});

test("Facebook's and I.UA's code schemes, only at their own hosts", () => {
  const fb = { to: 'a@facebook.com', remote: 'smtpin.vvv.facebook.com' };
  expect(reason({ ...fb, status: '5.1.1', diag: '550 5.1.1 RCP-P1 https://www.facebook.com/postmaster/response_codes?#RCP-P1' })).toBe('userunknown');
  expect(reason({ ...fb, status: '5.0.0', diag: "550 5.0.0 RCP-P2 The attempted recipient's preferences prevent messages" })).toBe('filtered');
  expect(reason({ ...fb, status: '5.0.0', diag: '550 5.0.0 DNS-P3 Your mail server does not have a reverse DNS record' })).toBe('requireptr');
  expect(reason({ ...fb, status: '4.0.0', diag: '451 4.0.0 INT-T2 Try again later' })).toBe('systemerror');
  expect(reason({ to: 'a@plain.example', remote: 'mx.plain.example', status: '5.0.0', diag: '550 5.0.0 RCP-P2 see our policy' })).not.toBe('filtered');
  const iua = { to: 'a@i.ua', remote: 'mx.email.ua' };
  expect(reason({ ...iua, status: '5.0.0', diag: '550 5.0.0 Mailbox was not used for a long time, see https://mail.i.ua/err/3/' })).toBe('suspend');
  expect(reason({ ...iua, status: '5.0.0', diag: '550 5.0.0 Not in the address list, see https://mail.i.ua/err/10/' })).toBe('filtered');
});

test("Spectrum's AUP codes decide by the documented range they fall in", () => {
  const sp = { to: 'a@charter.net', remote: 'mx.charter.net', status: '5.0.0' };
  expect(reason({ ...sp, diag: '550 5.0.0 Rejected, see https://www.spectrum.net/support AUP#I-1120' })).toBe('requireptr');
  expect(reason({ ...sp, diag: '550 5.0.0 Rejected, see https://www.spectrum.net/support AUP#O-1400' })).toBe('speeding');
  expect(reason({ ...sp, diag: '550 5.0.0 Rejected, see https://www.spectrum.net/support AUP#I-1260' })).toBe('networkerror');
  expect(reason({ ...sp, diag: '550 5.0.0 Rejected, see https://www.spectrum.net/support AUP#In-1310' })).toBe('toomanyconn');
});

test('gateway and provider wordings: Mimecast, Zoho, Cloudflare, Tencent, GoDaddy', () => {
  const mc = { to: 'a@customer.example', remote: 'eu-smtp-inbound-1.mimecast.com' };
  expect(reason({ ...mc, status: '5.0.0', diag: '553 This route requires encryption (TLS)' })).toBe('securityerror');
  expect(reason({ ...mc, status: '5.0.0', diag: '550 Envelope blocked - User Entry - https://community.mimecast.com' })).toBe('rejected');
  expect(reason({ ...mc, status: '4.0.0', diag: '451 Unable to process connection at this time' })).toBe('systemerror');
  const z = { to: 'a@zoho.com', remote: 'mx.zoho.com' };
  expect(reason({ ...z, status: '5.7.1', diag: '552 5.7.1 virus EICAR-Test detected by Zoho Mail' })).toBe('virusdetected');
  expect(reason({ ...z, status: '5.7.1', diag: '550 5.7.1 Email rejected per DMARC policy for zoho.com' })).toBe('authfailure');
  expect(
    reason({ to: 'a@routed.example', remote: 'route1.mx.cloudflare.net', status: '5.7.1', diag: '550 5.7.1 198.51.100.7 found on one or more DNSBLs' }),
  ).toBe('blocked');
  expect(reason({ to: 'a@qq.com', remote: 'mx3.qq.com', status: '5.0.0', diag: '550 Mailbox unavailable or access denined' })).toBe('speeding');
  expect(
    reason({
      to: 'a@shop.example',
      remote: 'smtp.secureserver.net',
      status: '5.0.0',
      diag: '554 Refused, see http://www.spamhaus.org/query/bl?ip=198.51.100.7',
    }),
  ).toBe('blocked');
});

test("Yahoo's TS codes: TS03 refuses the IP's mail, TS01/TS02 defer it for its reputation unless answered to MAIL FROM", () => {
  const y = { to: 'a@yahoo.com', remote: 'mta6.am0.yahoodns.net' };
  expect(reason({ ...y, status: '4.7.1', diag: '421 4.7.1 [TS03] All messages from 198.51.100.7 permanently deferred' })).toBe('rejected');
  expect(reason({ ...y, status: '4.7.0', diag: '421 4.7.0 [TS02] Messages from 198.51.100.7 temporarily deferred' })).toBe('badreputation');
  expect(reason({ ...y, status: '4.7.0', diag: '421 4.7.0 [TS01] Messages from 198.51.100.7 temporarily deferred (in reply to MAIL FROM command)' })).toBe(
    'rejected',
  );
});

test('Exchange Online 5.7.515: a sender domain short of the required authentication level', () => {
  const diag = '550 5.7.515 Access denied, sending domain example.org is refused.';
  expect(reason({ to: 'a@contoso.example', status: '5.7.515', diag, remote: M365 })).toBe('authfailure');
});

test("a provider the reply's own wording names is read after the answering provider's rules found nothing", () => {
  // a Gmail recipient whose reply carries GoDaddy's IBnnn code (the message was forwarded through GoDaddy)
  const diag = '550 5.1.0 198.51.100.7 is not allowed to send from <example.org> per its policy. IB508';
  expect(reason({ to: 'a@gmail.com', remote: 'gmail-smtp-in.l.google.com', status: '5.1.0', diag })).toBe('authfailure');
});

test("GMX's and WEB.DE's SPF refusal", () => {
  expect(
    reason({
      to: 'a@web.de',
      remote: 'mx-ha03.web.de',
      status: '5.0.0',
      diag: '550 <s@example.org>: Reject due to SPF policy. The originating IP is not permitted',
    }),
  ).toBe('authfailure');
});
