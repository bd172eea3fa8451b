import { readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import { ImapFlow } from 'imapflow';
import { loadConfig } from '../../src/config/load.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import { sendAll } from '../../src/send/submit.ts';
import { newRunId } from '../../src/send/tag.ts';
import { SeedWatcher } from '../../src/watch/seed-watcher.ts';
import { LAB_ENV_FILE, LAB_SEEDS, ROOT } from '../../lab/suite-runner.ts';

export { ROOT, LAB_ENV_FILE, LAB_SEEDS, LAB_SENDERS, runUserSuite, verdictsByTitle } from '../../lab/suite-runner.ts';
export type { SuiteRun, SuiteTest } from '../../lab/suite-runner.ts';

/** Every message's flags in every folder of a lab mailbox, read without changing anything. */
export async function snapshotFlags(user: string, password: string, port: number): Promise<Map<string, string>> {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false, disableAutoIdle: true });
  await client.connect();
  const snap = new Map<string, string>();
  try {
    for (const box of await client.list()) {
      if (box.flags.has('\\Noselect') || box.flags.has('\\NonExistent')) continue;
      const mb = await client.mailboxOpen(box.path, { readOnly: true });
      if (!mb.exists) continue;
      for await (const m of client.fetch('1:*', { uid: true, flags: true })) {
        snap.set(`${box.path}#${m.uid}`, [...(m.flags ?? [])].sort().join(' '));
      }
    }
  } finally {
    await client.logout();
  }
  return snap;
}

// lab.env as the demo reads it: variables set in the environment (other lab ports) win over the file.
const fileEnv = dotenv.parse(readFileSync(LAB_ENV_FILE));
export const labEnv: Record<string, string | undefined> = { ...fileEnv, MAILCANARY_SEEDS: LAB_SEEDS };
for (const k of Object.keys(fileEnv)) if (process.env[k] !== undefined) labEnv[k] = process.env[k];
// one sender (MAIL_FROM), as runUserSuite: a test that wants every lab sender sets MAILCANARY_SENDERS=LAB_SENDERS
labEnv.MAILCANARY_SENDERS = process.env.MAILCANARY_SENDERS ?? '';

/** Sends one message (of `variant`) per given seed through the lab's Postfix and waits for its verdict. */
export async function placeOnce(seedIds: string[], timeoutSeconds?: number, variant = 'plain') {
  const config = await loadConfig(ROOT, labEnv);
  const seeds = config.seeds.filter((s) => seedIds.includes(s.id)).map((s) => (timeoutSeconds ? { ...s, timeoutSeconds } : s));
  const runId = newRunId();
  const sent = await sendAll({ sender: config.sender, runId, plan: seeds.map((s) => ({ seedId: s.id, to: s.address, variant })) });
  const out: Record<string, ReturnType<typeof deliveryFrom>> = {};
  await Promise.all(
    seeds.map(async (seed) => {
      const m = sent.find((x) => x.seedId === seed.id)!;
      const watcher = new SeedWatcher(seed, { password: labEnv[seed.imap.passwordEnv]!, pollIntervalMs: 200 });
      try {
        const watch = m.submitError ? undefined : await watcher.waitFor(m.tag, m.submittedAt + seed.timeoutSeconds * 1000, m.submittedAt);
        out[seed.id] = deliveryFrom({ seed, sent: m, expected: 'inbox', lab: true, watch });
      } finally {
        await watcher.close();
      }
    }),
  );
  return out;
}
