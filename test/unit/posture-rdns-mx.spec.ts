import { test, expect } from '@playwright/test';
import { fakeResolver } from '../support/fake-resolver.ts';
import type { FakeZone } from '../support/fake-resolver.ts';
import { checkHelo, checkReverseDns } from '../../src/posture/checks/rdns.ts';
import { checkMx } from '../../src/posture/checks/mx.ts';
import { genericPtrReasons } from '../../src/posture/checks/generic-ptr.ts';
import { postureContext } from '../../src/posture/run.ts';
import { healthyConfig, healthyZone, IP4, IP6, PTR4, PTR6, zoneWith } from '../fixtures/posture/zones.ts';

const ctxFor = (zone: FakeZone, hooks = {}, over = {}) => postureContext(healthyConfig(over), fakeResolver(zone, hooks), { queryTimeoutMs: 100 });

test.describe('reverse DNS (FCrDNS)', () => {
  test('IPv4 and IPv6 pass for the healthy zone', async () => {
    for (const ip of [IP4, IP6]) {
      const r = await checkReverseDns(ip, ctxFor(healthyZone()));
      expect(r.status).toBe('pass');
      expect(r.summary).toBe(`${ip} → mail.canary.test → ${ip} (forward-confirmed)`);
    }
  });

  test('no PTR fails and says who sets it', async () => {
    const r = await checkReverseDns(IP4, ctxFor(zoneWith({ [PTR4]: null })));
    expect(r.status).toBe('fail');
    expect(r.fix).toContain('hosting provider or ISP');
    expect(r.fix).toContain('mail.canary.test');
  });

  test('PTR that does not resolve back fails', async () => {
    const r = await checkReverseDns(IP6, ctxFor(zoneWith({ [PTR6]: { PTR: ['other.canary.test'] }, 'other.canary.test': { AAAA: ['2001:db8::99'] } })));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('does not resolve back');
    expect(r.fix).toContain(`AAAA other.canary.test → ${IP6}`);
  });

  test('generic PTR and HELO mismatch are warnings', async () => {
    const name = '25-2-0-192.dsl.isp.test';
    const r = await checkReverseDns(IP4, ctxFor(zoneWith({ [PTR4]: { PTR: [name] }, [name]: { A: [IP4] } })));
    expect(r.status).toBe('warn');
    expect(r.warnings?.join(' ')).toContain('generic/dynamic');
    expect(r.warnings?.join(' ')).toContain('HELO name is mail.canary.test');
    expect(r.fix).toBeTruthy();
  });

  test('timeout is unknown', async () => {
    expect((await checkReverseDns(IP4, ctxFor(healthyZone(), { fail: () => 'ETIMEOUT' }))).status).toBe('unknown');
  });

  test('genericPtrReasons', () => {
    expect(genericPtrReasons('mail.canary.test', IP4)).toEqual([]);
    expect(genericPtrReasons('smtp.example.org', '203.0.113.5')).toEqual([]);
    expect(genericPtrReasons('host-203-0-113-5.example.net', '203.0.113.5').join()).toContain('contains the IP address');
    expect(genericPtrReasons('5.113.0.203.static.example.net', '203.0.113.5').join()).toContain('contains the IP address');
    expect(genericPtrReasons('dhcp123.pool.isp.test', '203.0.113.5').join()).toContain('generic word');
    expect(genericPtrReasons('ec2-203-0-113-5.eu-west-1.compute.amazonaws.com', '203.0.113.5').join()).toContain('provider default');
    expect(genericPtrReasons('cb007105.ip.isp.test', '203.0.113.5').join()).toContain('contains the IP address');
    expect(genericPtrReasons('mail.example.org', '2001:db8::1')).toEqual([]);
    expect(genericPtrReasons('2001-db8--a1b2-c3d4.cust.isp.test', '2001:db8::a1b2:c3d4').join()).toContain('interface identifier');
  });
});

test.describe('HELO name', () => {
  test('healthy passes', async () => {
    expect((await checkHelo('mail.canary.test', ctxFor(healthyZone()))).status).toBe('pass');
  });
  test('not a FQDN fails', async () => {
    const r = await checkHelo('localhost', ctxFor(healthyZone()));
    expect(r.status).toBe('fail');
    expect(r.fix).toContain('MAILCANARY_HELO');
  });
  test('does not resolve fails', async () => {
    const r = await checkHelo('gone.canary.test', ctxFor(healthyZone()));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('does not resolve');
  });
  test('resolves elsewhere warns', async () => {
    const r = await checkHelo('mx.canary.test', ctxFor(healthyZone()));
    expect(r.status).toBe('warn');
    expect(r.warnings?.[0]).toContain('none of which is a sending address');
  });
});

test.describe('MX', () => {
  const mxZone = (mx: FakeZone[string]) => zoneWith({ 'canary.test': { ...healthyZone()['canary.test'], ...mx } });
  test('healthy passes', async () => {
    const r = await checkMx('canary.test', ctxFor(healthyZone()));
    expect(r.status).toBe('pass');
    expect(r.details?.resolved).toEqual({ 'mx.canary.test': ['192.0.2.26', '2001:db8::26'] });
  });
  test('null MX fails (RFC 7505)', async () => {
    const r = await checkMx('canary.test', ctxFor(mxZone({ MX: [{ exchange: '', priority: 0 }] })));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('null MX');
  });
  test('no MX with an A record warns (implicit MX)', async () => {
    const z = zoneWith({ 'canary.test': { A: ['192.0.2.80'] } });
    const r = await checkMx('canary.test', ctxFor(z));
    expect(r.status).toBe('warn');
    expect(r.fix).toContain('MX 10 mail.canary.test');
  });
  test('no MX and no address fails', async () => {
    const r = await checkMx('nomail.test', ctxFor({ 'nomail.test': { TXT: ['x'] } }));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('bounces and DSNs');
  });
  test('MX host that does not resolve fails', async () => {
    const r = await checkMx('canary.test', ctxFor(mxZone({ MX: [{ exchange: 'gone.canary.test', priority: 10 }] })));
    expect(r.status).toBe('fail');
    expect(r.fix).toContain('gone.canary.test');
  });
  test('one of two MX hosts missing, or an alias, warns', async () => {
    const z = mxZone({
      MX: [
        { exchange: 'mx.canary.test', priority: 10 },
        { exchange: 'alias.canary.test', priority: 20 },
        { exchange: 'gone.canary.test', priority: 30 },
      ],
    });
    z['alias.canary.test'] = { CNAME: 'mx.canary.test' };
    const r = await checkMx('canary.test', ctxFor(z));
    expect(r.status).toBe('warn');
    expect(r.warnings?.join(' ')).toContain('RFC 2181 section 10.3');
    expect(r.warnings?.join(' ')).toContain('gone.canary.test');
  });
  test('SERVFAIL is unknown', async () => {
    expect((await checkMx('canary.test', ctxFor(healthyZone(), { fail: () => 'ESERVFAIL' }))).status).toBe('unknown');
  });
});
