import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { labPaths, labTopology, setScenario } from '../../lab/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import { SeedWatcher } from '../../src/watch/seed-watcher.ts';
import { sendAll } from '../../src/send/submit.ts';
import { newRunId } from '../../src/send/tag.ts';
import { LogFollower, readServerLog, senderSide, watchMessageLog, type LogUpdate } from '../../src/server-log/index.ts';
import type { ServerLogResult } from '../../src/server-log/index.ts';
import { LAB_SENDERS, labEnv, ROOT } from './support.ts';

/**
 * The lab Postfix's own maillog_file as the log source: real submissions through the user's
 * server carry its queue id, and the log shows what each provider MX answered — the
 * gmail-like MX over IPv6 accepts, the t-online-like MX (scenario `tonline-not-allowlisted`)
 * refuses with Telekom's NOWL text, classified with its advice. The server's own system mail
 * (root@mail.canary.test) is refused the same way, and the DSN Postfix writes for it is
 * delivered to the bounce mailbox: no rejection group of the server's own host name.
 */
test('queue ids from submission find each message in the lab Postfix log: IPv6 delivery, NOWL refusal with advice', async () => {
  test.setTimeout(90_000);
  const paths = labPaths(labTopology().stateDir);
  await setScenario('tonline-not-allowlisted');
  try {
    const config = await loadConfig(ROOT, { ...labEnv, MAILCANARY_SENDERS: LAB_SENDERS });
    const seeds = config.seeds.filter((s) => s.id === 'lab-gmail' || s.id === 'lab-tonline');
    const tonlineSeed = seeds.find((s) => s.id === 'lab-tonline')!;
    const started = Date.now();
    const plan = [
      ...seeds.map((s) => ({ seedId: s.id, to: s.address, variant: 'plain', sender: 'canary' })),
      { seedId: tonlineSeed.id, to: tonlineSeed.address, variant: 'plain', sender: 'system' },
    ];
    const all = await sendAll({ sender: config.sender, senders: config.senders, runId: newRunId(), plan });
    const system = all.find((m) => m.sender === 'system')!;
    const sent = all.filter((m) => m !== system);
    for (const m of all) {
      expect(m.submitError, JSON.stringify(m.submitError)).toBeUndefined();
      // Postfix 3.7's reply: `250 2.0.0 Ok: queued as 15C74214263`
      expect(m.queueId, m.seedId).toMatch(/^[0-9A-F]{8,}$/);
    }
    const byId = new Map(sent.map((m) => [m.seedId, m.queueId!]));
    // the log is read again until both messages have a final line (Postfix writes them within seconds)
    let r: ServerLogResult | undefined;
    const outcome = (id: string) => {
      const t = r?.trails.get(byId.get(id)!);
      return t ? senderSide(t).outcomes[0] : undefined;
    };
    // the DSN of the refused system mail goes to its tagged envelope sender at the host name
    const dsnHome = new RegExp(`to=<${system.envelopeFrom.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>.* status=sent`);
    const dsnDelivered = () =>
      readFileSync(paths.postfixLog, 'utf8')
        .split('\n')
        .some((l) => dsnHome.test(l));
    const settled = () => ['lab-gmail', 'lab-tonline'].every((id) => ['sent', 'bounced'].includes(outcome(id)?.status ?? '')) && dsnDelivered();
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((res) => setTimeout(res, 500))) {
      r = await readServerLog(
        { kind: 'file', path: paths.postfixLog },
        { now: Date.now(), since: started - 60_000, keep: [...byId.values(), system.queueId!] },
      );
      if (settled()) break;
    }
    expect(r, 'the lab Postfix log was never read').toBeDefined();
    expect(settled(), `no final line in ${paths.postfixLog} within 30 s: ${JSON.stringify([...r!.trails.values()])}`).toBe(true);
    expect(r!.stats.garbage).toBe(0);

    const gmail = senderSide(r!.trails.get(byId.get('lab-gmail')!)!);
    expect(gmail.messageId).toBe(sent.find((m) => m.seedId === 'lab-gmail')!.messageId.replace(/^<|>$/g, ''));
    const g = gmail.outcomes[0];
    expect(g).toMatchObject({ to: 'seed@gmail.lab.test', status: 'sent' });
    expect(g.steps[g.steps.length - 1]).toMatchObject({ status: 'sent', family: 'ipv6', dsn: '2.0.0' });

    const tonline = senderSide(r!.trails.get(byId.get('lab-tonline')!)!).outcomes[0];
    expect(tonline).toMatchObject({ to: 'seed@t-online.lab.test', status: 'bounced' });
    expect(tonline.headline).toContain('None/bad reputation (NOWL)');
    expect(tonline.lastFailure).toMatchObject({ family: 'ipv4', dsn: '5.7.1', reply: { replyCode: 554, status: '5.7.1' } });
    expect(tonline.lastFailure?.assessment?.advice[0]?.id).toBe('telekom-nowl');

    // the refusal is also a rejection of real mail, recipient masked
    const group = r!.rejections.find((x) => x.domain === 't-online.lab.test');
    expect(group).toMatchObject({ status: 'bounced', messages: 2, recipients: ['***@t-online.lab.test'] });
    // the system mail's DSN reached the bounce mailbox: the host name is no refusing remote domain
    expect(senderSide(r!.trails.get(system.queueId!)!).outcomes[0]).toMatchObject({ status: 'bounced' });
    expect(
      r!.rejections.filter((x) => x.domain.endsWith('canary.test')),
      JSON.stringify(r!.rejections),
    ).toEqual([]);
  } finally {
    await setScenario('healthy');
  }
});

/**
 * Telekom's greeting block (scenario `tonline-greeting-block`): the MX answers 554 … (BL)
 * instead of 220, Postfix counts it as temporary and retries. The seed sees nothing; the
 * server's log has the remote's reply seconds after submission, long before the seed's timeout.
 */
test('greeting block: the log shows `refused to talk to me: 554 … (BL)` within seconds; the missing message is deferred with it', async () => {
  test.setTimeout(90_000);
  const paths = labPaths(labTopology().stateDir);
  await setScenario('tonline-greeting-block');
  try {
    const config = await loadConfig(ROOT, labEnv);
    const seed = { ...config.seeds.find((s) => s.id === 'lab-tonline')!, timeoutSeconds: 8 };
    const started = Date.now();
    const [m] = await sendAll({ sender: config.sender, runId: newRunId(), plan: [{ seedId: seed.id, to: seed.address, variant: 'plain' }] });
    expect(m.submitError, JSON.stringify(m.submitError)).toBeUndefined();
    expect(m.queueId).toBeTruthy();
    const watcher = new SeedWatcher(seed, { password: labEnv[seed.imap.passwordEnv]!, pollIntervalMs: 200 });
    const watching = watcher.waitFor(m.tag, m.submittedAt + seed.timeoutSeconds * 1000, m.submittedAt);
    let seenAfter: number | undefined;
    let r: ServerLogResult | undefined;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((res) => setTimeout(res, 300))) {
      r = await readServerLog({ kind: 'file', path: paths.postfixLog }, { now: Date.now(), since: started - 60_000, keep: [m.queueId!] });
      const t = r.trails.get(m.queueId!);
      if (t && senderSide(t).outcomes[0]?.status === 'deferred') {
        seenAfter = Date.now() - started;
        break;
      }
    }
    expect(seenAfter, `no deferral of ${m.queueId} in ${paths.postfixLog} within 15 s`).toBeDefined();
    expect(seenAfter!).toBeLessThan(seed.timeoutSeconds * 1000);
    const side = senderSide(r!.trails.get(m.queueId!)!);
    const o = side.outcomes[0];
    expect(o.headline).toMatch(/^deferred: \S+ refused to talk to me: 554 IP=127\.0\.0\.1 - A problem occurred\. .*\(BL\)$/);
    expect(o.lastFailure?.reply).toMatchObject({ replyCode: 554, command: 'CONN' });
    expect(o.lastFailure?.assessment).toMatchObject({ reason: 'blocked' });
    expect(o.lastFailure?.assessment?.advice[0]?.id).toBe('telekom-problem');

    const watch = await watching;
    await watcher.close();
    expect(watch.status).toBe('missing');
    const d = deliveryFrom({ seed, sent: m, expected: 'inbox', lab: true, watch, serverLog: side });
    expect(d.verdict).toBe('deferred');
    expect(d.detail).toContain(`your server's log, queue id ${m.queueId}`);
    expect(d.detail).toContain('refused to talk to me: 554 IP=127.0.0.1');
    expect(d.bounce).toMatchObject({ source: 'server-log', state: 'deferred', replyCode: 554 });
  } finally {
    await setScenario('healthy');
  }
});

/**
 * The same greeting block as a placement test sees it: the worker's follower of the lab
 * Postfix log reports the deferral line within seconds of the attempt, long before the seed's
 * timeout (timed from the submission on the same clock), and when the timeout ends with the
 * server still retrying the verdict is `deferred` with the 554 reply.
 */
test('followed log: the `554 … (BL)` deferral line arrives before half the seed timeout; the verdict at the timeout is deferred', async () => {
  test.setTimeout(60_000);
  const paths = labPaths(labTopology().stateDir);
  await setScenario('tonline-greeting-block');
  try {
    const config = await loadConfig(ROOT, labEnv);
    const seed = { ...config.seeds.find((s) => s.id === 'lab-tonline')!, timeoutSeconds: 12 };
    const [m] = await sendAll({ sender: config.sender, runId: newRunId(), plan: [{ seedId: seed.id, to: seed.address, variant: 'plain' }] });
    expect(m.submitError, JSON.stringify(m.submitError)).toBeUndefined();
    const follower = new LogFollower(
      { source: { kind: 'file', path: paths.postfixLog }, showLocalParts: false, windowMs: 3_600_000 },
      { since: () => m.submittedAt - 60_000, keep: () => [m.queueId!], pollMs: 100 },
    );
    const deadline = m.submittedAt + seed.timeoutSeconds * 1000;
    const watcher = new SeedWatcher(seed, { password: labEnv[seed.imap.passwordEnv]!, pollIntervalMs: 200 });
    const updates: LogUpdate[] = [];
    try {
      const seen = watcher.waitFor(m.tag, deadline, m.submittedAt);
      const logged = await watchMessageLog(follower, { queueId: m.queueId!, to: m.to, deadline }, { until: seen, onUpdate: (u) => updates.push(u) });
      const watch = await seen;
      expect(logged.failure).toBeUndefined();
      expect(logged.record, 'a deferral does not end the wait').toBeNull();
      expect(updates.length, 'no deferral line from the followed log').toBeGreaterThan(0);
      const first = updates[0];
      expect(first.line).toMatch(/^deferred: \S+ refused to talk to me: 554 IP=127\.0\.0\.1 - A problem occurred\. .*\(BL\) — /);
      expect(first.seenAt - m.submittedAt, `line after ${first.seenAt - m.submittedAt} ms`).toBeLessThan((seed.timeoutSeconds * 1000) / 2);
      expect(watch.status).toBe('missing');
      const d = deliveryFrom({ seed, sent: m, expected: 'inbox', lab: true, watch, serverLog: follower.side(m.queueId!) });
      expect(d.verdict).toBe('deferred');
      expect(d.detail).toContain(`still deferred after 12s (your server's log, queue id ${m.queueId})`);
      expect(d.bounce).toMatchObject({ source: 'server-log', state: 'deferred', replyCode: 554 });
      console.log(
        `deferral line ${first.seenAt - m.submittedAt} ms after submission (timeout ${seed.timeoutSeconds} s), ${follower.stats.lines} log lines read`,
      );
    } finally {
      await watcher.close();
      await follower.close();
    }
  } finally {
    await setScenario('healthy');
  }
});
