/**
 * MTA-STS (RFC 8461) of a sending domain: the `_mta-sts` TXT record, then the
 * policy file over HTTPS through an injected fetcher. A policy host that cannot be reached from
 * here is reported as unknown; a policy that is reachable but wrong is a failure.
 */
import { validateMx } from 'mailauth/lib/mta-sts.js';
import { joinTxt, lookup } from '../../shared/dns/resolver.ts';
import { normalizeDomain } from '../../shared/dns/names.ts';
import type { CheckContext, MtaStsPolicy } from '../types.ts';
import { httpsMtaStsFetcher } from './mta-sts-fetch.ts';
import { DNS_UNKNOWN_FIX, fail, pass, unknown, warnFix } from './outcome.ts';
import type { Outcome } from './outcome.ts';

function errorCode(err: unknown): string {
  return err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : '';
}

/** Answers from the policy host that mean its content or TLS setup is wrong, not that it is unreachable. */
function isPolicyDefect(code: string): boolean {
  return /^(invalid_|policy_too_large|http_status_|ERR_TLS_CERT|CERT_|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER)/.test(
    code,
  );
}

export async function checkMtaSts(domain: string, ctx: CheckContext): Promise<Outcome> {
  const d = normalizeDomain(domain);
  const url = `https://mta-sts.${d}/.well-known/mta-sts.txt`;
  const publish = `Serve a policy at ${url} ("version: STSv1", "mode: testing", "mx: <each MX host>", "max_age: 604800") and publish TXT at _mta-sts.${d}: "v=STSv1; id=<yyyymmddNN>" (change the id whenever the policy changes).`;
  const txt = await lookup(ctx.resolver, `_mta-sts.${d}`, 'TXT');
  if (!txt.ok && !txt.none) return unknown(`TXT _mta-sts.${d}: ${txt.error}`, DNS_UNKNOWN_FIX);
  const records = txt.ok ? txt.records.map(joinTxt).filter((r) => /^v=STSv1\s*;/i.test(r.trim())) : [];
  if (records.length === 0) {
    return {
      status: 'warn',
      summary: `${d} publishes no MTA-STS policy: servers delivering to ${d} may fall back to plaintext under a downgrade attack`,
      fix: publish,
      warnings: ['no MTA-STS (RFC 8461): inbound TLS is opportunistic only'],
    };
  }
  if (records.length > 1)
    return fail(
      `_mta-sts.${d} has ${records.length} "v=STSv1" records; senders then ignore MTA-STS (RFC 8461 section 3.1)`,
      `Keep exactly one TXT record at _mta-sts.${d}.`,
      { records },
    );
  const id = /(?:^|;)\s*id=([A-Za-z0-9]{1,32})\s*(?:;|$)/.exec(records[0])?.[1];
  if (!id || !/^v=STSv1;/.test(records[0].trim())) {
    return fail(
      `the TXT record at _mta-sts.${d} is not valid ("${records[0].slice(0, 80)}"): it needs "v=STSv1; id=<1-32 letters/digits>" (RFC 8461 section 3.1)`,
      publish,
      { record: records[0] },
    );
  }
  const details: Record<string, unknown> = { record: records[0], id, policyUrl: url };
  const fetcher = ctx.fetchMtaSts ?? httpsMtaStsFetcher({ port: ctx.config.mtaStsPort, extraCa: ctx.config.extraCa });
  let policy: MtaStsPolicy | false;
  try {
    policy = await fetcher(d, ctx.resolver);
  } catch (err) {
    const code = errorCode(err);
    const msg = err instanceof Error ? err.message.slice(0, 200) : String(err);
    details.fetchError = code || msg;
    if (isPolicyDefect(code)) return fail(`the MTA-STS policy at ${url} is unusable: ${msg}`, publish, details);
    return unknown(
      `TXT id=${id} is valid, but the policy file at ${url} could not be fetched from here (${code || msg})`,
      `Check that ${url} is reachable over HTTPS with a certificate valid for mta-sts.${d}; this run cannot tell whether other servers reach it.`,
      details,
    );
  }
  if (policy === false) {
    return fail(
      `_mta-sts.${d} announces a policy, but mta-sts.${d} has no A/AAAA record, so senders cannot fetch it`,
      `Publish A/AAAA records for mta-sts.${d} and serve ${url} there with a valid certificate, or remove the TXT record.`,
      details,
    );
  }
  details.policy = policy;
  const mx = await lookup(ctx.resolver, d, 'MX');
  const hosts = mx.ok ? mx.records.map((r) => normalizeDomain(r.exchange)).filter(Boolean) : [];
  const uncovered = hosts.filter((h) => !validateMx(h, { mode: policy.mode, mx: policy.mx }).valid);
  details.mxHosts = hosts;
  if (uncovered.length && policy.mode !== 'none') {
    return fail(
      `the MTA-STS policy of ${d} (mode ${policy.mode}) does not list MX host(s) ${uncovered.join(', ')}${policy.mode === 'enforce' ? ': compliant senders refuse to deliver there' : ''}`,
      `Add "mx: ${uncovered.join('" and "mx: ')}" to ${url}, then change the id in _mta-sts.${d}.`,
      details,
    );
  }
  const warnings: string[] = [];
  if (policy.mode === 'testing') warnings.push(`MTA-STS mode is "testing": failures are only reported, not enforced`);
  if (policy.mode === 'none') warnings.push(`MTA-STS mode is "none": the policy is being withdrawn`);
  if (policy.maxAge < 86400) warnings.push(`max_age=${policy.maxAge}s is under a day; RFC 8461 section 3.2 suggests weeks`);
  return warnFix(
    pass(`MTA-STS id=${id}, mode ${policy.mode}, mx ${policy.mx.join(', ')}, max_age ${policy.maxAge}`, details, warnings),
    `Once TLS-RPT reports show no failures, set "mode: enforce" and a max_age of at least 604800 in ${url}, then change the id in _mta-sts.${d}.`,
  );
}
