/**
 * What went wrong with a seed's IMAP connection, in words that say what to do. imapflow reports a
 * server's untagged BYE (RFC 3501 §7.1.5: the server is closing the connection, e.g. for
 * maintenance) only as a `reason` on its generic "Unexpected close" / "Connection not available"
 * error, and a TLS certificate the system CAs do not vouch for as Node's bare error code.
 */
import type { Seed } from '../config/index.ts';
import { redact } from '../shared/redact.ts';
import { PRESETS, isPresetId } from '../knowledge/providers.ts';

/** Node's codes for a certificate chain that does not verify (OpenSSL X509_V_ERR_* names). */
const UNTRUSTED_CERT = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

interface ImapError {
  message?: string;
  responseText?: string;
  code?: string;
  reason?: string;
  cause?: unknown;
}

export function describeImapError(err: unknown, seed?: Seed): string {
  const e = (err ?? {}) as ImapError;
  const base = [e.code, e.responseText || e.message || String(err)].filter(Boolean).join(': ');
  // imapflow keeps the text of the server's BYE as `reason`
  if (typeof e.reason === 'string' && e.reason) return redact(`server closed the connection: BYE ${e.reason}`);
  const code = certCode(err);
  if (code && UNTRUSTED_CERT.has(code)) {
    const at = seed ? `${seed.imap.host}:${seed.imap.port}` : 'the IMAP server';
    const setting = seed ? `imap: { caFile: '/path/to/ca.pem' } in seed ${seed.id}` : 'imap.caFile in the seed';
    return redact(
      `the TLS certificate of ${at} is not trusted (${code}): if the server uses a private CA, set ${setting} or MAILCANARY_IMAP_CA_FILE to that CA's PEM file`,
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return redact(
      `the TLS certificate of ${seed ? `${seed.imap.host}:${seed.imap.port}` : 'the IMAP server'} is not valid (${code}: ${e.message ?? ''}): the server must present a current certificate for ${seed?.imap.host ?? 'its name'}`,
    );
  }
  return redact(base);
}

function certCode(err: unknown): string | undefined {
  for (let e = err as ImapError | undefined, depth = 0; e && depth < 3; e = e.cause as ImapError | undefined, depth++) {
    if (typeof e.code === 'string' && (UNTRUSTED_CERT.has(e.code) || e.code.startsWith('CERT_') || e.code === 'ERR_TLS_CERT_ALTNAME_INVALID')) return e.code;
  }
  return undefined;
}

/**
 * What to change when a seed's login is refused: the variable the seeds file names for its
 * password (never its value), and an app password where the provider's preset says it takes one
 * (a provider with two-step verification refuses the account password over IMAP); for an OAuth2
 * seed the refresh token and the command that renews it.
 */
export function seedLoginFix(seed: Seed): string {
  if (seed.imap.auth === 'oauth2' && seed.imap.oauth2)
    return `renew the refresh token in ${seed.imap.oauth2.refreshTokenEnv}: npm run oauth:setup -- --seed ${seed.id}`;
  const signIn = isPresetId(seed.provider) ? PRESETS[seed.provider].signIn : undefined;
  // Gmail, Yahoo, iCloud & co. take an app password, t-online its separate mail password
  const app = signIn && /(?<!no )app password|mail password/i.test(signIn) ? `; ${seed.providerName} needs ${signIn}` : '';
  return `check ${seed.imap.passwordEnv} in .env (or the CI secrets): the IMAP password of ${seed.imap.user} (seed ${seed.id})${app}`;
}
