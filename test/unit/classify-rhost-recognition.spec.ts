/**
 * Which provider's rule set reads a reply: the host that answered (Remote-MTA or the host the
 * report says answered), the recipient's domain, or the MTA that wrote the report, for every
 * provider sisimai's rhost/lib.go selects and the regional ones we add. Each reply is written for
 * the test and carries a wording whose meaning only its provider gives it: the same report from
 * an unknown host reads differently, so a provider that is not recognised fails the test.
 */
import { expect, test } from '@playwright/test';
import { parseBounce } from '../../src/classify/index.ts';
import { providerEntries } from '../../src/classify/providers.ts';
import { dsn } from './provider-dsn.ts';

interface Case {
  provider: string;
  status: string;
  diag: string;
  reason: string;
  hosts: string[];
  domains: string[];
}

const CASES: Case[] = [
  {
    provider: 'Yahoo',
    status: '4.7.1',
    diag: '421 4.7.1 [TS03] All messages from 198.51.100.7 will be permanently deferred; Retrying will NOT succeed',
    reason: 'rejected',
    hosts: ['mta7.am0.yahoodns.net'],
    domains: ['yahoo.com', 'yahoo.co.jp'],
  },
  {
    provider: 'Aol',
    status: '5.0.0',
    diag: '550 type=MX: Malformed or unexpected name server reply',
    reason: 'notaccept',
    hosts: ['mailin-01.mx.aol.com', 'mx.mail.aol.com'],
    domains: ['aol.com'],
  },
  {
    provider: 'Apple',
    status: '5.0.0',
    diag: '550 5.0.0 Mail from 198.51.100.7 refused due to excessive volume',
    reason: 'speeding',
    hosts: ['mx01.mail.icloud.com', 'mx.apple.com', 'mx.me.com'],
    domains: ['icloud.com', 'me.com', 'mac.com'],
  },
  { provider: 'Cox', status: '5.0.0', diag: '554 too many invalid recipients', reason: 'blocked', hosts: ['cxr.mx.a.cox.net'], domains: ['cox.net'] },
  {
    provider: 'Facebook',
    status: '5.0.0',
    diag: '550 5.0.0 Message rejected POL-P1',
    reason: 'blocked',
    hosts: ['smtpin.mx.facebook.com'],
    domains: ['facebook.com'],
  },
  {
    provider: 'FrancePTT',
    status: '5.0.0',
    diag: '550 5.5.0 Le compte du destinataire est bloque.',
    reason: 'suspend',
    hosts: ['smtp-in.orange.fr', 'smtpz4.laposte.net', 'smtp.wanadoo.fr'],
    domains: ['orange.fr', 'wanadoo.fr', 'laposte.net'],
  },
  {
    provider: 'Google',
    status: '4.7.0',
    diag: '421 4.7.0 Try again later, closing connection.',
    reason: 'blocked',
    hosts: ['aspmx.l.google.com', 'gmail-smtp-in.l.google.com', 'alt1.aspmx.l.googlemail.com'],
    domains: ['gmail.com', 'googlemail.com'],
  },
  {
    provider: 'Microsoft',
    status: '5.7.504',
    diag: '550 5.7.504 Recipient address rejected: Access denied',
    reason: 'suspend',
    hosts: ['example-com.mail.protection.outlook.com', 'am6pr01mb1234.eurprd01.prod.outlook.com', 'tenant.onmicrosoft.com', 'x.exchangelabs.com'],
    domains: ['outlook.com', 'tenant.onmicrosoft.com'],
  },
  {
    provider: 'Outlook',
    status: '4.7.0',
    diag: "421 4.7.0 RP-001 (COL004-MC1F3) Unfortunately, some messages from 198.51.100.7 weren't sent",
    reason: 'badreputation',
    hosts: ['mx1.hotmail.com'],
    domains: ['hotmail.com', 'live.com', 'msn.com'],
  },
  {
    provider: 'MessageLabs',
    status: '5.0.0',
    diag: '553 connection rejected by policy',
    reason: 'badreputation',
    hosts: ['cluster1.eu.messagelabs.com'],
    domains: ['messagelabs.com'],
  },
  {
    provider: 'Mimecast',
    status: '5.0.0',
    diag: '550 exceeding outbound thread limit',
    reason: 'toomanyconn',
    hosts: ['eu-smtp-inbound-1.mimecast.com'],
    domains: ['mimecast.com'],
  },
  {
    provider: 'NTTDOCOMO',
    status: '5.0.911',
    diag: '550 5.0.911 Unknown user',
    reason: 'userunknown',
    hosts: ['mfsmax.docomo.ne.jp'],
    domains: ['docomo.ne.jp'],
  },
  {
    provider: 'Spectrum',
    status: '5.0.0',
    diag: '554 5.0.0 AUP#1090 retry later',
    reason: 'systemerror',
    hosts: ['mx.charter.net', 'dnvrco-cmx.charter.net'],
    domains: ['charter.net', 'spectrum.net'],
  },
  { provider: 'Tencent', status: '5.0.0', diag: '550 Suspected bounce attacks', reason: 'blocked', hosts: ['mx3.qq.com'], domains: ['qq.com', 'foxmail.com'] },
  {
    provider: 'Zoho',
    status: '4.0.0',
    diag: '451 Greylisted, try again after some time',
    reason: 'blocked',
    hosts: ['mx.zoho.com', 'mx.zoho.eu'],
    domains: ['zoho.com', 'zohomail.com'],
  },
  {
    provider: 'GMX/1&1',
    status: '5.0.0',
    diag: '550 reject due to SPF policy',
    reason: 'authfailure',
    hosts: ['mx00.emig.gmx.net', 'mx-ha02.web.de', 'mx00.kundenserver.de', 'mx00.ionos.de'],
    domains: ['gmx.net', 'gmx.de', 'web.de', 'mail.com'],
  },
  {
    provider: 'DeutscheTelekom',
    status: '5.0.0',
    diag: '554 IP=198.51.100.7 - (NOWL) blocked',
    reason: 'badreputation',
    hosts: ['mx00.t-online.de'],
    domains: ['t-online.de', 'magenta.de'],
  },
];

const reasonOf = (to: string, c: Case, o: { remote?: string; said?: string; reporting?: string }) =>
  parseBounce(dsn({ to, status: c.status, diag: c.diag, ...o })).recipients[0]?.reason;

for (const c of CASES) {
  test(`${c.provider}: its rules read the reply at each of its hosts, for its domains and from its reporting MTA`, () => {
    // from a host nobody knows the same reply means something else: the provider decides it
    expect(reasonOf('u@example.net', c, {})).not.toBe(c.reason);
    for (const h of c.hosts) {
      expect(reasonOf('u@company.example', c, { remote: h }), `Remote-MTA ${h}`).toBe(c.reason);
      expect(reasonOf('u@company.example', c, { said: h }), `host ${h} said`).toBe(c.reason);
      expect(reasonOf('u@company.example', c, { reporting: h }), `Reporting-MTA ${h}`).toBe(c.reason);
    }
    for (const d of c.domains) expect(reasonOf(`u@${d}`, c, {}), `recipient @${d}`).toBe(c.reason);
  });
}

test('a look-alike host is not the provider: a name must end in the provider domain, not contain its letters', () => {
  const c = CASES.find((x) => x.provider === 'Tencent')!;
  for (const h of ['mx.notqq.com.example', 'qqmail.example', 'mx.gmx.network.example']) {
    expect(reasonOf('u@company.example', c, { remote: h }), h).not.toBe(c.reason);
  }
});

test("a wording documented under one code is read alone when the reply's code names no subject (x.0.0) or is missing", () => {
  const host = 'example-com.mail.protection.outlook.com';
  const wording = 'Service unavailable. Client blocked from sending from unregistered domains';
  const at = (status: string, diag: string) => parseBounce(dsn({ to: 'u@company.example', status, diag, remote: host })).recipients[0]?.reason;
  // Exchange documents it under 5.7.750
  expect(at('5.7.750', `550 5.7.750 ${wording}`)).toBe('rejected');
  expect(at('5.0.0', `550 ${wording}`)).toBe('rejected');
  // a specific code of another subject keeps its own meaning: the wording is not read under it
  expect(at('5.1.1', `550 5.1.1 ${wording}`)).not.toBe('rejected');
});

test('every provider entry cites the catalogue file or the provider page its wording or code is in', () => {
  const cites =
    /sisimai (?:lib\/sisimai\/)?(?:rhost|lhost|reason)\/[\w.-]+\.(?:go|rb)|sisimai Rhost\/\w+\.pm|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|de|fr|jp|ua)\b/;
  const entries = providerEntries();
  expect(entries.length).toBeGreaterThan(500);
  expect(entries.filter((e) => !cites.test(e.source)).map((e) => `${e.id}: ${e.source}`)).toEqual([]);
});

test("Gmail's 530 before STARTTLS is a command out of sequence, as its error reference files it", () => {
  const r = parseBounce(
    dsn({
      to: 'u@gmail.com',
      status: '5.7.0',
      diag: '530 5.7.0 Must issue a STARTTLS command first. For more information, go to About SMTP error messages',
      remote: 'gmail-smtp-in.l.google.com',
    }),
  ).recipients[0];
  expect(r.reason).toBe('syntaxerror');
});
