import { test, expect } from '@playwright/test';
import { composeMessage, rawMessage } from '../../src/send/index.ts';
import {
  checkDate,
  checkLinkLists,
  checkMessageId,
  checkRemoteImages,
  checkSize,
  checkTextHtmlBalance,
  checkUnsubscribe,
  messageFacts,
  type MessageFacts,
} from '../../src/content/index.ts';
import { parseListSpec } from '../../src/posture/index.ts';
import { fakeResolver } from '../support/fake-resolver.ts';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const sender = { from: 'monitor@canary.test', envelopeFrom: 'bounce@canary.test', tagSeparator: '+', linkUrl: 'http://prize-claims.test/claim' };

async function factsOf(variant: string, extra: Record<string, unknown> = {}): Promise<MessageFacts> {
  const { mail } = composeMessage(sender, { tag: 'mc-t1', to: 'seed@example.test', variant, date: new Date(NOW) });
  return messageFacts(await rawMessage({ ...mail, ...extra }));
}

test('the variants as composed: Message-ID and Date receivers accept, parts and links read from the raw message', async () => {
  const plain = await factsOf('plain');
  expect(checkMessageId('plain', plain)).toMatchObject({ status: 'pass', summary: 'Message-ID <mc-t1@canary.test>' });
  expect(checkDate('plain', plain, NOW)).toMatchObject({ status: 'pass' });
  expect(checkTextHtmlBalance('plain', plain).status).toBe('pass');
  expect(checkSize('plain', plain)).toMatchObject({ status: 'pass', details: { htmlBytes: 0 } });
  const spammy = await factsOf('spammy');
  expect(spammy.linkHosts).toEqual(['prize-claims.test', 'www.paypal.com']);
  expect(checkTextHtmlBalance('spammy', spammy)).toMatchObject({ status: 'warn', summary: expect.stringContaining('R_PARTS_DIFFER') });
});

test('Date: the injected clock decides future and past; a malformed Date fails with the format', async () => {
  const f = await factsOf('plain');
  expect(checkDate('plain', f, NOW - 3600_000)).toMatchObject({
    status: 'fail',
    summary: 'Date is 60 min in the future: receivers score that (rspamd DATE_IN_FUTURE)',
  });
  expect(checkDate('plain', f, NOW + 48 * 3600_000)).toMatchObject({ status: 'fail', summary: expect.stringContaining('48 h in the past') });
  expect(checkDate('plain', { ...f, headers: { ...f.headers, date: '2026-11-30T12:00:00Z' } }, NOW)).toMatchObject({
    status: 'fail',
    fix: expect.stringContaining('+0000'),
  });
  expect(checkDate('plain', { ...f, headers: {} }, NOW).status).toBe('fail');
});

test('Message-ID: missing and malformed fail, a host-only right side warns', async () => {
  const f = await factsOf('plain');
  expect(checkMessageId('plain', { ...f, headers: {} }).status).toBe('fail');
  expect(checkMessageId('plain', { ...f, headers: { 'message-id': 'abc@canary.test' } }).status).toBe('fail');
  expect(checkMessageId('plain', { ...f, headers: { 'message-id': '<abc@localhost>' } })).toMatchObject({
    status: 'warn',
    summary: expect.stringContaining('MID_RHS_NOT_FQDN'),
  });
});

test("size: Gmail's clipping at 102 KB of HTML", async () => {
  const big = await factsOf('html-with-link', { html: `<p>${'x'.repeat(110 * 1024)}</p>` });
  expect(checkSize('html-with-link', big)).toMatchObject({ status: 'fail', summary: expect.stringContaining('Gmail clips') });
  const near = await factsOf('html-with-link', { html: `<p>${'x'.repeat(95 * 1024)}</p>` });
  expect(checkSize('html-with-link', near).status).toBe('warn');
});

test('one-click unsubscribe (RFC 8058) where a seed provider demands it', async () => {
  const none = await factsOf('plain');
  expect(checkUnsubscribe('plain', none, [])).toMatchObject({ status: 'pass' });
  expect(checkUnsubscribe('plain', none, ['Gmail'])).toMatchObject({
    status: 'warn',
    summary: expect.stringContaining('no List-Unsubscribe header: Gmail demands one-click'),
  });
  expect(checkUnsubscribe('plain', none, ['Gmail', 'Yahoo']).summary).toContain('Gmail and Yahoo demand one-click');
  const mailtoOnly = await factsOf('plain', { headers: { 'List-Unsubscribe': '<mailto:u@canary.test>' } });
  expect(checkUnsubscribe('plain', mailtoOnly, ['Gmail']).summary).toContain('no https URI');
  const noPost = await factsOf('plain', { headers: { 'List-Unsubscribe': '<https://canary.test/u/1>' } });
  expect(checkUnsubscribe('plain', noPost, ['Gmail']).summary).toContain('List-Unsubscribe=One-Click');
  const good = await factsOf('plain', {
    headers: { 'List-Unsubscribe': '<https://canary.test/u/1>, <mailto:u@canary.test>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  });
  expect(checkUnsubscribe('plain', good, ['Gmail']).status).toBe('pass');
});

test('remote images warn, cid: images do not', async () => {
  const remote = await factsOf('html-with-link', { html: '<p>hi</p><img src="https://cdn.canary.test/p.gif" width="1">' });
  expect(checkRemoteImages('html-with-link', remote)).toMatchObject({ status: 'warn', details: { images: ['https://cdn.canary.test/p.gif'] } });
  const cid = await factsOf('html-with-link', { html: '<p>hi</p><img src="cid:logo">' });
  expect(checkRemoteImages('html-with-link', cid).status).toBe('pass');
});

test('link domains against domain lists: listed fails with the answer, refused is unknown, clean passes', async () => {
  const list = parseListSpec('dbl.lab.test:domain');
  const f = await factsOf('spammy');
  const listed = fakeResolver({ 'prize-claims.test.dbl.lab.test': { A: ['127.0.1.2'] } });
  expect(await checkLinkLists('spammy', f.linkHosts, [list], listed)).toMatchObject({
    status: 'fail',
    summary: expect.stringContaining('prize-claims.test.dbl.lab.test → 127.0.1.2'),
  });
  expect(await checkLinkLists('spammy', f.linkHosts, [list], fakeResolver({}))).toMatchObject({ status: 'pass' });
  const dead = fakeResolver({}, { fail: () => 'ETIMEOUT' });
  expect((await checkLinkLists('spammy', f.linkHosts, [list], dead)).status).toBe('unknown');
  expect(await checkLinkLists('plain', [], [list], listed)).toMatchObject({ status: 'pass', summary: 'no links' });
});
