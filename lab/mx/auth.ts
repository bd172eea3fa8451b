/** Runs mailauth for one received message against the lab DNS and sums up the verdicts. */
import { authenticate } from 'mailauth';
import type { ResolveFn } from '../dns/resolver.ts';
import type { AuthSummary } from './policies/types.ts';

export interface AuthOutcome {
  summary: AuthSummary;
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
  };
}
