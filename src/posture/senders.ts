/**
 * The sending domains and DKIM selectors of the posture checks, taken from the sender identities
 * (the senders file) instead of MAILCANARY_DOMAINS / MAILCANARY_DKIM_SELECTORS. Pure.
 *
 * Receivers judge each identity by its own domains: DMARC by the From domain (RFC 7489 §3.1),
 * SPF by the envelope sender's domain (RFC 7208 §2.4), DKIM by the selectors the domain signs
 * with. System mail (root@ the host name) is judged by the host name's SPF and DMARC.
 */
import { isValidDomain, normalizeDomain } from '../shared/dns/names.ts';
import type { PostureConfig } from './types.ts';

/** The parts of a sender identity the posture checks read (the senders file's entries have more). */
export interface PostureSender {
  id: string;
  from: string;
  envelopeFrom?: string;
  dkimSelectors?: string[];
  system?: boolean;
}

/** The domain of an address, also inside `Name <a@b>`; undefined when there is none. */
export function addressDomain(address: string): string | undefined {
  const m = /@([^\s<>@"]+?)>?\s*$/.exec(address);
  return m ? normalizeDomain(m[1]) : undefined;
}

function domainOf(s: PostureSender, field: 'from' | 'envelopeFrom'): string {
  const value = s[field] ?? '';
  const d = addressDomain(value);
  if (!d || !isValidDomain(d)) {
    throw new Error(`sender ${JSON.stringify(s.id)}: ${field} ${JSON.stringify(value)} has no valid domain; write an address such as monitor@example.org`);
  }
  return d;
}

/**
 * Posture configuration for the given senders: their domains (From and envelope) in the order
 * given, each From domain with the union of its senders' selectors (`base.dkimSelectors` for a
 * sender that names none), and the host names of system senders. Everything else from `base`.
 */
export function postureConfigForSenders(base: PostureConfig, senders: readonly PostureSender[]): PostureConfig {
  if (senders.length === 0) throw new Error('the senders file lists no sender: add at least one, or unset MAILCANARY_SENDERS to use MAIL_FROM');
  const domains: string[] = [];
  const systemHosts: string[] = [];
  const selectors = new Map<string, Set<string>>();
  const addTo = (list: string[], d: string) => {
    if (!list.includes(d)) list.push(d);
  };
  for (const s of senders) {
    const from = domainOf(s, 'from');
    const envelope = s.envelopeFrom ? domainOf(s, 'envelopeFrom') : from;
    if (s.system) {
      addTo(systemHosts, from);
      addTo(systemHosts, envelope);
      continue;
    }
    addTo(domains, from);
    addTo(domains, envelope);
    const own = selectors.get(from) ?? new Set<string>();
    for (const sel of s.dkimSelectors?.length ? s.dkimSelectors : base.dkimSelectors) own.add(sel);
    selectors.set(from, own);
    // an envelope domain of its own is checked for SPF, MX and DMARC; its DKIM keys are the From domain's
    if (!selectors.has(envelope)) selectors.set(envelope, new Set());
  }
  return {
    ...base,
    domains,
    domainSelectors: Object.fromEntries([...selectors].map(([d, set]) => [d, [...set]])),
    // a host name that is also a sending domain gets the full set of checks there
    systemHosts: systemHosts.filter((h) => !domains.includes(h)),
  };
}
