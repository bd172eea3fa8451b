/**
 * The demo's "real mail": one ordinary message from the lab sender to council.lab.test, a domain
 * no seed watches, whose MX refuses the lab server by IP reputation. It stands for the user's
 * correspondence, which only the server's own log sees; the `server-log` project finds it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { loadConfig } from '../src/config/load.ts';
import { sendAll } from '../src/send/submit.ts';
import { newRunId } from '../src/send/tag.ts';
import { readServerLog } from '../src/server-log/index.ts';
import { labPaths, labTopology } from './topology.ts';

/**
 * Sends the message and waits (up to `waitMs`) until the lab Postfix has logged the refusal. A
 * submission the lab server refuses (a scenario's expired certificate) is returned as
 * `notSent`, as the run's own send step reports it.
 */
export async function sendToUnwatchedDomain(
  root: string,
  env: Record<string, string | undefined>,
  waitMs = 20_000,
): Promise<{ to: string; refused: boolean; sentAt: number; notSent?: string }> {
  const envFile = path.resolve(root, env.MAILCANARY_ENV_FILE || 'lab/lab.env');
  const merged = { ...dotenv.parse(readFileSync(envFile)), ...env };
  const council = labTopology().providers.find((p) => p.id === 'council')!;
  const config = await loadConfig(root, merged);
  const started = Date.now();
  const [m] = await sendAll({ sender: config.sender, runId: newRunId(), plan: [{ seedId: council.id, to: council.seed.address, variant: 'plain' }] });
  if (m.submitError) return { to: council.domain, refused: false, sentAt: started, notSent: m.submitError.message };
  const log = { kind: 'file' as const, path: labPaths(labTopology().stateDir).postfixLog };
  for (const deadline = Date.now() + waitMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
    const r = await readServerLog(log, { now: Date.now(), since: started - 1000 });
    if (r.rejections.some((g) => g.domain === council.domain)) return { to: council.domain, refused: true, sentAt: started };
  }
  return { to: council.domain, refused: false, sentAt: started };
}
