/**
 * TLDs that abuse statistics rank badly (issue 5 point 8), as data. Mail whose sending domain
 * or links use them starts with a worse score at many filters.
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
  ...['top', 'xyz', 'icu', 'buzz', 'cyou', 'sbs', 'cfd', 'bond', 'click', 'link', 'rest', 'lol', 'monster', 'quest',
    'fun', 'online', 'site', 'store', 'live', 'shop', 'club', 'cam', 'uno', 'lat', 'autos', 'boats', 'homes', 'yachts',
    'motorcycles', 'beauty', 'hair', 'skin', 'makeup', 'mom', 'zip', 'mov', 'support', 'today'].map((tld) => ({ tld, note: CHEAP_GTLD })),
  ...['tk', 'ml', 'ga', 'cf', 'gq'].map((tld) => ({ tld, note: FREENOM })),
  ...['work', 'fit', 'loan', 'men', 'date', 'faith', 'racing', 'win', 'review', 'stream', 'download', 'bid', 'trade',
    'party', 'science', 'cricket', 'accountant', 'gdn', 'kim', 'country'].map((tld) => ({ tld, note: LEGACY_SPAM })),
];
