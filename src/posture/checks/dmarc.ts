/**
 * DMARC policy of a sending domain (RFC 7489): discovery at `_dmarc.<domain>`
 * or the organisational domain (mailauth's policy discovery, through the injected resolver),
 * tag validation, and the external report destination authorisation of RFC 7489 section 7.1.
 */
import { createRecordLookup, discoverPolicy } from 'mailauth/lib/dmarc/get-dmarc-record.js';
import { describeDnsError, joinTxt, lookup } from '../../shared/dns/resolver.ts';
import { isSameOrSubdomain, normalizeDomain } from '../../shared/dns/names.ts';
import type { CheckContext } from '../types.ts';
import { DNS_UNKNOWN_FIX, fail, pass, unknown, warnFix } from './outcome.ts';
import type { Outcome } from './outcome.ts';
import { parseDmarcRecordTags } from './dmarc-record.ts';
import type { DmarcRecordInfo } from './dmarc-record.ts';

export interface DmarcPolicy {
  /** where the record was found */
  recordDomain: string;
  orgDomain: string;
  inherited: boolean;
  /** the policy that applies to mail from the checked domain (p, or sp/np for a subdomain) */
  effective: string;
  info: DmarcRecordInfo;
}

export type DmarcDiscovery = { ok: true; policy: DmarcPolicy } | { ok: false; reason: 'none' | 'multiple' | 'temperror'; error?: string; records?: string[] };

/** Finds and parses the DMARC record that applies to `domain`. */
export async function discoverDmarc(domain: string, ctx: Pick<CheckContext, 'resolver'>): Promise<DmarcDiscovery> {
  const d = normalizeDomain(domain);
  // a set of several records at one name is discarded (RFC 7489 section 6.6.3 step 4): say so
  const own = await lookup(ctx.resolver, `_dmarc.${d}`, 'TXT');
  if (!own.ok && !own.none) return { ok: false, reason: 'temperror', error: own.error };
  const ownRecords = own.ok ? own.records.map(joinTxt).filter((r) => /^v\s*=\s*DMARC1/i.test(r.trim())) : [];
  if (ownRecords.length > 1) return { ok: false, reason: 'multiple', records: ownRecords };
  let found;
  try {
    found = await discoverPolicy(d, createRecordLookup(ctx.resolver as never));
  } catch (err) {
    return { ok: false, reason: 'temperror', error: describeDnsError(err) };
  }
  if (!found.record) return { ok: false, reason: 'none' };
  const recordDomain = found.recordDomain ?? d;
  const info = parseDmarcRecordTags(String(found.record.rr));
  const inherited = recordDomain !== d;
  // RFC 7489 section 6.3 sp: the policy for subdomains; np (RFC 9989) for non-existent ones
  const effective = (inherited ? (info.sp ?? info.p) : info.p) ?? 'none';
  return { ok: true, policy: { recordDomain, orgDomain: found.orgDomain ?? recordDomain, inherited, effective, info } };
}

export async function checkDmarc(domain: string, ctx: CheckContext): Promise<Outcome> {
  const d = normalizeDomain(domain);
  const starter = `Publish TXT at _dmarc.${d}: "v=DMARC1; p=none; rua=mailto:dmarc-reports@${d}", read the aggregate reports, then move to p=quarantine and p=reject.`;
  const disc = await discoverDmarc(d, ctx);
  if (!disc.ok) {
    if (disc.reason === 'temperror') return unknown(`DMARC record of ${d}: ${disc.error}`, DNS_UNKNOWN_FIX);
    if (disc.reason === 'multiple') {
      return fail(
        `_dmarc.${d} has ${disc.records?.length} DMARC records; receivers then apply none of them (RFC 7489 section 6.6.3)`,
        `Keep exactly one TXT record starting with v=DMARC1 at _dmarc.${d}.`,
        { records: disc.records },
      );
    }
    return fail(
      `no DMARC record at _dmarc.${d} or its organisational domain: receivers apply no policy, and Gmail/Yahoo require DMARC from bulk senders`,
      starter,
    );
  }
  const { policy } = disc;
  const { info } = policy;
  const details: Record<string, unknown> = {
    recordDomain: policy.recordDomain,
    orgDomain: policy.orgDomain,
    inherited: policy.inherited,
    effectivePolicy: policy.effective,
    tags: info.tags,
  };
  if (info.errors.length) {
    return fail(
      `the DMARC record at _dmarc.${policy.recordDomain} is invalid: ${info.errors.join('; ')}`,
      `Correct the record (syntax: RFC 7489 section 6.4), e.g. "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@${policy.orgDomain}".`,
      details,
    );
  }
  // RFC 7489 section 7.1: a report destination outside the policy's organisational domain must opt in
  const external = [...new Set([...info.rua, ...info.ruf].map((u) => u.host).filter((h): h is string => !!h && !isSameOrSubdomain(h, policy.orgDomain)))];
  const unauthorised: string[] = [];
  const unverified: string[] = [];
  const authNames: Record<string, string> = {};
  await Promise.all(
    external.map(async (host) => {
      const name = `${policy.recordDomain}._report._dmarc.${host}`;
      authNames[host] = name;
      const r = await lookup(ctx.resolver, name, 'TXT');
      if (r.ok && r.records.map(joinTxt).some((t) => /^v\s*=\s*DMARC1/i.test(t.trim()))) return;
      if (!r.ok && !r.none) unverified.push(host);
      else unauthorised.push(host);
    }),
  );
  details.externalDestinations = authNames;
  if (unauthorised.length) {
    return fail(
      `reports go to ${unauthorised.join(', ')}, which has not authorised reports for ${policy.recordDomain}: receivers will not send them (RFC 7489 section 7.1)`,
      unauthorised
        .map(
          (h) =>
            `Have ${h} publish TXT "v=DMARC1" at ${authNames[h]} (report services do this when you add the domain), or send reports to an address under ${policy.orgDomain}.`,
        )
        .join(' '),
      details,
    );
  }
  const warnings = [...info.warnings];
  if (unverified.length) warnings.push(`could not verify that ${unverified.join(', ')} accepts reports for ${policy.recordDomain} (DNS error)`);
  if (policy.effective === 'none') warnings.push(`the policy for ${d} is "none" (monitoring only): spoofed mail is still delivered`);
  if (!policy.inherited && info.sp === 'none' && info.p !== 'none') warnings.push(`sp=none leaves subdomains of ${d} unprotected while p=${info.p}`);
  if (info.pct < 100) warnings.push(`pct=${info.pct}: the policy applies to only ${info.pct}% of failing mail`);
  if (info.rua.length === 0) warnings.push(`no rua= address: you will not receive aggregate reports to see who sends as ${d}`);
  const fixes: string[] = [];
  if (policy.effective === 'none') fixes.push('Once the aggregate reports show your mail passes SPF or DKIM aligned, move to p=quarantine, then p=reject.');
  if (info.pct < 100) fixes.push('Raise pct to 100 (or remove it).');
  if (info.rua.length === 0) fixes.push(`Add rua=mailto:dmarc-reports@${policy.orgDomain}.`);
  if (!policy.inherited && info.sp === 'none' && info.p !== 'none') fixes.push('Remove sp=none.');
  return warnFix(
    pass(
      `DMARC at _dmarc.${policy.recordDomain}${policy.inherited ? ' (organisational domain)' : ''}: policy ${policy.effective} for ${d}, pct=${info.pct}, adkim=${info.adkim}, aspf=${info.aspf}, rua ${info.rua.length ? info.rua.map((u) => u.uri).join(',') : 'none'}`,
      details,
      warnings,
    ),
    fixes.join(' ') || 'Review the warnings.',
  );
}
