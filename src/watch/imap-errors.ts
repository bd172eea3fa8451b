/**
 * What went wrong with a seed's IMAP connection, in words that say what to do. imapflow reports a
 * server's untagged BYE (RFC 3501 §7.1.5: the server is closing the connection, e.g. for
 * maintenance) only as a `reason` on its generic "Unexpected close" / "Connection not available"
 * error, and a TLS certificate the system CAs do not vouch for as Node's bare error code.
 */
import type { Seed } from '../config/index.ts';
import { redact } from '../shared/redact.ts';
import { PRESETS, isPresetId } from '../knowledge/providers.ts';
import { envFileLabel } from '../config/index.ts';

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
  const text = e.responseText || e.message || String(err);
  // Node's own messages already carry the code (`connect ECONNREFUSED 127.0.0.1:993`)
  const base = e.code && !text.includes(e.code) ? `${e.code}: ${text}` : text;
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
  if (seed && connectCode(err)) return redact(`${base}; fix: ${seedConnectFix(seed)}`);
  return redact(base);
}

/**
 * A failure to connect and sign in that was no refused login: the error with the settings to
 * check, unless it already carries its own advice (an untrusted or invalid certificate).
 */
export function describeConnectError(err: unknown, seed: Seed): string {
  const m = describeImapError(err, seed);
  return certCode(err) || m.includes('; fix: ') ? m : `${m}; fix: ${redact(seedConnectFix(seed))}`;
}

/** Codes that mean the server was never reached or never spoke IMAP: a setting, not an outage of one look. */
const CONNECT_FAILED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

function connectCode(err: unknown): string | undefined {
  for (let e = err as ImapError | undefined, depth = 0; e && depth < 3; e = e.cause as ImapError | undefined, depth++) {
    if (typeof e.code === 'string' && CONNECT_FAILED.has(e.code)) return e.code;
  }
  return undefined;
}

/**
 * What to check when a seed's IMAP server cannot be reached: the host, port and TLS mode as
 * resolved (the seed's own `imap` settings, else its provider preset's), since implicit TLS on a
 * STARTTLS port (or the reverse, RFC 8314 §3 vs RFC 3501 §6.2.1) fails as a timeout or a TLS error.
 */
export function seedConnectFix(seed: Seed): string {
  const tls = seed.imap.secure ? 'implicit TLS' : seed.imap.allowPlaintextAuth ? 'no TLS' : 'STARTTLS';
  return `check imap.host and imap.port of seed ${seed.id} (now ${seed.imap.host}:${seed.imap.port}, ${tls}; imap.secure: true is implicit TLS, usually port 993, false is STARTTLS, usually port 143) and that no firewall blocks it`;
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
  return `check ${seed.imap.passwordEnv} in ${envFileLabel()} (or the CI secrets): the IMAP password of ${seed.imap.user} (seed ${seed.id})${app}`;
}
