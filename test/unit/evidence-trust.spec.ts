import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { buildEvidence } from '../../src/evidence/index.ts';
import { PRESETS } from '../../src/knowledge/providers.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/evidence/${name}`, import.meta.url), 'utf8');

test('forged Authentication-Results below the provider Received is ignored', () => {
  const ev = buildEvidence({ rawHeaders: fixture('forged-below.txt'), authservIds: ['mx.gmail.test'] });
  expect(ev.authResults.status).toBe('found');
  // the provider said dkim=fail; the sender's "dkim=pass" further down must not win
  expect(ev.auth).toEqual({ spf: 'pass', dkim: 'fail', dmarc: 'fail' });
  expect(ev.authResults.ignored).toEqual([{ index: 3, authservId: 'mx.gmail.test', why: expect.stringContaining('sender could have written') }]);
});

test('only a forged header: the record says none came from the provider', () => {
  const ev = buildEvidence({ rawHeaders: fixture('forged-only.txt'), authservIds: ['mx.gmail.test'] });
  expect(ev.authResults.status).toBe('none-from-provider');
  if (ev.authResults.status === 'none-from-provider') expect(ev.authResults.note).toContain('mx.gmail.test');
  expect(ev.auth).toEqual({});
  expect(ev.dkim).toEqual([]);
});

test('authserv-id of another receiver is not trusted even above the hop', () => {
  const raw =
    'Authentication-Results: relay.other.example; dkim=pass header.d=a.example\r\nReceived: from a (a [192.0.2.1]) by mx.gmail.test with ESMTP id 1; Wed, 14 Jan 2026 10:00:00 +0000\r\n\r\n';
  const ev = buildEvidence({ rawHeaders: raw, authservIds: ['mx.gmail.test'] });
  expect(ev.authResults.status).toBe('none-from-provider');
  expect(ev.authResults.ignored[0]).toMatchObject({ authservId: 'relay.other.example' });
});

test('lab provider: results, IPv6 sending address, delays', () => {
  const submittedAt = Date.UTC(2026, 0, 14, 10, 0, 0, 500);
  const internalDate = Date.UTC(2026, 0, 14, 10, 0, 4);
  const ev = buildEvidence({ rawHeaders: fixture('lab-gmail.txt'), authservIds: ['mx.gmail.lab.test'], submittedAt, internalDate });
  expect(ev.auth).toEqual({ spf: 'pass', dkim: 'pass', dmarc: 'pass' });
  expect(ev.fromDomain).toBe('canary.test');
  expect(ev.received.acceptance).toMatchObject({ hop: 0, by: 'mx.gmail.lab.test', family: 'ipv6', ip: { address: '::1' }, tls: { used: false } });
  expect(ev.delays).toMatchObject({ submissionToAcceptanceMs: 1500, acceptanceToMailboxMs: 2000, submissionToMailboxMs: 3500 });
  expect(ev.dkim).toEqual([
    { result: 'pass', domain: 'canary.test', selector: 'mc2026', algorithm: 'rsa-sha256', identity: '@canary.test', alignment: 'strict' },
  ]);
});

test('Gmail layout: ARC copy above the hop is used; AR below only with the preset', () => {
  const raw = fixture('gmail-layout.txt');
  const ev = buildEvidence({ rawHeaders: raw, authservIds: ['mx.google.com'] });
  expect(ev.authResults).toMatchObject({ status: 'found', source: 'arc-authentication-results' });
  expect(ev.received.acceptance).toMatchObject({ hop: 1, by: 'mx.google.com', family: 'ipv6', tls: { used: true, version: 'TLSv1.3' } });
  expect(ev.dmarc).toEqual({ result: 'pass', headerFrom: 'canary.example', policy: 'quarantine', subdomainPolicy: 'quarantine', disposition: 'none' });
  // without the ARC copy, the AR directly below Gmail's Received counts only with trustDirectlyBelowReceived
  const noArc = raw.replace(/ARC-Authentication-Results:[^]*?(?=Return-Path:)/, '');
  expect(buildEvidence({ rawHeaders: noArc, authservIds: ['mx.google.com'] }).authResults.status).toBe('none-from-provider');
  const gmail = PRESETS.gmail;
  const ev2 = buildEvidence({ rawHeaders: noArc, authservIds: gmail.authservIds, trust: gmail });
  expect(ev2.authResults).toMatchObject({ status: 'found', source: 'directly-below-received' });
  expect(ev2.auth).toEqual({ dkim: 'pass', spf: 'pass', dmarc: 'pass' });
});

test('Microsoft: header without authserv-id trusted only with the outlook preset; SCL decoded', () => {
  const raw = fixture('outlook.txt');
  const o = PRESETS.outlook;
  const ev = buildEvidence({ rawHeaders: raw, authservIds: o.authservIds, trust: o });
  expect(ev.authResults.status).toBe('found');
  expect(ev.auth).toMatchObject({ spf: 'pass', dkim: 'pass', dmarc: 'pass', compauth: 'pass' });
  expect(ev.dmarc?.disposition).toBe('none');
  expect(ev.received.acceptance).toMatchObject({ hop: 1, family: 'ipv4', ip: { address: '192.0.2.25' }, tls: { version: 'TLSv1.3' } });
  expect(ev.spam.providerSaysSpam).toBe(false);
  // the sender-side SpamAssassin "Yes" is decoded but not taken as the provider's verdict
  expect(ev.spam.verdicts.find((v) => v.vendor === 'spamassassin')).toMatchObject({ spam: true, fromProvider: false });
  const strict = buildEvidence({ rawHeaders: raw, authservIds: ['mx.microsoft.com'] });
  expect(strict.authResults.status).toBe('none-from-provider');
});

test('no Received at all: nothing is attributed to the provider', () => {
  const ev = buildEvidence({ rawHeaders: 'Authentication-Results: mx.gmail.test; dkim=pass\r\nFrom: a@b.example\r\n', authservIds: ['mx.gmail.test'] });
  expect(ev.authResults.status).toBe('none-from-provider');
  expect(ev.warnings.join(' ')).toContain('no Received');
});

test("a receiver's verdict headers below its own Received (milter style) are the provider's; the sender's below its hop are not", () => {
  const raw =
    'Return-Path: <monitor-t1@canary.example>\r\n' +
    'Received: from mail.canary.example (mail.canary.example [192.0.2.25]) by mx.gmx.example with ESMTP id 9; Wed, 14 Jan 2026 10:00:03 +0000\r\n' +
    'Authentication-Results: gmx.example; spf=pass smtp.mailfrom=canary.example; dkim=pass header.d=canary.example; dmarc=pass header.from=canary.example\r\n' +
    'X-UI-Filterresults: junk:10;V03:K0:lab-suspicious-tld\r\n' +
    'Received: from [127.0.0.1] by mail.canary.example (Postfix) with ESMTPSA id 41AB; Wed, 14 Jan 2026 10:00:01 +0000\r\n' +
    'X-Spam-Status: No, score=0.1 required=5.0\r\n' +
    'From: monitor@canary.example\r\n\r\n';
  const ev = buildEvidence({ rawHeaders: raw, authservIds: ['gmx.example'], trust: { trustDirectlyBelowReceived: true } });
  expect(ev.received.acceptance).toMatchObject({ hop: 0, by: 'mx.gmx.example' });
  expect(ev.spam.verdicts.map((v) => [v.header, v.fromProvider])).toEqual([
    ['X-UI-Filterresults', true],
    ['X-Spam-Status', false],
  ]);
  expect(ev.spam.providerSaysSpam).toBe(true);
});
