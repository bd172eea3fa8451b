/**
 * DKIM key records: `<selector>._domainkey.<domain>` exists, parses, is not
 * revoked, is long enough (RFC 8301 section 3.2: at least 1024 bits, 2048 recommended) and not
 * left in testing mode; Ed25519 keys (RFC 8463) are understood.
 */
import { joinTxt, lookup } from '../../shared/dns/resolver.ts';
import { normalizeDomain } from '../../shared/dns/names.ts';
import type { CheckContext } from '../types.ts';
import { DNS_UNKNOWN_FIX, fail, pass, unknown, warnFix } from './outcome.ts';
import type { Outcome } from './outcome.ts';
import { parseDkimKey } from './dkim-key.ts';

export function dkimKeyName(selector: string, domain: string): string {
  return `${selector.trim().toLowerCase()}._domainkey.${normalizeDomain(domain)}`;
}

export async function checkDkimKey(selector: string, domain: string, ctx: CheckContext): Promise<Outcome> {
  const name = dkimKeyName(selector, domain);
  const publish = `Publish the public key of selector "${selector}" as TXT at ${name}: "v=DKIM1; k=rsa; p=<base64 key>" (opendkim-genkey -b 2048 -s ${selector} -d ${normalizeDomain(domain)} writes it).`;
  const txt = await lookup(ctx.resolver, name, 'TXT');
  if (!txt.ok && !txt.none) return unknown(`TXT ${name}: ${txt.error}`, DNS_UNKNOWN_FIX);
  if (!txt.ok) return fail(`no DKIM key record at ${name}: signatures with s=${selector} fail as "no key"`, publish);
  // a TXT set may hold unrelated strings; the key record is the one with DKIM tags
  const records = txt.records.map(joinTxt).filter((r) => /(^|;)\s*(v\s*=\s*DKIM1|p\s*=)/i.test(r));
  if (records.length === 0) return fail(`the TXT record at ${name} is not a DKIM key record`, publish, { txt: txt.records.map(joinTxt) });
  if (records.length > 1) {
    return fail(
      `${records.length} DKIM key records at ${name}: receivers may use any of them (RFC 6376 section 3.6.2.2)`,
      `Keep exactly one TXT record at ${name}.`,
      { records },
    );
  }
  const key = parseDkimKey(records[0]);
  const details: Record<string, unknown> = {
    name,
    keyType: key.keyType,
    bits: key.bits,
    flags: key.flags,
    hashes: key.hashes,
    services: key.services,
    revoked: key.revoked,
    record: records[0].length > 600 ? `${records[0].slice(0, 600)}…` : records[0],
  };
  if (key.revoked) {
    return fail(
      `the key at ${name} is revoked (empty p=): signatures with s=${selector} fail`,
      `If ${selector} is retired, stop signing with it and remove it from MAILCANARY_DKIM_SELECTORS; otherwise ${publish}`,
      details,
    );
  }
  if (key.errors.length) return fail(`the DKIM key record at ${name} is invalid: ${key.errors.join('; ')}`, `Fix the record: ${publish}`, details);
  if (key.services && !key.services.includes('email') && !key.services.includes('*')) {
    return fail(
      `s=${key.services.join(':')} at ${name} excludes email: receivers ignore the key`,
      `Remove s= from the record at ${name} (or include "email").`,
      details,
    );
  }
  if (key.hashes && !key.hashes.includes('sha256')) {
    return fail(
      `h=${key.hashes.join(':')} at ${name} does not allow sha256; rsa-sha1 signatures are invalid (RFC 8301 section 3.1)`,
      `Remove h= from ${name} or set h=sha256, and sign with rsa-sha256.`,
      details,
    );
  }
  if (key.keyType === 'rsa' && key.bits !== undefined && key.bits < 1024) {
    return fail(
      `the RSA key at ${name} has ${key.bits} bits; receivers reject keys under 1024 bits (RFC 8301 section 3.2)`,
      `Generate a 2048-bit key (opendkim-genkey -b 2048 -s <new selector>), publish it under a new selector and switch signing to it.`,
      details,
    );
  }
  const warnings: string[] = [];
  if (key.keyType === 'rsa' && key.bits !== undefined && key.bits < 2048)
    warnings.push(`the RSA key at ${name} has ${key.bits} bits; 2048 is recommended (RFC 8301 section 3.2), some receivers distrust 1024`);
  if (key.testing) warnings.push(`t=y at ${name}: the domain says it is testing DKIM, receivers may treat signed mail as unsigned (RFC 6376 section 3.6.1)`);
  const what = key.keyType === 'rsa' ? `RSA ${key.bits} bits` : 'Ed25519 (RFC 8463)';
  return warnFix(
    pass(`${name}: ${what}${key.flags.length ? `, t=${key.flags.join(':')}` : ''}`, details, warnings),
    [
      key.keyType === 'rsa' && (key.bits ?? 0) < 2048 ? 'Rotate to a 2048-bit key under a new selector.' : '',
      key.testing ? `Remove t=y from ${name} once signing works.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
}
