/**
 * outlook-like: DMARC must pass or the message goes to "Junk Email" (Microsoft enforces DMARC
 * for consumer domains since 2025). Adds the Forefront/EOP verdict headers a real mailbox shows.
 */
import type { ProviderPolicy } from './types.ts';

export function forefrontReport(ip: string, spam: boolean): string {
  return `CIP:${ip};CTRY:;LANG:en;SCL:${spam ? 5 : 1};SRV:;IPV:NLI;SFV:${spam ? 'SPM' : 'NSPM'};H:mailcanary-lab;PTR:;CAT:${spam ? 'SPM' : 'NONE'};SFS:;DIR:INB;`;
}

export const outlookPolicy: ProviderPolicy = {
  onMessage({ auth, ip }) {
    const spam = auth.dmarc !== 'pass';
    return {
      action: spam ? 'spam' : 'inbox',
      reason: spam ? `dmarc=${auth.dmarc}` : undefined,
      headers: [
        ['X-Forefront-Antispam-Report', forefrontReport(ip, spam)],
        ['X-MS-Exchange-Organization-SCL', spam ? '5' : '1'],
      ],
    };
  },
};
