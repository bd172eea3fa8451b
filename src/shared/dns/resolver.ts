/**
 * The DNS resolver contract of the posture checks, and the real implementation on top of
 * `node:dns/promises`. Every check takes a `Resolver` so the same code runs against the user's
 * recursive resolver, the lab's NSD, and in-memory zones in unit tests.
 *
 * Error semantics follow node:dns, because mailauth (SPF, DMARC, MTA-STS) relies on them:
 *   - `ENOTFOUND` (NXDOMAIN) and `ENODATA` (NODATA): no record, a protocol outcome;
 *   - `ETIMEOUT`, `ESERVFAIL`, `ECONNREFUSED`, `EREFUSED`, ...: temporary, the answer is unknown.
 */
import { Resolver as NodeResolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isProgrammingError } from '../internal-error.ts';
import { withTimeout } from '../timeout.ts';

export interface MxRecord {
  exchange: string;
  priority: number;
}

/** What each query type answers with (the shapes of node:dns `resolve*`). */
export interface RecordTypes {
  A: string[];
  AAAA: string[];
  MX: MxRecord[];
  /** each record is a list of character-strings (RFC 1035 section 3.3.14), join them to read it */
  TXT: string[][];
  PTR: string[];
  CNAME: string[];
  NS: string[];
}

export type RRType = keyof RecordTypes;

export type Resolver = <T extends RRType>(name: string, rrtype: T) => Promise<RecordTypes[T]>;

export const RR_TYPES: readonly RRType[] = ['A', 'AAAA', 'MX', 'TXT', 'PTR', 'CNAME', 'NS'];

/** An Error with a node:dns style `code`. */
export interface DnsError extends Error {
  code: string;
  hostname?: string;
}

export function dnsError(code: string, name: string, rrtype?: string): DnsError {
  const err = new Error(`${rrtype ? rrtype + ' ' : ''}query for ${name} failed: ${code}`) as DnsError;
  err.code = code;
  err.hostname = name;
  return err;
}

function codeOf(err: unknown): string | undefined {
  return err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : undefined;
}

/** NXDOMAIN or NODATA: the name has no record of that type. */
export function isNoRecord(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

/** Short text for reports: `timeout`, `ESERVFAIL`, ... (never the resolver's address). */
export function describeDnsError(err: unknown): string {
  const code = codeOf(err);
  if (code === 'ETIMEOUT') return 'DNS timeout';
  if (code === 'ENOTFOUND') return 'NXDOMAIN';
  if (code === 'ENODATA') return 'no record';
  if (code) return `DNS error ${code}`;
  return `DNS error: ${err instanceof Error ? err.message : String(err)}`;
}

/** Outcome of a query as data: records, no record, or a temporary failure. */
export type Lookup<T> = { ok: true; records: T } | { ok: false; none: true; code: string } | { ok: false; none: false; code: string; error: string };

export async function lookup<T extends RRType>(resolver: Resolver, name: string, rrtype: T): Promise<Lookup<RecordTypes[T]>> {
  try {
    const records = await resolver(name, rrtype);
    if (!records || (Array.isArray(records) && records.length === 0)) return { ok: false, none: true, code: 'ENODATA' };
    return { ok: true, records };
  } catch (err) {
    if (isNoRecord(err)) return { ok: false, none: true, code: codeOf(err) ?? 'ENODATA' };
    // an answer that did not come is a DNS error with a node:dns code; a TypeError from the
    // resolver code is a bug and must surface as the check's `error`, not as "DNS did not answer"
    if (isProgrammingError(err)) throw err;
    return { ok: false, none: false, code: codeOf(err) ?? 'EUNKNOWN', error: describeDnsError(err) };
  }
}

/** A TXT record as one string (RFC 7208 section 3.3: character-strings are concatenated without spaces). */
export function joinTxt(record: string[] | string): string {
  return Array.isArray(record) ? record.join('') : String(record);
}

export interface CreateResolverOptions {
  /** `ip`, `ip:port`, `[v6]:port`; default: the system resolver configuration */
  servers?: string[];
  /** per-attempt timeout (node:dns `timeout`), default 2000 ms */
  timeoutMs?: number;
  /** attempts per query (node:dns `tries`), default 2 */
  tries?: number;
}

/** Validates one `ip[:port]` server entry; throws a clear error for bad configuration. */
export function parseServer(entry: string): string {
  const s = entry.trim();
  let host = s;
  let port: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    host = v6[1];
    port = v6[2];
  } else if (/^[^:]+:\d+$/.test(s)) {
    [host, port] = s.split(':');
  }
  if (!isIP(host)) {
    throw new Error(`DNS server "${s}" is not an IP address: use ip, ip:port or [ipv6]:port (e.g. 127.0.0.1:5353)`);
  }
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    throw new Error(`DNS server "${s}" has an invalid port: use a port between 1 and 65535`);
  }
  return s;
}

/**
 * A resolver on node:dns/promises. With `servers` it talks to exactly those (e.g. the lab NSD on
 * 127.0.0.1:5353 or the user's own recursive resolver); public resolvers are refused by several
 * blocklists, which is why this is configurable.
 */
export function createResolver(options: CreateResolverOptions = {}): Resolver {
  const r = new NodeResolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 });
  if (options.servers && options.servers.length) r.setServers(options.servers.map(parseServer));
  const resolve = async (name: string, rrtype: RRType): Promise<unknown> => {
    switch (rrtype) {
      case 'A':
        return r.resolve4(name);
      case 'AAAA':
        return r.resolve6(name);
      case 'MX':
        // same shape as the contract (some Node versions add a `type` field)
        return (await r.resolveMx(name)).map((m) => ({ exchange: m.exchange, priority: m.priority }));
      case 'TXT':
        return r.resolveTxt(name);
      case 'PTR':
        return r.resolvePtr(name);
      case 'CNAME':
        return r.resolveCname(name);
      case 'NS':
        return r.resolveNs(name);
      default:
        throw new TypeError(`unsupported DNS record type ${String(rrtype)}: use one of ${RR_TYPES.join(', ')}`);
    }
  };
  return resolve as Resolver;
}

/**
 * Bounds every query: a resolver that never answers yields `ETIMEOUT` after `timeoutMs`, so a
 * check reports temperror/unknown instead of hanging the suite.
 */
export function resolverWithTimeout(resolver: Resolver, timeoutMs: number): Resolver {
  return <T extends RRType>(name: string, rrtype: T): Promise<RecordTypes[T]> =>
    withTimeout(
      Promise.resolve().then(() => resolver(name, rrtype)),
      timeoutMs,
      () => dnsError('ETIMEOUT', name, rrtype),
    );
}

/**
 * One answer per question for a whole posture run (checks share names: MX hosts, SPF includes).
 * Callers get copies, so nobody mutates a shared answer (mailauth sorts MX lists in place).
 */
export function cachingResolver(resolver: Resolver): Resolver & { size(): number } {
  const answers = new Map<string, Promise<unknown>>();
  const wrapped = (<T extends RRType>(name: string, rrtype: T): Promise<RecordTypes[T]> => {
    const key = `${rrtype} ${name.toLowerCase().replace(/\.$/, '')}`;
    let answer = answers.get(key);
    if (!answer) {
      answer = Promise.resolve().then(() => resolver(name, rrtype));
      answer.catch(() => undefined);
      answers.set(key, answer);
    }
    return answer.then((v) =>
      Array.isArray(v) ? (v.map((x) => (Array.isArray(x) ? [...x] : typeof x === 'object' ? { ...x } : x)) as RecordTypes[T]) : (v as RecordTypes[T]),
    );
  }) as Resolver & { size(): number };
  wrapped.size = () => answers.size;
  return wrapped;
}
