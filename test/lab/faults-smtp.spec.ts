import { test, expect } from '@playwright/test';
import { startSmtpFault, type SmtpFaultMode } from '../../lab/faults/smtp.ts';
import { senderConfigFromEnv } from '../../src/config/sender.ts';
import { sendAll } from '../../src/send/submit.ts';
import { newRunId } from '../../src/send/tag.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import { registerSecret } from '../../src/shared/redact.ts';
import { runUserSuite } from './support.ts';
import { SMTP_SECRET, faultSeed, timed } from './faults-support.ts';

/**
 * The user's submission server misbehaves. A message that never left is `send-failed` (the
 * user's server or network is broken), which is not `rejected` (the server said no to this
 * message: a finding about the setup). Nothing crashes, nothing waits for the seed's timeout.
 */
test.describe.configure({ timeout: 90_000 });

// AUTH PLAIN's base64 covers "\0user\0password": with a user of this length (17 bytes before the
// password, not a multiple of 3) the password's own base64 does not appear inside it
const SMTP_USER = 'mon@canary.test';

function sender(port: number, extra: Record<string, string> = {}) {
  const { config, problems } = senderConfigFromEnv({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(port),
    SMTP_TLS: 'none',
    SMTP_ALLOW_PLAINTEXT_AUTH: 'true',
    SMTP_USER,
    SMTP_PASS: SMTP_SECRET,
    MAIL_FROM: 'monitor@canary.test',
    ...extra,
  });
  expect(problems).toEqual([]);
  return config;
}

async function sendThrough(mode: SmtpFaultMode, extra: Record<string, string> = {}) {
  const fault = await startSmtpFault({ mode, echoAuth: true });
  try {
    const seed = faultSeed(1, 'seed@gmx.lab.test');
    const plan = [
      { seedId: seed.id, to: seed.address, variant: 'plain' },
      { seedId: seed.id, to: seed.address, variant: 'html-with-link' },
    ];
    const { value: sent, ms } = await timed(() => sendAll({ sender: sender(fault.port, extra), runId: newRunId(), plan }));
    const deliveries = sent.map((m) => deliveryFrom({ seed, sent: m, expected: 'inbox', lab: true }));
    return { sent, deliveries, ms, stats: { ...fault.stats } };
  } finally {
    await fault.close();
  }
}

const sendFailedCases: Array<{ mode: SmtpFaultMode; command: RegExp; maxMs: number }> = [
  { mode: 'refuse-greeting', command: /CONN/, maxMs: 10_000 },
  { mode: 'drop-mid-data', command: /DATA|CONN|^$/, maxMs: 10_000 },
  { mode: 'refuse-auth', command: /AUTH/, maxMs: 10_000 },
  // nodemailer's greeting timeout is 15 s, paid once per message: the pool opens a new connection
  // for each queued message after a failed one (2 messages here: ~30 s; see RELIABILITY.md)
  { mode: 'silent', command: /CONN|^$/, maxMs: 40_000 },
];

for (const c of sendFailedCases) {
  test(`submission ${c.mode}: every message send-failed, none rejected, bounded time`, async () => {
    const r = await sendThrough(c.mode);
    expect(r.deliveries.map((d) => d.verdict)).toEqual(['send-failed', 'send-failed']);
    for (const m of r.sent) expect(m.submitError?.command ?? '').toMatch(c.command);
    expect(r.ms).toBeLessThan(c.maxMs);
    if (c.mode === 'drop-mid-data') expect(r.stats.dataStarted).toBeGreaterThanOrEqual(1);
  });
}

test('submission unreachable (nothing listens): send-failed with the connection error', async () => {
  const fault = await startSmtpFault({ mode: 'silent' });
  const port = fault.port;
  await fault.close();
  const seed = faultSeed(1);
  const sent = await sendAll({ sender: sender(port), runId: newRunId(), plan: [{ seedId: seed.id, to: seed.address, variant: 'plain' }] });
  const d = deliveryFrom({ seed, sent: sent[0], expected: 'inbox', lab: true });
  expect(d.verdict).toBe('send-failed');
  expect(d.detail).toMatch(/ECONNREFUSED/);
});

test('a refused recipient stays rejected (a finding, not an outage)', async () => {
  const r = await sendThrough('reject-rcpt');
  expect(r.deliveries.map((d) => d.verdict)).toEqual(['rejected', 'rejected']);
  expect(r.deliveries[0].bounce?.replyCode).toBe(550);
});

test('STARTTLS required but not offered: send-failed before AUTH, the password never sent in clear', async () => {
  const r = await sendThrough('no-starttls', { SMTP_TLS: 'starttls', SMTP_ALLOW_PLAINTEXT_AUTH: 'false' });
  expect(r.deliveries.map((d) => d.verdict)).toEqual(['send-failed', 'send-failed']);
  expect(r.stats.authAttempts).toBe(0);
  expect(r.stats.mailFrom).toBe(0);
});

test('a server echoing the AUTH argument: the error text carries no form of the password', async () => {
  registerSecret(SMTP_SECRET);
  const r = await sendThrough('refuse-auth');
  const text = JSON.stringify(r.deliveries);
  expect(text).toContain('535');
  expect(text).not.toContain(SMTP_SECRET);
  // AUTH PLAIN sends base64("\0user\0password") (RFC 4616): decode every base64 run and look inside
  for (const token of text.match(/[A-Za-z0-9+/]{12,}={0,2}/g) ?? []) {
    expect(Buffer.from(token, 'base64').toString('latin1')).not.toContain(SMTP_SECRET);
  }
});

test('user suite against a server that drops mid-DATA: every placement test says send-failed, in bounded time', async () => {
  const fault = await startSmtpFault({ mode: 'drop-mid-data' });
  try {
    const run = await runUserSuite({
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(fault.port),
        SMTP_TLS: 'none',
        SMTP_ALLOW_PLAINTEXT_AUTH: 'true',
        MAILCANARY_VARIANTS: 'plain',
        MAILCANARY_HISTORY: 'off',
      },
      timeoutMs: 80_000,
    });
    const placement = run.tests.filter((t) => t.verdict);
    expect(placement.length, run.output).toBe(5);
    expect(placement.map((t) => t.verdict)).toEqual(Array(5).fill('send-failed'));
    expect(run.output).not.toMatch(/Unhandled|ERR_UNHANDLED|TypeError/);
    expect(run.ms).toBeLessThan(60_000);
    expect(fault.stats.dataStarted).toBeGreaterThanOrEqual(1);
  } finally {
    await fault.close();
  }
});
