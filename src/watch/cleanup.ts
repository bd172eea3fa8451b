/**
 * Removal of our own test messages (MAILCANARY_CLEANUP) from a seed mailbox, built so that it can
 * only ever remove a message carrying the run's exact tag.
 *
 * IMAP has two ways to remove a message, and only one of them is safe in somebody else's mailbox:
 * a plain EXPUNGE (RFC 3501 §6.4.3) removes *every* message flagged `\Deleted` in the folder,
 * including the ones the user's own mail client flagged and has not expunged yet. `UID EXPUNGE`
 * (RFC 4315 §2.1, the UIDPLUS extension) removes only the listed UIDs. So:
 *
 * - a server without UIDPLUS gets no command at all: our message is left as it is (not even
 *   flagged, since a `\Deleted` we set would be expunged by the user's client later on its own
 *   terms, and an untouched message is the least surprise) and the outcome says why;
 * - with UIDPLUS the folder is opened read-write (SELECT) only for the deletion, every UID's
 *   `X-Mailcanary-Tag` is read again (BODY.PEEK, so `\Seen` never changes) and only the UIDs that
 *   still carry the exact tag are flagged (`UID STORE +FLAGS.SILENT (\Deleted)`) and removed
 *   (`UID EXPUNGE <those UIDs>`); a refused UID EXPUNGE takes the flag off again. The folder is
 *   then opened read-only again (EXAMINE), so no later command can expunge anything: CLOSE
 *   (RFC 3501 §6.4.2) removes `\Deleted` messages only from a read-write selected folder.
 *
 * imapflow's `messageDelete()` is not used: it falls back to a plain EXPUNGE when the server lacks
 * UIDPLUS. UID EXPUNGE is sent here through the client's command queue directly.
 *
 * The caller serialises this with everything else on the connection: a SELECT of another folder
 * between the STORE and the UID EXPUNGE would make the expunge miss (or, read-only, fail).
 */
import type { ImapFlow } from 'imapflow';
import { TAG_HEADER } from '../send/index.ts';
import { redact } from '../shared/redact.ts';
import { TAG_LINE } from './mailbox-scan.ts';

/** One of our messages to remove: the tag it must carry, and where it was seen. */
export interface CleanupItem {
  tag: string;
  folder: string;
  uid: number;
}

export type CleanupOutcome =
  { tag: string; status: 'deleted'; folder: string; uid: number } | { tag: string; status: 'not-deleted'; reason: string; folder?: string; uid?: number };

export const NO_UIDPLUS_REASON =
  'server lacks UIDPLUS (RFC 4315), so mailcanary never expunges (a plain EXPUNGE would also erase messages your mail client flagged \\Deleted): delete it yourself or leave MAILCANARY_CLEANUP off';

/** The part of imapflow's command queue used for UID EXPUNGE (the `exec` every command goes through). */
interface CommandQueue {
  exec(command: string, attributes: unknown[]): Promise<{ next(): void }>;
}

/** Outcome text of a CleanupOutcome, for an annotation or a log line. */
export function describeCleanup(o: CleanupOutcome): string {
  if (o.status === 'deleted') return `deleted ${o.tag} (UID ${o.uid} in ${o.folder}, by UID EXPUNGE)`;
  return `not deleted: ${o.tag}${o.folder ? ` in ${o.folder}` : ''}: ${o.reason}`;
}

/**
 * Removes the messages of `items` that sit in `folder` and still carry their tag. Protocol
 * outcomes (no UIDPLUS, a refused command, a message that is gone) are returned per item; only a
 * failing connection throws.
 */
export async function removeTagged(client: ImapFlow, folder: string, items: CleanupItem[]): Promise<CleanupOutcome[]> {
  const notDeleted = (list: CleanupItem[], reason: string): CleanupOutcome[] =>
    list.map((i) => ({ tag: i.tag, status: 'not-deleted', reason, folder, uid: i.uid }));
  if (!items.length) return [];
  if (!client.capabilities.has('UIDPLUS')) return notDeleted(items, NO_UIDPLUS_REASON);
  const box = await client.mailboxOpen(folder, { readOnly: false });
  try {
    if (box.readOnly) return notDeleted(items, `the server opened ${folder} read-only (no permission to delete)`);
    const found = await client.fetchAll(items.map((i) => i.uid).join(','), { uid: true, headers: [TAG_HEADER] }, { uid: true });
    const tagOf = new Map(found.map((m) => [m.uid, m.headers ? TAG_LINE.exec(m.headers.toString('utf8'))?.[1]?.trim().toLowerCase() : undefined]));
    const mine = items.filter((i) => tagOf.get(i.uid) === i.tag);
    const out = notDeleted(
      items.filter((i) => !mine.includes(i)),
      'not found again: no message under its UID carries this tag any more (already deleted, or the folder was recreated)',
    );
    if (!mine.length) return out;
    const set = mine.map((i) => i.uid).join(',');
    if (!(await client.messageFlagsAdd(set, ['\\Deleted'], { uid: true, silent: true }))) {
      return [...out, ...notDeleted(mine, `the server refused to flag it \\Deleted in ${folder}`)];
    }
    try {
      const done = await (client as unknown as CommandQueue).exec('UID EXPUNGE', [{ type: 'SEQUENCE', value: set }]);
      done.next();
    } catch (err) {
      if (!isCommandRefusal(err)) throw err;
      // our flag must not stay for a later plain EXPUNGE by someone else to act on
      await client.messageFlagsRemove(set, ['\\Deleted'], { uid: true, silent: true });
      return [...out, ...notDeleted(mine, `the server refused UID EXPUNGE (${refusalText(err)}); the \\Deleted flag was taken off again`)];
    }
    // what the server still holds under these UIDs was not expunged
    const left = new Set((await client.search({ uid: set }, { uid: true })) || []);
    for (const i of mine) {
      out.push(
        left.has(i.uid)
          ? { tag: i.tag, status: 'not-deleted', reason: 'still there after UID EXPUNGE (flagged \\Deleted)', folder, uid: i.uid }
          : { tag: i.tag, status: 'deleted', folder, uid: i.uid },
      );
    }
    return out;
  } finally {
    // back to read-only, so nothing issued on this connection later can expunge
    await client.mailboxOpen(folder, { readOnly: true });
  }
}

/** A tagged NO/BAD: the server answered, the connection is fine. */
function isCommandRefusal(err: unknown): boolean {
  const status = (err as { responseStatus?: string } | null)?.responseStatus;
  return status === 'NO' || status === 'BAD';
}

function refusalText(err: unknown): string {
  const e = err as { responseText?: string; responseStatus?: string };
  return redact(`${e.responseStatus ?? ''} ${e.responseText ?? ''}`.trim());
}
