/**
 * Querying one DNS list for one target and telling its answers apart (RFC 5782):
 * listed, not listed, refused (the list will not answer this resolver) and unknown.
 */
import { isIP } from 'node:net';
import { joinTxt, lookup } from '../../shared/dns/resolver.ts';
import type { Resolver } from '../../shared/dns/resolver.ts';
import { normalizeDomain, reversedIp } from '../../shared/dns/names.ts';
import { DNSWL_CATEGORIES, DNSWL_TRUST } from './list-data.ts';
import type { DnsList, ListFamily } from './list-data.ts';

export type ListOutcome = 'listed' | 'not-listed' | 'refused' | 'unknown';

export interface ListAnswer {
  outcome: ListOutcome;
  query: string;
  answers: string[];
  /** what each answer means */
  meanings: string[];
  /** the list's TXT reason for a listing (hostile text, sanitised) */
  reason?: string;
  /** dnswl.org: decoded category and trust */
  dnswl?: { category: number; categoryName: string; trust: number; trustName: string }[];
  error?: string;
}

export function familyOf(target: string): ListFamily {
  const f = isIP(target.trim());
  return f === 4 ? 'ip4' : f === 6 ? 'ip6' : 'domain';
}

/** RFC 5782 sections 2.1, 2.4 and 3: reversed IPv4 octets, reversed IPv6 nibbles, or the domain. */
export function listQueryName(list: DnsList, target: string): string {
  const fam = familyOf(target);
  return fam === 'domain' ? `${normalizeDomain(target)}.${list.zone}` : `${reversedIp(target)}.${list.zone}`;
}

/** Pure: what a set of A answers from `list` means. */
export function decodeListAnswer(list: DnsList, answers: string[]): Omit<ListAnswer, 'query' | 'answers'> {
  if (answers.length === 0) return { outcome: 'not-listed', meanings: [] };
  const refused = answers.filter((a) => list.refused?.[a]);
  if (refused.length) return { outcome: 'refused', meanings: refused.map((a) => `${a}: ${list.refused?.[a]}`) };
  // RFC 5782 section 2.3: answers are in 127.0.0.0/8; anything else is a resolver rewriting
  // NXDOMAIN (ISP "search" pages) or a list that has been turned off by answering everything
  const foreign = answers.filter((a) => !/^127\.\d+\.\d+\.\d+$/.test(a));
  if (foreign.length) return { outcome: 'unknown', meanings: [`answer ${foreign.join(', ')} is outside 127.0.0.0/8: the resolver rewrites answers`] };
  if (list.decode === 'dnswl') {
    const dnswl = answers.map((a) => {
      const [, , c, t] = a.split('.').map(Number);
      return { category: c, categoryName: DNSWL_CATEGORIES[c] ?? `category ${c}`, trust: t, trustName: DNSWL_TRUST[t] ?? `trust ${t}` };
    });
    return { outcome: 'listed', meanings: dnswl.map((x) => `${x.categoryName}, trust ${x.trustName}`), dnswl };
  }
  return { outcome: 'listed', meanings: answers.map((a) => list.codes?.[a] ?? `listed (${a})`) };
}

export async function queryList(list: DnsList, target: string, resolver: Resolver): Promise<ListAnswer> {
  const query = listQueryName(list, target);
  const r = await lookup(resolver, query, 'A');
  if (!r.ok && r.none) return { outcome: 'not-listed', query, answers: [], meanings: [] };
  if (!r.ok) {
    // REFUSED from the list's servers: the list will not talk to this resolver (Barracuda without registration)
    if (r.code === 'EREFUSED') return { outcome: 'refused', query, answers: [], meanings: [`DNS answer REFUSED (${r.code})`], error: r.error };
    return { outcome: 'unknown', query, answers: [], meanings: [], error: r.error };
  }
  const answer: ListAnswer = { ...decodeListAnswer(list, r.records), query, answers: r.records };
  if (answer.outcome === 'listed' && list.kind === 'block') {
    try {
      const txt = await resolver(query, 'TXT');
      answer.reason = txt
        .map(joinTxt)
        .join(' | ')
        .replace(/[^\x20-\x7e]/g, '?')
        .slice(0, 300);
    } catch {
      // the reason is optional (RFC 5782 section 2.1); a missing TXT is no error
    }
  }
  return answer;
}
