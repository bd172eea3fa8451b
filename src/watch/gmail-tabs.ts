/**
 * Gmail inbox tabs (Primary / Promotions / Social / Updates / Forums).
 *
 * A message in Gmail's INBOX still lands in one of the category tabs, and "inbox" is only good news
 * when the tab is Primary. Gmail exposes the category through its IMAP extension (X-GM-EXT-1,
 * https://developers.google.com/gmail/imap/imap-extensions): `X-GM-RAW "category:promotions"`
 * searches with Gmail's own search syntax. X-GM-LABELS does not normally list categories, but
 * some Gmail-compatible servers and gateways do (`CATEGORY_PROMOTIONS`, `\Promotions`), so labels
 * are read first and the search is the authority.
 *
 * On any other server (no X-GM-EXT-1) no tab is reported: the absence is the clean fallback.
 */
export const GMAIL_TABS = ['primary', 'promotions', 'social', 'updates', 'forums'] as const;
export type GmailTab = (typeof GMAIL_TABS)[number];

/** The part of imapflow the tab lookup needs (the mailbox is already selected). */
export interface TabClient {
  capabilities: Map<string, unknown> | Set<string>;
  search(query: Record<string, unknown>, options: { uid: true }): Promise<number[] | false | undefined>;
}

const LABEL_TAB: Record<string, GmailTab> = {
  category_personal: 'primary',
  category_primary: 'primary',
  category_promotions: 'promotions',
  category_social: 'social',
  category_updates: 'updates',
  category_forums: 'forums',
  '\\promotions': 'promotions',
  '\\social': 'social',
  '\\updates': 'updates',
  '\\forums': 'forums',
};

/** Tab named by a message's X-GM-LABELS, if any (pure). */
export function tabFromLabels(labels: Iterable<string> | undefined): GmailTab | undefined {
  if (!labels) return undefined;
  for (const l of labels) {
    const t = LABEL_TAB[String(l).toLowerCase().replace(/^"|"$/g, '')];
    if (t) return t;
  }
  return undefined;
}

export function isGmailServer(client: Pick<TabClient, 'capabilities'>): boolean {
  return client.capabilities.has('X-GM-EXT-1');
}

export interface TabLookup {
  tabs: Map<number, GmailTab>;
  /** why some or all tabs are unknown (not Gmail, search refused) */
  note?: string;
}

/**
 * Looks up the tab of each INBOX uid with one X-GM-RAW search per category (five searches at most,
 * whatever the number of messages). The non-primary tabs are asked first: a message Gmail lists
 * under none of them is then confirmed Primary by its own search, never assumed.
 */
export async function lookupGmailTabs(client: TabClient, uids: number[], labels: Map<number, Iterable<string> | undefined> = new Map()): Promise<TabLookup> {
  const tabs = new Map<number, GmailTab>();
  if (!uids.length) return { tabs };
  for (const uid of uids) {
    const t = tabFromLabels(labels.get(uid));
    if (t) tabs.set(uid, t);
  }
  if (!isGmailServer(client)) return { tabs, note: tabs.size ? undefined : 'not a Gmail server (no X-GM-EXT-1): tabs unknown' };
  const order: GmailTab[] = ['promotions', 'social', 'updates', 'forums', 'primary'];
  for (const tab of order) {
    const open = uids.filter((u) => !tabs.has(u));
    if (!open.length) break;
    let hits: number[] | false | undefined;
    try {
      hits = await client.search({ uid: open.join(','), gmraw: `category:${tab}` }, { uid: true });
    } catch (err) {
      const why = (err as { responseText?: string; message?: string }).responseText ?? (err as Error).message;
      return { tabs, note: `Gmail refused the category search (${String(why).slice(0, 120)}): tabs unknown` };
    }
    for (const u of hits || []) if (open.includes(u)) tabs.set(u, tab);
  }
  const unknown = uids.filter((u) => !tabs.has(u));
  return { tabs, note: unknown.length ? `no category matched uid ${unknown.join(',')} (tabs disabled?)` : undefined };
}
