import { expect, test } from '@playwright/test';
import type { Seed } from '../../src/config/seeds.ts';
import type { BounceRecord, SentMessage } from '../../src/model.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import { readServerLog, senderSide } from '../../src/server-log/index.ts';
import { MS_S3150, TELEKOM_BL, postfix, telekomBlock } from './server-log-fixtures.ts';

const NOW = Date.UTC(2026, 11, 1, 20, 0, 0);
const T0 = NOW - 60_000;
const seed = { id: 'tonline', provider: 'tonline', authservIds: [], timeoutSeconds: 300 } as unknown as Seed;
const missing = { status: 'missing', searched: ['INBOX', 'Spam'] } as never;

function sentTo(to: string, queueId: string): SentMessage {
  return {
    runId: 'mc202612011959k3f9',
    tag: 'mc202612011959k3f9.001',
    seedId: 'tonline',
    variant: 'plain',
    to,
    from: 'monitor@example.org',
    envelopeFrom: 'monitor-mc202612011959k3f9.001@example.org',
    messageId: '<mc202612011959k3f9.001@example.org>',
    subject: 's',
    submittedAt: T0,
    queueId,
  };
}

async function sideOf(lines: string[], qid: string) {
  const r = await readServerLog(lines, { now: NOW, since: NOW - 3_600_000, keep: [qid], utcOffsetMinutes: 0 });
  return senderSide(r.trails.get(qid)!);
}

test.describe('the verdict with the sending server log', () => {
  test("missing at the seed, Telekom's greeting block in the log: deferred with the remote's 554 (BL) and advice", async () => {
    const qid = '4ZkQ7w1Lh2z9sRH';
    const d = deliveryFrom({
      seed,
      sent: sentTo('jane.seed@t-online.de', qid),
      expected: 'inbox',
      lab: false,
      watch: missing,
      serverLog: await sideOf(telekomBlock(T0, qid), qid),
    });
    expect(d.verdict).toBe('deferred');
    expect(d.detail).toContain(`your server's log, queue id ${qid}`);
    expect(d.detail).toContain(`deferred: mx01.t-online.de refused to talk to me: ${TELEKOM_BL}`);
    expect(d.bounce).toMatchObject({
      state: 'deferred',
      source: 'server-log',
      reason: 'blocked',
      replyCode: 554,
      status: '4.0.0',
      remoteMta: 'mx01.t-online.de',
      receivedAt: T0 + 1000,
    });
    expect(d.bounce?.advice[0]?.id).toBe('telekom-problem');
    expect(d.serverLog).toEqual({
      queueId: qid,
      status: 'deferred',
      attempts: 1,
      headline: `deferred: mx01.t-online.de refused to talk to me: ${TELEKOM_BL}`,
      relay: 'mx01.t-online.de',
      family: 'ipv6',
    });
  });

  test('a 5xx in the log before any DSN: bounced, named as coming from the log', async () => {
    const qid = '6D1E2F3A4B';
    const lines = [
      postfix(T0, 'qmgr', 1, `${qid}: from=<monitor@example.org>, size=2210, nrcpt=1 (queue active)`),
      postfix(
        T0 + 1000,
        'smtp',
        2,
        `${qid}: to=<seed@outlook.com>, relay=outlook-com.olc.protection.outlook.com[52.101.68.18]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.7.1, status=bounced (host outlook-com.olc.protection.outlook.com[52.101.68.18] said: ${MS_S3150} (in reply to MAIL FROM command))`,
      ),
    ];
    const d = deliveryFrom({ seed, sent: sentTo('seed@outlook.com', qid), expected: 'inbox', lab: false, watch: missing, serverLog: await sideOf(lines, qid) });
    expect(d.verdict).toBe('bounced');
    expect(d.detail).toContain(`bounced by outlook-com.olc.protection.outlook.com (your server's log, queue id ${qid}): 550 5.7.1 Unfortunately`);
    // the status the reply quotes is printed once
    expect(d.detail?.match(/5\.7\.1/g)).toHaveLength(1);
    expect(d.bounce).toMatchObject({ state: 'bounced', source: 'server-log', hardBounce: true });
  });

  test('found in the inbox: the log only adds the delivery summary; a DSN that came back wins over the log', async () => {
    const qid = '7A7A7A7A7A';
    const lines = [
      postfix(
        T0 + 1000,
        'smtp',
        2,
        `${qid}: to=<jane.seed@t-online.de>, relay=mx00.t-online.de[194.25.134.8]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=2.0.0, status=sent (250 2.0.0 Message accepted.)`,
      ),
    ];
    const found = { status: 'found', sighting: { placement: 'inbox', folder: 'INBOX', seenAt: T0 + 5000 } } as never;
    const d = deliveryFrom({
      seed,
      sent: sentTo('jane.seed@t-online.de', qid),
      expected: 'inbox',
      lab: false,
      watch: found,
      serverLog: await sideOf(lines, qid),
    });
    expect(d.verdict).toBe('inbox');
    expect(d.serverLog).toEqual({ queueId: qid, status: 'sent', attempts: 1, relay: 'mx00.t-online.de', family: 'ipv4' });
    expect(d.bounce).toBeUndefined();

    const dsn: BounceRecord = {
      state: 'bounced',
      source: 'dsn',
      receivedAt: T0 + 9000,
      reason: 'badreputation',
      hardBounce: true,
      status: '5.7.1',
      diagnostic: '554 5.7.1 NOWL',
      advice: [],
    };
    const qid2 = '4ZkQ7w1Lh2z9sRH';
    const d2 = deliveryFrom({
      seed,
      sent: sentTo('jane.seed@t-online.de', qid2),
      expected: 'inbox',
      lab: false,
      watch: missing,
      bounce: dsn,
      serverLog: await sideOf(telekomBlock(T0, qid2), qid2),
    });
    expect(d2.verdict).toBe('bounced');
    expect(d2.bounce).toBe(dsn);
    expect(d2.serverLog?.status).toBe('deferred');
  });

  test('without a log source nothing changes', () => {
    const d = deliveryFrom({ seed, sent: sentTo('jane.seed@t-online.de', '4ZkQ7w1Lh2z9sRH'), expected: 'inbox', lab: false, watch: missing });
    expect(d.verdict).toBe('missing');
    expect(d).not.toHaveProperty('serverLog');
  });
});
