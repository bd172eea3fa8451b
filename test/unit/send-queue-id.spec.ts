import { expect, test } from '@playwright/test';
import { parseQueueId } from '../../src/send/queue-id.ts';
import { senderConfigFromEnv } from '../../src/config/sender.ts';
import { sendAll } from '../../src/send/submit.ts';
import type { TransportFactory } from '../../src/send/submit.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import type { Seed } from '../../src/config/seeds.ts';

/*
 * The final reply to DATA as each MTA words it: Postfix smtpd.c ("Ok: queued as %s"), Exim's
 * acceptance reply ("OK id=%s"), OpenSMTPD smtp_session.c ("%08x Message accepted for
 * delivery"), Sendmail ("%s Message accepted for delivery"), Exchange ("[InternalId=…] Queued
 * mail for delivery"), Stalwart (older: no id; newer: "queued with id").
 */
const REPLIES: Array<[string, string, string | undefined]> = [
  ['Postfix', '250 2.0.0 Ok: queued as 4Xyz1234AB', '4Xyz1234AB'],
  ['Postfix, long queue ids', '250 2.0.0 Ok: queued as 4Wn3c51Ph2z9sRH', '4Wn3c51Ph2z9sRH'],
  ['Postfix, classic hex id', '250 2.0.0 Ok: queued as 3F1A22C0B9', '3F1A22C0B9'],
  ['Exim', '250 OK id=1rAbCd-000123-Xy', '1rAbCd-000123-Xy'],
  ['Exim 4.97 id', '250 OK id=1rjTg9-00000000Ape-1Ktc', '1rjTg9-00000000Ape-1Ktc'],
  ['OpenSMTPD', '250 2.0.0 8c3a1f2e Message accepted for delivery', '8c3a1f2e'],
  ['OpenSMTPD, older colon form', '250 2.0.0: 8c3a1f2e Message accepted for delivery', '8c3a1f2e'],
  ['Sendmail', '250 2.0.0 x8ABC123 Message accepted for delivery', 'x8ABC123'],
  ['Sendmail, full queue id', '250 2.0.0 4B1JSuAt012345 Message accepted for delivery', '4B1JSuAt012345'],
  [
    'Exchange',
    '250 2.6.0 <a1b2@mail.example.org> [InternalId=65481563521234, Hostname=EX01.corp.example.org] 2345 bytes in 0.101, 22.6 KB/sec Queued mail for delivery',
    '65481563521234',
  ],
  ['Stalwart, newer', '250 2.0.0 Message queued with id 18a2f3c4d5e6f708.', '18a2f3c4d5e6f708'],
  ['Stalwart, older: no id', '250 2.0.0 Message queued for delivery.', undefined],
  ['Haraka', '250 Message Queued (4F6F2D3C-8B1A-4C4E-9B7A-2D1A5E0E4D3C.1)', '4F6F2D3C-8B1A-4C4E-9B7A-2D1A5E0E4D3C.1'],
  ['Gmail submission', '250 2.0.0 OK  1764617336 a640c23a62f3a-b7a3f1d2c5asm123456766b.42 - gsmtp', 'a640c23a62f3a-b7a3f1d2c5asm123456766b.42'],
  ['a server that says only OK', '250 OK', undefined],
  ['qmail (qp is a process id, not a queue id)', '250 ok 1764617336 qp 12345', undefined],
  ['a refusal that mentions an id', '554 5.7.1 rejected id=1rAbCd-000123-Xy', undefined],
];

test.describe('queue id from the reply to DATA', () => {
  for (const [mta, reply, id] of REPLIES) {
    test(`${mta}: ${reply.slice(0, 60)}`, () => {
      expect(parseQueueId(reply)?.queueId).toBe(id);
    });
  }

  test('nothing to read gives no id, never a throw', () => {
    expect(parseQueueId(undefined)).toBeUndefined();
    expect(parseQueueId('')).toBeUndefined();
    expect(parseQueueId(42 as unknown as string)).toBeUndefined();
    expect(parseQueueId('queued as <x@y>')).toBeUndefined();
  });
});

test.describe('queue id through submission into the records', () => {
  const env = {
    SMTP_HOST: 'mail.example.org',
    SMTP_PORT: '587',
    SMTP_TLS: 'starttls',
    SMTP_USER: 'monitor@example.org',
    SMTP_PASS: 'pw',
    MAIL_FROM: 'monitor@example.org',
  };
  const seed = { id: 'gmail', provider: 'gmail', authservIds: ['mx.google.com'], timeoutSeconds: 30 } as unknown as Seed;

  test('every message keeps the id its reply named; a reply without one records none', async () => {
    const { config } = senderConfigFromEnv(env);
    const replies = ['250 2.0.0 Ok: queued as 4Xyz1234AB', '250 2.0.0 Message queued for delivery.', '250 2.0.0 Ok: queued as 4Xyz1234AC'];
    let n = 0;
    const factory: TransportFactory = () =>
      ({ sendMail: async () => ({ response: replies[n++] }) as never, close: () => {} }) as unknown as ReturnType<TransportFactory>;
    const plan = ['a', 'b', 'c'].map((s) => ({ seedId: s, to: `${s}@example.net`, variant: 'plain' }));
    const sent = await sendAll({ sender: config, runId: 'mc202612011930abcd', plan, transport: factory, now: () => 1000 });
    expect(sent.map((m) => m.queueId)).toEqual(['4Xyz1234AB', undefined, '4Xyz1234AC']);
    expect(sent[1]).not.toHaveProperty('queueId');

    const d = deliveryFrom({ seed, sent: sent[0], expected: 'inbox', lab: false });
    expect(d.queueId).toBe('4Xyz1234AB');
    expect(JSON.parse(JSON.stringify(d)).sent.queueId).toBe('4Xyz1234AB');
    expect(deliveryFrom({ seed, sent: sent[1], expected: 'inbox', lab: false })).not.toHaveProperty('queueId');
  });
});
