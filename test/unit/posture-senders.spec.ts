import { expect, test } from '@playwright/test';
import { planPostureChecks } from '../../src/posture/plan.ts';
import { postureConfigFromEnv } from '../../src/posture/config.ts';
import { postureConfigForSenders } from '../../src/posture/senders.ts';
import type { PostureSender } from '../../src/posture/senders.ts';

/** The posture plan per sender domain: domains and selectors from the senders, server checks once. */
const env = {
  MAILCANARY_SENDING_IPS: '192.0.2.25,2001:db8::25',
  MAILCANARY_HELO: 'mail.example.org',
  MAILCANARY_DKIM_SELECTORS: 'default2026',
  MAILCANARY_BLOCKLISTS: 'none',
  MAILCANARY_BLOCKLISTS_EXTRA: 'bl.lab.test:ip4+ip6,dbl.lab.test:domain',
};
const senders: PostureSender[] = [
  { id: 'main', from: 'Monitor <monitor@example.org>', dkimSelectors: ['mail2026'] },
  { id: 'family', from: 'monitor@family.example', dkimSelectors: ['fam2026', 'fam-ed'] },
  { id: 'club', from: 'monitor@club.example' },
  { id: 'system', from: 'root@mail.example.org', system: true },
];

const titlesOf = (s: readonly PostureSender[], e: Record<string, string> = env) => planPostureChecks(postureConfigFromEnv(e, s)).map((p) => p.title);

test('every sender domain gets SPF, its own DKIM selectors, DMARC, MTA-STS, TLS-RPT and BIMI, named in the title', () => {
  const titles = titlesOf(senders);
  for (const d of ['example.org', 'family.example', 'club.example']) {
    for (const t of [
      `mx › ${d} has a resolvable MX`,
      `spf › ${d} record is valid and within limits`,
      `spf › ${d} sending IPs pass`,
      `dmarc › ${d} policy is valid`,
      `mta-sts › ${d} policy`,
      `tls-rpt › ${d} reporting record`,
      `bimi › ${d} record`,
      `blocklist › ${d} not listed on dbl.lab.test`,
    ]) {
      expect(titles, t).toContain(t);
    }
  }
  const dkim = titles.filter((t) => t.startsWith('dkim › '));
  // each domain only under its own selectors; a sender naming none takes MAILCANARY_DKIM_SELECTORS
  expect(dkim.sort()).toEqual(
    [
      'dkim › mail2026._domainkey.example.org key is valid',
      'dkim › fam2026._domainkey.family.example key is valid',
      'dkim › fam-ed._domainkey.family.example key is valid',
      'dkim › default2026._domainkey.club.example key is valid',
    ].sort(),
  );
  expect(new Set(titles).size).toBe(titles.length);
});

test('server checks run once per server, not once per domain', () => {
  const titles = titlesOf(senders);
  const count = (re: RegExp) => titles.filter((t) => re.test(t)).length;
  expect(count(/^rdns › /)).toBe(2);
  expect(count(/^helo › /)).toBe(1);
  expect(count(/^blocklist › 192\.0\.2\.25 /)).toBe(1);
  expect(count(/^blocklist › 2001:db8::25 /)).toBe(1);
  // the same number of server checks with one sender as with four
  const one = titlesOf([senders[0]]);
  expect(one.filter((t) => /^(rdns|helo) › |^blocklist › [\d:]/.test(t))).toEqual(titles.filter((t) => /^(rdns|helo) › |^blocklist › [\d:]/.test(t)));
});

test('the system identity is judged by its host name: SPF and DMARC only', () => {
  const titles = titlesOf(senders);
  const host = titles.filter((t) => t.includes('mail.example.org') && !t.startsWith('helo › '));
  expect(host.sort()).toEqual(
    ['spf › mail.example.org record is valid and within limits', 'spf › mail.example.org sending IPs pass', 'dmarc › mail.example.org policy is valid'].sort(),
  );
  const cfg = postureConfigFromEnv(env, senders);
  expect(cfg.systemHosts).toEqual(['mail.example.org']);
  expect(cfg.domains).toEqual(['example.org', 'family.example', 'club.example']);
});

test('a host name that also sends as a domain of its own gets the full checks once', () => {
  const cfg = postureConfigForSenders(postureConfigFromEnv({ ...env, MAIL_FROM: 'x@example.org' }), [
    { id: 'a', from: 'a@mail.example.org' },
    { id: 's', from: 'root@mail.example.org', system: true },
  ]);
  expect(cfg.systemHosts).toEqual([]);
  const titles = planPostureChecks(cfg).map((p) => p.title);
  expect(titles.filter((t) => t === 'dmarc › mail.example.org policy is valid')).toHaveLength(1);
  expect(titles).toContain('mta-sts › mail.example.org policy');
});

test('an envelope domain of its own gets SPF, MX and DMARC, but no DKIM selectors of the From domain', () => {
  const titles = titlesOf([{ id: 'news', from: 'news@example.org', envelopeFrom: 'bounces@bounce.example.net', dkimSelectors: ['mail2026'] }]);
  expect(titles).toContain('spf › bounce.example.net sending IPs pass');
  expect(titles).toContain('mx › bounce.example.net has a resolvable MX');
  expect(titles.filter((t) => t.startsWith('dkim › '))).toEqual(['dkim › mail2026._domainkey.example.org key is valid']);
});

test('senders replace MAILCANARY_DOMAINS and MAIL_FROM; without senders the shorthand stays', () => {
  const withShorthand = { ...env, MAILCANARY_DOMAINS: 'other.example', MAIL_FROM: 'x@third.example' };
  expect(postureConfigFromEnv(withShorthand, senders).domains).not.toContain('other.example');
  expect(postureConfigFromEnv(withShorthand).domains).toEqual(['other.example']);
  const noMailFrom = titlesOf(senders, env);
  expect(noMailFrom).toContain('spf › club.example sending IPs pass');
  // no senders file and no MAIL_FROM: the old error, naming the variable to set
  expect(() => postureConfigFromEnv(env)).toThrow(/MAILCANARY_DOMAINS is not set/);
});

test('bad sender data gives an error naming the sender and what to write', () => {
  expect(() => postureConfigFromEnv(env, [{ id: 'x', from: 'nobody' }])).toThrow(/sender "x": from "nobody" has no valid domain; write an address/);
  expect(() => postureConfigFromEnv(env, [{ id: 'y', from: 'a@b.example', envelopeFrom: 'bounce@' }])).toThrow(/sender "y": envelopeFrom/);
  expect(() => postureConfigFromEnv(env, [{ id: 'z', from: 'a@b.example', dkimSelectors: ['bad selector'] }])).toThrow(
    /sender "z": "bad selector" is not a DKIM selector/,
  );
  expect(() => postureConfigFromEnv(env, [])).toThrow(/lists no sender/);
});
