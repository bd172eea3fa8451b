/**
 * Provider rule sets of hosting and cable ISPs and Japanese carriers: their own bounce codes and
 * stage-dependent wording. Every DSN here is written for the test from the providers' documented
 * reply formats.
 */
import { test, expect } from '@playwright/test';
import { parseBounce } from '../../src/classify/index.ts';
import { dsn as providerDsn } from './provider-dsn.ts';

function dsn(to: string, status: string, remote: string, diag: string): Buffer {
  return providerDsn({ to, status, remote, said: remote, diag });
}

const reason = (raw: Buffer): string | undefined => parseBounce(raw).recipients[0]?.reason;

test("GoDaddy's IBnnn codes decide the reason, whatever the generic words say", () => {
  const host = 'p3plibsmtp01.prod.phx3.secureserver.net';
  expect(
    reason(
      dsn(
        'a@shop.example',
        '5.1.0',
        host,
        '550 5.1.0 198.51.100.7 is not allowed to send from <example.org> per its policy. IB508 (in reply to MAIL FROM command)',
      ),
    ),
  ).toBe('authfailure');
  expect(reason(dsn('a@shop.example', '5.0.0', host, '554 Connection refused. This IP has a poor standing with a sender-intelligence service. IB103'))).toBe(
    'badreputation',
  );
  expect(reason(dsn('a@shop.example', '5.0.0', host, '452 This message contains too many recipients. IB605 (in reply to RCPT TO command)'))).toBe(
    'toomanyconn',
  );
  // the same code elsewhere in an unrelated provider's text is not GoDaddy's
  expect(
    reason(dsn('a@other.example', '5.1.1', 'mx.other.example', '550 5.1.1 <a@other.example>: user unknown, see IB508x (in reply to RCPT TO command)')),
  ).toBe('userunknown');
});

test("Cox's AUP# codes are read only from Cox's own servers", () => {
  expect(reason(dsn('b@cox.net', '5.0.0', 'mx.east.cox.net', '554 5.0.0 Mail refused, see https://www.cox.com/aup AUP#CXDNS'))).toBe('requireptr');
  expect(reason(dsn('b@cox.net', '5.0.0', 'mx.east.cox.net', '421 too many sessions from 198.51.100.7'))).toBe('toomanyconn');
  expect(reason(dsn('b@cox.net', '5.0.0', 'mx.east.cox.net', '554 blocked AUP#IPBL0101'))).toBe('blocked');
});

test('NTT docomo: "Unknown user" is the mailbox at RCPT, the user\'s reception settings after DATA', () => {
  const host = 'mfsmax.docomo.ne.jp';
  expect(reason(dsn('c@docomo.ne.jp', '5.0.0', host, '550 Unknown user c@docomo.ne.jp (in reply to RCPT TO command)'))).toBe('userunknown');
  expect(reason(dsn('c@docomo.ne.jp', '5.0.0', host, '550 Unknown user c@docomo.ne.jp (in reply to end of DATA command)'))).toBe('rejected');
  expect(reason(dsn('c@docomo.ne.jp', '5.2.0', host, '550 Unknown user c@docomo.ne.jp (in reply to end of DATA command)'))).toBe('filtered');
});

test('au/KDDI: "550 : User unknown" without an address is its reception filter', () => {
  expect(reason(dsn('d@ezweb.ne.jp', '5.0.0', 'lsean.ezweb.ne.jp', '550 : User unknown (in reply to end of DATA command)'))).toBe('filtered');
  expect(reason(dsn('d@ezweb.ne.jp', '5.0.0', 'lsean.ezweb.ne.jp', '550 <d@ezweb.ne.jp>: User unknown (in reply to RCPT TO command)'))).toBe('userunknown');
});
