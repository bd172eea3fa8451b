import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { parseBounce } from '../../src/classify/index.ts';
import { parseDeliveryStatus } from '../../src/classify/rfc3464.ts';

const fx = (name: string): Buffer => readFileSync(fileURLToPath(new URL(`../fixtures/bounces/${name}`, import.meta.url)));

test('Amazon SES JSON bounce (SNS envelope): recipient, status, reply code, userunknown', () => {
  const r = parseBounce(fx('ses-json-bounce.eml'));
  expect(r.kind).toBe('dsn');
  expect(r.mtaModule).toBe('AmazonSES');
  expect(r.recipients).toHaveLength(1);
  expect(r.recipients[0]).toMatchObject({
    finalRecipient: 'nobody@seed.example.net',
    status: '5.1.1',
    replyCode: 550,
    reason: 'userunknown',
    hardBounce: true,
  });
  expect(r.reportingMta).toBe('b1-2.smtp-out.eu-west-1.amazonses.com');
});

test('Amazon SES JSON complaint (SNS line wrap "!\\n ") is feedback, delivery is delivered', () => {
  const c = parseBounce(fx('ses-json-complaint.eml'));
  expect(c.kind).toBe('feedback');
  expect(c.feedbackType).toBe('abuse');
  expect(c.recipients[0]).toMatchObject({ finalRecipient: 'reader@seed.example.net', reason: 'feedback', hardBounce: null });
  const d = parseBounce(fx('ses-json-delivery.eml'));
  expect(d.recipients[0]).toMatchObject({ finalRecipient: 'inbox@seed.example.net', reason: 'delivered', status: '2.6.0', replyCode: 250 });
});

test('fml "not member" notice is a rejection, not ordinary mail', () => {
  const r = parseBounce(fx('fml-not-member.eml'));
  expect(r.kind).toBe('nonstandard-bounce');
  expect(r.mtaModule).toBe('fml');
  expect(r.recipients[0].reason).toBe('rejected');
});

test('Google Groups refusal (any language, no SMTP code) is rejected; tag found in the original', () => {
  const r = parseBounce(fx('googlegroups-noperm.eml'));
  expect(r.mtaModule).toBe('GoogleGroups');
  expect(r.recipients[0].reason).toBe('rejected');
  expect(r.returned.tag).toBe('gg123');
});

test('Verizon SMS gateway "Error message below" notice: userunknown with reply code 550', () => {
  const r = parseBounce(fx('verizon-sms.eml'));
  expect(r.kind).toBe('nonstandard-bounce');
  expect(r.recipients[0]).toMatchObject({ reason: 'userunknown', replyCode: 550, hardBounce: true });
});

test('Exim per-address block: "mailbox is full: retry timeout exceeded" is mailboxfull, not expired', () => {
  const r = parseBounce(fx('exim-mailbox-full.eml'));
  expect(r.mtaModule).toBe('Exim');
  expect(r.recipients[0].reason).toBe('mailboxfull');
});

test('Zoho delay notice: "ResponseCode 421" read as the reply code, soft expired', () => {
  const r = parseBounce(fx('zoho-delay.eml'));
  expect(r.recipients[0]).toMatchObject({ finalRecipient: 'seed@slow.example.net', replyCode: 421, reason: 'expired', hardBounce: false });
});

test('provider rules: Yahoo TSS04 answered to MAIL FROM is rejected; Orange LPN007_416 is userunknown', () => {
  const y = parseBounce(fx('yahoo-tss04-mail.eml'));
  expect(y.recipients).toHaveLength(1);
  expect(y.recipients[0]).toMatchObject({ reason: 'rejected', status: '4.7.0', replyCode: 421 });
  const o = parseBounce(fx('orange-lpn.eml'));
  expect(o.recipients).toHaveLength(1);
  expect(o.recipients[0]).toMatchObject({ finalRecipient: 'seed@orange.fr', reason: 'userunknown', replyCode: 550, hardBounce: true });
});

test('SMTP command from "did not like our RCPT TO": status 5.2.1 with user unknown text is userunknown', () => {
  const r = parseBounce(fx('dragonfly-rcpt.eml'));
  expect(r.recipients[0]).toMatchObject({ finalRecipient: 'gone@seed.example.net', reason: 'userunknown', status: '5.2.1', replyCode: 550 });
});

test('RFC 3464 §2.3: Original-Recipient before Final-Recipient is one recipient, two Final-Recipients are two', () => {
  const one = parseDeliveryStatus('Reporting-MTA: dns; a\n\nOriginal-Recipient: rfc822;x@a\nFinal-Recipient: rfc822;x@a\nAction: failed\nStatus: 5.1.1\n');
  expect(one.recipients).toHaveLength(1);
  const two = parseDeliveryStatus('Final-Recipient: rfc822;x@a\nAction: failed\nStatus: 5.1.1\nFinal-Recipient: rfc822;y@a\nAction: failed\nStatus: 5.2.2\n');
  expect(two.recipients.map((r) => r.status)).toEqual(['5.1.1', '5.2.2']);
});
