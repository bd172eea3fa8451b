/**
 * Link domains against the domain lists receivers query (Spamhaus DBL, SURBL, URIBL, the user's
 * own through MAILCANARY_BLOCKLISTS_EXTRA), through the configured resolver: the lists refuse big
 * public resolvers, so "refused" is unknown, not clean.
 */
import { getDomain } from 'tldts';
import { queryList, type DnsList } from '../posture/index.ts';
import type { Resolver } from '../shared/dns/resolver.ts';
import type { ContentCheck } from './types.ts';

/** The host and its registrable domain: the lists list either. */
function targets(host: string): string[] {
  const reg = getDomain(host, { allowPrivateDomains: false }) ?? host;
  return [...new Set([host, reg])];
}

export async function checkLinkLists(variant: string, hosts: string[], lists: DnsList[], resolver: Resolver): Promise<ContentCheck> {
  const title = `${variant} › link domains on no domain blocklist`;
  const domainLists = lists.filter((l) => l.covers.includes('domain') && l.kind === 'block');
  const base = { id: 'link-lists', title, target: variant };
  if (!hosts.length) return { ...base, status: 'pass', summary: 'no links' };
  if (!domainLists.length)
    return {
      ...base,
      status: 'unknown',
      summary: 'no domain list configured',
      fix: 'keep the built-in lists (MAILCANARY_BLOCKLISTS) or add yours with MAILCANARY_BLOCKLISTS_EXTRA=zone:domain',
    };
  const answers = await Promise.all(hosts.flatMap((h) => targets(h)).flatMap((t) => domainLists.map((l) => queryList(l, t, resolver))));
  const listed = answers.filter((a) => a.outcome === 'listed');
  const silent = answers.filter((a) => a.outcome === 'refused' || a.outcome === 'unknown');
  const details = { hosts, answers: answers.map((a) => ({ query: a.query, outcome: a.outcome, answers: a.answers })) };
  if (listed.length) {
    return {
      ...base,
      status: 'fail',
      summary: `listed: ${listed.map((a) => `${a.query} → ${a.answers.join(',')}${a.meanings.length ? ` (${a.meanings.join(', ')})` : ''}`).join('; ')}`,
      fix: 'link only domains with a clean reputation; ask the list for removal once the domain is clean',
      details,
    };
  }
  if (silent.length === answers.length)
    return {
      ...base,
      status: 'unknown',
      summary: `no domain list answered (${silent[0].outcome})`,
      fix: 'point MAILCANARY_DNS_SERVERS at your own recursive resolver: the lists refuse big public resolvers',
      details,
    };
  return { ...base, status: 'pass', summary: `${hosts.join(', ')} on none of ${domainLists.map((l) => l.zone).join(', ')}`, details };
}
