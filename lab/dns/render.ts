/** Zone data → RFC 1035 master-file text (§5), as NSD reads it. Pure. */
import type { DnsRecord, Zone } from './zones.ts';
import { NS_HOST } from './zones.ts';

/** Splits TXT data into quoted <character-string>s of at most 255 bytes (RFC 1035 §3.3.14, RFC 6376 §3.6.2.2). */
export function txtStrings(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw new Error(`TXT value must be printable ASCII (got ${JSON.stringify(value.slice(0, 60))}): encode it first`);
  }
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += 255) parts.push(value.slice(i, i + 255));
  if (parts.length === 0) parts.push('');
  // chunks are cut on the unescaped text: the 255-byte limit applies to the wire form, not the quoting
  const quoted = parts.map((p) => `"${p.replace(/[\\"]/g, (c) => `\\${c}`)}"`);
  return quoted.length === 1 ? quoted[0] : `( ${quoted.join('\n\t\t')} )`;
}

function rdata(r: DnsRecord): string {
  switch (r.type) {
    case 'MX':
      return `${r.priority ?? 10} ${r.value}`;
    case 'TXT':
      return txtStrings(r.value);
    default:
      return r.value;
  }
}

export function renderZone(zone: Zone, serial: number, defaultTtl = 5): string {
  const lines = [
    `; mailcanary lab zone (simulated, loopback only) — generated, do not edit`,
    `$ORIGIN ${zone.origin}.`,
    `$TTL ${defaultTtl}`,
    `@\tIN SOA ${NS_HOST}. hostmaster.canary.test. ( ${serial} 60 30 600 5 )`,
    `@\tIN NS ${NS_HOST}.`,
  ];
  for (const r of zone.records) {
    lines.push(`${r.name}\t${r.ttl ?? defaultTtl}\tIN ${r.type}\t${rdata(r)}`);
  }
  return lines.join('\n') + '\n';
}
