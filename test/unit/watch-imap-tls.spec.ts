import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { expect, test } from '@playwright/test';
import { ensureLabCa, issueLeafCerts } from '../../lab/tls/index.ts';
import { bounceAccountFromEnv } from '../../src/config/bounce.ts';
import { resolveSeeds } from '../../src/config/seeds.ts';
import { reportMailboxFromEnv } from '../../src/receiver-reports/collect-imap.ts';
import { createImapClient } from '../../src/watch/imap-connect.ts';
import { describeImapError } from '../../src/watch/imap-errors.ts';
import { SeedWatcher } from '../../src/watch/seed-watcher.ts';
import { MemoryConnectionSlots } from '../../src/watch/throttle.ts';
import { startScriptedImap, type Scripted } from './watch-scripted-imap.ts';
import { shiftedNow } from './test-clock.ts';

/**
 * A seed on an IMAP server whose certificate comes from a private CA (implicit TLS in front of the
 * scripted IMAP server): untrusted without the CA, with an error that names the setting; trusted
 * with `imap.caFile` or MAILCANARY_IMAP_CA_FILE. The CA and the certificate are made with openssl
 * for this run only.
 */
const RUN = 'mc202611271000abcd';
const TAG = `${RUN}.001`;
/** the watcher's clock; the scripted server dates its messages from the same offset clock */
const CLOCK_START = shiftedNow();

let dir: string;
let caFile: string;
let imap: Scripted;
let front: TlsServer;
let port: number;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailcanary-imap-tls-'));
  const ca = await ensureLabCa(join(dir, 'ca'));
  caFile = ca.cert;
  const { imap: leaf } = await issueLeafCerts(ca, join(dir, 'leaf'), [{ name: 'imap', dnsNames: ['imap.private.test'], ipAddresses: ['127.0.0.1'] }]);
  imap = await startScriptedImap({
    now: shiftedNow,
    folders: [{ path: 'INBOX' }],
    messages: [{ uid: 1, folder: 'INBOX', headers: `X-Mailcanary-Tag: ${TAG}\r\nSubject: canary\r\n` }],
  });
  front = createTlsServer({ cert: readFileSync(leaf.cert), key: readFileSync(leaf.key) }, (sock) => {
    const up = netConnect(imap.port, '127.0.0.1');
    sock.on('error', () => up.destroy());
    up.on('error', () => sock.destroy());
    sock.pipe(up).pipe(sock);
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', () => r()));
  port = (front.address() as { port: number }).port;
});

test.afterAll(async () => {
  await new Promise<void>((r) => front.close(() => r()));
  await imap.close();
  rmSync(dir, { recursive: true, force: true });
});

function seedWith(env: Record<string, string>, imapExtra: Record<string, unknown> = {}) {
  return resolveSeeds(
    [
      {
        id: 'private',
        address: 'seed@private.test',
        provider: 'custom',
        imap: { host: '127.0.0.1', port, secure: true, passwordEnv: 'P', ...imapExtra },
        timeoutSeconds: 60,
      },
    ],
    { P: 'scripted-password', ...env },
    { timeoutSeconds: 60, variants: ['plain'] },
  );
}

async function watch(env: Record<string, string>, imapExtra: Record<string, unknown> = {}) {
  const { seeds, problems } = seedWith(env, imapExtra);
  expect(problems).toEqual([]);
  let now = CLOCK_START;
  const w = new SeedWatcher(seeds[0], {
    password: 'scripted-password',
    now: () => now,
    sleep: async (ms) => void (now += ms),
    pollIntervalMs: 10,
    slots: new MemoryConnectionSlots(),
  });
  try {
    return await w.waitFor(TAG, now + 60_000);
  } finally {
    await w.close();
  }
}

test('a private CA is not trusted by default, and the error names the setting to use', async () => {
  const r = await watch({});
  expect(r.status).toBe('unreachable');
  if (r.status === 'unreachable') {
    expect(r.error).toMatch(
      /^the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/,
    );
    expect(r.error).toContain("imap: { caFile: '/path/to/ca.pem' } in seed private");
    expect(r.error).toContain('MAILCANARY_IMAP_CA_FILE');
  }
});

test('imap.caFile trusts the private CA', async () => {
  const r = await watch({}, { caFile });
  expect(r.status === 'found' && r.sighting.placement).toBe('inbox');
});

test('MAILCANARY_IMAP_CA_FILE trusts the private CA for every seed', async () => {
  const r = await watch({ MAILCANARY_IMAP_CA_FILE: caFile });
  expect(r.status === 'found' && r.sighting.placement).toBe('inbox');
});

test('a CA file that is missing or not PEM is a configuration problem naming the setting', () => {
  const missing = seedWith({ MAILCANARY_IMAP_CA_FILE: join(dir, 'nope.pem') });
  expect(missing.problems).toEqual([expect.objectContaining({ field: 'MAILCANARY_IMAP_CA_FILE', message: expect.stringContaining('cannot read') })]);
  const notPem = join(dir, 'not.pem');
  writeFileSync(notPem, 'hello');
  const bad = seedWith({}, { caFile: notPem });
  expect(bad.problems).toEqual([
    expect.objectContaining({ field: 'seeds[0] (private).imap.caFile', message: expect.stringContaining('holds no PEM certificate') }),
  ]);
});

test('describeImapError: a BYE with its words, an expired or misnamed certificate, a refused connection with the settings to check, anything else unchanged', () => {
  const { seeds } = seedWith({});
  const seed = seeds[0];
  expect(
    describeImapError(Object.assign(new Error('Unexpected close'), { code: 'ClosedAfterConnectText', reason: 'System going down for maintenance' }), seed),
  ).toBe('server closed the connection: BYE System going down for maintenance');
  expect(describeImapError(Object.assign(new Error('Connection not available'), { code: 'NoConnection', reason: 'Server shutting down' }))).toBe(
    'server closed the connection: BYE Server shutting down',
  );
  expect(describeImapError(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }), seed)).toBe(
    `the TLS certificate of 127.0.0.1:${port} is not valid (CERT_HAS_EXPIRED: certificate has expired): the server must present a current certificate for 127.0.0.1`,
  );
  // the TLS error may come wrapped, as the cause of the connection error
  const wrapped = Object.assign(new Error('connect failed'), {
    cause: Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
  });
  expect(describeImapError(wrapped, seed)).toContain('is not trusted (SELF_SIGNED_CERT_IN_CHAIN)');
  // the code once (Node's message carries it), and the settings to check for a server never reached
  expect(describeImapError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:993'), { code: 'ECONNREFUSED' }), seed)).toBe(
    `connect ECONNREFUSED 127.0.0.1:993; fix: check imap.host and imap.port of seed private (now 127.0.0.1:${port}, implicit TLS; imap.secure: true is implicit TLS, usually port 993, false is STARTTLS, usually port 143) and that no firewall blocks it`,
  );
  expect(describeImapError(Object.assign(new Error('Command failed'), { code: 'NoConnection' }), seed)).toBe('NoConnection: Command failed');
});

/** Connects and logs in with the mailbox account's client; the error text when that fails. */
async function login(account: Parameters<typeof createImapClient>[0]): Promise<string> {
  const client = createImapClient(account, 'scripted-password');
  client.on('error', () => {});
  try {
    await client.connect();
    await client.logout();
    return 'ok';
  } catch (err) {
    client.close();
    return describeImapError(err);
  }
}

test('the bounce and report mailboxes trust a private CA from their own CA_FILE setting or MAILCANARY_IMAP_CA_FILE', async () => {
  const bounceEnv = {
    BOUNCE_IMAP_HOST: '127.0.0.1',
    BOUNCE_IMAP_PORT: String(port),
    BOUNCE_IMAP_USER: 'monitor@private.test',
    BOUNCE_IMAP_PASS: 'scripted-password',
  };
  const plain = bounceAccountFromEnv(bounceEnv);
  expect(plain.problems).toEqual([]);
  expect(await login(plain.account!)).toMatch(/is not trusted/);

  const own = bounceAccountFromEnv({ ...bounceEnv, BOUNCE_IMAP_CA_FILE: caFile });
  expect(own.problems).toEqual([]);
  expect(own.account!.imap.caFile).toBe(caFile);
  expect(await login(own.account!)).toBe('ok');

  const shared = bounceAccountFromEnv({ ...bounceEnv, MAILCANARY_IMAP_CA_FILE: caFile });
  expect(await login(shared.account!)).toBe('ok');

  const reports = reportMailboxFromEnv({
    REPORTS_IMAP_HOST: '127.0.0.1',
    REPORTS_IMAP_PORT: String(port),
    REPORTS_IMAP_USER: 'dmarc@private.test',
    REPORTS_IMAP_PASS: 'scripted-password',
    REPORTS_IMAP_CA_FILE: caFile,
  });
  expect(reports.problems).toEqual([]);
  expect(await login(reports.mailbox!.account)).toBe('ok');
});

test('a bounce mailbox CA file that cannot be read is a configuration problem naming BOUNCE_IMAP_CA_FILE', () => {
  const r = bounceAccountFromEnv({
    BOUNCE_IMAP_HOST: '127.0.0.1',
    BOUNCE_IMAP_USER: 'monitor@private.test',
    BOUNCE_IMAP_PASS: 'x',
    BOUNCE_IMAP_CA_FILE: join(dir, 'missing.pem'),
  });
  expect(r.problems).toEqual([expect.objectContaining({ field: 'BOUNCE_IMAP_CA_FILE', message: expect.stringContaining('cannot read') })]);
  expect(r.account!.imap.caFile).toBeUndefined();
});
