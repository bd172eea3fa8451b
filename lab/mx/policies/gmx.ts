/**
 * gmx-like: rspamd judges the content (lab/services/rspamd.ts); on top of it, links into
 * suspicious TLDs send a message to Spamverdacht (no special-use flag). The TLDs are the
 * product's own reputation table, so the lab and the posture check agree.
 */
import { isSuspiciousTld } from '../../../src/knowledge/tld-reputation.ts';
import type { ProviderPolicy } from './types.ts';
import { contentReject, contentVerdict } from './content.ts';
import { linkHosts } from '../../../src/content/index.ts';

/** Host names of http(s) links in plain text and HTML: the product's own reading (src/content). */
export { linkHosts };

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
