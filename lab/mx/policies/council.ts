/**
 * council-like: a city council's mail filter that no seed mailbox can ever watch. It refuses
 * every sender at RCPT by a commercial IP reputation verdict, the way such appliances answer
 * (RFC 3463 5.7.1, "delivery not authorized"): the user learns of it only from the server's
 * own log or from a bounce to a real correspondent.
 */
import type { ProviderPolicy } from './types.ts';

export function cyrenText(ip: string): string {
  return `5.7.1 Service unavailable; client [${ip}] rejected: CYREN IP reputation determined a medium risk (council.lab.test mail filter)`;
}

export const councilPolicy: ProviderPolicy = {
  onRcpt({ ip }) {
    return { action: 'reject', code: 550, text: cyrenText(ip), reason: 'IP reputation: medium risk' };
  },
  onMessage({ ip }) {
    return { action: 'reject', code: 550, text: cyrenText(ip), reason: 'IP reputation: medium risk' };
  },
};
