import { test, expect } from '@playwright/test';
import { decodeWords, parseContentType, parseMime, partText, walk } from '../../src/classify/mime.ts';
import { parseBounce } from '../../src/classify/index.ts';

// RFC 2231 §3: a parameter value may be split into numbered sections that are joined in order.
const continued = [
  'From: MAILER-DAEMON@mx.example.net',
  'To: sender@example.org',
  'Subject: Undelivered Mail Returned to Sender',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status;',
  '\tboundary*0="part-one-";',
  '\tboundary*1="part-two"',
  '',
  '--part-one-part-two',
  "Content-Type: text/plain; charset*=us-ascii'en'us-ascii",
  '',
  'Delivery to the following recipient failed permanently.',
  '',
  '--part-one-part-two',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.example.net',
  '',
  'Final-Recipient: rfc822; nobody@example.com',
  'Action: failed',
  'Status: 5.1.1',
  'Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
  '',
  '--part-one-part-two--',
  '',
].join('\n');

test('an RFC 2231-continued boundary splits the multipart', () => {
  const root = parseMime(continued);
  expect(root.params.boundary).toBe('part-one-part-two');
  expect(root.children.map((c) => c.contentType)).toEqual(['text/plain', 'message/delivery-status']);
  const r = parseBounce(continued);
  expect(r.kind).toBe('dsn');
  expect(r.recipients).toHaveLength(1);
  expect(r.recipients[0]).toMatchObject({ finalRecipient: 'nobody@example.com', status: '5.1.1', reason: 'userunknown' });
});

test('RFC 2231 charset-encoded parameter values are decoded', () => {
  expect(parseContentType("text/plain; name*=utf-8''%E2%82%AC.txt").params.name).toBe('€.txt');
  expect(parseContentType('TEXT/PLAIN; CHARSET="ISO-8859-1"')).toEqual({ type: 'text/plain', params: { charset: 'ISO-8859-1' } });
  expect(parseContentType('nonsense').type).toBe('text/plain');
});

test('RFC 2047 encoded words: adjacent words join, charsets decode, junk stays', () => {
  expect(decodeWords('=?utf-8?q?Unzustellbar=3A?= =?ISO-8859-1?Q?_Pr=FCfung?=')).toBe('Unzustellbar: Prüfung');
  expect(decodeWords('=?ISO-2022-JP?B?GyRCJCIbKEI=?=')).toBe('あ');
  expect(decodeWords('plain =?broken')).toBe('plain =?broken');
});

test('body charsets: declared Latin-1, Shift_JIS; unknown labels keep every octet', () => {
  const msg = (cs: string, body: string, cte = '8bit'): string => `Content-Type: text/plain; charset=${cs}\nContent-Transfer-Encoding: ${cte}\n\n${body}`;
  expect(partText(parseMime(msg('iso-8859-1', 'Pr\u00fcfung')))).toBe('Prüfung');
  expect(partText(parseMime(msg('shift_jis', '\u0082\u00a0')))).toBe('あ');
  expect(partText(parseMime(msg('x-unknown', 'Pr=FCfung', 'quoted-printable')))).toBe('Prüfung');
  expect(walk(parseMime(msg('utf-8', 'x'))).length).toBe(1);
});
