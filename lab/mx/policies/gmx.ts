/** gmx-like: links into suspicious TLDs send a message to Spamverdacht (no special-use flag). */
import { readFileSync } from 'node:fs';
import type { ProviderPolicy } from './types.ts';

const data = JSON.parse(readFileSync(new URL('../suspicious-tlds.json', import.meta.url), 'utf8')) as { tlds: string[] };
export const SUSPICIOUS_TLDS: ReadonlySet<string> = new Set(data.tlds.map((t) => t.toLowerCase()));

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

export function suspiciousHosts(hosts: string[], tlds: ReadonlySet<string> = SUSPICIOUS_TLDS): string[] {
  return hosts.filter((h) => tlds.has(h.slice(h.lastIndexOf('.') + 1)));
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
