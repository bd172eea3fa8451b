/** Runs mailauth for one received message against the lab DNS and sums up the verdicts. */
import { authenticate } from 'mailauth';
import type { ResolveFn } from '../dns/resolver.ts';
import type { AuthSummary } from './policies/types.ts';

/** What a DMARC aggregate report row needs of one message (RFC 7489 appendix C `record`). */
export interface ReportFacts {
  headerFrom: string | null;
  envelopeFrom: string | null;
  /** policy_evaluated: the DMARC-aligned results (RFC 7489 §6.6.2) */
  aligned: { dkim: 'pass' | 'fail'; spf: 'pass' | 'fail' };
  dkim: { domain: string; selector: string | null; result: string }[];
  spf: { domain: string; result: string };
  /** the published policy mailauth applied, null without a DMARC record */
  policy: { domain: string; p: string; sp: string; adkim: string; aspf: string } | null;
}

export interface AuthOutcome {
  summary: AuthSummary;
  report: ReportFacts;
  /** `Received-SPF:` and `Authentication-Results:` lines from mailauth, CRLF terminated */
  headers: string;
}

export async function checkAuth(raw: Buffer, o: { ip: string; helo: string; sender: string; mta: string; resolver: ResolveFn }): Promise<AuthOutcome> {
  const res = await authenticate(raw, {
    ip: o.ip,
    helo: o.helo,
    sender: o.sender,
    mta: o.mta,
    resolver: o.resolver as never,
    disableArc: true,
  });
  const dkimResults = res.dkim?.results ?? [];
  // DMARC counts any passing signature (RFC 7489 §4.2); report the best result
  const dkim = dkimResults.some((r) => r.status?.result === 'pass') ? 'pass' : (dkimResults[0]?.status?.result ?? 'none');
  return {
    summary: {
      spf: res.spf ? (res.spf.status?.result ?? 'none') : 'none',
      dkim,
      dmarc: res.dmarc ? (res.dmarc.status?.result ?? 'none') : 'none',
    },
    headers: res.headers,
    report: reportFacts(res as unknown as MailauthResult, o.sender, o.helo),
  };
}

interface MailauthResult {
  dkim?: { results?: { signingDomain?: string; selector?: string; status?: { result?: string } }[] };
  spf?: { domain?: string; status?: { result?: string } } | false;
  dmarc?:
    | {
        domain?: string;
        policyDomain?: string;
        p?: string;
        sp?: string;
        status?: { result?: string; header?: { from?: string } };
        alignment?: { spf?: { result?: string | false; strict?: boolean }; dkim?: { result?: string | false; strict?: boolean } };
      }
    | false;
}

const domainOf = (a: string): string | null => (a.includes('@') ? a.split('@').pop()!.toLowerCase() : null);

function reportFacts(res: MailauthResult, sender: string, helo: string): ReportFacts {
  const dmarc = res.dmarc || undefined;
  const spf = res.spf || undefined;
  const from = dmarc?.status?.header?.from ?? dmarc?.domain ?? null;
  return {
    headerFrom: from ? (domainOf(from) ?? from.toLowerCase()) : null,
    envelopeFrom: domainOf(sender),
    aligned: { dkim: dmarc?.alignment?.dkim?.result ? 'pass' : 'fail', spf: dmarc?.alignment?.spf?.result ? 'pass' : 'fail' },
    dkim: (res.dkim?.results ?? [])
      .filter((r) => r.signingDomain)
      .map((r) => ({ domain: r.signingDomain!, selector: r.selector ?? null, result: r.status?.result ?? 'none' })),
    // RFC 7208 §2.4: a null reverse path is checked as postmaster@HELO
    spf: { domain: spf?.domain ?? domainOf(sender) ?? helo, result: spf?.status?.result ?? 'none' },
    policy:
      dmarc && dmarc.p
        ? {
            domain: dmarc.policyDomain ?? dmarc.domain ?? '',
            p: dmarc.p,
            sp: dmarc.sp ?? dmarc.p,
            adkim: dmarc.alignment?.dkim?.strict ? 's' : 'r',
            aspf: dmarc.alignment?.spf?.strict ? 's' : 'r',
          }
        : null,
  };
}
