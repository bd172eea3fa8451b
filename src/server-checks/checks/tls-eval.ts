/**
 * Pure evaluation of what a TLS probe saw: STARTTLS offered (RFC 3207), AUTH only after TLS
 * (RFC 4954 §4, RFC 8314 §3), TLS 1.2 or newer (RFC 8996 deprecates 1.0 and 1.1), a certificate
 * that chains to a trusted CA, is valid now and for at least `minDays` more days, and names the
 * host (RFC 6125 §6; RFC 7672 §3.2 for the MX name).
 */
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { isIP } from 'node:net';
import type { CheckResult } from '../types.ts';

export type TlsMode = 'starttls' | 'implicit';

export interface CertInfo {
  subject?: string;
  issuer?: string;
  subjectAltName?: string;
  validFrom: string;
  validTo: string;
  fingerprint256?: string;
}

export interface TlsObservation {
  /** the name the certificate must carry (MX host name, submission host) */
  host: string;
  ip: string;
  port: number;
  mode: TlsMode;
  /** mechanisms offered before TLS (EHLO on the plain connection) */
  authBeforeTls?: string[];
  starttlsOffered?: boolean;
  /** the reply to STARTTLS when it was not 220 */
  starttlsRefused?: string;
  protocol?: string;
  cipher?: string;
  /** chains to a trusted CA (system roots + the configured extra CA) */
  authorized?: boolean;
  authorizationError?: string;
  cert?: CertInfo;
  /** mechanisms offered after TLS */
  authAfterTls?: string[];
  /** the port is closed (connection refused) */
  closed?: boolean;
  /** infrastructure failure (timeout, unreachable, handshake failed) */
  error?: string;
  errorKind?: string;
}

export function certInfo(c: PeerCertificate): CertInfo {
  const dn = (x: unknown) =>
    x && typeof x === 'object'
      ? Object.entries(x as Record<string, unknown>)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')
      : undefined;
  return {
    subject: dn(c.subject),
    issuer: dn(c.issuer),
    subjectAltName: c.subjectaltname,
    validFrom: c.valid_from,
    validTo: c.valid_to,
    fingerprint256: c.fingerprint256,
  };
}

/** Does the certificate name `host`? (RFC 6125 rules as node:tls implements them, wildcards included) */
export function certNamesHost(cert: CertInfo, host: string): boolean {
  const cn = /(?:^|, )CN=([^,]+)/.exec(cert.subject ?? '')?.[1];
  const peer = { subject: cn ? { CN: cn } : {}, subjectaltname: cert.subjectAltName } as unknown as PeerCertificate;
  return checkServerIdentity(isIP(host) ? host : host.toLowerCase(), peer) === undefined;
}

const AUTHZ_TEXT: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed CA nobody trusts',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuing CA is not trusted or the intermediate certificate is missing',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the intermediate certificate is missing from the chain',
};

interface Finding {
  text: string;
  fix: string;
}

/** Findings for one observation; empty = good. */
export function tlsFindings(o: TlsObservation, opts: { minDays: number; now: Date; kind: 'mx' | 'submission' | 'smtps' }): Finding[] {
  const at = `${o.host} (${o.ip}) port ${o.port}`;
  const f: Finding[] = [];
  if (o.authBeforeTls && o.authBeforeTls.length) {
    f.push({
      text: `${at} offers AUTH ${o.authBeforeTls.join(' ')} before TLS: passwords can cross the network in clear`,
      fix: 'offer AUTH only after STARTTLS: Postfix `smtpd_tls_auth_only = yes` (and `smtpd_tls_security_level = encrypt` on submission); Dovecot `auth_allow_cleartext = no`',
    });
  }
  if (o.mode === 'starttls' && o.starttlsOffered === false) {
    f.push({
      text: `${at} does not offer STARTTLS${o.starttlsRefused ? ` (STARTTLS answered ${o.starttlsRefused})` : ''}`,
      fix:
        opts.kind === 'mx'
          ? "enable TLS for incoming mail: Postfix `smtpd_tls_security_level = may` with smtpd_tls_cert_file/smtpd_tls_key_file (e.g. a Let's Encrypt certificate for the MX name)"
          : 'require TLS on submission: Postfix master.cf submission `-o smtpd_tls_security_level=encrypt`',
    });
    return f;
  }
  if (o.error) {
    f.push({
      text: `${at}: ${o.error}`,
      fix:
        o.errorKind === 'tls'
          ? "the TLS handshake fails: check the server's certificate/key files and that TLS 1.2 or 1.3 is enabled (Postfix smtpd_tls_protocols = >=TLSv1.2)"
          : 'make sure the port answers',
    });
    return f;
  }
  if (o.protocol && !/^TLSv1\.[23]$/.test(o.protocol)) {
    f.push({
      text: `${at} negotiated ${o.protocol}`,
      fix: 'allow only TLS 1.2 and 1.3: Postfix `smtpd_tls_protocols = >=TLSv1.2` and `smtpd_tls_mandatory_protocols = >=TLSv1.2` (RFC 8996)',
    });
  }
  const cert = o.cert;
  if (!cert) return f;
  const validTo = Date.parse(cert.validTo);
  const daysLeft = Math.floor((validTo - opts.now.getTime()) / 86_400_000);
  if (Number.isFinite(validTo) && validTo < opts.now.getTime()) {
    f.push({
      text: `the certificate of ${at} expired on ${new Date(validTo).toISOString().slice(0, 10)}`,
      fix: 'renew the certificate (certbot renew / your ACME client), make sure renewal runs automatically, and reload the mail server so it reads the new file',
    });
  } else if (Number.isFinite(validTo) && daysLeft < opts.minDays) {
    f.push({
      text: `the certificate of ${at} expires in ${daysLeft} day(s) (${new Date(validTo).toISOString().slice(0, 10)}), within ${opts.minDays} days`,
      fix: 'renew the certificate now and check that automatic renewal works (certbot renews 30 days ahead) and that the mail server is reloaded after renewal',
    });
  }
  if (!certNamesHost(cert, o.host)) {
    f.push({
      text: `the certificate of ${at} is for ${cert.subjectAltName ?? cert.subject ?? 'no name'}, not ${o.host}`,
      fix: `use a certificate that names ${o.host} (e.g. certbot -d ${o.host}) in smtpd_tls_cert_file; senders that verify (DANE, MTA-STS) refuse a wrong name`,
    });
  }
  if (o.authorized === false && o.authorizationError && o.authorizationError !== 'CERT_HAS_EXPIRED' && o.authorizationError !== 'CERT_NOT_YET_VALID') {
    f.push({
      text: `the certificate of ${at} is not trusted: ${AUTHZ_TEXT[o.authorizationError] ?? o.authorizationError}`,
      fix: "use a certificate from a public CA (Let's Encrypt) and send the full chain (Postfix: smtpd_tls_chain_files or a fullchain.pem in smtpd_tls_cert_file); for a private CA set SMTP_TLS_CA_FILE",
    });
  }
  if (opts.kind !== 'mx' && o.authAfterTls && o.authAfterTls.length === 0) {
    f.push({
      text: `${at} offers no AUTH after TLS: clients cannot log in to submit`,
      fix: 'enable SASL on submission: Postfix `-o smtpd_sasl_auth_enable=yes`',
    });
  }
  return f;
}

/** Pure: one result over all observations of one check (all addresses, IPv4 and IPv6). */
export function tlsResult(
  base: { id: string; title: string; target: string },
  obs: TlsObservation[],
  opts: { minDays: number; now: Date; kind: 'mx' | 'submission' | 'smtps' },
  unknownReason?: string,
): CheckResult {
  if (unknownReason) return { ...base, status: 'unknown', summary: unknownReason, details: { observations: obs } };
  const reachable = obs.filter((o) => !(o.error && ['timeout', 'unreachable'].includes(o.errorKind ?? '')) && !o.closed);
  if (opts.kind === 'smtps' && obs.length && obs.every((o) => o.closed)) {
    return {
      ...base,
      status: 'pass',
      summary: `port ${obs[0].port} is closed on ${obs.map((o) => o.ip).join(', ')}: implicit TLS is not in use`,
      details: { observations: obs },
    };
  }
  const closed = obs.filter((o) => o.closed);
  const findings = reachable.flatMap((o) => tlsFindings(o, opts));
  if (opts.kind !== 'smtps') {
    for (const c of closed)
      findings.push({
        text: `${c.host} (${c.ip}) port ${c.port} refuses connections`,
        fix:
          opts.kind === 'mx'
            ? `open port ${c.port} for incoming mail on ${c.ip} (firewall, listen address incl. IPv6)`
            : `enable the submission service on port ${c.port} (Postfix master.cf \`submission inet … smtpd\`)`,
      });
  }
  if (findings.length) {
    const uniq = [...new Map(findings.map((x) => [x.text, x])).values()];
    return {
      ...base,
      status: 'fail',
      summary: uniq.map((x) => x.text).join('; '),
      fix: [...new Set(uniq.map((x) => x.fix))].join('; '),
      details: { observations: obs },
    };
  }
  if (reachable.length === 0) {
    const e = obs.find((o) => o.error)?.error ?? 'no address';
    return {
      ...base,
      status: 'unknown',
      summary: `could not reach the server: ${e}`,
      fix: 'run the check from a network that reaches the port (many ISPs block outgoing port 25)',
      details: { observations: obs },
    };
  }
  const warnings = obs.filter((o) => o.error).map((o) => `${o.ip}: ${o.error}`);
  const first = reachable[0];
  const days = first.cert ? Math.floor((Date.parse(first.cert.validTo) - opts.now.getTime()) / 86_400_000) : undefined;
  return {
    ...base,
    status: warnings.length ? 'warn' : 'pass',
    summary: `${reachable.map((o) => o.ip).join(', ')}: ${opts.kind === 'smtps' ? 'implicit TLS' : 'STARTTLS'}, ${first.protocol}, certificate for ${first.host} valid ${days} more days${opts.kind === 'mx' ? '' : ', AUTH only after TLS'}`,
    ...(warnings.length ? { warnings } : {}),
    details: { observations: obs },
  };
}
