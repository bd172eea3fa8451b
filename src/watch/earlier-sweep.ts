/**
 * Messages of earlier runs that arrived after their run had stopped watching (a provider that
 * held them for hours, a seed that could not be read). With MAILCANARY_CLEANUP a later run
 * removes them at its end: the history names the exact tags that were never found, and only a
 * message carrying one of those tags, addressed to a seed of this watcher, is touched.
 *
 * Finding them costs one search per folder: `UID SEARCH HEADER X-Mailcanary-Tag mc` (RFC 3501
 * §6.4.4: a substring of the field; every tag starts with `mc`), then the tag field of the hits
 * (BODY.PEEK, so `\Seen` never changes) compared with the list, in the folder opened read-only
 * (EXAMINE). The removal is `removeTagged` (src/watch/cleanup.ts), which reads each tag again
 * before its UID STORE and UID EXPUNGE.
 */
import type { ImapFlow } from 'imapflow';
import { TAG_HEADER } from '../send/index.ts';
import type { CleanupItem } from './cleanup.ts';
import { TAG_LINE } from './mailbox-scan.ts';

/** A message an earlier run sent and never found (from the history). */
export interface EarlierMessage {
  seedId: string;
  tag: string;
}

/** Where in `folders` the messages carrying one of `tags` are now. */
export async function findEarlier(client: ImapFlow, folders: readonly string[], tags: ReadonlySet<string>): Promise<CleanupItem[]> {
  const items: CleanupItem[] = [];
  if (!tags.size) return items;
  for (const folder of folders) {
    await client.mailboxOpen(folder, { readOnly: true });
    const uids = (await client.search({ header: { [TAG_HEADER]: 'mc' } }, { uid: true })) || [];
    if (!uids.length) continue;
    const found = await client.fetchAll(uids, { uid: true, headers: [TAG_HEADER] }, { uid: true });
    for (const m of found) {
      const tag = m.headers ? TAG_LINE.exec(m.headers.toString('utf8'))?.[1]?.trim().toLowerCase() : undefined;
      if (tag && tags.has(tag)) items.push({ tag, folder, uid: m.uid });
    }
  }
  return items;
}
