import { test, expect } from '@playwright/test';
import { fakeResolver } from '../support/fake-resolver.ts';
import type { FakeZone } from '../support/fake-resolver.ts';
import { parseDkimKey } from '../../src/posture/checks/dkim-key.ts';
import { checkDkimKey } from '../../src/posture/checks/dkim.ts';
import { checkDmarc } from '../../src/posture/checks/dmarc.ts';
import { parseDmarcRecordTags } from '../../src/posture/checks/dmarc-record.ts';
import { postureContext } from '../../src/posture/run.ts';
import { healthyConfig, healthyZone, KEYS, zoneWith } from '../fixtures/posture/zones.ts';

const ctxFor = (zone: FakeZone, hooks = {}) => postureContext(healthyConfig(), fakeResolver(zone, hooks), { queryTimeoutMs: 100 });
const key = (txt: string) => zoneWith({ 'mail2026._domainkey.canary.test': { TXT: [txt] } });

test.describe('DKIM key records', () => {
  test('parses RSA and Ed25519 keys', () => {
    expect(parseDkimKey(`v=DKIM1; k=rsa; p=${KEYS.rsa2048}`)).toMatchObject({ keyType: 'rsa', bits: 2048, errors: [], revoked: false });
    expect(parseDkimKey(`v=DKIM1; k=ed25519; p=${KEYS.ed25519}`)).toMatchObject({ keyType: 'ed25519', errors: [] });
    expect(parseDkimKey(`k=rsa; t=y:s; h=sha256; p=${KEYS.rsa1024}`)).toMatchObject({ bits: 1024, testing: true, flags: ['y', 's'], hashes: ['sha256'] });
    expect(parseDkimKey('v=DKIM1; p=').revoked).toBe(true);
    expect(parseDkimKey('v=DKIM1; k=ed25519; p=AAAA').errors[0]).toContain('32 bytes');
    expect(parseDkimKey('p=abc; v=DKIM1').errors).toContain('v=DKIM1 must be the first tag');
    expect(parseDkimKey('v=DKIM1; k=dsa; p=AAAA').errors[0]).toContain('k=dsa');
    expect(parseDkimKey('v=DKIM1; p=not*base64').errors).toContain('p= is not valid base64');
  });

  const cases: [string, string, 'pass' | 'warn' | 'fail', RegExp][] = [
    ['RSA 2048', `v=DKIM1; k=rsa; p=${KEYS.rsa2048}`, 'pass', /RSA 2048 bits/],
    ['Ed25519', `v=DKIM1; k=ed25519; p=${KEYS.ed25519}`, 'pass', /Ed25519/],
    ['RSA 1024 (warn)', `v=DKIM1; k=rsa; p=${KEYS.rsa1024}`, 'warn', /1024 bits/],
    ['RSA 512 (fail)', `v=DKIM1; k=rsa; p=${KEYS.rsa512}`, 'fail', /512 bits; receivers reject/],
    ['testing flag', `v=DKIM1; t=y; p=${KEYS.rsa2048}`, 'warn', /t=y/],
    ['revoked', 'v=DKIM1; k=rsa; p=', 'fail', /revoked/],
    ['sha1 only', `v=DKIM1; h=sha1; p=${KEYS.rsa2048}`, 'fail', /does not allow sha256/],
    ['not for email', `v=DKIM1; s=other; p=${KEYS.rsa2048}`, 'fail', /excludes email/],
    ['garbage key', 'v=DKIM1; k=rsa; p=QUJDRA==', 'fail', /invalid.*not hold a valid rsa public key/],
  ];
  for (const [name, txt, status, re] of cases) {
    test(`${name} → ${status}`, async () => {
      const r = await checkDkimKey('mail2026', 'canary.test', ctxFor(key(txt)));
      expect(r.status).toBe(status);
      expect(r.summary + ' ' + (r.warnings ?? []).join(' ')).toMatch(re);
      if (status !== 'pass') expect(r.fix).toBeTruthy();
    });
  }

  test('missing key names the record to publish; timeout is unknown', async () => {
    const r = await checkDkimKey('nosuch', 'canary.test', ctxFor(healthyZone()));
    expect(r.status).toBe('fail');
    expect(r.fix).toContain('TXT at nosuch._domainkey.canary.test');
    const t = await checkDkimKey('mail2026', 'canary.test', ctxFor(healthyZone(), { fail: () => 'ETIMEOUT' }));
    expect(t.status).toBe('unknown');
  });

  test('a key published through a CNAME (ESP style) is followed', async () => {
    const z = zoneWith({ 'esp._domainkey.canary.test': { CNAME: 'k1.esp.test' }, 'k1.esp.test': { TXT: [`v=DKIM1; p=${KEYS.rsa2048}`] } });
    expect((await checkDkimKey('esp', 'canary.test', ctxFor(z))).status).toBe('pass');
  });
});

test.describe('DMARC', () => {
  test('tag validation', () => {
    expect(parseDmarcRecordTags('v=DMARC1; p=reject').errors).toEqual([]);
    expect(parseDmarcRecordTags('v=DMARC1; p=block').errors).toContain('p=block is not none, quarantine or reject');
    expect(parseDmarcRecordTags('v=DMARC1; rua=mailto:a@b.test').errors[0]).toContain('p= tag is missing');
    expect(parseDmarcRecordTags('v=DMARC1; p=none; pct=150').errors[0]).toContain('pct=150');
    expect(parseDmarcRecordTags('v=DMARC1; p=none; adkim=x').errors[0]).toContain('adkim=x');
    expect(parseDmarcRecordTags('v=DMARC1; p=none; rua=reports@x.test').errors[0]).toContain('is not a URI');
    expect(parseDmarcRecordTags('v=DMARC1; p=none; rua=mailto:a@x.test!10m').rua).toEqual([{ uri: 'mailto:a@x.test', host: 'x.test' }]);
    expect(parseDmarcRecordTags('p=none; v=DMARC1').errors).toContain('the record must start with "v=DMARC1"');
  });

  test('healthy record with an authorised external destination passes', async () => {
    const r = await checkDmarc('canary.test', ctxFor(healthyZone()));
    expect(r.status).toBe('pass');
    expect(r.details?.externalDestinations).toEqual({ 'reports.dmarc-service.test': 'canary.test._report._dmarc.reports.dmarc-service.test' });
  });

  test('external destination without authorisation fails with the record to publish', async () => {
    const r = await checkDmarc('canary.test', ctxFor(zoneWith({ 'canary.test._report._dmarc.reports.dmarc-service.test': null })));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('reports.dmarc-service.test');
    expect(r.fix).toContain('publish TXT "v=DMARC1" at canary.test._report._dmarc.reports.dmarc-service.test');
  });

  const cases: [string, string[], 'pass' | 'warn' | 'fail', RegExp][] = [
    ['p=none', ['v=DMARC1; p=none; rua=mailto:d@canary.test'], 'warn', /monitoring only/],
    ['pct=50', ['v=DMARC1; p=reject; pct=50; rua=mailto:d@canary.test'], 'warn', /pct=50/],
    ['no rua', ['v=DMARC1; p=reject'], 'warn', /no rua/],
    ['sp=none', ['v=DMARC1; p=reject; sp=none; rua=mailto:d@canary.test'], 'warn', /sp=none/],
    ['invalid p', ['v=DMARC1; p=block; rua=mailto:d@canary.test'], 'fail', /p=block/],
    ['two records', ['v=DMARC1; p=reject', 'v=DMARC1; p=none'], 'fail', /2 DMARC records/],
  ];
  for (const [name, txt, status, re] of cases) {
    test(`${name} → ${status}`, async () => {
      const r = await checkDmarc('canary.test', ctxFor(zoneWith({ '_dmarc.canary.test': { TXT: txt } })));
      expect(r.status).toBe(status);
      expect(`${r.summary} ${(r.warnings ?? []).join(' ')}`).toMatch(re);
      expect(r.fix).toBeTruthy();
    });
  }

  test('missing record fails with a starter record', async () => {
    const r = await checkDmarc('canary.test', ctxFor(zoneWith({ '_dmarc.canary.test': null })));
    expect(r.status).toBe('fail');
    expect(r.fix).toContain('v=DMARC1; p=none; rua=mailto:dmarc-reports@canary.test');
  });

  test('a subdomain inherits the organisational record and its sp=', async () => {
    const z = zoneWith({
      '_dmarc.canary.test': { TXT: ['v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@canary.test'] },
      'news.canary.test': { A: ['192.0.2.1'] },
    });
    const r = await checkDmarc('news.canary.test', ctxFor(z));
    expect(r.status).toBe('pass');
    expect(r.details).toMatchObject({ recordDomain: 'canary.test', inherited: true, effectivePolicy: 'quarantine' });
  });

  test('DNS failure is unknown', async () => {
    const r = await checkDmarc('canary.test', ctxFor(healthyZone(), { fail: (n: string) => (n.startsWith('_dmarc') ? 'ESERVFAIL' : undefined) }));
    expect(r.status).toBe('unknown');
  });
});
