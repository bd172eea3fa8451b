/**
 * One look into one folder for the tagged messages of the watched runs. The cost depends on what
 * is new, not on the folder's size: an unchanged UIDNEXT (RFC 3501 §2.3.1.1) means nothing
 * arrived and costs one EXAMINE; otherwise only UIDs from the last UIDNEXT on are searched.
 */
import type { ImapFlow } from 'imapflow';
import type { Sighting } from '../model.ts';
import { TAG_HEADER, runIdOfTag } from '../send/index.ts';
import { placementOf, placementRank, type FolderPlan } from './folders.ts';
import { lookupGmailTabs } from './gmail-tabs.ts';

export interface Cursor {
  uidValidity: bigint;
  uidNext: number;
  /** when the EXAMINE that gave this UIDNEXT was sent: every message arriving later has a UID ≥ uidNext */
  takenAt: number;
}

export interface ScanState {
  plan: FolderPlan;
  cursors: Map<string, Cursor>;
  runIds: Set<string>;
  sightings: Map<string, Sighting>;
  /** earliest submission of the watched messages (bounds the first look's SINCE) */
  earliestSubmit: number;
  now: () => number;
}

export const TAG_LINE = new RegExp(`^${TAG_HEADER}:[ \\t]*([^\\r\\n]+)`, 'im');

/** Looks into `path` (opened read-only: EXAMINE, RFC 3501 §6.3.2) and records new sightings. */
export async function scanFolder(client: ImapFlow, path: string, st: ScanState): Promise<void> {
  const takenAt = st.now();
  const mailbox = await client.mailboxOpen(path, { readOnly: true });
  const cursor = st.cursors.get(path);
  const sameGeneration = cursor && cursor.uidValidity === mailbox.uidValidity;
  if (sameGeneration && cursor.uidNext === mailbox.uidNext) return; // nothing new arrived
  st.cursors.set(path, { uidValidity: mailbox.uidValidity, uidNext: mailbox.uidNext, takenAt });
  if (!mailbox.exists) return;
  const since = Math.min(st.earliestSubmit, st.now()) - 36 * 3600_000;
  const fromUid = sameGeneration ? cursor.uidNext : await windowStartUid(client, mailbox.exists, since);
  for (const runId of st.runIds) {
    const query = { uid: `${fromUid}:*`, header: { [TAG_HEADER]: runId } };
    const uids = ((await client.search(query, { uid: true })) || []).filter((u) => u >= fromUid);
    if (uids.length) await record(client, path, uids, (r) => r === runId, st);
  }
}

/**
 * Where a first look starts: the oldest message that arrived in the window (36 h before the first
 * submission). Found by walking back from the newest message in growing chunks of INTERNALDATEs
 * (RFC 3501 §2.3.3; sequence numbers follow arrival), so a folder of years of test mail costs a
 * FETCH or two instead of a SEARCH SINCE that makes the server read the date of every message.
 * A message without a date counts as recent (looked at rather than skipped).
 */
export async function windowStartUid(client: ImapFlow, exists: number, since: number): Promise<number> {
  let first = Infinity;
  let hi = exists;
  for (let chunk = 64; hi >= 1; chunk *= 4) {
    const lo = Math.max(1, hi - chunk + 1);
    const msgs = await client.fetchAll(`${lo}:${hi}`, { uid: true, internalDate: true });
    msgs.sort((a, b) => b.seq - a.seq);
    for (const m of msgs) {
      const at = m.internalDate ? new Date(m.internalDate).getTime() : NaN;
      if (at < since) return first === Infinity ? m.uid + 1 : first;
      first = Math.min(first, m.uid);
    }
    hi = lo - 1;
  }
  return first === Infinity ? 1 : first;
}

/**
 * A look into the folder this connection already has selected and idles on: no EXAMINE (which
 * costs the server more the bigger the folder is), just the UIDs from the cursor on
 * (`UID SEARCH UID n:*`) and the headers of those. Returns false when there is no cursor for this
 * folder generation yet: the caller then makes a full look with `scanFolder`.
 */
export async function scanSelected(client: ImapFlow, path: string, st: ScanState): Promise<boolean> {
  const box = client.mailbox;
  const cursor = st.cursors.get(path);
  if (!box || box.path !== path || !cursor || cursor.uidValidity !== box.uidValidity) return false;
  const takenAt = st.now();
  // RFC 3501 §6.4.8/§9: "n:*" also matches the highest UID when it is below n, hence the filter
  const uids = ((await client.search({ uid: `${cursor.uidNext}:*` }, { uid: true })) || []).filter((u) => u >= cursor.uidNext);
  if (!uids.length) return true;
  st.cursors.set(path, { uidValidity: cursor.uidValidity, uidNext: Math.max(cursor.uidNext, ...uids) + 1, takenAt });
  await record(client, path, uids, (r) => st.runIds.has(r), st);
  return true;
}

/** Reads the headers of `uids` (BODY.PEEK: `\Seen` is never set) and records the watched tags found. */
async function record(client: ImapFlow, path: string, uids: number[], watched: (runId: string) => boolean, st: ScanState): Promise<void> {
  const messages = await client.fetchAll(uids, { uid: true, internalDate: true, headers: true }, { uid: true });
  const seenAt = st.now();
  const placement = placementOf(st.plan, path);
  const tagged = messages.filter((m) => {
    const tag = m.headers ? TAG_LINE.exec(m.headers.toString('utf8'))?.[1]?.trim().toLowerCase() : undefined;
    return !!tag && watched(runIdOfTag(tag));
  });
  if (!tagged.length) return;
  // Gmail tabs matter only for INBOX; a server without X-GM-EXT-1 costs no command and gets no tab.
  const tabs =
    placement === 'inbox'
      ? (
          await lookupGmailTabs(
            client,
            tagged.map((m) => m.uid),
          )
        ).tabs
      : null;
  for (const m of tagged) {
    const rawHeaders = m.headers ? m.headers.toString('utf8') : '';
    const tag = TAG_LINE.exec(rawHeaders)![1].trim().toLowerCase();
    const prior = st.sightings.get(tag);
    if (prior && placementRank(prior.placement) <= placementRank(placement)) continue;
    st.sightings.set(tag, {
      placement,
      folder: path,
      uid: m.uid,
      internalDate: m.internalDate ? new Date(m.internalDate).getTime() : undefined,
      seenAt,
      rawHeaders,
      tab: tabs?.get(m.uid),
    });
  }
}
