/**
 * t-online-like: only allowlisted sending IPs may deliver (Telekom's "NOWL" reject for servers
 * it does not know; the allowlist comes from the scenario).
 */
import type { ProviderPolicy } from './types.ts';

export function nowlText(ip: string): string {
  return `5.7.1 IP=${ip} - None/bad reputation (NOWL) - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.)`;
}

export const tonlinePolicy: ProviderPolicy = {
  onRcpt({ ip, scenario }) {
    const allow = scenario.mx.allowlist['t-online'];
    if (allow && !allow.includes(ip)) return { action: 'reject', code: 554, text: nowlText(ip), reason: 'sending IP not allowlisted' };
    return null;
  },
  onMessage() {
    return { action: 'inbox' };
  },
};
