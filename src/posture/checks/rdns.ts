/**
 * Reverse DNS of the sending addresses and the HELO name.
 * FCrDNS ("forward-confirmed reverse DNS", RFC 8601 section 3 `iprev`): the PTR of the address
 * names a host whose A/AAAA records contain the address again. Many receivers refuse or score
 * mail from addresses without it (RFC 5321 section 4.1.4 only allows it, practice requires it).
 */
import { isIP } from 'node:net';
import { lookup } from '../../shared/dns/resolver.ts';
import { isValidDomain, normalizeDomain, ptrName, sameIp } from '../../shared/dns/names.ts';
import type { CheckContext } from '../types.ts';
import { DNS_UNKNOWN_FIX, fail, pass, unknown, warnFix } from './outcome.ts';
import type { Outcome } from './outcome.ts';
import { genericPtrReasons } from './generic-ptr.ts';

/** RFC 8601 section 3 does not bound it; 10 as SPF does for the ptr mechanism (RFC 7208 section 4.6.4). */
const MAX_PTR_NAMES = 10;

export async function checkReverseDns(ip: string, ctx: CheckContext): Promise<Outcome> {
  const family = isIP(ip);
  const helo = ctx.config.helo ? normalizeDomain(ctx.config.helo) : undefined;
  const suggestion = helo ?? `mail.${ctx.config.domains[0] ?? 'example.org'}`;
  const qname = ptrName(ip);
  const ptr = await lookup(ctx.resolver, qname, 'PTR');
  if (!ptr.ok && !ptr.none) return unknown(`PTR ${qname}: ${ptr.error}`, DNS_UNKNOWN_FIX, { ptrQuery: qname });
  if (!ptr.ok) {
    return fail(
      `${ip} has no PTR record (${qname})`,
      `Ask whoever owns ${ip} (hosting provider or ISP; it is set in their control panel, not in your zone) to set its PTR to ${suggestion}, and make ${suggestion} resolve to ${ip}.`,
      { ptrQuery: qname },
    );
  }
  const names = ptr.records.map(normalizeDomain).slice(0, MAX_PTR_NAMES);
  const rrtype = family === 4 ? 'A' : 'AAAA';
  const checks = await Promise.all(names.map(async (name) => ({ name, r: await lookup(ctx.resolver, name, rrtype) })));
  const confirmed = checks.filter((c) => c.r.ok && c.r.records.some((a) => sameIp(a, ip))).map((c) => c.name);
  const details: Record<string, unknown> = {
    ptrQuery: qname,
    ptr: names,
    forward: Object.fromEntries(checks.map((c) => [c.name, c.r.ok ? c.r.records : c.r.none ? [] : c.r.error])),
    confirmed,
  };
  if (confirmed.length === 0) {
    const temp = checks.find((c) => !c.r.ok && !c.r.none);
    if (temp && !temp.r.ok && !temp.r.none) return unknown(`${rrtype} ${temp.name}: ${temp.r.error}`, DNS_UNKNOWN_FIX, details);
    return fail(
      `${ip} has PTR ${names.join(', ')}, but ${names.length > 1 ? 'none of these names resolves' : 'that name does not resolve'} back to ${ip} (no forward-confirmed reverse DNS)`,
      `Publish ${rrtype} ${names[0]} → ${ip} in the zone of ${names[0]}, or have the PTR of ${ip} changed to a name that resolves to it (e.g. ${suggestion}).`,
      details,
    );
  }
  const warnings: string[] = [];
  if (names.length > 1) warnings.push(`${ip} has ${names.length} PTR records (${names.join(', ')}); receivers may pick any of them, keep one`);
  const generic = genericPtrReasons(confirmed[0], ip);
  if (generic.length) {
    details.generic = generic;
    warnings.push(`PTR ${confirmed[0]} looks like a generic/dynamic name (${generic.join('; ')}); receivers treat such names like end-user space`);
  }
  if (helo && !confirmed.includes(helo)) {
    warnings.push(`PTR of ${ip} is ${confirmed.join(', ')}, but the HELO name is ${helo}; many receivers expect them to match`);
  }
  return warnFix(
    pass(`${ip} → ${confirmed[0]} → ${ip} (forward-confirmed)`, details, warnings),
    `Have the PTR of ${ip} set to a single name that names your mail host and matches your HELO name (e.g. ${suggestion}), with ${rrtype} ${suggestion} → ${ip}.`,
  );
}

/** RFC 5321 section 4.1.1.1: the EHLO argument is the client's FQDN (or an address literal). */
export async function checkHelo(helo: string, ctx: CheckContext): Promise<Outcome> {
  const name = normalizeDomain(helo);
  if (!isValidDomain(name)) {
    return fail(
      `HELO name "${helo}" is not a fully qualified domain name`,
      `Set MAILCANARY_HELO (and your MTA's HELO, e.g. Postfix smtp_helo_name / myhostname) to the FQDN of the mail host, e.g. mail.${ctx.config.domains[0] ?? 'example.org'} (RFC 5321 section 4.1.1.1).`,
    );
  }
  const [a, aaaa] = await Promise.all([lookup(ctx.resolver, name, 'A'), lookup(ctx.resolver, name, 'AAAA')]);
  const addrs = [...(a.ok ? a.records : []), ...(aaaa.ok ? aaaa.records : [])];
  const details: Record<string, unknown> = { helo: name, addresses: addrs };
  if (addrs.length === 0) {
    const temp = [a, aaaa].find((r) => !r.ok && !r.none);
    if (temp && !temp.ok && !temp.none) return unknown(`HELO ${name}: ${temp.error}`, DNS_UNKNOWN_FIX, details);
    return fail(
      `HELO name ${name} does not resolve (no A or AAAA record)`,
      `Publish A/AAAA records for ${name} pointing at your sending address(es) ${ctx.config.sendingIps.join(', ') || ''}; receivers reject or score HELO names that do not resolve.`.replace(
        / ;/,
        ';',
      ),
      details,
    );
  }
  const warnings: string[] = [];
  const ips = ctx.config.sendingIps;
  if (ips.length && !ips.some((ip) => addrs.some((x) => sameIp(x, ip)))) {
    warnings.push(`HELO name ${name} resolves to ${addrs.join(', ')}, none of which is a sending address (${ips.join(', ')})`);
  }
  return warnFix(
    pass(`HELO name ${name} resolves to ${addrs.join(', ')}`, details, warnings),
    `Make ${name} resolve to the address(es) the server sends from, or set the HELO to the name that does.`,
  );
}
