import { readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { test, expect } from '@playwright/test';
import { labTopology, labPaths, setScenario, readEvents } from '../../lab/index.ts';
import { createResolver } from '../../src/shared/dns/resolver.ts';
import { serverConfigFromEnv } from '../../src/server-checks/config.ts';
import { planServerChecks, runServerCheck } from '../../src/server-checks/plan.ts';
import type { CheckResult } from '../../src/server-checks/types.ts';
import { LAB_ENV_FILE, snapshotFlags } from './support.ts';

// On the lab: every server check passes on the healthy lab and fails, with a fix, in
// the scenario that breaks it (the other checks keep passing).
const topo = labTopology();
const env = {
  ...dotenv.parse(readFileSync(LAB_ENV_FILE)),
  SMTP_PORT: String(topo.submission.port),
  SMTP_TLS_CA_FILE: path.join(topo.caDir, 'ca.pem'),
  MAILCANARY_DNS_SERVERS: `${topo.dns.host}:${topo.dns.port}`,
  MAILCANARY_SMTP_PORTS: `mx:${topo.inbound.port},submission:${topo.submission.port},smtps:${topo.smtps.port}`,
  MAILCANARY_WEB_PORT: String(topo.web.port),
  MAILCANARY_SMTP_TIMEOUT: '10',
};

async function runAll(): Promise<Map<string, CheckResult>> {
  const config = serverConfigFromEnv(env);
  const resolver = createResolver({ servers: config.dnsServers, timeoutMs: 2000, tries: 1 });
  const out = new Map<string, CheckResult>();
  for (const p of planServerChecks(config)) out.set(p.title, await runServerCheck(p, config, { resolver }));
  // a check that threw tested nothing: in every scenario that is a bug, never a pass
  const errors = [...out.values()].filter((r) => r.status === 'error');
  expect(errors.map((r) => `${r.title}: ${r.summary}`)).toEqual([]);
  return out;
}

const failing = (m: Map<string, CheckResult>) =>
  [...m.values()]
    .filter((r) => r.status === 'fail')
    .map((r) => r.title)
    .sort();

test.describe.configure({ mode: 'serial' });
test.afterAll(async () => {
  await setScenario('healthy');
});

test('healthy lab: no server check fails', async () => {
  await setScenario('healthy');
  const r = await runAll();
  expect(
    failing(r),
    JSON.stringify(
      [...r.values()].filter((x) => x.status === 'fail'),
      null,
      1,
    ),
  ).toEqual([]);
  expect(r.get(`tls › ${topo.domain} MX offers STARTTLS with a valid certificate`)?.summary).toContain('::1');
});

const CASES: [string, RegExp, RegExp][] = [
  ['cert-expired', /^tls › /, /expired on/],
  ['cert-wrong-name', /^tls › /, /is for DNS:vps-1234\.hosting\.test/],
  ['banner-mismatch', /^banner › canary\.test MX/, /greeting of .* is "vps-1234\.hosting\.test"/],
  ['auth-in-clear', /^tls › submission/, /offers AUTH .* before TLS/],
  ['low-reputation', /^reputation › 127\.0\.0\.1/, /SenderScore 41/],
  ['website-no-contact', /^website › canary\.test/, /no link to an imprint/],
];

for (const [scenario, title, summary] of CASES) {
  test(`${scenario}: the check it breaks fails with a fix, the others pass`, async () => {
    await setScenario(scenario);
    const r = await runAll();
    const failed = [...r.values()].filter((x) => x.status === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) {
      expect(f.title, `${f.title}: ${f.summary}`).toMatch(title);
      expect(f.summary).toMatch(summary);
      expect(f.fix).toBeTruthy();
    }
  });
}

test('open-relay: the check finds the relay and nothing is delivered by it', async () => {
  await setScenario('open-relay');
  const seed = topo.providers.find((p) => p.id === 'gmail')!.seed;
  const before = await snapshotFlags(seed.address, seed.password, topo.imap.port);
  const eventsBefore = readEvents(labPaths(topo.stateDir).events).length;
  const r = await runAll();
  const relay = r.get(`open relay › ${topo.domain} MX refuses to relay`)!;
  expect(relay.status).toBe('fail');
  expect(relay.summary).toContain('OPEN RELAY');
  expect(relay.summary).toContain(seed.address);
  expect(relay.fix).toContain('reject_unauth_destination');
  expect(failing(r)).toEqual([relay.title]);
  // give a relayed message (there must be none) time to reach the MX sim and the mailbox
  await new Promise((res) => setTimeout(res, 4000));
  expect(readEvents(labPaths(topo.stateDir).events).length).toBe(eventsBefore);
  expect(await snapshotFlags(seed.address, seed.password, topo.imap.port)).toEqual(before);
});
