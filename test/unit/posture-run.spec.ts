import { test, expect } from '@playwright/test';
import { fakeResolver } from '../support/fake-resolver.ts';
import { planPostureChecks } from '../../src/posture/plan.ts';
import { runPostureChecks } from '../../src/posture/run.ts';
import { postureConfigFromEnv } from '../../src/posture/config.ts';
import { healthyConfig, healthyMtaSts, healthyZone, IP4, IP6 } from '../fixtures/posture/zones.ts';

test.describe('posture runner', () => {
  test('every check passes for the healthy zone', async () => {
    const results = await runPostureChecks(healthyConfig(), fakeResolver(healthyZone()), { fetchMtaSts: healthyMtaSts });
    const notPass = results.filter((r) => r.status !== 'pass').map((r) => `${r.title}: ${r.status} ${r.summary}`);
    expect(notPass).toEqual([]);
    const ids = new Set(results.map((r) => r.id));
    for (const id of ['rdns', 'helo', 'mx', 'spf-record', 'spf', 'dkim', 'dmarc', 'mta-sts', 'tls-rpt', 'bimi', 'blocklist', 'allowlist', 'tld']) {
      expect(ids, id).toContain(id);
    }
    const dnswl = results.find((r) => r.id === 'allowlist' && r.target.startsWith(IP4));
    expect(dnswl?.summary).toContain('service/network providers, trust medium');
  });

  test('plan titles are unique, readable and known without DNS', () => {
    const plan = planPostureChecks(healthyConfig());
    const titles = plan.map((p) => p.title);
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles).toContain('spf › canary.test sending IPs pass');
    expect(titles).toContain('spf › canary.test record is valid and within limits');
    expect(titles).toContain('dkim › ed._domainkey.canary.test key is valid');
    expect(titles).toContain(`blocklist › ${IP6} not listed on zen.spamhaus.org`);
    expect(titles).toContain(`blocklist › ${IP6} not listed on bl.lab.test`);
    // IPv6 senders only against lists that cover IPv6, domains only against domain lists
    expect(titles).not.toContain(`blocklist › ${IP6} not listed on bl.spamcop.net`);
    expect(titles).not.toContain('blocklist › canary.test not listed on zen.spamhaus.org');
    expect(titles).toContain('blocklist › canary.test not listed on dbl.spamhaus.org');
  });

  test('a resolver that never answers gives unknown, not pass and not a hang', async () => {
    const hang = fakeResolver(healthyZone(), { fail: () => 'hang' });
    const t0 = Date.now();
    const results = await runPostureChecks(healthyConfig(), hang, { queryTimeoutMs: 50, spfTimeLimitMs: 500, fetchMtaSts: healthyMtaSts });
    expect(Date.now() - t0).toBeLessThan(10_000);
    const dnsChecks = results.filter((r) => r.id !== 'tld');
    for (const r of dnsChecks) expect(`${r.title}: ${r.status}`).toBe(`${r.title}: unknown`);
    const spf = results.find((r) => r.id === 'spf');
    expect(spf?.summary).toContain('temperror');
  });

  test('a failing check does not stop the others', async () => {
    const z = healthyZone();
    delete z['_dmarc.canary.test'];
    const results = await runPostureChecks(healthyConfig(), fakeResolver(z), { fetchMtaSts: healthyMtaSts });
    expect(results.find((r) => r.id === 'dmarc')?.status).toBe('fail');
    expect(results.find((r) => r.id === 'spf')?.status).toBe('pass');
    // BIMI depends on DMARC
    expect(results.find((r) => r.id === 'bimi')?.status).toBe('fail');
  });
});

test.describe('postureConfigFromEnv', () => {
  test('reads every variable', () => {
    const c = postureConfigFromEnv({
      MAILCANARY_DOMAINS: 'Canary.test, news.canary.test',
      MAILCANARY_SENDING_IPS: '192.0.2.25,2001:db8::25',
      MAILCANARY_HELO: 'mail.canary.test',
      MAILCANARY_DKIM_SELECTORS: 'mail2026,ed',
      MAILCANARY_DNS_SERVERS: '127.0.0.1:5353,[::1]:53',
      MAILCANARY_BLOCKLISTS_EXTRA: 'bl.lab.test:ip4,dbl.lab.test:domain,wl.lab.test:ip4+ip6:allow',
      MAILCANARY_LINK_URL: 'https://links.canary.test/x',
    });
    expect(c.domains).toEqual(['canary.test', 'news.canary.test']);
    expect(c.sendingIps).toEqual(['192.0.2.25', '2001:db8::25']);
    expect(c.dnsServers).toEqual(['127.0.0.1:5353', '[::1]:53']);
    expect(c.lists.slice(-3).map((l) => `${l.zone}:${l.covers.join('+')}:${l.kind}`)).toEqual([
      'bl.lab.test:ip4:block',
      'dbl.lab.test:domain:block',
      'wl.lab.test:ip4+ip6:allow',
    ]);
    expect(c.linkUrls).toEqual(['https://links.canary.test/x']);
  });

  test('defaults the domain from MAIL_FROM', () => {
    expect(postureConfigFromEnv({ MAIL_FROM: 'Canary <probe@Canary.Test>' }).domains).toEqual(['canary.test']);
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{}, /MAILCANARY_DOMAINS is not set/],
    [{ MAILCANARY_DOMAINS: 'not a domain' }, /MAILCANARY_DOMAINS: "not a domain"/],
    [{ MAILCANARY_DOMAINS: 'a.test', MAILCANARY_SENDING_IPS: '192.0.2.300' }, /MAILCANARY_SENDING_IPS: "192.0.2.300"/],
    [{ MAILCANARY_DOMAINS: 'a.test', MAILCANARY_DNS_SERVERS: 'dns.example:53' }, /MAILCANARY_DNS_SERVERS: .*not an IP/],
    [{ MAILCANARY_DOMAINS: 'a.test', MAILCANARY_DNS_SERVERS: '127.0.0.1:99999' }, /MAILCANARY_DNS_SERVERS: .*invalid port/],
    [{ MAILCANARY_DOMAINS: 'a.test', MAILCANARY_BLOCKLISTS_EXTRA: 'bl.lab.test:ip5' }, /MAILCANARY_BLOCKLISTS_EXTRA entry "bl.lab.test:ip5": unknown family "ip5"/],
    [{ MAILCANARY_DOMAINS: 'a.test', MAILCANARY_DKIM_SELECTORS: 'bad selector' }, /MAILCANARY_DKIM_SELECTORS: "bad selector"/],
    [{ MAILCANARY_DOMAINS: 'a.test', MAILCANARY_LINK_URL: 'javascript:alert(1)' }, /MAILCANARY_LINK_URL: .*not an http\(s\) URL/],
    [{ MAILCANARY_DOMAINS: 'a.test', MAILCANARY_BLOCKLISTS: 'zen.example' }, /MAILCANARY_BLOCKLISTS: "zen.example" is not a built-in list/],
  ];
  for (const [env, re] of bad) {
    test(`rejects ${JSON.stringify(env)}`, () => {
      expect(() => postureConfigFromEnv(env)).toThrow(re);
    });
  }

  test('MAILCANARY_BLOCKLISTS=none keeps only the extra lists', () => {
    const c = postureConfigFromEnv({ MAILCANARY_DOMAINS: 'a.test', MAILCANARY_BLOCKLISTS: 'none', MAILCANARY_BLOCKLISTS_EXTRA: 'bl.lab.test:ip4' });
    expect(c.lists.map((l) => l.zone)).toEqual(['bl.lab.test']);
  });
});
