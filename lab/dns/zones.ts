/**
 * The lab's DNS content as data, per scenario. Rendering to zone-file text is in render.ts;
 * later checks (MTA-STS, TLS-RPT, BIMI, a DNSBL zone) add records here.
 */
import type { LabTopology } from '../topology.ts';
import type { Scenario } from '../scenarios.ts';
import type { LabKeys } from '../dkim.ts';
import { applyPosture, postureDns } from './posture-records.ts';
import { LAB_SPF, dmarcRecord, extraSenderZones, mainZoneExtras, publishedDkim } from './sender-domains.ts';

import type { Zone } from './types.ts';
export type { DnsRecord, RRType, Zone } from './types.ts';

export const NS_HOST = 'ns.canary.test';
/** TXT name (in the sending domain) that carries the active scenario's name */
export const SCENARIO_MARKER = '_lab-scenario';
/** the real zones of the reputation services; the lab's NSD is authoritative for them on loopback */
export const REPUTATION_ZONES = { senderScore: 'score.senderscore.com', mailspike: 'rep.mailspike.net' } as const;
/** ::1 as an ip6.arpa zone: the 31 leading zero nibbles; the record name is the last nibble `1` */
export const IP6_LOOPBACK_ZONE = `${Array(31).fill('0').join('.')}.ip6.arpa`;

export function labZones(topo: LabTopology, scenario: Scenario, keys: LabKeys): Zone[] {
  const d = topo.domain;
  const mailFqdn = `${topo.mailHost}.`;
  const dkim = publishedDkim(topo, scenario, keys);
  const mainDkim = dkim.find((k) => k.domain === d)!;
  const posture = postureDns(d, scenario.dns.posture);
  const base: Zone = {
    origin: d,
    records: [
      { name: 'ns', type: 'A', value: '127.0.0.1' },
      // the website of the sending domain (lab/services/web.ts): receivers like Telekom look for an imprint there
      { name: '@', type: 'A', value: '127.0.0.1' },
      { name: '@', type: 'AAAA', value: '::1' },
      { name: 'www', type: 'A', value: '127.0.0.1' },
      { name: 'www', type: 'AAAA', value: '::1' },
      { name: 'mail', type: 'A', value: '127.0.0.1' },
      { name: 'mail', type: 'AAAA', value: '::1' },
      { name: '@', type: 'MX', priority: 10, value: mailFqdn },
      { name: '@', type: 'TXT', value: LAB_SPF },
      { name: `${mainDkim.selector}._domainkey`, type: 'TXT', value: mainDkim.value },
      { name: '_dmarc', type: 'TXT', value: dmarcRecord(topo) },
      // the host name's SPF and DMARC (system mail) and the other domains' report authorisations
      ...mainZoneExtras(topo),
      // which scenario the zone data belongs to: setScenario waits until NSD serves it
      { name: SCENARIO_MARKER, type: 'TXT', value: scenario.name },
    ],
  };
  // MTA-STS, TLS-RPT, BIMI, and the scenario's posture mistake (SPF, DMARC, PTR, blocklists)
  const canary = applyPosture(base, posture);
  const providers: Zone[] = topo.providers.map((p) => ({
    origin: p.domain,
    records: [
      { name: '@', type: 'MX', priority: 10, value: `${p.mxHost}.` },
      { name: 'mx', type: 'A', value: '127.0.0.1' },
      ...(p.hasAAAA ? [{ name: 'mx', type: 'AAAA' as const, value: '::1' }] : []),
    ],
  }));
  // forward-confirmed reverse DNS for the sender (RFC 8601 §3 "iprev")
  const ptr4: Zone = { origin: '0.0.127.in-addr.arpa', records: [{ name: '1', type: 'PTR', value: mailFqdn }] };
  const ptr6: Zone = { origin: IP6_LOOPBACK_ZONE, records: posture.dropPtr6 ? [] : [{ name: '1', type: 'PTR', value: mailFqdn }] };
  // the `.test` TLD itself (RFC 6761 §6.2), empty: names outside the lab zones get NXDOMAIN as from a
  // real resolver instead of REFUSED (which checks like the DMARC tree walk would read as temperror)
  const tld: Zone = { origin: 'test', records: [] };
  // reputation services that answer over DNS, for the sending IPv4 address 127.0.0.1 (RFC 5782 §2.1
  // reversed octets): Return Path SenderScore answers 127.0.4.<score 0..100>, Mailspike's reputation
  // zone 127.0.0.<10 worst .. 20 excellent>
  const senderScore: Zone = { origin: REPUTATION_ZONES.senderScore, records: [{ name: '1.0.0.127', type: 'A', value: `127.0.4.${scenario.dns.senderScore}` }] };
  const mailspike: Zone = { origin: REPUTATION_ZONES.mailspike, records: [{ name: '1.0.0.127', type: 'A', value: scenario.dns.mailspike }] };
  return [tld, canary, ...extraSenderZones(topo, dkim), ...providers, ptr4, ptr6, senderScore, mailspike, ...posture.zones];
}
