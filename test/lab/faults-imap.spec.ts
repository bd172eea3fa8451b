import { test, expect } from '@playwright/test';
import { MAINTENANCE_BYE, startImapFault, type ImapFaultMode } from '../../lab/faults/imap-proxy.ts';
import { messageTag, newRunId } from '../../src/send/tag.ts';
import { sendAll } from '../../src/send/submit.ts';
import { loadConfig } from '../../src/config/load.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import { SeedWatcher } from '../../src/watch/seed-watcher.ts';
import { MemoryConnectionSlots } from '../../src/watch/throttle.ts';
import { ROOT, labEnv } from './support.ts';
import { SEED_SECRET, ensureMessages, faultSeed, labUpstream, timed } from './faults-support.ts';

/**
 * A seed mailbox whose IMAP server misbehaves: every fault ends in `seed-unreachable` (never
 * `missing`, never a crash or a hang) after a bounded number of attempts, each on a new
 * connection; a fault that happens once is survived by reconnecting.
 */
test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  await ensureMessages('seed@gmx.lab.test');
});

const sentNothing = (seedId: string, tag: string) => ({
  runId: tag.split('.')[0],
  tag,
  seedId,
  variant: 'plain',
  to: 'seed@gmx.lab.test',
  from: 'monitor@canary.test',
  envelopeFrom: 'monitor@canary.test',
  messageId: `<${tag}@canary.test>`,
  subject: 'x',
  submittedAt: Date.now(),
});

async function watchThroughFault(mode: ImapFaultMode, opts: { timeoutSeconds?: number; imapTimeout?: string } = {}) {
  const fault = await startImapFault({ mode, upstream: labUpstream(), expectPassword: SEED_SECRET });
  const seed = faultSeed(fault.port, 'seed@gmx.lab.test', opts.timeoutSeconds ?? 20);
  const before = process.env.MAILCANARY_IMAP_TIMEOUT;
  if (opts.imapTimeout) process.env.MAILCANARY_IMAP_TIMEOUT = opts.imapTimeout;
  const watcher = new SeedWatcher(seed, { password: SEED_SECRET, pollIntervalMs: 200, slots: new MemoryConnectionSlots() });
  try {
    const tag = messageTag(newRunId(), 0);
    const { value: watch, ms } = await timed(() => watcher.waitFor(tag, Date.now() + seed.timeoutSeconds * 1000));
    const delivery = deliveryFrom({ seed, sent: sentNothing(seed.id, tag), expected: 'inbox', lab: true, watch });
    return { watch, ms, delivery, stats: { ...fault.stats }, connectionsOpened: watcher.connectionsOpened };
  } finally {
    if (before === undefined) delete process.env.MAILCANARY_IMAP_TIMEOUT;
    else process.env.MAILCANARY_IMAP_TIMEOUT = before;
    await watcher.close();
    await fault.close();
  }
}

test('login refused: seed-unreachable at once, no retry with the same refused password', async () => {
  const r = await watchThroughFault('refuse-login');
  expect(r.delivery.verdict).toBe('seed-unreachable');
  expect(r.watch).toMatchObject({ status: 'unreachable', attempts: 1 });
  expect(r.delivery.detail).toContain('login refused for seed@gmx.lab.test');
  expect(r.stats.logins).toBe(1); // retrying a refused password can lock the account
  expect(r.ms).toBeLessThan(10_000);
});

test('disconnect mid-SEARCH: 3 attempts on 3 new connections, then seed-unreachable', async () => {
  const r = await watchThroughFault('disconnect-on-search');
  expect(r.delivery.verdict).toBe('seed-unreachable');
  expect(r.watch).toMatchObject({ status: 'unreachable', attempts: 3 });
  expect(r.stats.connections).toBe(3);
  expect(r.stats.searches).toBe(3);
  expect(r.ms).toBeLessThan(15_000); // backoff 1 s + 2 s
});

test('stall mid-SEARCH: ended by the socket timeout, 3 attempts, bounded time', async () => {
  const r = await watchThroughFault('stall-on-search', { imapTimeout: '2' });
  expect(r.delivery.verdict).toBe('seed-unreachable');
  expect(r.watch).toMatchObject({ status: 'unreachable', attempts: 3 });
  expect(r.stats.connections).toBe(3);
  // 3 × 2 s socket timeout + 1 s + 2 s backoff, with slack; never the seed's whole timeout or more
  expect(r.ms).toBeGreaterThanOrEqual(6_000);
  expect(r.ms).toBeLessThan(20_000);
});

test('maintenance BYE mid-session: reported as the server closing the connection, with its words', async () => {
  const r = await watchThroughFault('bye-on-search');
  expect(r.delivery.verdict).toBe('seed-unreachable');
  expect(r.watch).toMatchObject({ status: 'unreachable', attempts: 3 });
  expect(r.delivery.detail).toContain(`server closed the connection: BYE ${MAINTENANCE_BYE}`);
  expect(r.delivery.detail).not.toContain('Unexpected close');
  expect(r.delivery.detail).not.toContain('Connection not available');
  expect(r.stats.connections).toBe(3);
  expect(r.ms).toBeLessThan(15_000);
});

test('no greeting: ended by the greeting timeout, 3 attempts, bounded time', async () => {
  const r = await watchThroughFault('silent', { imapTimeout: '2' });
  expect(r.delivery.verdict).toBe('seed-unreachable');
  expect(r.watch).toMatchObject({ status: 'unreachable', attempts: 3 });
  expect(r.stats.connections).toBe(3);
  expect(r.ms).toBeLessThan(20_000);
});

test('server down (connection refused): seed-unreachable after 3 attempts', async () => {
  const fault = await startImapFault({ mode: 'refuse-login' });
  const port = fault.port;
  await fault.close(); // nothing listens there any more
  const seed = faultSeed(port);
  const watcher = new SeedWatcher(seed, { password: SEED_SECRET, pollIntervalMs: 200, slots: new MemoryConnectionSlots() });
  try {
    const { value, ms } = await timed(() => watcher.waitFor(messageTag(newRunId(), 0), Date.now() + 20_000));
    expect(value).toMatchObject({ status: 'unreachable', attempts: 3 });
    expect((value as { error: string }).error).toMatch(/ECONNREFUSED/);
    expect(ms).toBeLessThan(15_000);
  } finally {
    await watcher.close();
  }
});

test('a disconnect that happens once is survived: new connection, message found', async () => {
  const config = await loadConfig(ROOT, labEnv);
  const fault = await startImapFault({ mode: 'disconnect-on-search', faultTimes: 1, upstream: labUpstream(), expectPassword: SEED_SECRET });
  const seed = faultSeed(fault.port, 'seed@gmx.lab.test', 30);
  const watcher = new SeedWatcher(seed, { password: SEED_SECRET, pollIntervalMs: 200, slots: new MemoryConnectionSlots() });
  try {
    const [sent] = await sendAll({ sender: config.sender, runId: newRunId(), plan: [{ seedId: seed.id, to: seed.address, variant: 'plain' }] });
    expect(sent.submitError).toBeUndefined();
    const watch = await watcher.waitFor(sent.tag, sent.submittedAt + 30_000, sent.submittedAt);
    const d = deliveryFrom({ seed, sent, expected: 'inbox', lab: true, watch });
    expect(d.verdict).toBe('inbox');
    expect(fault.stats.faults).toBe(1);
    expect(fault.stats.connections).toBeGreaterThanOrEqual(2);
  } finally {
    await watcher.close();
    await fault.close();
  }
});
