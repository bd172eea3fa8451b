/**
 * TLD reputation: the TLDs that abuse statistics rank badly, and the lookup of a host, URL or
 * address against them. Mail whose sending domain or links use them starts with a worse score
 * at many filters. The posture suite's TLD check and the lab's gmx-like MX both read this table.
 *
 * Sources: Spamhaus Project, "The World's Most Abused TLDs"
 * (https://www.spamhaus.org/reputation-statistics/cctlds/domains/), and Interisle Consulting
 * Group, "Phishing Landscape" yearly studies (https://interisle.net/). Compiled 2026-11, offline,
 * from those rankings as published in 2023-2025 (TLDs that appeared repeatedly near the top);
 * the rankings move every quarter, so refresh this list from the sources when you update it.
 */

export interface SuspiciousTld {
  tld: string;
  /** why it is listed */
  note: string;
}

export const SUSPICIOUS_TLD_SOURCE = {
  source: 'Spamhaus "The World\'s Most Abused TLDs"; Interisle "Phishing Landscape" 2023-2025',
  urls: ['https://www.spamhaus.org/reputation-statistics/cctlds/domains/', 'https://interisle.net/'],
  compiled: '2026-11',
};

const CHEAP_GTLD = 'cheap new gTLD, ranked among the most abused by Spamhaus/Interisle';
const FREENOM = 'formerly free Freenom ccTLD, long dominated by abuse';
const LEGACY_SPAM = 'spam-heavy new gTLD (long-standing in abuse rankings)';

export const SUSPICIOUS_TLDS: SuspiciousTld[] = [
  ...[
    'top',
    'xyz',
    'icu',
    'buzz',
    'cyou',
    'sbs',
    'cfd',
    'bond',
    'click',
    'link',
    'rest',
    'lol',
    'monster',
    'quest',
    'fun',
    'online',
    'site',
    'store',
    'live',
    'shop',
    'club',
    'cam',
    'uno',
    'lat',
    'autos',
    'boats',
    'homes',
    'yachts',
    'motorcycles',
    'beauty',
    'hair',
    'skin',
    'makeup',
    'mom',
    'zip',
    'mov',
    'support',
    'today',
  ].map((tld) => ({ tld, note: CHEAP_GTLD })),
  ...['tk', 'ml', 'ga', 'cf', 'gq'].map((tld) => ({ tld, note: FREENOM })),
  ...[
    'work',
    'fit',
    'loan',
    'men',
    'date',
    'faith',
    'racing',
    'win',
    'review',
    'stream',
    'download',
    'bid',
    'trade',
    'party',
    'science',
    'cricket',
    'accountant',
    'gdn',
    'kim',
    'country',
  ].map((tld) => ({ tld, note: LEGACY_SPAM })),
];

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
  return s
    .slice(s.lastIndexOf('@') + 1)
    .toLowerCase()
    .replace(/[/:?#].*$/, '')
    .replace(/\.$/, '');
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
