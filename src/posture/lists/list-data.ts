/**
 * The DNS block- and allow-lists mailcanary queries, as data. Query format:
 * RFC 5782 section 2.1 (IPv4: reversed octets), section 2.4 (IPv6: reversed nibbles), section 3
 * (domain lists: the name itself). Return codes are each operator's documented meanings.
 *
 * Left out because dead or unusable: SORBS (shut down in 2024), NJABL and AHBL (closed, some
 * former zones list the whole Internet), Spamhaus SBL/XBL/PBL zones (all inside ZEN), and
 * UCEPROTECT levels 2 and 3 (they list whole networks, not the sender).
 * Compiled 2026-11 from the operators' published return-code documentation; re-check when an operator changes policy.
 */

export type ListFamily = 'ip4' | 'ip6' | 'domain';

export interface DnsList {
  /** DNS zone queried, e.g. `zen.spamhaus.org` */
  zone: string;
  name: string;
  /** `block` lists are bad to be on; `allow` lists (dnswl) are good to be on */
  kind: 'block' | 'allow';
  /** which targets the list covers; an IPv6 sender is only queried on lists that cover ip6 */
  covers: ListFamily[];
  /** meaning of each A answer; an answer in 127/8 not listed here still means "listed" */
  codes?: Record<string, string>;
  /**
   * Answers that mean the query itself was refused (public resolver, no account, over quota):
   * never "listed" nor "clean", the result is unknown and the fix is to use your own resolver.
   */
  refused?: Record<string, string>;
  /** decode the answer as dnswl.org's 127.0.<category>.<trust> */
  decode?: 'dnswl';
  /** where a listed sender looks up the reason and asks for removal */
  lookupUrl?: string;
  /** what to do when the list refuses the query */
  refusedFix?: string;
}

const SPAMHAUS_REFUSED: Record<string, string> = {
  '127.255.255.252': 'typing error in the DNSBL name',
  '127.255.255.253': 'query refused (Spamhaus error code)',
  '127.255.255.254': 'query through a public/open resolver, refused by Spamhaus',
  '127.255.255.255': 'excessive number of queries from this resolver',
};

const SPAMHAUS_FIX =
  'Spamhaus refuses queries from public and large shared resolvers: set MAILCANARY_DNS_SERVERS to your own recursive resolver (e.g. a local unbound), or use a Spamhaus DQS key zone via MAILCANARY_BLOCKLISTS_EXTRA';

export const DEFAULT_LISTS: DnsList[] = [
  {
    zone: 'zen.spamhaus.org',
    name: 'Spamhaus ZEN',
    kind: 'block',
    covers: ['ip4', 'ip6'],
    codes: {
      '127.0.0.2': 'SBL: Spamhaus Block List (known spam source or spam operation)',
      '127.0.0.3': 'SBL CSS: snowshoe spam / low-reputation sending',
      '127.0.0.4': 'XBL: exploited or infected host (CBL)',
      '127.0.0.5': 'XBL: exploited or infected host',
      '127.0.0.6': 'XBL: exploited or infected host',
      '127.0.0.7': 'XBL: exploited or infected host',
      '127.0.0.9': 'SBL DROP: hijacked or criminal netblock',
      '127.0.0.10': 'PBL: ISP says this address should not send mail directly (end-user range)',
      '127.0.0.11': 'PBL: Spamhaus says this address should not send mail directly (end-user range)',
    },
    refused: SPAMHAUS_REFUSED,
    lookupUrl: 'https://check.spamhaus.org/',
    refusedFix: SPAMHAUS_FIX,
  },
  {
    zone: 'dbl.spamhaus.org',
    name: 'Spamhaus DBL',
    kind: 'block',
    covers: ['domain'],
    codes: {
      '127.0.1.2': 'spam domain',
      '127.0.1.4': 'phishing domain',
      '127.0.1.5': 'malware domain',
      '127.0.1.6': 'botnet command-and-control domain',
      '127.0.1.102': 'abused legitimate domain (spam)',
      '127.0.1.103': 'abused legitimate domain (spammed redirector)',
      '127.0.1.104': 'abused legitimate domain (phishing)',
      '127.0.1.105': 'abused legitimate domain (malware)',
      '127.0.1.106': 'abused legitimate domain (botnet C&C)',
    },
    refused: { ...SPAMHAUS_REFUSED, '127.0.1.255': 'IP address queried on a domain list' },
    lookupUrl: 'https://check.spamhaus.org/',
    refusedFix: SPAMHAUS_FIX,
  },
  {
    zone: 'b.barracudacentral.org',
    name: 'Barracuda Reputation Block List',
    kind: 'block',
    covers: ['ip4'],
    codes: { '127.0.0.2': 'listed in the Barracuda Reputation Block List' },
    lookupUrl: 'https://www.barracudacentral.org/lookups',
    refusedFix: 'Barracuda answers only resolvers registered (free) at barracudacentral.org: register the address of the resolver in MAILCANARY_DNS_SERVERS',
  },
  {
    zone: 'bl.spamcop.net',
    name: 'SpamCop',
    kind: 'block',
    covers: ['ip4'],
    codes: { '127.0.0.2': 'listed in SpamCop (reported by spam recipients)' },
    lookupUrl: 'https://www.spamcop.net/bl.shtml',
  },
  {
    zone: 'psbl.surriel.com',
    name: 'PSBL (Passive Spam Block List)',
    kind: 'block',
    covers: ['ip4'],
    codes: { '127.0.0.2': 'listed in PSBL (sent mail to spam traps)' },
    lookupUrl: 'https://psbl.org/',
  },
  {
    zone: 'bl.mailspike.net',
    name: 'Mailspike',
    kind: 'block',
    covers: ['ip4'],
    codes: {
      '127.0.0.2': 'listed in the Mailspike blacklist',
      '127.0.0.10': 'Mailspike reputation: worst',
      '127.0.0.11': 'Mailspike reputation: very bad',
      '127.0.0.12': 'Mailspike reputation: bad',
    },
    lookupUrl: 'https://mailspike.io/',
  },
  {
    zone: 'dnsbl-1.uceprotect.net',
    name: 'UCEPROTECT level 1',
    kind: 'block',
    covers: ['ip4'],
    codes: { '127.0.0.2': 'listed in UCEPROTECT level 1 (this address hit their spam traps)' },
    lookupUrl: 'https://www.uceprotect.net/en/rblcheck.php',
  },
  {
    zone: 'list.dnswl.org',
    name: 'dnswl.org',
    kind: 'allow',
    covers: ['ip4', 'ip6'],
    decode: 'dnswl',
    refused: { '127.0.0.255': 'query limit exceeded or resolver blocked by dnswl.org' },
    lookupUrl: 'https://www.dnswl.org/?page_id=17',
    refusedFix: 'dnswl.org blocks high-volume and public resolvers: set MAILCANARY_DNS_SERVERS to your own recursive resolver',
  },
];

/** dnswl.org category codes (127.0.<category>.<trust>), from dnswl.org's "return codes" page. */
export const DNSWL_CATEGORIES: Record<number, string> = {
  2: 'financial services',
  3: 'email service providers',
  4: 'organisations (both for-profit and non-profit)',
  5: 'service/network providers',
  6: 'personal/private servers',
  7: 'travel/leisure industry',
  8: 'public sector/governments',
  9: 'media and tech companies',
  10: 'some special cases',
  11: 'education, academic',
  12: 'healthcare',
  13: 'manufacturing/industrial',
  14: 'retail/wholesale/services',
  15: 'email marketing providers',
  20: 'added through self service without specific category',
};

/** dnswl.org trust scores (last octet). */
export const DNSWL_TRUST: Record<number, string> = { 0: 'none', 1: 'low', 2: 'medium', 3: 'high' };

/**
 * Parses `MAILCANARY_BLOCKLISTS_EXTRA`-style entries: `zone:families[:allow]`, families joined by
 * `+`, e.g. `bl.lab.test:ip4`, `dbl.lab.test:domain`, `wl.lab.test:ip4+ip6:allow`.
 */
export function parseListSpec(spec: string, source = 'MAILCANARY_BLOCKLISTS_EXTRA'): DnsList {
  const parts = spec.trim().split(':');
  const zone = (parts[0] ?? '').toLowerCase().replace(/\.$/, '');
  const where = `${source} entry "${spec.trim()}"`;
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(zone)) {
    throw new Error(`${where}: "${zone}" is not a DNS zone; write zone:ip4, zone:ip6, zone:domain or zone:ip4+ip6[:allow]`);
  }
  const families = (parts[1] ?? 'ip4').split('+').map((f) => f.trim().toLowerCase());
  for (const f of families) {
    if (f !== 'ip4' && f !== 'ip6' && f !== 'domain') {
      throw new Error(`${where}: unknown family "${f}"; use ip4, ip6 or domain, joined by + (e.g. ${zone}:ip4+ip6)`);
    }
  }
  const kind = parts[2]?.trim().toLowerCase();
  if (kind !== undefined && kind !== 'allow' && kind !== 'block') {
    throw new Error(`${where}: third field must be "allow" or "block", got "${kind}"`);
  }
  if (parts.length > 3) throw new Error(`${where}: too many ":" fields; write zone:families[:allow]`);
  return { zone, name: zone, kind: kind === 'allow' ? 'allow' : 'block', covers: families as ListFamily[] };
}
