/**
 * SPF evaluation (RFC 7208 check_host()) of one client IP, through mailauth and the injected
 * resolver. Usable on its own: `evaluateSpf(ip, mailFrom, helo, resolver)`.
 *
 * The evaluation follows RFC 7208 to the letter (mailauth's strict mode): a syntax error anywhere
 * in a record that is consulted is permerror (§4.6: bare `ip6`, `exp=` without a domain-spec,
 * `exp=` or `redirect=` twice (§6), `%` not followed by `{ % _ -` (§7.1), unknown mechanisms), and
 * a domain-spec is checked before macro expansion (§7.1), so an invalid HELO name expanded by
 * `%{h}` makes the mechanism not match instead of the record fail (§4.3, §2.3). `mode: 'lenient'`
 * gives mailauth's default instead, the behaviour of receivers that accept such records.
 */
import { spf } from 'mailauth/lib/spf/index.js';
import type { MxRecord, Resolver } from '../../shared/dns/resolver.ts';

/** The result names of RFC 7208 section 2.6. */
export type SpfResultName = 'none' | 'neutral' | 'pass' | 'fail' | 'softfail' | 'temperror' | 'permerror';

export interface SpfEvaluation {
  result: SpfResultName;
  ip: string;
  mailFrom: string;
  helo: string;
  /** the domain whose policy was evaluated */
  domain: string;
  /** why (mailauth's comment, without the MTA name) */
  reason?: string;
  /** the SPF record that gave the result */
  record?: string;
  /** DNS-querying terms and void lookups this evaluation used (mailauth's counters) */
  lookups?: { count: number; void: number; limit: number };
  /** the domain's `exp=` text for a fail: third-party text, shown sanitised and truncated */
  explanation?: string;
}

export interface EvaluateSpfOptions {
  /** overall time limit; past it the result is temperror (RFC 7208 section 4.6.4), default 20 s */
  timeLimitMs?: number;
  /** `rfc7208` (default): the letter of the RFC; `lenient`: mailauth's tolerant default */
  mode?: 'rfc7208' | 'lenient';
}

const RESULTS = new Set<SpfResultName>(['none', 'neutral', 'pass', 'fail', 'softfail', 'temperror', 'permerror']);

/** Keeps hostile DNS text printable and short. */
export function cleanText(s: unknown, max = 200): string {
  const t = String(s ?? '').replace(/[^\x20-\x7e]/g, '?');
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

const relative = (name: unknown): string => String(name).replace(/\.$/, '');

/**
 * The resolver with the names inside answers (PTR, CNAME targets, MX exchanges) written without
 * the trailing root dot, as node:dns writes them: "mx.example." and "mx.example" are one name
 * (RFC 1034 section 3.1), and mailauth checks a name before it queries it, rejecting the dotted
 * form, which would skip a PTR name or an MX host the policy lists.
 */
function withRelativeNames(resolver: Resolver): Resolver {
  const wrapped = async (name: string, rrtype: string): Promise<unknown> => {
    const answer = await (resolver as (n: string, t: string) => Promise<unknown>)(name, rrtype);
    if (!Array.isArray(answer)) return answer;
    if (rrtype === 'PTR' || rrtype === 'CNAME') return answer.map(relative);
    if (rrtype === 'MX') return (answer as MxRecord[]).map((mx) => ({ ...mx, exchange: relative(mx.exchange) }));
    return answer;
  };
  return wrapped as unknown as Resolver;
}

export async function evaluateSpf(ip: string, mailFrom: string, helo: string, resolver: Resolver, options: EvaluateSpfOptions = {}): Promise<SpfEvaluation> {
  const res = await spf({
    ip,
    sender: mailFrom,
    helo,
    // the MTA name only appears in mailauth's comments; never leak this host's name
    mta: 'mailcanary',
    resolver: withRelativeNames(resolver) as unknown as (name: string, rrtype: string) => Promise<string[][] | string[]>,
    maxElapsedTime: options.timeLimitMs ?? 20_000,
    strict: options.mode !== 'lenient',
  });
  const raw = String(res.status?.result ?? 'temperror') as SpfResultName;
  const result: SpfResultName = RESULTS.has(raw) ? raw : 'temperror';
  const r = res as unknown as {
    domain?: string;
    rr?: string;
    lookups?: { count: number; void: number; limit: number };
    explanation?: string;
  };
  const out: SpfEvaluation = {
    result,
    ip,
    mailFrom,
    helo,
    domain: r.domain ?? mailFrom.slice(mailFrom.lastIndexOf('@') + 1),
  };
  const comment = res.status?.comment;
  if (typeof comment === 'string') out.reason = cleanText(comment.replace(/^mailcanary: /, ''), 300);
  if (r.rr) out.record = cleanText(r.rr, 500);
  if (r.lookups) out.lookups = { count: r.lookups.count, void: r.lookups.void, limit: r.lookups.limit };
  if (r.explanation) out.explanation = cleanText(r.explanation);
  return out;
}
