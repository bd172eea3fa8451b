/**
 * Every source IP that aggregate reports saw sending as the domain, classified:
 * - `own`: one of the user's servers: a configured sending IP (MAILCANARY_SENDING_IPS) or an
 *   IP the receivers saw mailcanary's own test mail come from (the sending paths);
 * - `forwarder`: a known forwarder or mailing list, by forward-confirmed reverse DNS (the PTR
 *   name must resolve back to the IP, RFC 8601 §3 `iprev`; a PTR alone is the sender's claim);
 * - `unknown`: anything else.
 * An unknown source whose mail passes DMARC is the most urgent finding (it holds the domain's
 * DKIM key or sits in its SPF record: a leaked account or a forgotten service); an unknown one
 * that fails is spoofing, which the DMARC policy is there to stop. Pure apart from the injected
 * resolver; DNS trouble leaves a source `unknown` with the reason, never an exception.
 */
import type { Resolver } from '../shared/dns/resolver.ts';
import { describeDnsError, isNoRecord } from '../shared/dns/resolver.ts';
import { ptrName, sameIp } from '../shared/dns/names.ts';
import { forwarderFor } from './forwarders.ts';
import type { AggregateReport } from './types.ts';

export type SourceClass = 'own' | 'forwarder' | 'unknown';
export type SourceFinding = 'unknown-passing' | 'spoofing';

export interface SourceRow {
  ip: string;
  class: SourceClass;
  /** why: `configured sending IP`, `seen in test mail`, the forwarder's name */
  why: string | null;
  /** forward-confirmed PTR name, when there is one */
  ptr: string | null;
  /** the reverse lookup failed (timeout, SERVFAIL): the class may be wrong */
  dnsError: string | null;
  messages: number;
  /** messages whose DMARC-evaluated DKIM or SPF passed (RFC 7489 §6.6.2) */
  dmarcPass: number;
  dmarcFail: number;
  reporters: string[];
  finding: SourceFinding | null;
}

export interface SourceOptions {
  ownIps: readonly string[];
  /** IPs the receivers saw the test mail come from */
  testIps?: readonly string[];
  resolver: Resolver;
  /** reverse lookups at most (the sources with the most messages first); the rest stay unknown */
  maxLookups?: number;
  concurrency?: number;
}

/** The forward-confirmed PTR name of an IP, or why there is none. */
export async function confirmedPtr(ip: string, resolver: Resolver): Promise<{ ptr: string | null; error: string | null }> {
  let names: string[];
  try {
    names = await resolver(ptrName(ip), 'PTR');
  } catch (err) {
    return { ptr: null, error: isNoRecord(err) ? null : describeDnsError(err) };
  }
  for (const name of names.slice(0, 5)) {
    try {
      const addrs = await resolver(name, ip.includes(':') ? 'AAAA' : 'A');
      if (addrs.some((a) => sameIp(a, ip))) return { ptr: name.replace(/\.$/, '').toLowerCase(), error: null };
    } catch (err) {
      if (!isNoRecord(err)) return { ptr: null, error: describeDnsError(err) };
    }
  }
  return { ptr: null, error: null };
}

export async function classifySources(reports: readonly AggregateReport[], opts: SourceOptions): Promise<SourceRow[]> {
  const rows = new Map<string, SourceRow>();
  for (const rep of reports) {
    const reporter = rep.orgName ?? rep.orgEmail ?? '?';
    for (const r of rep.records) {
      let row = rows.get(r.sourceIp);
      if (!row)
        rows.set(
          r.sourceIp,
          (row = {
            ip: r.sourceIp,
            class: 'unknown',
            why: null,
            ptr: null,
            dnsError: null,
            messages: 0,
            dmarcPass: 0,
            dmarcFail: 0,
            reporters: [],
            finding: null,
          }),
        );
      row.messages += r.count;
      if (r.dkim === 'pass' || r.spf === 'pass') row.dmarcPass += r.count;
      else row.dmarcFail += r.count;
      if (!row.reporters.includes(reporter)) row.reporters.push(reporter);
    }
  }
  const toLook: SourceRow[] = [];
  for (const row of rows.values()) {
    if (opts.ownIps.some((ip) => sameIp(ip, row.ip))) Object.assign(row, { class: 'own', why: 'configured sending IP' });
    else if (opts.testIps?.some((ip) => sameIp(ip, row.ip))) Object.assign(row, { class: 'own', why: 'seen in test mail' });
    else toLook.push(row);
  }
  toLook.sort((a, b) => b.messages - a.messages);
  const limit = opts.maxLookups ?? 500;
  let next = 0;
  const worker = async () => {
    while (next < Math.min(limit, toLook.length)) {
      const row = toLook[next++];
      const { ptr, error } = await confirmedPtr(row.ip, opts.resolver);
      row.ptr = ptr;
      row.dnsError = error;
      const f = ptr ? forwarderFor(ptr) : undefined;
      if (f) Object.assign(row, { class: 'forwarder', why: f.name });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  for (const row of toLook.slice(limit)) row.dnsError = `not looked up (more than ${limit} unknown sources)`;
  for (const row of rows.values()) {
    if (row.class !== 'unknown') continue;
    row.finding = row.dmarcPass > 0 ? 'unknown-passing' : 'spoofing';
  }
  const rank = (r: SourceRow) => (r.finding === 'unknown-passing' ? 0 : r.finding === 'spoofing' ? 1 : 2);
  return [...rows.values()].sort((a, b) => rank(a) - rank(b) || b.messages - a.messages || a.ip.localeCompare(b.ip));
}
