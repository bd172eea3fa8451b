import { test, expect } from '@playwright/test';
import { parseReceived, parseIp } from '../../src/evidence/index.ts';

function hop(v: string) {
  const p = parseReceived(v);
  if (!p.ok) throw new Error(p.error);
  return p.hop;
}

test('lab provider line over IPv6 loopback', () => {
  const h = hop(
    'from mail.canary.test (mail.canary.test [::1]) by mx.gmail.lab.test (mailcanary-lab) with ESMTP id 7F3A for <seed1@gmail.lab.test>; Wed, 14 Jan 2026 10:00:02 +0000',
  );
  expect(h).toMatchObject({
    helo: 'mail.canary.test',
    rdns: 'mail.canary.test',
    by: 'mx.gmail.lab.test',
    with: 'ESMTP',
    id: '7F3A',
    for: 'seed1@gmail.lab.test',
  });
  expect(h.ip).toEqual({ address: '::1', family: 'ipv6' });
  expect(h.date).toBe(Date.UTC(2026, 0, 14, 10, 0, 2));
  expect(h.tls).toEqual({ used: false });
});

test('IPv4 and IPv6 address forms', () => {
  expect(hop('from a (a [192.0.2.1]) by b with ESMTP; Wed, 14 Jan 2026 10:00:00 +0000').ip).toEqual({ address: '192.0.2.1', family: 'ipv4' });
  expect(hop('from a (a [IPv6:2001:db8::1]) by b with ESMTP; Wed, 14 Jan 2026 10:00:00 +0000').ip).toEqual({ address: '2001:db8::1', family: 'ipv6' });
  expect(hop('from a (a. [2001:DB8:0:0::25]) by b; Wed, 14 Jan 2026 10:00:00 +0000').ip).toEqual({ address: '2001:db8:0:0::25', family: 'ipv6' });
  expect(hop('from [IPv6:2001:db8::7] (helo=x) by b with esmtp id 1; Wed, 14 Jan 2026 10:00:00 +0000').ip?.family).toBe('ipv6');
  // IPv4-mapped IPv6 is IPv4 on the wire
  expect(hop('from a (a [::ffff:127.0.0.1]) by b; x').ip).toEqual({ address: '127.0.0.1', family: 'ipv4', mapped: true });
  // Microsoft: bare address in the comment
  expect(
    hop('from mail.a.example (2603:10a6:208:1::12) by x.outlook.com with Microsoft SMTP Server id 15.20.1; Wed, 14 Jan 2026 10:00:00 +0000').ip?.family,
  ).toBe('ipv6');
  expect(parseIp('[300.1.1.1]')).toBeUndefined();
  expect(parseIp('not-an-ip')).toBeUndefined();
});

test('TLS: Gmail, Postfix, Exim, Microsoft, Sendmail wordings', () => {
  expect(
    hop(
      'from a (a [192.0.2.1]) by mx.google.com with ESMTPS id x for <u@g.example> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Wed, 14 Jan 2026 02:00:02 -0800 (PST)',
    ).tls,
  ).toEqual({ used: true, version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' });
  expect(
    hop(
      'from a (a [192.0.2.1]) (using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)) (No client certificate requested) by mx.b.example (Postfix) with ESMTPS id 4A; Wed, 14 Jan 2026 10:00:00 +0100',
    ).tls,
  ).toEqual({ used: true, version: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384' });
  expect(
    hop(
      'from [192.0.2.7] (helo=c.example) by mx.exim.example with esmtps (TLS1.3) tls TLS_AES_128_GCM_SHA256 (Exim 4.97) (envelope-from <a@b.example>) id 1t-0 for c@d.example; Wed, 14 Jan 2026 10:00:00 +0000',
    ).tls,
  ).toEqual({ used: true, version: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' });
  expect(
    hop(
      'from a (192.0.2.1) by x.mail.protection.outlook.com (10.1.1.1) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.1 via Frontend Transport; Wed, 14 Jan 2026 10:00:00 +0000',
    ).tls,
  ).toMatchObject({ used: true, version: 'TLSv1.2' });
  expect(
    hop(
      'from a (a [192.0.2.1]) by m.example (8.17.1/8.17.1) with ESMTPS id 1 (version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NOT) for <u@m.example>; Wed, 14 Jan 2026 10:00:00 +0000',
    ).tls,
  ).toMatchObject({ used: true, version: 'TLSv1.3' });
  expect(hop('from a (a [192.0.2.1]) by b with SMTP id 1; Wed, 14 Jan 2026 10:00:00 +0000').tls).toEqual({ used: false });
  expect(hop('by b id 1; Wed, 14 Jan 2026 10:00:00 +0000').tls).toBeUndefined();
});

test('internal hop without from, date with zone comment', () => {
  const h = hop('by 2002:a05:6a10:1234::5678 with SMTP id abc;\r\n        Wed, 14 Jan 2026 02:00:03 -0800 (PST)');
  expect(h.by).toBe('2002:a05:6a10:1234::5678');
  expect(h.helo).toBeUndefined();
  expect(h.date).toBe(Date.UTC(2026, 0, 14, 10, 0, 3));
});

test('malformed lines become errors, not throws', () => {
  expect(parseReceived('(((')).toMatchObject({ ok: false });
  expect(parseReceived('just words here')).toMatchObject({ ok: false });
  expect(parseReceived('x'.repeat(20_000))).toMatchObject({ ok: false });
  const odd = parseReceived('from a by b; not a date');
  expect(odd.ok && odd.hop.date).toBe(undefined);
});

test("Received dates never depend on the machine's time zone; obsolete RFC 5322 forms are read", () => {
  const cases: Array<[string, number | undefined]> = [
    ['Wed, 14 Jan 2026 10:00:02 +0000', Date.UTC(2026, 0, 14, 10, 0, 2)],
    // no zone (broken MTAs): UTC, as "-0000" (RFC 5322 §4.3), never local time
    ['Wed, 14 Jan 2026 10:00:02', Date.UTC(2026, 0, 14, 10, 0, 2)],
    ['14 Jan 2026 10:00 -0000', Date.UTC(2026, 0, 14, 10, 0)],
    ['Wed, 14 Jan 2026 02:00:03 PST', Date.UTC(2026, 0, 14, 10, 0, 3)],
    ['Wed, 14 Jan 2026 11:00:03 GMT', Date.UTC(2026, 0, 14, 11, 0, 3)],
    ['Wed, 14 Jan 2026 10:00:03 A', Date.UTC(2026, 0, 14, 10, 0, 3)],
    ['Wed, 14 Jan 26 15:30:00 +0530', Date.UTC(2026, 0, 14, 10, 0)],
    ['Thu, 1 Jan 99 00:00:00 +0000', Date.UTC(1999, 0, 1)],
    ['Wed, 14 Jan 2026 10:00:00.250 +0100', Date.UTC(2026, 0, 14, 9, 0, 0, 250)],
    ['2026-01-14T10:00:00+01:00', Date.UTC(2026, 0, 14, 9)],
    // an ISO date-time without offset would be local time: not taken
    ['2026-01-14T10:00:00', undefined],
    ['Sat, 31 Feb 2026 10:00:00 +0000', undefined],
    ['Wed, 14 Foo 2026 10:00:00 +0000', undefined],
  ];
  const saved = process.env.TZ;
  try {
    for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham']) {
      process.env.TZ = tz; // Node re-reads TZ when it changes
      for (const [text, want] of cases) expect(hop(`from a (a [192.0.2.1]) by b with ESMTP id 1; ${text}`).date, `${text} in ${tz}`).toBe(want);
    }
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});
