/**
 * MX of a sending domain: bounces and DSNs for mail sent as the domain come
 * back to its MX (RFC 5321 section 5.1), and receivers reject senders whose domain cannot
 * receive mail (RFC 7505 section 4.2 for null MX; RFC 5321 section 3.6.2 bounce paths).
 */
import { isIP } from 'node:net';
import { lookup } from '../../shared/dns/resolver.ts';
import type { MxRecord } from '../../shared/dns/resolver.ts';
import { normalizeDomain } from '../../shared/dns/names.ts';
import type { CheckContext } from '../types.ts';
import { DNS_UNKNOWN_FIX, fail, pass, unknown, warnFix } from './outcome.ts';
import type { Outcome } from './outcome.ts';

export async function checkMx(domain: string, ctx: CheckContext): Promise<Outcome> {
  const d = normalizeDomain(domain);
  const mx = await lookup(ctx.resolver, d, 'MX');
  if (!mx.ok && !mx.none) return unknown(`MX ${d}: ${mx.error}`, DNS_UNKNOWN_FIX);
  if (!mx.ok) {
    const a = await lookup(ctx.resolver, d, 'A');
    if (!a.ok && !a.none) return unknown(`A ${d}: ${a.error}`, DNS_UNKNOWN_FIX);
    const fix = `Publish an MX record for ${d} naming a host that accepts mail for it, e.g. "${d}. MX 10 mail.${d}." with an A/AAAA record for mail.${d}.`;
    if (a.ok) {
      return {
        status: 'warn',
        summary: `${d} has no MX record; mail to it falls back to its A record ${a.records.join(', ')} (implicit MX, RFC 5321 section 5.1)`,
        fix,
        warnings: ['relying on implicit MX: many senders and filters treat a domain without MX as unable to receive bounces'],
        details: { implicitMx: a.records },
      };
    }
    return fail(`${d} has no MX record and no address: bounces and DSNs for ${d} cannot be delivered`, fix);
  }
  const records = [...mx.records].sort((x, y) => x.priority - y.priority);
  const hosts = records.map((r: MxRecord) => normalizeDomain(r.exchange));
  if (hosts.length === 1 && hosts[0] === '') {
    return fail(
      `${d} publishes a null MX ("MX 0 ."): it declares that it accepts no mail, so bounces cannot come back and receivers may reject mail from it (RFC 7505 section 4.2)`,
      `Replace the null MX of ${d} with a real MX (e.g. "MX 10 mail.${d}.") if you send mail as ${d}.`,
      { mx: records },
    );
  }
  const warnings: string[] = [];
  const resolved: Record<string, string[] | string> = {};
  const bad: string[] = [];
  let temp: string | undefined;
  await Promise.all(
    hosts.map(async (h) => {
      if (isIP(h)) {
        bad.push(h);
        resolved[h] = 'an IP address, not a host name';
        return;
      }
      const [a, aaaa, cname] = await Promise.all([lookup(ctx.resolver, h, 'A'), lookup(ctx.resolver, h, 'AAAA'), lookup(ctx.resolver, h, 'CNAME')]);
      const addrs = [...(a.ok ? a.records : []), ...(aaaa.ok ? aaaa.records : [])];
      if (cname.ok) warnings.push(`MX host ${h} is an alias (CNAME to ${cname.records[0]}); RFC 2181 section 10.3 forbids MX targets that are aliases`);
      if (addrs.length) resolved[h] = addrs;
      else {
        const t = [a, aaaa].find((r) => !r.ok && !r.none);
        if (t && !t.ok && !t.none) temp ??= `${h}: ${t.error}`;
        else {
          bad.push(h);
          resolved[h] = [];
        }
      }
    }),
  );
  const details = { mx: records.map((r) => ({ priority: r.priority, exchange: normalizeDomain(r.exchange) })), resolved };
  const good = hosts.filter((h) => Array.isArray(resolved[h]) && (resolved[h] as string[]).length > 0);
  if (good.length === 0) {
    if (temp) return unknown(`MX hosts of ${d} could not be resolved: ${temp}`, DNS_UNKNOWN_FIX, details);
    return fail(
      `no MX host of ${d} resolves (${bad.join(', ')}): bounces and DSNs for ${d} cannot be delivered`,
      `Publish A/AAAA records for ${bad.join(', ')}, or point the MX of ${d} at a host name that has them (an MX must name a host, not an IP address).`,
      details,
    );
  }
  if (bad.length) warnings.push(`MX host(s) ${bad.join(', ')} of ${d} do not resolve; senders retry them and delay delivery`);
  return warnFix(
    pass(`${d} MX: ${good.join(', ')} resolve${good.length === 1 ? 's' : ''}`, details, warnings),
    `Point every MX of ${d} at a host name (not an alias or IP) with A/AAAA records, and remove MX records for hosts that no longer exist.`,
  );
}
