import { expect, test } from '@playwright/test';
import { readServerLog, selfGeneratedKind, serverLogConfigFromEnv } from '../../src/server-log/index.ts';
import { MS_S3150, eximTime, postfix, telekomBlock } from './server-log-fixtures.ts';

const NOW = Date.UTC(2026, 11, 1, 20, 0, 0);
const H = 3_600_000;

/** One outbound message from `from` to `to` with the given final line text after `status=`. */
function message(
  t: number,
  qid: string,
  from: string,
  to: string,
  status: string,
  dsn: string,
  reason: string,
  relay = 'mx.example.net[203.0.113.5]:25',
): string[] {
  return [
    postfix(t, 'qmgr', 10, `${qid}: from=<${from}>, size=1500, nrcpt=1 (queue active)`),
    postfix(t + 1000, 'smtp', 11, `${qid}: to=<${to}>, relay=${relay}, delay=1, delays=0/0/0.5/0.5, dsn=${dsn}, status=${status} (${reason})`),
    postfix(t + 2000, 'qmgr', 10, `${qid}: removed`),
  ];
}

const sent = (t: number, qid: string, from: string, to: string) => message(t, qid, from, to, 'sent', '2.0.0', '250 2.0.0 OK');

test.describe('rejections of real mail', () => {
  const lines = [
    // in the window: two messages refused by the council's filter, one recipient unknown, Telekom's block
    ...message(
      NOW - 2 * H,
      'A1B2C3D4E5',
      'jane@example.org',
      'clerk@stadt-musterhausen.de',
      'bounced',
      '5.7.1',
      'host mx.stadt-musterhausen.de[198.51.100.80] said: 550 5.7.1 CYREN IP reputation determined a medium risk (in reply to RCPT TO command)',
    ),
    ...message(
      NOW - 1 * H,
      'A1B2C3D4E6',
      'jane@example.org',
      'mayor@stadt-musterhausen.de',
      'bounced',
      '5.7.1',
      'host mx.stadt-musterhausen.de[198.51.100.80] said: 550 5.7.1 CYREN IP reputation determined a medium risk (in reply to RCPT TO command)',
    ),
    ...message(
      NOW - 3 * H,
      'A1B2C3D4E7',
      'jane@example.org',
      'old.friend@example.net',
      'bounced',
      '5.1.1',
      'host mx.example.net[203.0.113.5] said: 550 5.1.1 <old.friend@example.net>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)',
    ),
    ...telekomBlock(NOW - 30 * 60_000, 'A1B2C3D4E8'),
    // outside the window (two days ago) and a delivery that worked
    ...message(
      NOW - 48 * H,
      'A1B2C3D4E9',
      'jane@example.org',
      'x@stadt-musterhausen.de',
      'bounced',
      '5.7.1',
      'host mx.stadt-musterhausen.de[198.51.100.80] said: 550 5.7.1 CYREN IP reputation determined a medium risk (in reply to RCPT TO command)',
    ),
    ...sent(NOW - 5 * H, 'A1B2C3D4EA', 'jane@example.org', 'bob@example.com'),
  ];

  test('grouped by remote domain and reason, most messages first, with advice; the window holds', async () => {
    const r = await readServerLog(lines, { now: NOW, since: NOW - 24 * H, utcOffsetMinutes: 0 });
    expect(r.rejections.map((g) => [g.domain, g.status, g.messages])).toEqual([
      ['stadt-musterhausen.de', 'bounced', 2],
      ['example.net', 'bounced', 1],
      ['t-online.de', 'deferred', 1],
    ]);
    const council = r.rejections[0];
    expect(council).toMatchObject({
      reason: 'badreputation',
      dsn: '5.7.1',
      replyCode: 550,
      hardBounce: true,
      relays: ['mx.stadt-musterhausen.de'],
      firstAt: NOW - 2 * H + 1000,
      lastAt: NOW - H + 1000,
    });
    expect(council.example).toBe('mx.stadt-musterhausen.de said after RCPT: 550 5.7.1 CYREN IP reputation determined a medium risk');
    expect(council.advice?.action).toBeTruthy();
    const telekom = r.rejections.find((g) => g.domain === 't-online.de')!;
    expect(telekom).toMatchObject({ reason: 'blocked', attempts: 1, advice: { id: 'telekom-problem' } });
    expect(telekom.example).toContain('(BL)');
  });

  test('recipient addresses: domains only by default, local parts masked in the reply text too', async () => {
    const masked = await readServerLog(lines, { now: NOW, since: NOW - 24 * H, utcOffsetMinutes: 0 });
    const unknown = masked.rejections.find((g) => g.domain === 'example.net')!;
    expect(unknown.recipients).toEqual(['***@example.net']);
    expect(unknown.example).toContain('<***@example.net>: Recipient address rejected');
    expect(JSON.stringify(masked.rejections)).not.toContain('old.friend');
    expect(JSON.stringify(masked.rejections)).not.toContain('clerk@');
    const shown = await readServerLog(lines, { now: NOW, since: NOW - 24 * H, utcOffsetMinutes: 0, showLocalParts: true });
    expect(shown.rejections.find((g) => g.domain === 'example.net')!.recipients).toEqual(['old.friend@example.net']);
    expect(shown.rejections[0].recipients.sort()).toEqual(['clerk@stadt-musterhausen.de', 'mayor@stadt-musterhausen.de']);
  });

  test('local deliveries (lmtp to Dovecot) are not rejections of outbound mail', async () => {
    const local = [
      postfix(NOW - H, 'qmgr', 1, 'B1B2B3B4B5: from=<a@example.com>, size=10, nrcpt=1 (queue active)'),
      postfix(
        NOW - H,
        'lmtp',
        2,
        'B1B2B3B4B5: to=<jane@example.org>, relay=127.0.0.1[127.0.0.1]:24, delay=0.1, delays=0/0/0/0.1, dsn=4.2.2, status=deferred (host 127.0.0.1[127.0.0.1] said: 452 4.2.2 Mailbox is full (in reply to end of DATA command))',
      ),
    ];
    const r = await readServerLog(local, { now: NOW, since: NOW - 24 * H, utcOffsetMinutes: 0 });
    expect(r.rejections).toEqual([]);
    expect(r.volume.messages).toBe(0);
  });
});

test.describe('outbound volume', () => {
  test('per sender and per remote domain; reports and bounces to strangers flagged as a share', async () => {
    const lines: string[] = [];
    let n = 0;
    const qid = () => `C${(0x10000000 + n++).toString(16).toUpperCase()}`;
    for (let i = 0; i < 4; i++) lines.push(...sent(NOW - H + i * 10_000, qid(), 'jane@example.org', `friend${i}@example.com`));
    // the Spamhaus CSS story: DMARC aggregate reports to the addresses spammers publish
    for (let i = 0; i < 9; i++) lines.push(...sent(NOW - H + i * 10_000, qid(), 'noreply-dmarc@example.org', `rua@spam${i % 3}.example`));
    lines.push(...sent(NOW - H, qid(), 'tlsrpt@example.org', 'tls-reports@big.example'));
    // a DSN the server wrote (Postfix bounce daemon), and an Exim null-sender message
    lines.push(postfix(NOW - H, 'bounce', 12, 'C0FFEE0001: sender non-delivery notification: D0D0D0D0D0'));
    lines.push(...sent(NOW - H + 1000, 'D0D0D0D0D0', '', 'spoofed@victim.example'));
    lines.push(`${eximTime(NOW - H)} 1rAbCe-000124-Zz <= <> R=1rAbCd-000123-Xy U=Debian-exim P=local S=3456`);
    lines.push(`${eximTime(NOW - H)} 1rAbCe-000124-Zz => someone@far.example R=dnslookup T=remote_smtp H=mx.far.example [203.0.113.9] C="250 OK"`);
    lines.push(`${eximTime(NOW - H)} 1rAbCe-000124-Zz Completed`);
    // mailcanary's own tagged envelope senders fold into one identity
    lines.push(...sent(NOW - H, qid(), 'monitor-mc202612011900abcd.001@example.org', 'seed@gmail.com'));
    lines.push(...sent(NOW - H, qid(), 'monitor-mc202612011900abcd.002@example.org', 'seed@gmx.de'));

    const r = await readServerLog(lines, { now: NOW, since: NOW - 24 * H, utcOffsetMinutes: 0 });
    const v = r.volume;
    expect(v.messages).toBe(18);
    expect(v.bySender.map((s) => [s.key, s.messages])).toEqual([
      ['noreply-dmarc@example.org', 9],
      ['jane@example.org', 4],
      ['<>', 2],
      ['monitor-{tag}@example.org', 2],
      ['tlsrpt@example.org', 1],
    ]);
    expect(v.selfGenerated.byKind).toEqual({ 'dmarc-report': 9, 'tls-report': 1, bounce: 2 });
    expect(v.selfGenerated.messages).toBe(12);
    expect(v.selfGenerated.share).toBeCloseTo(12 / 18, 4);
    expect(v.selfGenerated.topDomains[0]).toMatchObject({ key: 'spam0.example', messages: 3 });
    expect(v.byDomain.find((d) => d.key === 'example.com')).toMatchObject({ messages: 4, recipients: 4, selfGenerated: 0 });
    expect(v.warning).toContain('12 of 18 outbound messages (67 %)');
    expect(v.warning).toContain('Spamhaus CSS');
  });

  test('self-written kinds from the envelope sender', () => {
    expect(selfGeneratedKind({ from: '' })).toBe('null-sender');
    expect(selfGeneratedKind({ from: '', dsnOf: 'X' })).toBe('bounce');
    expect(selfGeneratedKind({ from: 'MAILER-DAEMON@example.org' })).toBe('bounce');
    expect(selfGeneratedKind({ from: 'dmarc-reports@example.org' })).toBe('dmarc-report');
    expect(selfGeneratedKind({ from: 'smtp-tls-reporting@example.org' })).toBe('tls-report');
    expect(selfGeneratedKind({ from: 'jane-autoreply@example.org' })).toBe('auto-reply');
    expect(selfGeneratedKind({ from: 'jane@example.org' })).toBeUndefined();
  });

  test('no warning for a server that mostly sends people mail', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 30; i++)
      lines.push(...sent(NOW - H + i * 1000, `E${(0x1000000 + i).toString(16).toUpperCase()}`, 'jane@example.org', `p${i}@example.com`));
    lines.push(...sent(NOW - H, 'EFFFFFFF', 'dmarc@example.org', 'rua@big.example'));
    const r = await readServerLog(lines, { now: NOW, since: NOW - 24 * H, utcOffsetMinutes: 0 });
    expect(r.volume.selfGenerated.messages).toBe(1);
    expect(r.volume.warning).toBeUndefined();
  });
});

test.describe('log source settings', () => {
  test('one source at a time, each validated with its fix', () => {
    expect(serverLogConfigFromEnv({}).config).toBeNull();
    expect(serverLogConfigFromEnv({ MAILCANARY_LOG_FILE: '/var/log/mail.log' }).config).toEqual({
      source: { kind: 'file', path: '/var/log/mail.log' },
      showLocalParts: false,
      windowMs: 24 * H,
    });
    expect(
      serverLogConfigFromEnv({ MAILCANARY_LOG_JOURNAL: 'postfix@-', MAILCANARY_LOG_TIMEZONE: '+01:00', MAILCANARY_LOG_WINDOW_HOURS: '48' }).config,
    ).toEqual({ source: { kind: 'journal', unit: 'postfix@-' }, utcOffsetMinutes: 60, showLocalParts: false, windowMs: 48 * H });
    expect(serverLogConfigFromEnv({ MAILCANARY_LOG_SSH: 'mc@mail.example.org' }).config?.source).toEqual({
      kind: 'ssh',
      target: 'mc@mail.example.org',
      command: 'cat /var/log/mail.log',
      follow: 'tail -n +1 -F /var/log/mail.log',
    });
    expect(
      serverLogConfigFromEnv({
        MAILCANARY_LOG_SSH: 'mc@mail.example.org',
        MAILCANARY_LOG_SSH_COMMAND: 'tail -n +1 -F /var/log/mail.log',
        MAILCANARY_LOG_SHOW_LOCAL_PARTS: 'true',
      }).config,
    ).toMatchObject({ source: { command: 'tail -n +1 -F /var/log/mail.log' }, showLocalParts: true });
    const two = serverLogConfigFromEnv({ MAILCANARY_LOG_FILE: '/var/log/mail.log', MAILCANARY_LOG_SSH: 'mc@mail.example.org' });
    expect(two.problems[0]).toMatchObject({ field: 'MAILCANARY_LOG_FILE, MAILCANARY_LOG_SSH', message: 'more than one log source is set' });
    // a value that would turn into an ssh or journalctl option
    expect(serverLogConfigFromEnv({ MAILCANARY_LOG_SSH: '-oProxyCommand=touch /tmp/x' }).problems[0].field).toBe('MAILCANARY_LOG_SSH');
    expect(serverLogConfigFromEnv({ MAILCANARY_LOG_JOURNAL: '--file=/etc/shadow' }).problems[0].field).toBe('MAILCANARY_LOG_JOURNAL');
    expect(serverLogConfigFromEnv({ MAILCANARY_LOG_SSH_COMMAND: 'cat /var/log/mail.log' }).problems[0].fix).toContain('MAILCANARY_LOG_SSH=');
    expect(serverLogConfigFromEnv({ MAILCANARY_LOG_FILE: '/x', MAILCANARY_LOG_TIMEZONE: 'Mars' }).problems[0].field).toBe('MAILCANARY_LOG_TIMEZONE');
    expect(serverLogConfigFromEnv({ MAILCANARY_LOG_FILE: '/x', MAILCANARY_LOG_WINDOW_HOURS: '-1' }).problems[0].field).toBe('MAILCANARY_LOG_WINDOW_HOURS');
  });
});

test('Microsoft S3150 in the real-mail view reads as a block with its advice', async () => {
  const lines = message(
    NOW - H,
    'F1F2F3F4F5',
    'jane@example.org',
    'someone@outlook.com',
    'bounced',
    '5.7.1',
    `host outlook-com.olc.protection.outlook.com[52.101.68.18] said: ${MS_S3150} (in reply to MAIL FROM command)`,
    'outlook-com.olc.protection.outlook.com[52.101.68.18]:25',
  );
  const r = await readServerLog(lines, { now: NOW, since: NOW - 24 * H, utcOffsetMinutes: 0 });
  expect(r.rejections).toHaveLength(1);
  expect(r.rejections[0].domain).toBe('outlook.com');
  expect(['blocked', 'badreputation']).toContain(r.rejections[0].reason);
  expect(r.rejections[0].advice?.provider).not.toBe('generic');
});

test("a provider's contact address in its reply stays; the recipient's is masked", async () => {
  const lines = message(
    NOW - H,
    'F1F2F3F4F6',
    'jane@example.org',
    'jane.seed@t-online.de',
    'deferred',
    '4.0.0',
    'host mx00.t-online.de[194.25.134.8] refused to talk to me: 554 IP=192.0.2.25 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) <jane.seed@t-online.de> (BL)',
    'mx00.t-online.de[194.25.134.8]:25',
  );
  const [g] = (await readServerLog(lines, { now: NOW, since: NOW - 24 * H, utcOffsetMinutes: 0 })).rejections;
  expect(g.example).toContain('contact tosa@rx.t-online.de to clarify');
  expect(g.example).toContain('<***@t-online.de>');
  expect(g.example).not.toContain('jane.seed');
});

test('the hop into a content filter on loopback is not outbound mail; what leaves after it is', async () => {
  const lines = [
    ...sent(NOW - H, 'AA00000001', 'jane@example.org', 'bob@example.com').map((l) =>
      l.replace('relay=mx.example.net[203.0.113.5]:25', 'relay=127.0.0.1[127.0.0.1]:10024'),
    ),
    ...sent(NOW - H + 5000, 'AA00000002', 'jane@example.org', 'bob@example.com'),
  ];
  const r = await readServerLog(lines, { now: NOW, since: NOW - 24 * H, utcOffsetMinutes: 0 });
  expect(r.volume.messages).toBe(1);
  expect(r.volume.byDomain).toEqual([{ key: 'example.com', messages: 1, recipients: 1, selfGenerated: 0 }]);
});
