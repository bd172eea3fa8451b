/**
 * gmx-like: links into suspicious TLDs send a message to Spamverdacht (no special-use flag).
 * The TLDs are the product's own reputation table, so the lab and the posture check agree.
 */
import { isSuspiciousTld } from '../../../src/knowledge/tld-reputation.ts';
import type { ProviderPolicy } from './types.ts';

const URL_RE = /\bhttps?:\/\/([^\s/?#<>"'()\]]+)/gi;
const HREF_RE = /\bhref\s*=\s*["']?\s*(?:https?:)?\/\/([^\s/?#<>"']+)/gi;

/** Host names of http(s) links in plain text and HTML (`href` and bare URLs). Pure. */
export function linkHosts(text = '', html = ''): string[] {
  const hosts = new Set<string>();
  for (const src of [text, html]) {
    for (const re of [URL_RE, HREF_RE]) {
      for (const m of src.matchAll(re)) {
        // strip userinfo and port; hosts are case-insensitive (RFC 3986 §3.2.2)
        const host = m[1].replace(/^.*@/, '').replace(/:\d*$/, '').replace(/\.$/, '').toLowerCase();
        if (host) hosts.add(host);
      }
    }
  }
  return [...hosts];
}

export function suspiciousHosts(hosts: string[]): string[] {
  return hosts.filter(isSuspiciousTld);
}

export const gmxPolicy: ProviderPolicy = {
  onMessage({ text, html }) {
    const bad = suspiciousHosts(linkHosts(text, html));
    if (bad.length > 0) {
      return {
        action: 'spam',
        reason: `link to suspicious TLD: ${bad.join(', ')}`,
        headers: [['X-UI-Filterresults', 'junk:10;V03:K0:lab-suspicious-tld;mailcanary-lab']],
      };
    }
    return { action: 'inbox', headers: [['X-UI-Filterresults', 'notjunk:1;V03:K0:lab;mailcanary-lab']] };
  },
};
