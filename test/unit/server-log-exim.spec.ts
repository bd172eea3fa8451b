import { expect, test } from '@playwright/test';
import { eximEvents } from '../../src/server-log/exim.ts';
import { readServerLog, senderSide } from '../../src/server-log/index.ts';
import { eximTime } from './server-log-fixtures.ts';

const NOW = Date.UTC(2026, 11, 1, 20, 0, 0);
const T0 = NOW - 20 * 60_000;
const rec = (message: string) => ({ time: T0, program: 'exim', message });
const ID = '1rAbCd-000123-Xy';

test.describe('Exim main log', () => {
  test('arrival `<=`: sender, size, Message-ID, client and login', () => {
    const ev = eximEvents(
      rec(
        `${ID} <= monitor-mc202612011940abcd.002@example.org H=(laptop) [198.51.100.7] P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_plain:monitor@example.org S=2345 id=mc202612011940abcd.002@example.org`,
      ),
    )!;
    expect(ev).toEqual([
      { kind: 'queued', queueId: ID, time: T0, from: 'monitor-mc202612011940abcd.002@example.org', size: 2345 },
      { kind: 'message-id', queueId: ID, time: T0, messageId: 'mc202612011940abcd.002@example.org' },
      { kind: 'client', queueId: ID, time: T0, client: '(laptop)[198.51.100.7]', user: 'monitor@example.org' },
    ]);
    // a bounce the server wrote: null sender, R= names the message it is about
    const b = eximEvents(rec(`1rAbCe-000124-Zz <= <> R=${ID} U=Debian-exim P=local S=3456`))!;
    expect(b).toContainEqual({ kind: 'queued', queueId: '1rAbCe-000124-Zz', time: T0, from: '', size: 3456 });
    expect(b).toContainEqual({ kind: 'bounce-of', queueId: '1rAbCe-000124-Zz', time: T0, ofQueueId: ID });
  });

  test('delivery `=>` with the remote confirmation, IPv6 host and port', () => {
    const [ev] = eximEvents(
      rec(
        `${ID} => jane@example.net <jane.alias@example.org> R=dnslookup T=remote_smtp H=mx.example.net [2001:db8:25::5]:2525 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C="250 2.0.0 Ok: queued as 4F2A1B3C4D" QT=2s DT=1s`,
      ),
    )!;
    expect(ev).toEqual({
      kind: 'attempt',
      queueId: ID,
      time: T0,
      transport: 'remote_smtp',
      to: 'jane@example.net',
      origTo: 'jane.alias@example.org',
      relay: { host: 'mx.example.net', ip: '2001:db8:25::5', port: 2525, family: 'ipv6' },
      status: 'sent',
      dsn: '2.0.0',
      reply: { host: 'mx.example.net', ip: '2001:db8:25::5', replyCode: 250, status: '2.0.0', text: '250 2.0.0 Ok: queued as 4F2A1B3C4D' },
    });
    const [more] = eximEvents(rec(`${ID} -> bob@example.net R=dnslookup T=remote_smtp H=mx.example.net [203.0.113.5] C="250 OK"`))!;
    expect(more).toMatchObject({ status: 'sent', to: 'bob@example.net', relay: { family: 'ipv4' } });
  });

  test('failure `**` and deferral `==`, in the newer (H= before the colon) and older layout', () => {
    const [fail] = eximEvents(
      rec(
        `${ID} ** jane@example.net R=dnslookup T=remote_smtp H=mx.example.net [203.0.113.5]: SMTP error from remote mail server after RCPT TO:<jane@example.net>: 550 5.1.1 <jane@example.net>: Recipient address rejected: User unknown`,
      ),
    )!;
    expect(fail).toMatchObject({
      status: 'bounced',
      dsn: '5.1.1',
      relay: { host: 'mx.example.net', ip: '203.0.113.5' },
      reply: { host: 'mx.example.net', replyCode: 550, command: 'RCPT' },
    });
    const [defer] = eximEvents(
      rec(
        `${ID} == jane@example.net R=dnslookup T=remote_smtp defer (-44) H=mx.example.net [203.0.113.5]: SMTP error from remote mail server after RCPT TO:<jane@example.net>: 451 4.7.1 Greylisted, try again in 5 minutes`,
      ),
    )!;
    expect(defer).toMatchObject({
      status: 'deferred',
      dsn: '4.7.1',
      reply: { replyCode: 451, command: 'RCPT', text: '451 4.7.1 Greylisted, try again in 5 minutes' },
    });
    const [old] = eximEvents(
      rec(
        `${ID} == marv@hitch.example R=dnslookup T=smtp defer (-44): SMTP error from remote mail server after RCPT TO:<marv@hitch.example>: host mx.hitch.example [192.0.2.3]: 451 Temporary local problem`,
      ),
    )!;
    expect(old).toMatchObject({ status: 'deferred', reply: { host: 'mx.hitch.example', ip: '192.0.2.3', replyCode: 451, command: 'RCPT' } });
    const [greeting] = eximEvents(
      rec(
        `${ID} == seed@t-online.de R=dnslookup T=remote_smtp defer (-44) H=mx00.t-online.de [194.25.134.8]: SMTP error from remote mail server after initial connection: 554 IP=192.0.2.25 - A problem occurred. (BL)`,
      ),
    )!;
    expect(greeting).toMatchObject({ reply: { host: 'mx00.t-online.de', replyCode: 554, command: 'CONN' } });
    const [refused] = eximEvents(rec(`${ID} == a@slow.example R=dnslookup T=remote_smtp defer (111): Connection refused`))!;
    expect(refused).toMatchObject({ status: 'deferred', reply: { text: 'Connection refused' } });
    const expired = eximEvents(rec(`${ID} ** a@slow.example R=dnslookup T=remote_smtp: retry timeout exceeded`))!;
    expect(expired[0]).toMatchObject({ status: 'expired', reply: { text: 'retry timeout exceeded' } });
    expect(expired[1]).toMatchObject({ kind: 'expired' });
    const [unrouteable] = eximEvents(rec(`${ID} ** nobody@nowhere.invalid: Unrouteable address`))!;
    expect(unrouteable).toMatchObject({ status: 'bounced', to: 'nobody@nowhere.invalid', reply: { text: 'Unrouteable address' } });
  });

  test('Completed ends the message; other lines and other programs give nothing', () => {
    expect(eximEvents(rec(`${ID} Completed`))).toEqual([{ kind: 'removed', queueId: ID, time: T0 }]);
    expect(eximEvents(rec(`${ID} Completed QT=3s`))).toEqual([{ kind: 'removed', queueId: ID, time: T0 }]);
    expect(eximEvents(rec('SMTP connection from (laptop) [198.51.100.7]:52344 I=[192.0.2.25]:587 closed by QUIT'))).toEqual([]);
    expect(eximEvents({ time: T0, program: 'postfix/smtp', message: `${ID} Completed` })).toBeNull();
  });

  test('through syslog and in its own file the same trail; 4.97 ids; a deferral then a bounce', async () => {
    const id = '1rjTg9-00000000Ape-1Ktc';
    const lines = [
      `${eximTime(T0)} ${id} <= monitor@example.org H=(laptop) [198.51.100.7] P=esmtpsa A=plain:monitor S=1200 id=x1@example.org`,
      `${eximTime(T0 + 5000)} ${id} == u@outlook.com R=dnslookup T=remote_smtp defer (-46) H=outlook-com.olc.protection.outlook.com [52.101.68.18]: SMTP error from remote mail server after MAIL FROM:<monitor@example.org> SIZE=1200: 451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation.`,
      // the same Exim logging through syslog (log_file_path = syslog)
      `Dec  1 19:50:05 mail exim[4242]: ${id} ** u@outlook.com R=dnslookup T=remote_smtp H=outlook-com.olc.protection.outlook.com [52.101.68.18]: SMTP error from remote mail server after MAIL FROM:<monitor@example.org> SIZE=1200: 550 5.7.1 Unfortunately, messages from [192.0.2.25] weren't sent. (S3150)`,
      `Dec  1 19:50:05 mail exim[4242]: ${id} Completed`,
    ];
    const r = await readServerLog(lines, { now: NOW, since: NOW - 3_600_000, keep: [id], utcOffsetMinutes: 0 });
    expect(r.stats).toMatchObject({ lines: 4, used: 4, garbage: 0 });
    const [o] = senderSide(r.trails.get(id)!).outcomes;
    expect(o).toMatchObject({ to: 'u@outlook.com', status: 'bounced', attempts: 2, shape: 'deferred 4xx → bounced 5xx' });
    expect(o.steps.map((s) => s.at)).toEqual([T0 + 5000, Date.UTC(2026, 11, 1, 19, 50, 5)]);
    expect(r.trails.get(id)!.removedAt).toBe(Date.UTC(2026, 11, 1, 19, 50, 5));
  });
});
