/**
 * DNS lookups the server checks share: the MX hosts of a domain and their addresses, and
 * forward-confirmed reverse DNS of an address (FCrDNS, RFC 8601 §3 "iprev"). Outcomes are data.
 */
import { isIP } from 'node:net';
import { lookup } from '../shared/dns/resolver.ts';
import type { Resolver } from '../shared/dns/resolver.ts';
import { normalizeDomain, ptrName, sameIp } from '../shared/dns/names.ts';

export interface HostAddresses {
  host: string;
  addresses: string[];
  /** DNS errors other than "no record", per type */
  errors: string[];
}

export interface MxTargets {
  domain: string;
  /** by preference; the domain itself when it has no MX (RFC 5321 §5.1 implicit MX) */
  hosts: HostAddresses[];
  implicit: boolean;
  /** the domain publishes a null MX (RFC 7505): it receives no mail */
  nullMx: boolean;
  error?: string;
}

export async function hostAddresses(resolver: Resolver, host: string): Promise<HostAddresses> {
  if (isIP(host)) return { host, addresses: [host], errors: [] };
  const [a, aaaa] = await Promise.all([lookup(resolver, host, 'A'), lookup(resolver, host, 'AAAA')]);
  const errors = [a, aaaa].flatMap((r) => (!r.ok && !r.none ? [r.error] : []));
  return { host, addresses: [...(a.ok ? a.records : []), ...(aaaa.ok ? aaaa.records : [])], errors };
}

export async function mxTargets(resolver: Resolver, domain: string): Promise<MxTargets> {
  const mx = await lookup(resolver, domain, 'MX');
  if (!mx.ok && !mx.none) return { domain, hosts: [], implicit: false, nullMx: false, error: mx.error };
  if (mx.ok) {
    const sorted = [...mx.records].sort((x, y) => x.priority - y.priority);
    if (sorted.length === 1 && normalizeDomain(sorted[0].exchange) === '') return { domain, hosts: [], implicit: false, nullMx: true };
    const names = [...new Set(sorted.map((m) => normalizeDomain(m.exchange)).filter(Boolean))];
    return { domain, hosts: await Promise.all(names.map((h) => hostAddresses(resolver, h))), implicit: false, nullMx: false };
  }
  return { domain, hosts: [await hostAddresses(resolver, domain)], implicit: true, nullMx: false };
}

export interface Fcrdns {
  ip: string;
  ptr: string[];
  /** PTR names whose A/AAAA include the address */
  confirmed: string[];
  error?: string;
}

export async function fcrdns(resolver: Resolver, ip: string): Promise<Fcrdns> {
  const r = await lookup(resolver, ptrName(ip), 'PTR');
  if (!r.ok) return { ip, ptr: [], confirmed: [], ...(r.none ? {} : { error: r.error }) };
  const ptr = [...new Set(r.records.map(normalizeDomain))];
  const confirmed: string[] = [];
  for (const name of ptr) {
    const back = await hostAddresses(resolver, name);
    if (back.addresses.some((a) => sameIp(a, ip))) confirmed.push(name);
  }
  return { ip, ptr, confirmed };
}
