import { expect, test } from '@playwright/test';
import { labPaths, labTopology, setScenario } from '../../lab/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { sendAll } from '../../src/send/submit.ts';
import { newRunId } from '../../src/send/tag.ts';
import { readServerLog, senderSide } from '../../src/server-log/index.ts';
import type { ServerLogResult } from '../../src/server-log/index.ts';
import { labEnv, ROOT } from './support.ts';

/**
 * The lab Postfix's own maillog_file as the log source: real submissions through the user's
 * server carry its queue id, and the log shows what each provider MX answered — the
 * gmail-like MX over IPv6 accepts, the t-online-like MX (scenario `tonline-not-allowlisted`)
 * refuses with Telekom's NOWL text, classified with its advice.
 */
test('queue ids from submission find each message in the lab Postfix log: IPv6 delivery, NOWL refusal with advice', async () => {
  test.setTimeout(90_000);
  const paths = labPaths(labTopology().stateDir);
  await setScenario('tonline-not-allowlisted');
  try {
    const config = await loadConfig(ROOT, labEnv);
    const seeds = config.seeds.filter((s) => s.id === 'lab-gmail' || s.id === 'lab-tonline');
    const started = Date.now();
    const sent = await sendAll({ sender: config.sender, runId: newRunId(), plan: seeds.map((s) => ({ seedId: s.id, to: s.address, variant: 'plain' })) });
    for (const m of sent) {
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
    const settled = () => ['lab-gmail', 'lab-tonline'].every((id) => ['sent', 'bounced'].includes(outcome(id)?.status ?? ''));
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((res) => setTimeout(res, 500))) {
      r = await readServerLog({ kind: 'file', path: paths.postfixLog }, { now: Date.now(), since: started - 60_000, keep: [...byId.values()] });
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
    expect(group).toMatchObject({ status: 'bounced', messages: 1, recipients: ['***@t-online.lab.test'] });
  } finally {
    await setScenario('healthy');
  }
});
