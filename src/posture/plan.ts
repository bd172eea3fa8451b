/**
 * The (check, target) pairs of a configuration, computed synchronously so Playwright can create
 * one test per pair at collection time, before any DNS query.
 */
import { isIP } from 'node:net';
import { normalizeDomain } from '../shared/dns/names.ts';
import { familyOf } from './lists/query.ts';
import { hostOf } from '../knowledge/tld-reputation.ts';
import type { PostureConfig } from './types.ts';

export interface PlannedCheck {
  id: string;
  target: string;
  title: string;
  /** what the runner needs to run it (JSON) */
  params: Record<string, string>;
}

/** Hosts of the configured link URLs that are not sending domains already. */
function linkHosts(config: PostureConfig): string[] {
  return [...new Set(config.linkUrls.map(hostOf).filter((h) => h && !isIP(h)))];
}

export function planPostureChecks(config: PostureConfig): PlannedCheck[] {
  const out: PlannedCheck[] = [];
  const add = (id: string, target: string, title: string, params: Record<string, string> = {}): void => {
    if (!out.some((p) => p.title === title)) out.push({ id, target, title: `${id.replace(/-record$/, '')} › ${title}`, params });
  };
  for (const ip of config.sendingIps) add('rdns', ip, `${ip} has forward-confirmed reverse DNS`, { ip });
  if (config.helo) add('helo', normalizeDomain(config.helo), `${normalizeDomain(config.helo)} resolves`, { helo: config.helo });
  const spfChecks = (d: string): void => {
    add('spf-record', d, `${d} record is valid and within limits`, { domain: d });
    if (config.sendingIps.length) add('spf', d, `${d} sending IPs pass`, { domain: d });
  };
  for (const d of config.domains) {
    add('mx', d, `${d} has a resolvable MX`, { domain: d });
    spfChecks(d);
    const selectors = config.domainSelectors?.[d] ?? config.dkimSelectors;
    for (const s of selectors) add('dkim', `${s}._domainkey.${d}`, `${s}._domainkey.${d} key is valid`, { selector: s, domain: d });
    add('dmarc', d, `${d} policy is valid`, { domain: d });
    add('mta-sts', d, `${d} policy`, { domain: d });
    add('tls-rpt', d, `${d} reporting record`, { domain: d });
    add('bimi', d, `${d} record`, { domain: d });
  }
  // system mail is judged by the host name's own SPF (RFC 7208 §2.3: also the HELO identity) and
  // DMARC (RFC 7489 §6.6.3: its own record, else the organizational domain's)
  for (const h of config.systemHosts ?? []) {
    spfChecks(h);
    add('dmarc', h, `${h} policy is valid`, { domain: h });
  }
  const names = [...new Set([...config.domains, ...linkHosts(config)])];
  for (const list of config.lists) {
    const id = list.kind === 'allow' ? 'allowlist' : 'blocklist';
    // each target only against lists that cover its family (IPv6 senders are not on IPv4-only lists)
    for (const t of [...config.sendingIps, ...names]) {
      if (!list.covers.includes(familyOf(t))) continue;
      add(id, `${t} @ ${list.zone}`, list.kind === 'allow' ? `${t} on ${list.zone}` : `${t} not listed on ${list.zone}`, { zone: list.zone, target: t });
    }
  }
  for (const h of names) add('tld', h, `${h} TLD reputation`, { host: h });
  return out;
}
