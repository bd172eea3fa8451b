/**
 * Posture configuration from environment variables (takes the env object and a file reader,
 * returns data, throws one clear error naming the variable and the expected form).
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isValidDomain, normalizeDomain } from '../shared/dns/names.ts';
import { parseServer } from '../shared/dns/resolver.ts';
import { DEFAULT_LISTS, parseListSpec } from './lists/list-data.ts';
import type { DnsList } from './lists/list-data.ts';
import type { PostureConfig } from './types.ts';
import { addressDomain, postureConfigForSenders } from './senders.ts';
import type { PostureSender } from './senders.ts';

export type Env = Record<string, string | undefined>;

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export type ReadFile = (path: string) => string;
const readUtf8: ReadFile = (p) => readFileSync(p, 'utf8');

export function portNumber(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}: "${raw}" is not a TCP port; use a number 1..65535`);
  return n;
}

/** SMTP_TLS_CA_FILE: the PEM of a private CA (the lab's), trusted besides the system CAs by every HTTPS and TLS check. */
export function extraCaFromEnv(env: Env, readFile: ReadFile = readUtf8): string | undefined {
  const caFile = env.SMTP_TLS_CA_FILE?.trim();
  if (!caFile) return undefined;
  let pem: string;
  try {
    pem = readFile(caFile);
  } catch {
    throw new Error(`SMTP_TLS_CA_FILE: cannot read ${caFile}; point it at the PEM file of your private CA or unset it`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`SMTP_TLS_CA_FILE: ${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return pem;
}

const SELECTOR = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/i;

/** MAILCANARY_DOMAINS, else the domain of MAIL_FROM (the one-sender shorthand). */
function domainsFromEnv(env: Env): string[] {
  let domains = list(env.MAILCANARY_DOMAINS).map(normalizeDomain);
  if (domains.length === 0) {
    const d = addressDomain(env.MAIL_FROM ?? '');
    if (!d)
      throw new Error(
        'MAILCANARY_DOMAINS is not set and MAIL_FROM has no address to take the domain from: set MAILCANARY_DOMAINS=example.org (comma-separated for several sending domains)',
      );
    domains = [d];
  }
  for (const d of domains) {
    if (!isValidDomain(d)) throw new Error(`MAILCANARY_DOMAINS: "${d}" is not a domain name; write e.g. MAILCANARY_DOMAINS=example.org,news.example.org`);
  }
  return domains;
}

/**
 * The posture configuration. With `senders` (the senders file) the sending domains, their DKIM
 * selectors and the system host names come from the sender identities (MAILCANARY_DKIM_SELECTORS
 * then only serves senders that name no selector); without, from MAILCANARY_DOMAINS or MAIL_FROM.
 */
export function postureConfigFromEnv(env: Env, senders?: readonly PostureSender[], readFile: ReadFile = readUtf8): PostureConfig {
  const domains = senders ? [] : domainsFromEnv(env);
  const sendingIps = list(env.MAILCANARY_SENDING_IPS);
  for (const ip of sendingIps) {
    if (!isIP(ip)) throw new Error(`MAILCANARY_SENDING_IPS: "${ip}" is not an IPv4 or IPv6 address; write e.g. MAILCANARY_SENDING_IPS=192.0.2.25,2001:db8::25`);
  }
  const helo = env.MAILCANARY_HELO?.trim() || undefined;
  const dkimSelectors = list(env.MAILCANARY_DKIM_SELECTORS);
  for (const s of dkimSelectors) {
    if (!SELECTOR.test(s)) {
      throw new Error(
        `MAILCANARY_DKIM_SELECTORS: "${s}" is not a DKIM selector (letters, digits, "-", "_", dots); write e.g. MAILCANARY_DKIM_SELECTORS=mail2026,ed`,
      );
    }
  }
  const dnsServers = list(env.MAILCANARY_DNS_SERVERS).map((s) => {
    try {
      return parseServer(s);
    } catch (err) {
      throw new Error(`MAILCANARY_DNS_SERVERS: ${(err as Error).message}`, { cause: err });
    }
  });
  let lists: DnsList[] = DEFAULT_LISTS;
  if (env.MAILCANARY_BLOCKLISTS !== undefined && env.MAILCANARY_BLOCKLISTS.trim() !== '') {
    // replaces the default set: "none", or zones of default lists to keep
    const keep = list(env.MAILCANARY_BLOCKLISTS).map((z) => z.toLowerCase());
    if (!(keep.length === 1 && keep[0] === 'none')) {
      for (const z of keep) {
        if (!DEFAULT_LISTS.some((l) => l.zone === z))
          throw new Error(
            `MAILCANARY_BLOCKLISTS: "${z}" is not a built-in list (${DEFAULT_LISTS.map((l) => l.zone).join(', ')}); add other lists with MAILCANARY_BLOCKLISTS_EXTRA, or write "none"`,
          );
      }
    }
    lists = DEFAULT_LISTS.filter((l) => keep.includes(l.zone));
  }
  lists = [...lists, ...list(env.MAILCANARY_BLOCKLISTS_EXTRA).map((s) => parseListSpec(s))];
  const linkUrls = list(env.MAILCANARY_LINK_URL);
  for (const u of linkUrls) {
    let ok: boolean;
    try {
      ok = /^https?:$/.test(new URL(u).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new Error(`MAILCANARY_LINK_URL: "${u.slice(0, 100)}" is not an http(s) URL; write e.g. MAILCANARY_LINK_URL=https://example.org/newsletter`);
  }
  for (const sender of senders ?? []) {
    for (const sel of sender.dkimSelectors ?? []) {
      if (!SELECTOR.test(sel)) throw new Error(`sender ${JSON.stringify(sender.id)}: "${sel}" is not a DKIM selector (letters, digits, "-", "_", dots)`);
    }
  }
  // senders fetch policies from 443 (RFC 8461 section 3.3); another port serves the lab's HTTPS stand-in
  const mtaStsPort = env.MAILCANARY_MTA_STS_PORT?.trim() ? portNumber('MAILCANARY_MTA_STS_PORT', env.MAILCANARY_MTA_STS_PORT.trim()) : 443;
  const extraCa = extraCaFromEnv(env, readFile);
  const base: PostureConfig = {
    domains: [...new Set(domains)],
    sendingIps: [...new Set(sendingIps)],
    helo,
    dkimSelectors,
    dnsServers,
    lists,
    linkUrls,
    mtaStsPort,
    ...(extraCa ? { extraCa } : {}),
  };
  return senders ? postureConfigForSenders(base, senders) : base;
}
