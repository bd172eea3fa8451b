/**
 * SPF checks (RFC 7208): the record itself (one record, syntax, limits, `all`,
 * `ptr`) from the static walk, and the real evaluation of each sending IP through mailauth.
 */
import { isIP } from 'node:net';
import { normalizeDomain } from '../../shared/dns/names.ts';
import { walkSpf } from '../spf/walk.ts';
import type { SpfProblem } from '../spf/walk.ts';
import { evaluateSpf } from '../spf/evaluate.ts';
import type { SpfEvaluation } from '../spf/evaluate.ts';
import type { CheckContext } from '../types.ts';
import { DNS_UNKNOWN_FIX, fail, pass, unknown, warnFix } from './outcome.ts';
import type { Outcome } from './outcome.ts';

function ipTerms(ips: string[]): string {
  return ips.map((ip) => `${isIP(ip) === 6 ? 'ip6' : 'ip4'}:${ip}`).join(' ');
}

function fixFor(p: SpfProblem, domain: string, ips: string[], voidNames: string[]): string {
  const own = ips.length ? ipTerms(ips) : 'mx';
  switch (p.code) {
    case 'none':
      return `Publish one TXT record at ${domain}: "v=spf1 ${own} ~all" (list every server that sends as ${domain}).`;
    case 'multiple-records':
      return `Merge the SPF records of ${domain} into one TXT record starting with "v=spf1" and delete the others.`;
    case 'syntax':
      return `Correct the term named in the error (grammar: RFC 7208 section 12); a receiver that meets it returns permerror.`;
    case 'lookup-limit':
      return `Bring the DNS-querying terms down to 10: replace include/a/mx terms for your own servers with ip4:/ip6: ranges, and drop includes of services you no longer use.`;
    case 'void-limit':
      return `Remove the terms that point at names with no records (${voidNames.join(', ')}).`;
    case 'loop':
      return `Break the loop: an include or redirect must not lead back to a domain already on its path.`;
    case 'include-none':
    case 'redirect-none':
      return `Remove the term pointing at ${p.domain}, or publish an SPF record there.`;
    case 'plus-all':
    case 'neutral-all':
      return `End the SPF record of ${domain} with "~all" (or "-all" once DMARC reports show all your sources pass), after listing your senders (${own}).`;
    case 'include-plus-all':
      return `Remove include:${p.domain} (it authorises the whole Internet) or ask its operator to fix it.`;
    case 'mx-limit':
      return `Use ip4:/ip6: terms instead of "mx" for a domain with more than 10 MX hosts.`;
    case 'ptr':
      return `Replace "ptr" with ip4:/ip6: or "a" terms for the hosts it was meant to cover.`;
    case 'no-all':
      return `End the SPF record of ${domain} with "~all" or "-all".`;
    default:
      return `Review the SPF record of ${domain}.`;
  }
}

export async function checkSpfRecord(domain: string, ctx: CheckContext): Promise<Outcome> {
  const d = normalizeDomain(domain);
  const walk = await walkSpf(d, ctx.resolver);
  const details: Record<string, unknown> = {
    record: walk.root.record,
    lookups: walk.lookups,
    voidLookups: walk.voidLookups,
    voidNames: walk.voidNames,
    all: walk.all,
    tree: walk.root,
    problems: walk.problems,
  };
  const fails = walk.problems.filter((p) => p.level === 'fail');
  const warns = walk.problems.filter((p) => p.level === 'warn');
  const ips = ctx.config.sendingIps;
  if (fails.length) {
    return fail(
      fails.map((p) => p.message).join('; '),
      [...new Set(fails.map((p) => fixFor(p, d, ips, walk.voidNames)))].join(' '),
      details,
      warns.map((p) => p.message),
    );
  }
  if (walk.temperror) {
    return unknown(`the SPF tree of ${d} could not be read completely: ${walk.temperror}`, DNS_UNKNOWN_FIX, details);
  }
  return warnFix(
    pass(
      `one SPF record, ${walk.lookups}/10 DNS lookups, ${walk.voidLookups}/2 void lookups, ends in ${walk.all === undefined ? 'no all' : `${walk.all}all`}`,
      details,
      warns.map((p) => p.message),
    ),
    [...new Set(warns.filter((p) => p.code !== 'macro').map((p) => fixFor(p, d, ips, walk.voidNames)))].join(' ') || 'Review the warnings.',
  );
}

export async function checkSpfPass(domain: string, ctx: CheckContext): Promise<Outcome> {
  const d = normalizeDomain(domain);
  const helo = ctx.config.helo ? normalizeDomain(ctx.config.helo) : d;
  const evals: SpfEvaluation[] = await Promise.all(
    ctx.config.sendingIps.map((ip) => evaluateSpf(ip, `postmaster@${d}`, helo, ctx.resolver, { timeLimitMs: ctx.spfTimeLimitMs })),
  );
  const details = { evaluations: evals };
  const bad = evals.filter((e) => e.result !== 'pass' && e.result !== 'temperror');
  if (bad.length) {
    const summary = bad.map((e) => `${e.ip} → ${e.result}${e.reason ? ` (${e.reason})` : ''}`).join('; ');
    const missing = bad.filter((e) => ['fail', 'softfail', 'neutral'].includes(e.result)).map((e) => e.ip);
    const fixes: string[] = [];
    if (missing.length) fixes.push(`Add "${ipTerms(missing)}" to the SPF record of ${d}, before its "all".`);
    if (bad.some((e) => e.result === 'none')) fixes.push(`Publish an SPF record at ${d}: "v=spf1 ${ipTerms(ctx.config.sendingIps)} ~all".`);
    if (bad.some((e) => e.result === 'permerror'))
      fixes.push(`Fix the errors in the SPF record of ${d} (see the spf record check): receivers treat permerror like a failure under DMARC.`);
    return fail(`SPF for ${d}: ${summary}`, fixes.join(' '), details);
  }
  const temp = evals.find((e) => e.result === 'temperror');
  if (temp) return unknown(`SPF for ${d}: ${temp.ip} → temperror (${temp.reason ?? 'DNS error'})`, DNS_UNKNOWN_FIX, details);
  return pass(`SPF for ${d}: ${evals.map((e) => `${e.ip} → pass`).join(', ')}`, details);
}
