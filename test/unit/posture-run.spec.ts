import { test, expect } from '@playwright/test';
import { fakeResolver } from '../support/fake-resolver.ts';
import { planPostureChecks } from '../../src/posture/plan.ts';
import type { PlannedCheck } from '../../src/posture/plan.ts';
import { runPostureChecks } from '../../src/posture/run.ts';
import { postureConfigFromEnv } from '../../src/posture/config.ts';
import type { Resolver } from '../../src/shared/dns/resolver.ts';
import type { InternalErrorInfo } from '../../src/shared/internal-error.ts';
import { healthyConfig, healthyMtaSts, healthyZone, IP4, IP6, zoneWithUnhandledMx } from '../fixtures/posture/zones.ts';

const errorOf = (r: { details?: Record<string, unknown> } | undefined) => r?.details?.error as InternalErrorInfo | undefined;

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
    const t0 = performance.now();
    const results = await runPostureChecks(healthyConfig(), hang, { queryTimeoutMs: 50, spfTimeLimitMs: 500, fetchMtaSts: healthyMtaSts });
    expect(performance.now() - t0).toBeLessThan(10_000);
    const dnsChecks = results.filter((r) => r.id !== 'tld');
    for (const r of dnsChecks) expect(`${r.title}: ${r.status}`).toBe(`${r.title}: unknown`);
    const spf = results.find((r) => r.id === 'spf');
    expect(spf?.summary).toContain('temperror');
  });

  test('a check that throws is `error` with the message and where it was thrown, not `unknown`', async () => {
    // an MX answer the code does not expect (exchange is not a string) makes checkMx throw
    const results = await runPostureChecks(healthyConfig(), fakeResolver(zoneWithUnhandledMx()), { fetchMtaSts: healthyMtaSts });
    const mx = results.find((r) => r.id === 'mx');
    expect(mx?.status).toBe('error');
    expect(mx?.summary).toMatch(/^mailcanary bug: the mx check threw TypeError: .+ \(at src\/shared\/dns\/names\.ts:\d+:\d+\)$/);
    expect(mx?.fix).toMatch(/not a verdict on your setup.*report it/);
    const e = errorOf(mx);
    expect(e).toMatchObject({ check: 'mx', name: 'TypeError' });
    expect(e?.where).toMatch(/^src\/shared\/dns\/names\.ts:\d+:\d+$/);
    // short and redacted: a few frames, the check's own file among them, no absolute path
    expect(e?.stack.length).toBeGreaterThan(0);
    expect(e?.stack.length).toBeLessThanOrEqual(6);
    expect(e?.stack.some((f) => f.includes('src/posture/checks/mx.ts:'))).toBe(true);
    expect(JSON.stringify(mx)).not.toContain(process.cwd());
    // the other checks ran on and still give their verdicts
    expect(results.find((r) => r.id === 'spf')?.status).toBe('pass');
    expect(results.find((r) => r.id === 'dkim')?.status).toBe('pass');
  });

  test('a TypeError from the resolver code is `error`; SERVFAIL and a timeout for the same query stay `unknown`', async () => {
    const z = healthyZone();
    const name = '_smtp._tls.canary.test';
    const base = fakeResolver(z);
    const buggy: Resolver = (n, t) => (n === name ? Promise.reject(new TypeError('cached answer is undefined')) : base(n, t));
    const tlsRpt = async (resolver: Resolver, queryTimeoutMs?: number) =>
      (await runPostureChecks(healthyConfig(), resolver, { fetchMtaSts: healthyMtaSts, queryTimeoutMs })).find((r) => r.id === 'tls-rpt');
    const bug = await tlsRpt(buggy);
    expect(bug?.status).toBe('error');
    expect(bug?.summary).toContain('TypeError: cached answer is undefined');
    expect(errorOf(bug)?.where).toMatch(/^test\/unit\/posture-run\.spec\.ts:\d+:\d+$/);

    const servfail = await tlsRpt(fakeResolver(z, { fail: (n) => (n === name ? 'ESERVFAIL' : undefined) }));
    expect(servfail?.status).toBe('unknown');
    expect(servfail?.details?.error).toBeUndefined();
    const timeout = await tlsRpt(fakeResolver(z, { fail: (n) => (n === name ? 'hang' : undefined) }), 50);
    expect(timeout?.status).toBe('unknown');
  });

  test('a plan entry no check implements is `error`, naming the id', async () => {
    const plan: PlannedCheck[] = [{ id: 'no-such-check', title: 'no-such-check › canary.test', target: 'canary.test', params: {} }];
    const [r] = await runPostureChecks(healthyConfig(), fakeResolver(healthyZone()), { plan });
    expect(r.status).toBe('error');
    expect(r.summary).toContain('unknown posture check id "no-such-check"');
    expect(errorOf(r)?.where).toMatch(/^src\/posture\/run\.ts:\d+:\d+$/);
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
    [
      { MAILCANARY_DOMAINS: 'a.test', MAILCANARY_BLOCKLISTS_EXTRA: 'bl.lab.test:ip5' },
      /MAILCANARY_BLOCKLISTS_EXTRA entry "bl.lab.test:ip5": unknown family "ip5"/,
    ],
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
