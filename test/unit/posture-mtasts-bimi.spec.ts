import { test, expect } from '@playwright/test';
import { fakeResolver } from '../support/fake-resolver.ts';
import type { FakeZone } from '../support/fake-resolver.ts';
import { checkMtaSts } from '../../src/posture/checks/mta-sts.ts';
import { checkBimi, checkTlsRpt } from '../../src/posture/checks/reporting.ts';
import { postureContext } from '../../src/posture/run.ts';
import type { MtaStsFetcher } from '../../src/posture/types.ts';
import { healthyConfig, healthyMtaSts, healthyZone, zoneWith } from '../fixtures/posture/zones.ts';

const ctxFor = (zone: FakeZone, fetchMtaSts: MtaStsFetcher = healthyMtaSts) =>
  postureContext(healthyConfig(), fakeResolver(zone), { queryTimeoutMs: 100, fetchMtaSts });
const failing =
  (code: string, message = code): MtaStsFetcher =>
  async () => {
    throw Object.assign(new Error(message), { code });
  };

test.describe('MTA-STS', () => {
  test('healthy passes', async () => {
    expect((await checkMtaSts('canary.test', ctxFor(healthyZone()))).status).toBe('pass');
  });
  test('no record warns with what to publish', async () => {
    const r = await checkMtaSts('canary.test', ctxFor(zoneWith({ '_mta-sts.canary.test': null })));
    expect(r.status).toBe('warn');
    expect(r.fix).toContain('https://mta-sts.canary.test/.well-known/mta-sts.txt');
  });
  test('invalid TXT fails', async () => {
    const r = await checkMtaSts('canary.test', ctxFor(zoneWith({ '_mta-sts.canary.test': { TXT: ['v=STSv1; id=bad-id!'] } })));
    expect(r.status).toBe('fail');
  });
  test('unreachable policy host is unknown', async () => {
    const r = await checkMtaSts('canary.test', ctxFor(healthyZone(), failing('ECONNREFUSED')));
    expect(r.status).toBe('unknown');
    expect(r.summary).toContain('could not be fetched');
  });
  test('a reachable but broken policy fails', async () => {
    expect((await checkMtaSts('canary.test', ctxFor(healthyZone(), failing('http_status_404')))).status).toBe('fail');
    expect((await checkMtaSts('canary.test', ctxFor(healthyZone(), failing('invalid_sts_mode')))).status).toBe('fail');
    expect(
      (
        await checkMtaSts(
          'canary.test',
          ctxFor(healthyZone(), async () => false),
        )
      ).summary,
    ).toContain('no A/AAAA record');
  });
  test('policy that does not cover the MX fails; testing mode warns', async () => {
    const r = await checkMtaSts(
      'canary.test',
      ctxFor(healthyZone(), async () => ({ mode: 'enforce', mx: ['*.elsewhere.test'], maxAge: 604800 })),
    );
    expect(r.status).toBe('fail');
    expect(r.fix).toContain('mx: mx.canary.test');
    const t = await checkMtaSts(
      'canary.test',
      ctxFor(healthyZone(), async () => ({ mode: 'testing', mx: ['*.canary.test'], maxAge: 86400 })),
    );
    expect(t.status).toBe('warn');
    expect(t.fix).toContain('mode: enforce');
  });
});

test.describe('TLS-RPT', () => {
  test('healthy passes, missing warns, broken fails', async () => {
    expect((await checkTlsRpt('canary.test', ctxFor(healthyZone()))).status).toBe('pass');
    expect((await checkTlsRpt('canary.test', ctxFor(zoneWith({ '_smtp._tls.canary.test': null })))).status).toBe('warn');
    const bad = await checkTlsRpt('canary.test', ctxFor(zoneWith({ '_smtp._tls.canary.test': { TXT: ['v=TLSRPTv1; rua=tls@canary.test'] } })));
    expect(bad.status).toBe('fail');
    expect(bad.fix).toContain('v=TLSRPTv1; rua=mailto:');
  });
});

test.describe('BIMI', () => {
  test('healthy passes; absent is fine', async () => {
    expect((await checkBimi('canary.test', ctxFor(healthyZone()))).status).toBe('pass');
    expect((await checkBimi('canary.test', ctxFor(zoneWith({ 'default._bimi.canary.test': null })))).status).toBe('pass');
  });
  test('BIMI with DMARC p=none fails', async () => {
    const r = await checkBimi('canary.test', ctxFor(zoneWith({ '_dmarc.canary.test': { TXT: ['v=DMARC1; p=none; rua=mailto:d@canary.test'] } })));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('policy is none');
    expect(r.fix).toContain('p=quarantine or p=reject');
  });
  test('BIMI with pct<100 fails, without a= warns, bad l= fails', async () => {
    expect((await checkBimi('canary.test', ctxFor(zoneWith({ '_dmarc.canary.test': { TXT: ['v=DMARC1; p=reject; pct=20'] } })))).status).toBe('fail');
    expect((await checkBimi('canary.test', ctxFor(zoneWith({ 'default._bimi.canary.test': { TXT: ['v=BIMI1; l=https://canary.test/l.svg'] } })))).status).toBe(
      'warn',
    );
    expect((await checkBimi('canary.test', ctxFor(zoneWith({ 'default._bimi.canary.test': { TXT: ['v=BIMI1; l=http://canary.test/l.png'] } })))).status).toBe(
      'fail',
    );
  });
});
