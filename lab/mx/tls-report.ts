/**
 * The SMTP TLS report (RFC 8460 §4) a simulated provider writes about its deliveries to the lab's
 * MX. The providers fetch and apply the MTA-STS policy the lab serves for the domain they deliver
 * to (lab/services/web.ts, RFC 8461 §3.2), so their reports name it as a real receiver's do:
 * `policy-type` sts, the policy's lines as `policy-string` and its `mx` patterns as `mx-host`
 * (RFC 8460 §4.4). The same policy decides what a failed handshake means (RFC 8461 §5.1): in mode
 * enforce the mail is not sent in clear but kept for a later attempt; in mode testing it is.
 */
import { mtaStsPolicyFile } from '../services/web.ts';

/** A provider's delivery sessions to the user's MX since its previous TLS report. */
export interface TlsSessions {
  successful: number;
  /** RFC 8460 §4.3 result type → sessions */
  failed: Record<string, number>;
}

/** The MTA-STS policy a sending MTA applies for a domain, as a TLS report states it (RFC 8460 §4.4). */
export interface AppliedStsPolicy {
  'policy-type': 'sts';
  'policy-string': string[];
  'policy-domain': string;
  'mx-host': string[];
}

/** The policy the lab serves for `domain` (whose MX is `mailHost`), read the way a sending MTA reads it. */
export function appliedStsPolicy(domain: string, mailHost: string): AppliedStsPolicy {
  // RFC 8461 §3.2: one "key: value" a line, CRLF-terminated
  const lines = mtaStsPolicyFile(mailHost)
    .split('\r\n')
    .filter((l) => l !== '');
  const values = (key: string) => lines.filter((l) => l.startsWith(`${key}:`)).map((l) => l.slice(key.length + 1).trim());
  return { 'policy-type': 'sts', 'policy-string': lines, 'policy-domain': domain, 'mx-host': values('mx') };
}

/** The policy's mode (RFC 8461 §5): `enforce` forbids delivery over a failed or missing TLS session. */
export function stsMode(policy: AppliedStsPolicy): string | undefined {
  return policy['policy-string']
    .find((l) => l.startsWith('mode:'))
    ?.slice('mode:'.length)
    .trim();
}

/** The TLS report (RFC 8460 §4.4) of one sending provider's sessions to `mxHost` under `policy` in the period. */
export function tlsReportJson(o: {
  orgName: string;
  email: string;
  reportId: string;
  begin: number;
  end: number;
  mxHost: string;
  policy: AppliedStsPolicy;
  sendingIp: string;
  sessions: TlsSessions;
}) {
  const failures = Object.entries(o.sessions.failed);
  return {
    'organization-name': o.orgName,
    'date-range': { 'start-datetime': new Date(o.begin * 1000).toISOString(), 'end-datetime': new Date(o.end * 1000).toISOString() },
    'contact-info': o.email,
    'report-id': o.reportId,
    policies: [
      {
        policy: o.policy,
        summary: {
          'total-successful-session-count': o.sessions.successful,
          'total-failure-session-count': failures.reduce((n, [, c]) => n + c, 0),
        },
        ...(failures.length
          ? {
              'failure-details': failures.map(([type, n]) => ({
                'result-type': type,
                'sending-mta-ip': o.sendingIp,
                'receiving-mx-hostname': o.mxHost,
                'failed-session-count': n,
              })),
            }
          : {}),
      },
    ],
  };
}

/** The RFC 8460 §4.3 result type of a failed STARTTLS session, from Node's TLS and nodemailer's errors. */
export function tlsResultType(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const text = `${e.code ?? ''} ${e.message ?? ''}`;
  if (/CERT_HAS_EXPIRED|certificate has expired/i.test(text)) return 'certificate-expired';
  if (/ALTNAME|does not match certificate|Hostname\/IP does not match/i.test(text)) return 'certificate-host-mismatch';
  if (/self[- ]signed|unable to (verify|get)|UNABLE_TO|untrusted/i.test(text)) return 'certificate-not-trusted';
  if (/STARTTLS/i.test(text)) return 'starttls-not-supported';
  return 'validation-failure';
}
