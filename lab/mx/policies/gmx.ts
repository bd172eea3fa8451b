/**
 * gmx-like: rspamd judges the content (lab/services/rspamd.ts); on top of it, links into
 * suspicious TLDs send a message to Spamverdacht (no special-use flag). The TLDs are the
 * product's own reputation table, so the lab and the posture check agree.
 */
import { isSuspiciousTld } from '../../../src/knowledge/tld-reputation.ts';
import type { ProviderPolicy } from './types.ts';
import { contentReject, contentVerdict } from './content.ts';

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
  onMessage({ text, html, content }) {
    const c = contentVerdict(content);
    if (c.verdict === 'reject') return contentReject(c);
    const bad = suspiciousHosts(linkHosts(text, html));
    const reasons = [...(bad.length ? [`link to suspicious TLD: ${bad.join(', ')}`] : []), ...(c.verdict === 'spam' ? [c.reason!] : [])];
    if (reasons.length > 0) {
      const why = bad.length ? 'lab-suspicious-tld' : 'lab-rspamd';
      return { action: 'spam', reason: reasons.join('; '), headers: [['X-UI-Filterresults', `junk:10;V03:K0:${why};mailcanary-lab`], ...c.headers] };
    }
    return { action: 'inbox', headers: [['X-UI-Filterresults', 'notjunk:1;V03:K0:lab;mailcanary-lab'], ...c.headers] };
  },
};
