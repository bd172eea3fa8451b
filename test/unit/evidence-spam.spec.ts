import { test, expect } from '@playwright/test';
import { parseSpamVerdicts, splitHeaderBlock, alignment, organizationalDomain, dmarcDetail, parseAuthResults } from '../../src/evidence/index.ts';

const verdicts = (raw: string, boundary?: number) => parseSpamVerdicts(splitHeaderBlock(raw).fields, boundary);

test('SpamAssassin and rspamd', () => {
  const v = verdicts(
    'X-Spam-Flag: YES\r\nX-Spam-Status: Yes, score=7.2 required=5.0 tests=BAYES_99,\r\n\tURIBL_BLOCKED autolearn=no version=3.4.6\r\nX-Spam-Level: *******\r\nX-Spamd-Result: default: False [1.20 / 15.00]; R_SPF_ALLOW(-0.20)[+ip4]; DKIM_TRACE(0.00)[a.example:+]\r\nX-Rspamd-Action: no action\r\n',
  );
  expect(v.map((x) => [x.vendor, x.spam])).toEqual([
    ['spamassassin', true],
    ['spamassassin', true],
    ['spamassassin', undefined],
    ['rspamd', false],
    ['rspamd', false],
  ]);
  expect(v[1]).toMatchObject({ score: 7.2, threshold: 5, tests: ['BAYES_99', 'URIBL_BLOCKED'] });
  expect(v[2].level).toBe(7);
  expect(v[3]).toMatchObject({ score: 1.2, threshold: 15, tests: ['R_SPF_ALLOW', 'DKIM_TRACE'] });
});

test('Microsoft Forefront report, SCL and BCL', () => {
  const [f, scl, bcl] = verdicts(
    'X-Forefront-Antispam-Report: CIP:192.0.2.1;CTRY:;LANG:en;SCL:6;SRV:;IPV:NLI;SFV:SPM;H:m.example;PTR:;CAT:SPOOF;SFS:(1);DIR:INB;\r\nX-MS-Exchange-Organization-SCL: 9\r\nX-Microsoft-Antispam: BCL:7;\r\n',
  );
  expect(f).toMatchObject({ vendor: 'microsoft', spam: true, level: 6 });
  expect(f.fields).toMatchObject({ SFV: 'SPM', CAT: 'SPOOF', CIP: '192.0.2.1' });
  expect(f.meaning).toContain('SCL 6: spam');
  expect(f.meaning).toContain('CAT:SPOOF spoofing');
  expect(scl).toMatchObject({ spam: true, level: 9, meaning: 'SCL 9: high confidence spam' });
  expect(bcl).toMatchObject({ level: 7, meaning: 'BCL 7: bulk, mixed complaints' });
  expect(verdicts('X-Forefront-Antispam-Report: SCL:-1;SFV:SKN;\r\n')[0]).toMatchObject({ spam: false, level: -1 });
});

test('GMX/web.de, t-online, Yahoo, Proofpoint (iCloud) kept or decoded', () => {
  const v = verdicts(
    'X-UI-Filterresults: junk:10;V03:K0:abc\r\nX-UI-Out-Filterresults: notjunk:1;V03:K0:x\r\nX-TOI-SPAM: n;0;2026-01-14T10:00:00Z\r\nX-TOI-EXPURGATEID: 150726::1768384800-AAAA/0/0 CLEAN NORMAL\r\nX-YMail-OSG: abc.def\r\nX-Proofpoint-Spam-Details: rule=notspam policy=default score=0 spamscore=0 mlxscore=0\r\nX-Other: 1\r\n',
  );
  expect(v.map((x) => [x.vendor, x.spam])).toEqual([
    ['gmx-webde', true],
    ['gmx-webde', false],
    ['t-online', false],
    ['t-online', undefined],
    ['yahoo', undefined],
    ['proofpoint', false],
  ]);
  expect(v[0].level).toBe(10);
  expect(v[4].raw).toBe('abc.def');
});

test("position decides whether a verdict is the provider's", () => {
  const v = verdicts('X-Spam-Status: No, score=0.1\r\nReceived: from a by mx.example with ESMTP; x\r\nX-Spam-Status: Yes, score=9\r\n', 1);
  expect(v.map((x) => x.fromProvider)).toEqual([true, false]);
});

test('alignment: strict, relaxed by organisational domain, none', () => {
  expect(alignment('canary.example', 'canary.example')).toBe('strict');
  expect(alignment('mail.canary.example', 'news.canary.example')).toBe('relaxed');
  expect(alignment('a.example.co.uk', 'b.example.co.uk')).toBe('relaxed');
  expect(alignment('example.co.uk', 'other.co.uk')).toBe('none');
  expect(alignment('sendgrid.net', 'canary.example')).toBe('none');
  expect(alignment(undefined, 'a.example')).toBeUndefined();
  expect(organizationalDomain('x.y.canary.test')).toBe('canary.test');
});

test('DMARC policy from comments and policy.* properties', () => {
  const r = (h: string) => {
    const p = parseAuthResults(h);
    if (!p.ok) throw new Error(p.error.message);
    return dmarcDetail(p.header.results);
  };
  expect(r('mx.google.com; dmarc=fail (p=REJECT sp=NONE dis=QUARANTINE) header.from=a.example')).toEqual({
    result: 'fail',
    headerFrom: 'a.example',
    policy: 'reject',
    subdomainPolicy: 'none',
    disposition: 'quarantine',
  });
  expect(
    r('mx1.messagingengine.com; dmarc=pass policy.published-domain-policy=quarantine policy.applied-disposition=none header.from=a.example'),
  ).toMatchObject({ policy: 'quarantine', disposition: 'none' });
  expect(r('spf=pass smtp.mailfrom=a.example; dmarc=pass action=oreject header.from=a.example')).toMatchObject({ disposition: 'oreject' });
  expect(r('mx.example; spf=pass')).toBeUndefined();
});

test("a verdict in the provider's block below its Received is the provider's; below the sending hop's Received it is not", () => {
  const raw =
    'Received: from mail.canary.example (mail.canary.example [192.0.2.25]) by mx.gmx.example with ESMTP id 1; x\r\n' +
    'Authentication-Results: gmx.example; spf=pass\r\n' +
    'X-UI-Filterresults: junk:10;V03:K0:abc\r\n' +
    'Received: from [127.0.0.1] by mail.canary.example (Postfix) with ESMTPSA id 41AB; x\r\n' +
    'X-UI-Filterresults: notjunk:1;V03:K0:forged\r\n';
  // boundary = the provider's Received (field 0), the next Received is field 3
  const v = parseSpamVerdicts(splitHeaderBlock(raw).fields, 0, 3);
  expect(v.map((x) => [x.spam, x.fromProvider])).toEqual([
    [true, true],
    [false, false],
  ]);
  // without a Received below the provider's there is no block: nothing below it counts
  expect(parseSpamVerdicts(splitHeaderBlock(raw).fields, 0).map((x) => x.fromProvider)).toEqual([false, false]);
});
