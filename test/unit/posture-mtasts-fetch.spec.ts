import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ensureLabCa, issueLeafCerts } from '../../lab/tls/index.ts';
import { mtaStsPolicyFile } from '../../lab/services/web.ts';
import { checkMtaSts } from '../../src/posture/checks/mta-sts.ts';
import { httpsMtaStsFetcher } from '../../src/posture/checks/mta-sts-fetch.ts';
import { postureConfigFromEnv } from '../../src/posture/config.ts';
import { postureContext } from '../../src/posture/run.ts';
import { fakeResolver } from '../support/fake-resolver.ts';
import { healthyConfig, zoneWith } from '../fixtures/posture/zones.ts';

/**
 * The MTA-STS policy fetch (RFC 8461 section 3.3) against a real HTTPS server on loopback whose
 * certificate comes from a private CA made with openssl for this run: the lab's policy file is
 * fetched on a stand-in port with the CA, and every way a policy host can be wrong is told apart
 * from one that cannot be reached.
 */
let dir: string;
let ca: string;
let server: Server;
let port: number;
/** path → [status, body, extra headers] the server answers with */
const routes = new Map<string, [number, string, Record<string, string>?]>();

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailcanary-mtasts-'));
  const labCa = await ensureLabCa(join(dir, 'ca'));
  ca = readFileSync(labCa.cert, 'utf8');
  const { web } = await issueLeafCerts(labCa, join(dir, 'leaf'), [{ name: 'web', dnsNames: ['mta-sts.canary.test', 'mta-sts.club.test'] }]);
  server = createServer({ cert: readFileSync(web.cert), key: readFileSync(web.key) }, (req, res) => {
    const key = `${req.headers.host}${req.url}`;
    const [status, body, headers] = routes.get(key) ?? [404, 'not found\n'];
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});

test.afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

test.beforeEach(() => {
  routes.clear();
  routes.set('mta-sts.canary.test/.well-known/mta-sts.txt', [200, mtaStsPolicyFile('mx.canary.test')]);
});

const zone = (patch = {}) => fakeResolver(zoneWith({ 'mta-sts.canary.test': { A: ['127.0.0.1'] }, ...patch }));
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code ?? 'no code',
  );

test('the lab policy is fetched from the stand-in port with the private CA and parsed per RFC 8461 section 3.2', async () => {
  const policy = await httpsMtaStsFetcher({ port, extraCa: ca })('canary.test', zone());
  expect(policy).toEqual({ mode: 'enforce', mx: ['mx.canary.test'], maxAge: 604800 });
});

test('the posture check passes through the configured port and CA: the policy enforces and names the MX', async () => {
  const config = healthyConfig({ mtaStsPort: port, extraCa: ca });
  const r = await checkMtaSts('canary.test', postureContext(config, zone(), { queryTimeoutMs: 500 }));
  expect({ status: r.status, summary: r.summary }).toEqual({
    status: 'pass',
    summary: 'MTA-STS id=2026112701, mode enforce, mx mx.canary.test, max_age 604800',
  });
});

test('without the CA the certificate is not trusted: a policy defect (fail), not unknown', async () => {
  expect(await codeOf(httpsMtaStsFetcher({ port })('canary.test', zone()))).toMatch(/^(UNABLE_TO_VERIFY|SELF_SIGNED|DEPTH_ZERO)/);
  const r = await checkMtaSts('canary.test', postureContext(healthyConfig({ mtaStsPort: port }), zone(), { queryTimeoutMs: 500 }));
  expect(r.status).toBe('fail');
});

test('a certificate for other names fails the policy host identity check', async () => {
  routes.set('mta-sts.family.test/.well-known/mta-sts.txt', [200, mtaStsPolicyFile('mx.canary.test')]);
  const resolver = fakeResolver({ 'mta-sts.family.test': { A: ['127.0.0.1'] } });
  expect(await codeOf(httpsMtaStsFetcher({ port, extraCa: ca })('family.test', resolver))).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
});

test('only 200 is a policy: 404 and a redirect (not followed) give their status codes', async () => {
  routes.delete('mta-sts.canary.test/.well-known/mta-sts.txt');
  expect(await codeOf(httpsMtaStsFetcher({ port, extraCa: ca })('canary.test', zone()))).toBe('http_status_404');
  routes.set('mta-sts.canary.test/.well-known/mta-sts.txt', [301, '', { location: 'https://mta-sts.club.test/.well-known/mta-sts.txt' }]);
  expect(await codeOf(httpsMtaStsFetcher({ port, extraCa: ca })('canary.test', zone()))).toBe('http_status_301');
});

test('a policy past 64 KB and a policy without a mode are refused with their codes', async () => {
  routes.set('mta-sts.canary.test/.well-known/mta-sts.txt', [200, `${mtaStsPolicyFile('mx.canary.test')}${'x'.repeat(70 * 1024)}`]);
  expect(await codeOf(httpsMtaStsFetcher({ port, extraCa: ca })('canary.test', zone()))).toBe('policy_too_large');
  routes.set('mta-sts.canary.test/.well-known/mta-sts.txt', [200, 'version: STSv1\r\nmx: mx.canary.test\r\nmax_age: 604800\r\n']);
  expect(await codeOf(httpsMtaStsFetcher({ port, extraCa: ca })('canary.test', zone()))).toBe('invalid_sts_mode');
});

test('no address for the policy host is false; nothing listening is ECONNREFUSED, which the check reports as unknown', async () => {
  expect(await httpsMtaStsFetcher({ port, extraCa: ca })('canary.test', zone({ 'mta-sts.canary.test': null }))).toBe(false);
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  const freePort = (closed.address() as { port: number }).port;
  await new Promise<void>((r) => closed.close(() => r()));
  expect(await codeOf(httpsMtaStsFetcher({ port: freePort, extraCa: ca })('canary.test', zone()))).toBe('ECONNREFUSED');
  const r = await checkMtaSts('canary.test', postureContext(healthyConfig({ mtaStsPort: freePort, extraCa: ca }), zone(), { queryTimeoutMs: 500 }));
  expect(r.status).toBe('unknown');
});

test('MAILCANARY_MTA_STS_PORT: 443 unless set, a bad value names the variable; SMTP_TLS_CA_FILE is read as the CA', () => {
  const env = { MAILCANARY_DOMAINS: 'canary.test' };
  expect(postureConfigFromEnv(env).mtaStsPort).toBe(443);
  expect(postureConfigFromEnv({ ...env, MAILCANARY_MTA_STS_PORT: '8443' }).mtaStsPort).toBe(8443);
  expect(() => postureConfigFromEnv({ ...env, MAILCANARY_MTA_STS_PORT: 'https' })).toThrow(/MAILCANARY_MTA_STS_PORT: "https" is not a TCP port/);
  expect(postureConfigFromEnv({ ...env, SMTP_TLS_CA_FILE: '/ca.pem' }, undefined, () => ca).extraCa).toBe(ca);
  expect(() =>
    postureConfigFromEnv({ ...env, SMTP_TLS_CA_FILE: '/nope.pem' }, undefined, () => {
      throw new Error('ENOENT');
    }),
  ).toThrow(/SMTP_TLS_CA_FILE: cannot read \/nope.pem/);
});
