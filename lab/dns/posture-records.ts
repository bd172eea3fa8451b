/**
 * DNS records the DNS posture suite (suites/dns.spec.ts) looks at, and the scenarios that break
 * them one at a time. Kept apart from zones.ts so the posture checks' fixtures are in one place.
 */
import type { DnsRecord, Zone } from './types.ts';

/** Names of the posture-breaking DNS variants a scenario can select (scenario.dns.posture). */
import type { PostureBreak } from './types.ts';
export type { PostureBreak } from './types.ts';

/** The lab's own block- and domain-lists (RFC 5782), queried like Spamhaus ZEN and DBL. */
export const LAB_LISTS = { ip: 'bl.lab.test', domain: 'dbl.lab.test' } as const;

/**
 * A spammer's domain the lab's domain list always lists (127.0.1.2: "spam domain" in Spamhaus
 * DBL's return codes). The `spammy` message variant links to it; rspamd reports it as DBL_SPAM.
 */
export const LISTED_SPAM_DOMAIN = 'prize-claims.test';

export interface PostureDns {
  /** replaces records of the sending domain's zone (by name and type) */
  replace: DnsRecord[];
  /** removed from the sending domain's zone (by name and type) */
  remove: Array<Pick<DnsRecord, 'name' | 'type'>>;
  /** extra records for the sending domain's zone */
  add: DnsRecord[];
  /** extra zones (lists) */
  zones: Zone[];
  /** drop the IPv6 PTR */
  dropPtr6: boolean;
}

/** ::1 as a DNSBL query name: its 32 nibbles reversed (RFC 5782 §2.4). */
const LOOPBACK6_NIBBLES = ['1', ...Array(31).fill('0')].join('.');

export function postureDns(domain: string, which?: PostureBreak): PostureDns {
  // RFC 8461 §3.1 (MTA-STS), RFC 8460 §3 (TLS-RPT), BIMI draft §4.
  const add: DnsRecord[] = [
    { name: '_mta-sts', type: 'TXT', value: 'v=STSv1; id=2026112701' },
    { name: 'mta-sts', type: 'A', value: '127.0.0.1' },
    { name: '_smtp._tls', type: 'TXT', value: `v=TLSRPTv1; rua=mailto:tls-reports@${domain}` },
    { name: 'default._bimi', type: 'TXT', value: `v=BIMI1; l=https://${domain}/bimi/logo.svg;` },
  ];
  const out: PostureDns = {
    replace: [],
    remove: [],
    add,
    zones: [
      { origin: LAB_LISTS.ip, records: [{ name: '@', type: 'TXT', value: 'mailcanary lab blocklist' }] },
      {
        origin: LAB_LISTS.domain,
        records: [
          { name: '@', type: 'TXT', value: 'mailcanary lab domain blocklist' },
          { name: LISTED_SPAM_DOMAIN, type: 'A', value: '127.0.1.2' },
          { name: LISTED_SPAM_DOMAIN, type: 'TXT', value: 'Listed in the mailcanary lab domain blocklist: spam domain (lab)' },
        ],
      },
    ],
    dropPtr6: false,
  };
  switch (which) {
    case 'spf-missing-ip':
      // the server moved to a new address and SPF was not updated: 127.0.0.1 and ::1 are no longer listed
      out.replace.push({ name: '@', type: 'TXT', value: 'v=spf1 ip4:127.0.0.2 -all' });
      break;
    case 'spf-too-many-lookups': {
      // RFC 7208 §4.6.4: more than 10 DNS-querying terms is a permerror
      const includes = Array.from({ length: 11 }, (_, i) => `include:s${i}._spf.${domain}`);
      out.replace.push({ name: '@', type: 'TXT', value: `v=spf1 ip4:127.0.0.1 ip6:::1 ${includes.join(' ')} -all` });
      for (let i = 0; i < 11; i++) out.add.push({ name: `s${i}._spf`, type: 'TXT', value: 'v=spf1 -all' });
      break;
    }
    case 'dmarc-missing':
      out.remove.push({ name: '_dmarc', type: 'TXT' });
      break;
    case 'ipv6-ptr-missing':
      out.dropPtr6 = true;
      break;
    case 'ip-listed':
      out.zones[0].records.push(
        { name: '1.0.0.127', type: 'A', value: '127.0.0.2' },
        { name: '1.0.0.127', type: 'TXT', value: 'Listed in the mailcanary lab blocklist: spam trap hits (lab)' },
        { name: LOOPBACK6_NIBBLES, type: 'A', value: '127.0.0.2' },
      );
      break;
  }
  return out;
}

/** Applies the posture records to the sending domain's zone. Pure. */
export function applyPosture(zone: Zone, p: PostureDns): Zone {
  const key = (r: Pick<DnsRecord, 'name' | 'type'>) => `${r.name}\u0000${r.type}`;
  const drop = new Set([...p.remove, ...p.replace].map(key));
  return { origin: zone.origin, records: [...zone.records.filter((r) => !drop.has(key(r))), ...p.replace, ...p.add] };
}
