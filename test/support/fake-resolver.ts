/**
 * An in-memory zone behind the `Resolver` contract, for unit tests and the benchmark. It answers
 * like a recursive resolver would: NXDOMAIN (`ENOTFOUND`) for a name that does not exist,
 * NODATA (`ENODATA`) for an existing name without that type, CNAMEs followed for other types,
 * `*.` wildcards for names that do not exist (RFC 4592). Hooks simulate latency and failures.
 */
import { dnsError, RR_TYPES } from '../../src/shared/dns/resolver.ts';
import type { MxRecord, RecordTypes, Resolver, RRType } from '../../src/shared/dns/resolver.ts';

export interface FakeRecords {
  A?: string[];
  AAAA?: string[];
  MX?: MxRecord[];
  /** a string is one character-string; a string[] is a record split into several */
  TXT?: (string | string[])[];
  PTR?: string[];
  CNAME?: string;
  NS?: string[];
}

export type FakeZone = Record<string, FakeRecords>;

export interface FakeResolverHooks {
  /** simulated network latency per query, in ms */
  latencyMs?: number | ((name: string, rrtype: RRType) => number);
  /**
   * Return an error code (e.g. `ETIMEOUT`, `ESERVFAIL`, `EREFUSED`) to fail that query,
   * or `hang` for a resolver that never answers.
   */
  fail?: (name: string, rrtype: RRType) => string | undefined;
}

export interface FakeResolver extends Resolver {
  /** every question asked, in order */
  readonly queries: { name: string; rrtype: RRType }[];
}

const norm = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

export function fakeResolver(zone: FakeZone, hooks: FakeResolverHooks = {}): FakeResolver {
  const data = new Map<string, FakeRecords>();
  for (const [name, records] of Object.entries(zone)) {
    const key = norm(name);
    // merging lets fixtures build a zone from several spreads without losing record types
    data.set(key, { ...(data.get(key) ?? {}), ...records });
  }
  const queries: { name: string; rrtype: RRType }[] = [];

  const find = (name: string): FakeRecords | undefined => {
    const exact = data.get(name);
    if (exact) return exact;
    // an empty non-terminal exists (NODATA, not NXDOMAIN): RFC 8020
    for (const key of data.keys()) if (key.endsWith(`.${name}`)) return {};
    const labels = name.split('.');
    for (let i = 1; i < labels.length; i++) {
      const wild = data.get(`*.${labels.slice(i).join('.')}`);
      if (wild) return wild;
    }
    return undefined;
  };

  const answer = (name: string, rrtype: RRType, depth: number): unknown => {
    const records = find(name);
    if (!records) throw dnsError('ENOTFOUND', name, rrtype);
    if (rrtype === 'CNAME') {
      if (records.CNAME) return [records.CNAME];
      throw dnsError('ENODATA', name, rrtype);
    }
    if (records.CNAME) {
      if (depth > 8) throw dnsError('ESERVFAIL', name, rrtype);
      return answer(norm(records.CNAME), rrtype, depth + 1);
    }
    const list = records[rrtype];
    if (!list || list.length === 0) throw dnsError('ENODATA', name, rrtype);
    if (rrtype === 'TXT') return (list as (string | string[])[]).map((r) => (Array.isArray(r) ? [...r] : [r]));
    if (rrtype === 'MX') return (list as MxRecord[]).map((r) => ({ ...r }));
    return [...(list as string[])];
  };

  const resolver = (async <T extends RRType>(name: string, rrtype: T): Promise<RecordTypes[T]> => {
    if (!RR_TYPES.includes(rrtype)) throw new TypeError(`unsupported DNS record type ${String(rrtype)}`);
    const q = norm(String(name));
    queries.push({ name: q, rrtype });
    const latency = typeof hooks.latencyMs === 'function' ? hooks.latencyMs(q, rrtype) : (hooks.latencyMs ?? 0);
    const failure = hooks.fail?.(q, rrtype);
    if (failure === 'hang') return new Promise<RecordTypes[T]>(() => undefined);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if (failure) throw dnsError(failure, q, rrtype);
    return answer(q, rrtype, 0) as RecordTypes[T];
  }) as FakeResolver;
  Object.defineProperty(resolver, 'queries', { value: queries });
  return resolver;
}
