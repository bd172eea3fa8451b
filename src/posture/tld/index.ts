/** Suspicious TLD test (issue 5 point 8): pure, offline, reusable by the lab's gmx-like MX. */
import { SUSPICIOUS_TLDS } from './tld-data.ts';
import type { SuspiciousTld } from './tld-data.ts';

export { SUSPICIOUS_TLDS, SUSPICIOUS_TLD_SOURCE } from './tld-data.ts';
export type { SuspiciousTld } from './tld-data.ts';

const BY_TLD = new Map(SUSPICIOUS_TLDS.map((t) => [t.tld, t]));

/** The host of a URL, an email address or a bare host name, lower case, without the root dot. */
export function hostOf(input: string): string {
  const s = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    try {
      return new URL(s).hostname.toLowerCase().replace(/\.$/, '');
    } catch {
      return '';
    }
  }
  return s.slice(s.lastIndexOf('@') + 1).toLowerCase().replace(/[/:?#].*$/, '').replace(/\.$/, '');
}

/** The list entry for the TLD of `host` (a host, URL or address), if it is ranked badly. */
export function suspiciousTld(host: string): SuspiciousTld | undefined {
  const h = hostOf(host);
  if (!h.includes('.')) return undefined;
  return BY_TLD.get(h.slice(h.lastIndexOf('.') + 1));
}

export function isSuspiciousTld(host: string): boolean {
  return suspiciousTld(host) !== undefined;
}
