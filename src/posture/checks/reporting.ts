/**
 * TLS-RPT (RFC 8460) and BIMI (draft-brand-indicators-for-message-identification) records of a
 * sending domain.
 */
import { joinTxt, lookup } from '../../shared/dns/resolver.ts';
import { normalizeDomain } from '../../shared/dns/names.ts';
import type { CheckContext } from '../types.ts';
import { DNS_UNKNOWN_FIX, fail, pass, unknown, warnFix } from './outcome.ts';
import type { Outcome } from './outcome.ts';
import { discoverDmarc } from './dmarc.ts';
import { parseTagList, tagMap } from '../records/tag-list.ts';

const tagsOf = (record: string): Record<string, string> => tagMap(parseTagList(record), true);

export async function checkTlsRpt(domain: string, ctx: CheckContext): Promise<Outcome> {
  const d = normalizeDomain(domain);
  const name = `_smtp._tls.${d}`;
  const publish = `Publish TXT at ${name}: "v=TLSRPTv1; rua=mailto:tls-reports@${d}".`;
  const txt = await lookup(ctx.resolver, name, 'TXT');
  if (!txt.ok && !txt.none) return unknown(`TXT ${name}: ${txt.error}`, DNS_UNKNOWN_FIX);
  // RFC 8460 section 3: records not starting with v=TLSRPTv1 are discarded; not exactly one left = no TLS-RPT
  const records = txt.ok ? txt.records.map(joinTxt).filter((r) => /^v=TLSRPTv1\s*;/.test(r.trim())) : [];
  if (records.length === 0) {
    return {
      status: 'warn',
      summary: `${d} publishes no TLS-RPT record: you will not hear about TLS failures delivering to ${d}`,
      fix: publish,
      warnings: ['no TLS-RPT (RFC 8460)'],
    };
  }
  if (records.length > 1)
    return fail(`${name} has ${records.length} TLS-RPT records; senders then assume none (RFC 8460 section 3)`, `Keep exactly one TXT record at ${name}.`, {
      records,
    });
  const rua = (tagsOf(records[0]).rua ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = rua.filter((u) => !/^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/i.test(u));
  if (rua.length === 0 || bad.length) {
    return fail(
      `the TLS-RPT record at ${name} needs rua= with mailto: or https: URIs${bad.length ? ` (invalid: ${bad.join(', ').slice(0, 120)})` : ''}`,
      publish,
      { record: records[0] },
    );
  }
  return pass(`TLS-RPT reports go to ${rua.join(', ')}`, { record: records[0], rua });
}

export async function checkBimi(domain: string, ctx: CheckContext): Promise<Outcome> {
  const d = normalizeDomain(domain);
  const name = `default._bimi.${d}`;
  const txt = await lookup(ctx.resolver, name, 'TXT');
  if (!txt.ok && !txt.none) return unknown(`TXT ${name}: ${txt.error}`, DNS_UNKNOWN_FIX);
  const records = txt.ok ? txt.records.map(joinTxt).filter((r) => /^v=BIMI1\s*(;|$)/i.test(r.trim())) : [];
  if (records.length === 0) return pass(`${d} publishes no BIMI record (optional: a logo in supporting mailboxes)`, { name });
  if (records.length > 1)
    return fail(`${name} has ${records.length} BIMI records; mailbox providers then show no logo`, `Keep exactly one TXT record at ${name}.`, { records });
  const tags = tagsOf(records[0]);
  const details: Record<string, unknown> = { name, record: records[0], l: tags.l, a: tags.a };
  const l = tags.l ?? '';
  if (l && !/^https:\/\/\S+\.svg$/i.test(l)) {
    return fail(
      `BIMI l=${l.slice(0, 120)} is not an https URL of an SVG file`,
      `Set l= to the https URL of your SVG Tiny PS logo, e.g. "v=BIMI1; l=https://${d}/bimi/logo.svg".`,
      details,
    );
  }
  if (tags.a && !/^https:\/\/\S+$/i.test(tags.a))
    return fail(
      `BIMI a=${tags.a.slice(0, 120)} is not an https URL of a VMC/CMC certificate`,
      `Set a= to the https URL of your mark certificate (PEM), or remove it.`,
      details,
    );
  // BIMI is only honoured for domains whose DMARC policy enforces: quarantine or reject at pct=100
  const dmarc = await discoverDmarc(d, ctx);
  if (!dmarc.ok) {
    if (dmarc.reason === 'temperror') return unknown(`BIMI needs DMARC, which could not be read: ${dmarc.error}`, DNS_UNKNOWN_FIX, details);
    return fail(
      `${d} publishes BIMI but no usable DMARC record: mailbox providers show no logo`,
      `Publish DMARC at _dmarc.${d} with p=quarantine or p=reject first.`,
      details,
    );
  }
  const p = dmarc.policy;
  details.dmarcPolicy = p.effective;
  details.dmarcPct = p.info.pct;
  if (p.effective === 'none' || p.info.pct < 100 || (!p.inherited && p.info.sp === 'none')) {
    const why = p.effective === 'none' ? `policy is ${p.effective}` : p.info.pct < 100 ? `pct=${p.info.pct}` : 'sp=none';
    return fail(
      `${d} publishes BIMI, but its DMARC ${why}: BIMI needs p=quarantine or p=reject applied to all mail`,
      `Move the DMARC record at _dmarc.${p.recordDomain} to p=quarantine or p=reject with pct=100 (and no sp=none), or remove the BIMI record.`,
      details,
    );
  }
  if (!l) return pass(`${name} declines BIMI (empty l=)`, details);
  return warnFix(
    pass(
      `BIMI logo ${l}${tags.a ? ' with mark certificate' : ''}; DMARC policy ${p.effective}`,
      details,
      tags.a ? undefined : ['no a= mark certificate: Gmail and Apple Mail show BIMI logos only with a VMC/CMC'],
    ),
    'Obtain a Verified Mark Certificate (or Common Mark Certificate) for the logo and add a=<https URL of the PEM> to the BIMI record.',
  );
}
