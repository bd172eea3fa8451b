import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { authenticate } from 'mailauth';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { labPaths, labTopology } from '../../lab/topology.ts';
import { ensureKeys } from '../../lab/dkim.ts';
import type { LabKeys } from '../../lab/dkim.ts';
import { getScenario } from '../../lab/scenarios.ts';
import { labZones } from '../../lab/dns/zones.ts';
import type { Zone } from '../../lab/dns/zones.ts';
import { renderKeyTable, renderOpendkimConf, renderSigningTable } from '../../lab/services/opendkim.ts';
import { renderMainCf, renderVirtualAliases } from '../../lab/services/postfix.ts';
import { fakeResolver } from '../support/fake-resolver.ts';
import type { FakeZone } from '../support/fake-resolver.ts';
import { postureConfigFromEnv } from '../../src/posture/config.ts';
import { runPostureChecks } from '../../src/posture/run.ts';

/**
 * The lab's sending domains offline: each its own zone, selector and key pair, OpenDKIM's tables
 * signing each with its own key, and a scenario that breaks exactly one domain's DKIM. Signatures
 * are made and verified with mailauth against the zone data the lab's NSD serves.
 */
let dir: string;
let keys: LabKeys;
const topo = labTopology({ MAILCANARY_LAB_DIR: '/tmp/mc-lab-unit' });
const ctx = { topo, paths: labPaths(topo.stateDir) };

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mc-lab-keys-'));
  keys = ensureKeys(dir, topo.senderDomains);
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Zone data as a recursive resolver answers it (TXT split into 255-byte strings like NSD's). */
function resolverFor(zones: Zone[]) {
  const fake: FakeZone = {};
  for (const z of zones) {
    for (const r of z.records) {
      const name = r.name === '@' ? z.origin : `${r.name}.${z.origin}`;
      const at = (fake[name] ??= {});
      if (r.type === 'TXT') (at.TXT ??= []).push(r.value.match(/.{1,255}/g) ?? ['']);
      else if (r.type === 'MX') (at.MX ??= []).push({ exchange: r.value.replace(/\.$/, ''), priority: r.priority ?? 10 });
      else if (r.type === 'A' || r.type === 'AAAA' || r.type === 'PTR') (at[r.type] ??= []).push(r.value.replace(/\.$/, ''));
    }
  }
  return fakeResolver(fake);
}

const message = (from: string) =>
  Buffer.from(
    `From: ${from}\r\nTo: seed@gmail.lab.test\r\nSubject: lab\r\nMessage-ID: <x@${from.split('@')[1]}>\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n\r\nhello\r\n`,
  );

/** Signs as OpenDKIM does per its KeyTable/SigningTable, then verifies as a receiver would. */
async function dkimResult(scenario: string, from: string): Promise<{ dkim: string; dmarc: string; spf: string }> {
  const domain = from.split('@')[1];
  const own = topo.senderDomains.find((d) => d.domain === domain) ?? topo.senderDomains[0];
  const raw = message(from);
  // mailauth's signer reads `signatureData` (one entry per signature); its d.ts only types a flat form
  const options = {
    canonicalization: 'relaxed/simple',
    signatureData: [{ signingDomain: own.domain, selector: own.selector, privateKey: keys.byDomain[own.domain].signing.privateKeyPem }],
  };
  const signed = await dkimSign(raw, options as unknown as Parameters<typeof dkimSign>[1]);
  expect(signed.signatures, `no signature for ${from}: ${JSON.stringify(signed.errors)}`).toContain('DKIM-Signature:');
  const res = await authenticate(Buffer.concat([Buffer.from(signed.signatures), raw]), {
    ip: '127.0.0.1',
    helo: topo.mailHost,
    sender: from,
    mta: 'mx.gmail.lab.test',
    resolver: resolverFor(labZones(topo, getScenario(scenario), keys)) as never,
    disableArc: true,
  });
  return {
    dkim: res.dkim.results[0]?.status.result ?? 'none',
    dmarc: res.dmarc ? res.dmarc.status.result : 'none',
    spf: res.spf ? res.spf.status.result : 'none',
  };
}

test('three sending domains, each with its own selector and key pair kept in the keys folder', () => {
  expect(topo.senderDomains.map((d) => d.domain)).toEqual(['canary.test', 'family.test', 'club.test']);
  const selectors = topo.senderDomains.map((d) => d.selector);
  expect(new Set(selectors).size).toBe(3);
  const pubs = topo.senderDomains.map((d) => keys.byDomain[d.domain].signing.publicKeyB64);
  expect(new Set(pubs).size).toBe(3);
  for (const d of topo.senderDomains) expect(keys.byDomain[d.domain].signing.privateKeyFile).toBe(join(dir, `${d.selector}.private`));
  // kept across restarts: a second call loads the same keys
  expect(ensureKeys(dir, topo.senderDomains).byDomain['family.test'].signing.publicKeyB64).toBe(keys.byDomain['family.test'].signing.publicKeyB64);
});

test('OpenDKIM signs each domain with its own key, and the host name as canary.test', () => {
  const keyTable = renderKeyTable(ctx, keys);
  for (const d of topo.senderDomains) {
    expect(keyTable).toContain(`${d.selector}._domainkey.${d.domain} ${d.domain}:${d.selector}:${keys.byDomain[d.domain].signing.privateKeyFile}\n`);
  }
  expect(renderSigningTable(ctx).split('\n').filter(Boolean)).toEqual([
    '*@canary.test mc2026._domainkey.canary.test',
    '*@family.test fam2026._domainkey.family.test',
    '*@club.test club2026._domainkey.club.test',
    '*@*.canary.test mc2026._domainkey.canary.test',
  ]);
  const conf = renderOpendkimConf(ctx);
  expect(conf).toMatch(/^KeyTable \S+\/KeyTable$/m);
  expect(conf).toMatch(/^SigningTable refile:\S+\/SigningTable$/m);
  expect(conf).not.toMatch(/^(Domain|KeyFile|Selector) /m);
});

test('bounces and reports of every domain land in the one sender mailbox', () => {
  const aliases = renderVirtualAliases(topo);
  for (const d of ['canary.test', 'family.test', 'club.test']) expect(aliases).toContain(`dmarc@${d}\tmonitor@canary.test\n`);
  expect(aliases).toContain('monitor@family.test\tmonitor@canary.test\n');
  expect(aliases).not.toContain('monitor@canary.test\tmonitor@canary.test');
  // the DSNs of the host name's system mail (root-<tag>@mail.canary.test) come back to the same mailbox
  expect(aliases).toContain('root@mail.canary.test\tmonitor@canary.test\n');
  expect(renderMainCf(ctx)).toMatch(/^virtual_mailbox_domains = canary\.test family\.test club\.test mail\.canary\.test$/m);
});

test('healthy: mail of every domain and of the host name passes SPF, DKIM and DMARC', async () => {
  for (const from of ['monitor@canary.test', 'monitor@family.test', 'monitor@club.test', 'root@mail.canary.test']) {
    expect(await dkimResult('healthy', from), from).toEqual({ dkim: 'pass', dmarc: 'pass', spf: 'pass' });
  }
});

test('dkim-broken-one-domain: only family.test fails DKIM; DMARC still passes through aligned SPF', async () => {
  expect(await dkimResult('dkim-broken-one-domain', 'monitor@family.test')).toEqual({ dkim: 'fail', dmarc: 'pass', spf: 'pass' });
  for (const from of ['monitor@canary.test', 'monitor@club.test', 'root@mail.canary.test']) {
    expect((await dkimResult('dkim-broken-one-domain', from)).dkim, from).toBe('pass');
  }
  // dkim-broken breaks canary.test and the host name signed with its key, not the others
  expect((await dkimResult('dkim-broken', 'monitor@canary.test')).dkim).toBe('fail');
  expect((await dkimResult('dkim-broken', 'root@mail.canary.test')).dkim).toBe('fail');
  expect((await dkimResult('dkim-broken', 'monitor@club.test')).dkim).toBe('pass');
});

test('the DNS posture checks pass for every lab domain and the host name', async () => {
  const env = { MAILCANARY_SENDING_IPS: '127.0.0.1,::1', MAILCANARY_HELO: topo.mailHost, MAILCANARY_BLOCKLISTS: 'none' };
  const senders = [
    ...topo.senderDomains.map((d) => ({ id: d.domain, from: d.login.address, dkimSelectors: [d.selector] })),
    { id: 'system', from: `root@${topo.mailHost}`, system: true },
  ];
  const results = await runPostureChecks(postureConfigFromEnv(env, senders), resolverFor(labZones(topo, getScenario('healthy'), keys)), {
    fetchMtaSts: async () => ({ mode: 'testing', mx: [topo.mailHost], maxAge: 604800, id: '2026112701' }),
  });
  // loopback sending IPs have no public reputation and the lab has no BIMI logo server: those warn at most
  const bad = results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${r.title}: ${r.summary}`);
  expect(bad).toEqual([]);
  for (const d of ['canary.test', 'family.test', 'club.test']) {
    expect(results.find((r) => r.title === `dmarc › ${d} policy is valid`)?.status, d).toBe('pass');
    expect(results.find((r) => r.title === `spf › ${d} sending IPs pass`)?.status, d).toBe('pass');
  }
  expect(results.find((r) => r.title === 'dkim › fam2026._domainkey.family.test key is valid')?.status).toBe('pass');
  expect(results.find((r) => r.title === `spf › ${topo.mailHost} sending IPs pass`)?.status).toBe('pass');
  expect(results.find((r) => r.title === `dmarc › ${topo.mailHost} policy is valid`)?.status).toBe('pass');
});
