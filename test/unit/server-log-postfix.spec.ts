import { expect, test } from '@playwright/test';
import { readServerLog, senderSide } from '../../src/server-log/index.ts';
import { postfixEvents } from '../../src/server-log/postfix.ts';
import { MS_RATE, MS_S3150, TELEKOM_BL, postfix, telekomBlock } from './server-log-fixtures.ts';

const NOW = Date.UTC(2026, 11, 1, 20, 0, 0);
const T0 = NOW - 30 * 60_000;
const read = (lines: string[], keep: string[] = []) => readServerLog(lines, { now: NOW, since: NOW - 86_400_000, keep, utcOffsetMinutes: 0 });
const rec = (message: string, program = 'postfix/smtp') => ({ time: T0, program, message });

test.describe('Postfix log messages', () => {
  test('a delivery line: relay, address family, delays, dsn, status and the reply', () => {
    const [ev] = postfixEvents(
      rec(
        '3F1A22C0B9: to=<u@example.net>, orig_to=<alias@example.org>, relay=mx.example.net[203.0.113.5]:25, conn_use=2, delay=1.5, delays=0.11/0.02/0.6/0.77, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 7B2C1D0E9F)',
      ),
    )!;
    expect(ev).toEqual({
      kind: 'attempt',
      queueId: '3F1A22C0B9',
      time: T0,
      transport: 'smtp',
      to: 'u@example.net',
      origTo: 'alias@example.org',
      relay: { host: 'mx.example.net', ip: '203.0.113.5', port: 25, family: 'ipv4' },
      delay: 1.5,
      delays: { beforeQueue: 0.11, inQueue: 0.02, connect: 0.6, transmit: 0.77 },
      dsn: '2.0.0',
      status: 'sent',
      reply: { replyCode: 250, status: '2.0.0', text: '250 2.0.0 Ok: queued as 7B2C1D0E9F' },
    });
  });

  test('IPv6 relays, `host … said` with the SMTP stage, and local reasons without a reply', () => {
    const [v6] = postfixEvents(
      rec(
        "3F1A22C0B9: to=<u@gmail.com>, relay=gmail-smtp-in.l.google.com[2a00:1450:400c:c0b::1a]:25, delay=0.9, delays=0.01/0/0.3/0.6, dsn=5.7.26, status=bounced (host gmail-smtp-in.l.google.com[2a00:1450:400c:c0b::1a] said: 550-5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy. (in reply to end of DATA command))",
      ),
    )!;
    expect(v6).toMatchObject({
      status: 'bounced',
      dsn: '5.7.26',
      relay: { host: 'gmail-smtp-in.l.google.com', ip: '2a00:1450:400c:c0b::1a', port: 25, family: 'ipv6' },
    });
    expect(v6.kind === 'attempt' && v6.reply).toMatchObject({ host: 'gmail-smtp-in.l.google.com', replyCode: 550, status: '5.7.26', command: 'DATA' });
    const [rcpt] = postfixEvents(
      rec(
        '3F1A22C0B9: to=<x@example.net>, relay=mx.example.net[203.0.113.5]:25, delay=0.4, delays=0/0/0.2/0.2, dsn=5.1.1, status=bounced (host mx.example.net[203.0.113.5] said: 550 5.1.1 <x@example.net>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))',
      ),
    )!;
    expect(rcpt.kind === 'attempt' && rcpt.reply?.command).toBe('RCPT');
    const [timeout] = postfixEvents(
      rec(
        '3F1A22C0B9: to=<x@example.net>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.example.net[203.0.113.5]:25: Connection timed out)',
      ),
    )!;
    expect(timeout).toMatchObject({
      status: 'deferred',
      dsn: '4.4.1',
      reply: { host: 'mx.example.net', ip: '203.0.113.5', command: 'CONN', text: 'connect to mx.example.net[203.0.113.5]: Connection timed out' },
    });
    expect(timeout).not.toHaveProperty('relay');
    const [lost] = postfixEvents(
      rec(
        '3F1A22C0B9: to=<x@example.net>, relay=mx.example.net[203.0.113.5]:25, delay=300, delays=0/0/0.1/300, dsn=4.4.2, status=deferred (lost connection with mx.example.net[203.0.113.5] while receiving the initial server greeting)',
      ),
    )!;
    expect(lost.kind === 'attempt' && lost.reply?.command).toBe('CONN');
  });

  test('queue lifecycle lines: message-id, from/size/nrcpt, client, DSN notifications, expiry, removal', () => {
    const ev = (m: string, p = 'postfix/qmgr') => postfixEvents(rec(m, p)) ?? [];
    expect(ev('3F1A22C0B9: message-id=<a.b@example.org>', 'postfix/cleanup')).toEqual([
      { kind: 'message-id', queueId: '3F1A22C0B9', time: T0, messageId: 'a.b@example.org' },
    ]);
    expect(ev('3F1A22C0B9: from=<monitor@example.org>, size=1834, nrcpt=2 (queue active)')).toEqual([
      { kind: 'queued', queueId: '3F1A22C0B9', time: T0, from: 'monitor@example.org', size: 1834, nrcpt: 2 },
    ]);
    expect(ev('3F1A22C0B9: from=<>, size=3102, nrcpt=1 (queue active)')[0]).toMatchObject({ from: '' });
    expect(ev('3F1A22C0B9: client=unknown[198.51.100.7], sasl_method=PLAIN, sasl_username=monitor@example.org', 'postfix/submission/smtpd')[0]).toMatchObject({
      kind: 'client',
      client: 'unknown[198.51.100.7]',
      user: 'monitor@example.org',
    });
    expect(ev('3F1A22C0B9: uid=0 from=<root>', 'postfix/pickup')[0]).toMatchObject({ kind: 'client', local: true });
    expect(ev('3F1A22C0B9: sender non-delivery notification: 5C2D3E4F5A', 'postfix/bounce')).toEqual([
      { kind: 'notification', queueId: '3F1A22C0B9', time: T0, type: 'non-delivery', newQueueId: '5C2D3E4F5A' },
    ]);
    expect(ev('3F1A22C0B9: sender delay notification: 5C2D3E4F5B', 'postfix/bounce')[0]).toMatchObject({ type: 'delay' });
    expect(ev('3F1A22C0B9: from=<monitor@example.org>, status=expired, returned to sender')).toEqual([
      { kind: 'expired', queueId: '3F1A22C0B9', time: T0, from: 'monitor@example.org' },
    ]);
    expect(ev('3F1A22C0B9: removed')).toEqual([{ kind: 'removed', queueId: '3F1A22C0B9', time: T0 }]);
    // not about a queued message, or not Postfix at all
    expect(ev('warning: hostname example does not resolve to address 198.51.100.7', 'postfix/smtpd')).toEqual([]);
    expect(ev('NOQUEUE: reject: RCPT from unknown[198.51.100.9]: 554 5.7.1 Relay access denied', 'postfix/smtpd')).toEqual([]);
    expect(postfixEvents(rec('statistics: max connection rate 1/60s', 'postfix/anvil'))).toBeNull();
    expect(postfixEvents(rec('3F1A22C0B9: removed', 'dovecot'))).toBeNull();
  });

  test('a line cut off by syslog keeps what it has and is marked truncated', () => {
    const [ev] = postfixEvents(
      rec(
        '3F1A22C0B9: to=<x@example.net>, relay=mx.example.net[203.0.113.5]:25, delay=0.4, delays=0/0/0.2/0.2, dsn=4.7.1, status=deferred (host mx.example.net[203.0.113.5] said: 451 4.7.1 Please try again la',
      ),
    )!;
    expect(ev).toMatchObject({ status: 'deferred', truncated: true, reply: { replyCode: 451, status: '4.7.1' } });
    // cut before the status: nothing usable
    expect(postfixEvents(rec('3F1A22C0B9: to=<x@example.net>, relay=mx.example.net[203.0.113.5]:25, del'))).toEqual([]);
  });
});

test.describe("a test message's side at the sender, by queue id", () => {
  test("Telekom's greeting block: the remote's 554 (BL) within seconds, classified, with advice, over both families", async () => {
    const r = await read(telekomBlock(T0), ['4ZkQ7w1Lh2z9sRH']);
    const side = senderSide(r.trails.get('4ZkQ7w1Lh2z9sRH')!);
    expect(side).toMatchObject({ queueId: '4ZkQ7w1Lh2z9sRH', messageId: 'mc202612011928k3f9.001@example.org', removed: false });
    const [o] = side.outcomes;
    expect(o.status).toBe('deferred');
    expect(o.headline).toBe(`deferred: mx01.t-online.de refused to talk to me: ${TELEKOM_BL}`);
    expect(o.lastFailure).toMatchObject({ family: 'ipv6', relay: 'mx01.t-online.de', dsn: '4.0.0', reply: { replyCode: 554, command: 'CONN' } });
    expect(o.lastFailure?.assessment?.reason).toBe('blocked');
    expect(o.lastFailure?.assessment?.advice[0]).toMatchObject({ id: 'telekom-problem' });
    // the first MX's refusal (IPv4) is on the timeline before the attempt's own line
    expect(o.steps.map((s) => [s.status, s.relay])).toEqual([
      ['notice', 'mx00.t-online.de'],
      ['deferred', 'mx01.t-online.de'],
    ]);
  });

  test("Microsoft's rate limiting before an S3150 block: a timeline of 4xx, then the 5xx", async () => {
    const q = '6D1E2F3A4B';
    const to = 'seed@outlook.com';
    const relay = 'outlook-com.olc.protection.outlook.com[52.101.68.18]:25';
    const lines = [
      postfix(T0, 'qmgr', 3001, `${q}: from=<monitor@example.org>, size=2210, nrcpt=1 (queue active)`),
      ...[0, 1, 2].map((i) =>
        postfix(
          T0 + i * 300_000 + 1000,
          'smtp',
          3002 + i,
          `${q}: to=<${to}>, relay=${relay}, delay=${i * 300 + 1}, delays=0.1/${i * 300}/0.5/0.4, dsn=4.7.650, status=deferred (host outlook-com.olc.protection.outlook.com[52.101.68.18] said: ${MS_RATE} (in reply to MAIL FROM command))`,
        ),
      ),
      postfix(
        T0 + 900_000 + 1000,
        'smtp',
        3010,
        `${q}: to=<${to}>, relay=${relay}, delay=901, delays=0.1/900/0.5/0.4, dsn=5.7.1, status=bounced (host outlook-com.olc.protection.outlook.com[52.101.68.18] said: ${MS_S3150} (in reply to MAIL FROM command))`,
      ),
      postfix(T0 + 900_000 + 1100, 'cleanup', 3011, '7E8F9A0B1C: message-id=<20261201194501.7E8F9A0B1C@mail.example.org>'),
      postfix(T0 + 900_000 + 1100, 'bounce', 3012, `${q}: sender non-delivery notification: 7E8F9A0B1C`),
      postfix(T0 + 900_000 + 1200, 'qmgr', 3001, `${q}: removed`),
    ];
    const r = await read(lines, [q]);
    const [o] = senderSide(r.trails.get(q)!).outcomes;
    expect(o.status).toBe('bounced');
    expect(o.attempts).toBe(4);
    expect(o.shape).toBe('deferred 4xx ×3 → bounced 5xx');
    expect(o.steps.map((s) => s.dsn)).toEqual(['4.7.650', '4.7.650', '4.7.650', '5.7.1']);
    expect(o.steps.map((s) => s.at)).toEqual([T0 + 1000, T0 + 301_000, T0 + 601_000, T0 + 901_000]);
    expect(o.headline).toContain('bounced: outlook-com.olc.protection.outlook.com said after MAIL: 550 5.7.1');
    expect(o.lastFailure?.assessment?.hardBounce).toBe(true);
    // syslog times have whole seconds
    expect(senderSide(r.trails.get(q)!).notifications).toEqual([{ at: T0 + 901_000, type: 'non-delivery', newQueueId: '7E8F9A0B1C' }]);
  });

  test('a message that expired after deferrals is `expired`; an unrelated queue id is not kept', async () => {
    const q = '8A9B0C1D2E';
    const lines = [
      postfix(T0, 'qmgr', 1, `${q}: from=<monitor@example.org>, size=900, nrcpt=1 (queue active)`),
      postfix(
        T0 + 1000,
        'smtp',
        2,
        `${q}: to=<a@slow.example>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.slow.example[198.51.100.44]:25: Connection timed out)`,
      ),
      postfix(T0 + 60_000, 'qmgr', 1, `${q}: from=<monitor@example.org>, status=expired, returned to sender`),
      postfix(T0 + 60_100, 'qmgr', 1, `${q}: removed`),
      postfix(T0, 'qmgr', 1, '9F9F9F9F9F: from=<other@example.org>, size=900, nrcpt=1 (queue active)'),
    ];
    const r = await read(lines, [q]);
    expect(senderSide(r.trails.get(q)!).outcomes[0]).toMatchObject({
      status: 'expired',
      headline: 'expired: mx.slow.example: connect to mx.slow.example[198.51.100.44]: Connection timed out',
    });
    expect(r.trails.has('9F9F9F9F9F')).toBe(false);
  });
});

test.describe("the lab Postfix 3.7's own maillog_file (recorded from a lab run)", () => {
  // Written by postlogd of the lab's Debian Postfix 3.7.11 (maillog_file in the lab state dir,
  // the machine in UTC) during test/lab/faults-tempfail.spec.ts: `Dec 01` with a zero-padded day,
  // the first label of the host name, two 451 deferrals, a delay DSN, then the delivery.
  const file = new URL('../fixtures/server-log/lab-postfix-3.7-maillog_file.log', import.meta.url).pathname;

  test('every line reads; the message has its deferrals, its delay DSN and its delivery', async () => {
    const now = Date.UTC(2026, 11, 1, 20, 0, 0);
    const r = await readServerLog({ kind: 'file', path: file }, { now, since: now - 3_600_000, keep: ['15C74214263'], utcOffsetMinutes: 0 });
    expect(r.stats).toMatchObject({ lines: 72, garbage: 0, truncated: 0, tooLong: 0 });
    const t = r.trails.get('15C74214263')!;
    expect(t).toMatchObject({
      from: 'monitor-mc202612011955p7w8.000@canary.test',
      messageId: 'mc202612011955p7w8.000@canary.test',
      client: 'unknown[127.0.0.1]',
      user: 'monitor@canary.test',
      removedAt: Date.UTC(2026, 11, 1, 19, 55, 22),
    });
    expect(t.notifications).toEqual([{ at: Date.UTC(2026, 11, 1, 19, 55, 20), type: 'delay', newQueueId: 'E1434214472' }]);
    const [o] = senderSide(t).outcomes;
    expect(o).toMatchObject({ to: 'seed@outlook.lab.test', status: 'sent', attempts: 3, shape: 'deferred 4xx ×2 → sent' });
    expect(o.steps.map((s) => [s.status, s.dsn, s.replyCode])).toEqual([
      ['deferred', '4.7.500', 451],
      ['deferred', '4.7.500', 451],
      ['sent', '2.0.0', 250],
    ]);
    expect(o.lastFailure).toMatchObject({ dsn: '4.7.500', reply: { command: 'DATA', text: '451 4.7.500 Server busy. Please try again later.' } });
    expect(o.headline).toBeUndefined();
    // the deferrals were real outbound refusals; the delay DSN went to the local mailbox (lmtp)
    expect(r.rejections).toHaveLength(1);
    expect(r.rejections[0]).toMatchObject({ domain: 'outlook.lab.test', status: 'deferred', messages: 1, attempts: 2 });
    expect(r.volume).toMatchObject({ messages: 1, recipients: 1 });
  });
});
