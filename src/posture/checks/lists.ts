/**
 * Block- and allow-list checks and the suspicious TLD check.
 * One result per (list, target), so a refused list never hides what the others said.
 */
import { queryList } from '../lists/query.ts';
import type { DnsList } from '../lists/list-data.ts';
import { SUSPICIOUS_TLD_SOURCE, suspiciousTld } from '../../knowledge/tld-reputation.ts';
import type { CheckContext } from '../types.ts';
import { DNS_UNKNOWN_FIX, fail, pass, unknown } from './outcome.ts';
import type { Outcome } from './outcome.ts';

export async function checkList(list: DnsList, target: string, ctx: CheckContext): Promise<Outcome> {
  const a = await queryList(list, target, ctx.resolver);
  const details: Record<string, unknown> = { list: list.name, zone: list.zone, query: a.query, answers: a.answers, outcome: a.outcome, meanings: a.meanings };
  if (a.reason) details.reason = a.reason;
  if (a.dnswl) details.dnswl = a.dnswl;
  const refusedFix =
    list.refusedFix ??
    `${list.name} will not answer this resolver: set MAILCANARY_DNS_SERVERS to your own recursive resolver (not a public one such as 8.8.8.8 or 1.1.1.1).`;
  if (a.outcome === 'refused')
    return unknown(`unknown: use your own resolver. ${list.name} refused the query for ${target} (${a.meanings.join('; ')})`, refusedFix, details);
  if (a.outcome === 'unknown')
    return unknown(`${list.name} status of ${target} is unknown: ${a.error ?? a.meanings.join('; ')}`, a.error ? DNS_UNKNOWN_FIX : refusedFix, details);
  if (list.kind === 'allow') {
    if (a.outcome === 'listed') return pass(`${target} is on ${list.name}: ${a.meanings.join('; ')}`, details);
    return pass(`${target} is not on ${list.name} (optional; listing helps acceptance at receivers that use it)`, details);
  }
  if (a.outcome === 'listed') {
    return fail(
      `${target} is listed on ${list.name}: ${a.meanings.join('; ')}${a.reason ? ` (${a.reason})` : ''}`,
      `Find and stop the cause first (compromised account or web form, open relay, mail to purchased lists), then request delisting${list.lookupUrl ? ` at ${list.lookupUrl}` : ` from the operator of ${list.zone}`}.`,
      details,
    );
  }
  return pass(`${target} is not listed on ${list.name}`, details);
}

export async function checkTld(host: string): Promise<Outcome> {
  const hit = suspiciousTld(host);
  const details = { host, source: SUSPICIOUS_TLD_SOURCE };
  if (!hit) return pass(`${host}: TLD not among the badly ranked ones`, details);
  return {
    status: 'warn',
    summary: `${host} uses .${hit.tld}: ${hit.note}`,
    fix: `Send from, and link to, a domain under a TLD with a better reputation (e.g. your organisation's .com/.org/country domain); many filters score .${hit.tld} up.`,
    details: { ...details, tld: hit.tld },
    warnings: [`.${hit.tld} is ranked badly by abuse statistics (${SUSPICIOUS_TLD_SOURCE.source}, compiled ${SUSPICIOUS_TLD_SOURCE.compiled})`],
  };
}
