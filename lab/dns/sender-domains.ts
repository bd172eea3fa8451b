/**
 * DNS of the domains the user's server sends for, beyond canary.test: each its own zone with SPF,
 * its own DKIM key under its own selector, DMARC reporting to the one report mailbox of the server
 * (dmarc@canary.test, authorised by canary.test as RFC 7489 §7.1 requires), MTA-STS, TLS-RPT and
 * BIMI. Also the host name's own SPF and DMARC, which receivers apply to the server's system mail
 * (root@ and MAILER-DAEMON@mail.canary.test, and the HELO identity of RFC 7208 §2.3).
 */
import type { LabTopology, LabSenderDomain } from '../topology.ts';
import type { Scenario } from '../scenarios.ts';
import type { LabKeys } from '../dkim.ts';
import { dkimRecordValue } from '../dkim.ts';
import { postureDns } from './posture-records.ts';
import type { DnsRecord, Zone } from './types.ts';

/** RFC 7208: only the lab's sending addresses are authorised, everything else fails hard. */
export const LAB_SPF = 'v=spf1 ip4:127.0.0.1 ip6:::1 -all';

export interface PublishedDkim {
  domain: string;
  selector: string;
  /** `<selector>._domainkey.<domain>` */
  name: string;
  /** the key record the scenario publishes: the signing key, or the stale one (scenario.dns.dkimStale) */
  value: string;
}

/** The DKIM key record every sending domain publishes in this scenario. Pure. */
export function publishedDkim(topo: LabTopology, scenario: Scenario, keys: LabKeys): PublishedDkim[] {
  for (const d of scenario.dns.dkimStale) {
    if (!topo.senderDomains.some((s) => s.domain === d)) {
      throw new Error(
        `scenario ${scenario.name}: dkimStale names ${d}, which is not a lab sending domain (${topo.senderDomains.map((s) => s.domain).join(', ')})`,
      );
    }
  }
  return topo.senderDomains.map((s) => {
    const k = keys.byDomain[s.domain];
    if (!k) throw new Error(`no DKIM key pair for ${s.domain}: ensureKeys was called without it`);
    const key = scenario.dns.dkimStale.includes(s.domain) ? k.stale : k.signing;
    return { domain: s.domain, selector: s.selector, name: `${s.selector}._domainkey.${s.domain}`, value: dkimRecordValue(key) };
  });
}

/** The DMARC record of a sending domain; reports go to the server's one report mailbox. */
export function dmarcRecord(topo: LabTopology): string {
  return `v=DMARC1; p=quarantine; rua=mailto:dmarc@${topo.domain}; adkim=r; aspf=r`;
}

/** The zone of one further sending domain: the same server (MX, SPF) and its own key. Pure. */
export function senderDomainZone(topo: LabTopology, sender: LabSenderDomain, dkim: PublishedDkim): Zone {
  const records: DnsRecord[] = [
    { name: '@', type: 'MX', priority: 10, value: `${topo.mailHost}.` },
    { name: '@', type: 'TXT', value: LAB_SPF },
    { name: `${sender.selector}._domainkey`, type: 'TXT', value: dkim.value },
    { name: '_dmarc', type: 'TXT', value: dmarcRecord(topo) },
    // MTA-STS, TLS-RPT and BIMI as canary.test publishes them; posture mistakes stay canary.test's
    ...postureDns(sender.domain).add,
  ];
  return { origin: sender.domain, records };
}

/**
 * Records in canary.test's zone for the other sending domains and the host name: the external
 * report authorisations (`<domain>._report._dmarc`), and SPF and DMARC of `mail`.
 */
export function mainZoneExtras(topo: LabTopology): DnsRecord[] {
  const host = topo.mailHost.endsWith(`.${topo.domain}`) ? topo.mailHost.slice(0, -topo.domain.length - 1) : undefined;
  if (!host) throw new Error(`lab mail host ${topo.mailHost} must be inside ${topo.domain}`);
  return [
    ...topo.senderDomains.filter((s) => s.domain !== topo.domain).map((s) => ({ name: `${s.domain}._report._dmarc`, type: 'TXT' as const, value: 'v=DMARC1' })),
    { name: host, type: 'TXT', value: LAB_SPF },
    { name: `_dmarc.${host}`, type: 'TXT', value: dmarcRecord(topo) },
  ];
}

/** Zones of the sending domains other than canary.test. Pure. */
export function extraSenderZones(topo: LabTopology, published: PublishedDkim[]): Zone[] {
  return topo.senderDomains
    .filter((s) => s.domain !== topo.domain)
    .map((s) =>
      senderDomainZone(
        topo,
        s,
        published.find((p) => p.domain === s.domain)!,
      ),
    );
}
