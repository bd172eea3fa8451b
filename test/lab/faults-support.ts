/**
 * Shared pieces of the fault tests: seeds pointed at a fault endpoint, the lab's upstream
 * credentials for the IMAP fault proxy, and the distinctive secrets the runs use.
 */
import path from 'node:path';
import { labTopology } from '../../lab/topology.ts';
import { resolveSeeds, type Seed } from '../../src/config/seeds.ts';
import { VARIANT_NAMES } from '../../src/send/variants.ts';
import { ROOT } from '../../lab/suite-runner.ts';

export const FAULT_SEEDS = path.join(ROOT, 'test/fixtures/faults/seeds.faults.ts');

/** Made-up, greppable secrets: the seed password the proxies demand, and an SMTP password. */
export const SEED_SECRET = 'mc-Secret-Seed-9f3c1e77';
export const SMTP_SECRET = 'mc-Secret-Smtp-4b8d2a19';

/** The lab Dovecot the IMAP fault proxy signs in to. */
export function labUpstream() {
  const topo = labTopology();
  return { host: topo.imap.host, port: topo.imap.port, password: topo.providers[0].seed.password };
}

/** A validated seed whose IMAP side is the given endpoint (plain IMAP on loopback, as the lab allows). */
export function faultSeed(port: number, address = 'seed@gmx.lab.test', timeoutSeconds = 10): Seed {
  const { seeds, problems } = resolveSeeds(
    [
      {
        id: 'fault',
        address,
        provider: 'custom',
        imap: { host: '127.0.0.1', port, secure: false, allowPlaintextAuth: true, passwordEnv: 'FAULT_SEED_PASSWORD' },
        timeoutSeconds,
      },
    ],
    { FAULT_SEED_PASSWORD: SEED_SECRET },
    { timeoutSeconds: 300, variants: [...VARIANT_NAMES] },
  );
  if (problems.length) throw new Error(JSON.stringify(problems));
  return seeds[0];
}

/** Runs `fn` and returns its result with the time it took, in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: Math.round(performance.now() - t0) };
}

/** Makes sure the lab mailbox has a message in INBOX and spam, so the watcher's SEARCH really runs. */
export async function ensureMessages(address: string): Promise<void> {
  const { ImapFlow } = await import('imapflow');
  const up = labUpstream();
  const client = new ImapFlow({
    host: up.host,
    port: up.port,
    secure: false,
    auth: { user: address, pass: up.password },
    logger: false,
    disableAutoIdle: true,
  });
  await client.connect();
  try {
    for (const box of await client.list()) {
      if (box.flags.has('\\Noselect')) continue;
      const status = await client.status(box.path, { messages: true });
      if (!status || !status.messages) {
        await client.append(
          box.path,
          `From: someone@example.org\r\nTo: ${address}\r\nSubject: unrelated\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <unrelated.${Date.now()}@example.org>\r\n\r\nnot a mailcanary message\r\n`,
        );
      }
    }
  } finally {
    await client.logout();
  }
}
