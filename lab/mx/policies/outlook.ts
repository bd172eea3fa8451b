/**
 * outlook-like: rspamd judges the content (lab/services/rspamd.ts), and DMARC must pass or the
 * message goes to "Junk Email" (Microsoft enforces DMARC for consumer domains since 2025). Adds
 * the Forefront/EOP verdict headers a real mailbox shows.
 */
import type { ProviderPolicy } from './types.ts';
import { contentReject, contentVerdict } from './content.ts';

export function forefrontReport(ip: string, spam: boolean): string {
  return `CIP:${ip};CTRY:;LANG:en;SCL:${spam ? 5 : 1};SRV:;IPV:NLI;SFV:${spam ? 'SPM' : 'NSPM'};H:mailcanary-lab;PTR:;CAT:${spam ? 'SPM' : 'NONE'};SFS:;DIR:INB;`;
}

export const outlookPolicy: ProviderPolicy = {
  onMessage({ auth, ip, content }) {
    const c = contentVerdict(content);
    if (c.verdict === 'reject') return contentReject(c);
    const reasons = [...(auth.dmarc !== 'pass' ? [`dmarc=${auth.dmarc}`] : []), ...(c.verdict === 'spam' ? [c.reason!] : [])];
    const spam = reasons.length > 0;
    return {
      action: spam ? 'spam' : 'inbox',
      reason: spam ? reasons.join('; ') : undefined,
      headers: [['X-Forefront-Antispam-Report', forefrontReport(ip, spam)], ['X-MS-Exchange-Organization-SCL', spam ? '5' : '1'], ...c.headers],
    };
  },
};
