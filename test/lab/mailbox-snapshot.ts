/**
 * What a lab seed mailbox holds, read without changing anything (EXAMINE, FETCH of the full source
 * without setting `\Seen`), so a test can prove that cleanup left the user's own mail exactly as it
 * was: same folder, same UID, same flags, same bytes.
 */
import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { TAG_HEADER } from '../../src/send/tag.ts';
import { labUpstream } from './faults-support.ts';

export interface Snap {
  folder: string;
  uid: number;
  flags: string;
  sha256: string;
}

/** A client for a lab seed mailbox on the lab Dovecot (or on `host`, another of its listeners). */
export function labMailbox(address: string, host?: string): ImapFlow {
  const up = labUpstream();
  return new ImapFlow({
    host: host ?? up.host,
    port: up.port,
    secure: false,
    auth: { user: address, pass: up.password },
    logger: false,
    disableAutoIdle: true,
  });
}

/**
 * Every message whose Message-ID contains `prefill-<batch>-`: folder, UID, flags (without the
 * session flag \Recent) and a hash of its full RFC 822 source, by Message-ID.
 */
export async function snapshot(address: string, batch: string): Promise<Map<string, Snap>> {
  const client = labMailbox(address);
  await client.connect();
  const out = new Map<string, Snap>();
  try {
    for (const box of await client.list()) {
      if (box.flags.has('\\Noselect')) continue;
      const mb = await client.mailboxOpen(box.path, { readOnly: true });
      if (!mb.exists) continue;
      for await (const m of client.fetch('1:*', { uid: true, flags: true, envelope: true, source: true })) {
        const id = m.envelope?.messageId ?? '';
        if (!id.includes(`prefill-${batch}-`)) continue;
        const flags = [...(m.flags ?? [])]
          .filter((f) => f !== '\\Recent')
          .sort()
          .join(' ');
        out.set(id, { folder: box.path, uid: m.uid, flags, sha256: createHash('sha256').update(m.source!).digest('hex') });
      }
    }
  } finally {
    await client.logout();
  }
  return out;
}

/** The Message-IDs whose snapshot differs (or that are gone) in `after`. */
export function changedSince(before: Map<string, Snap>, after: Map<string, Snap>): string[] {
  return [...before].filter(([id, s]) => JSON.stringify(after.get(id)) !== JSON.stringify(s)).map(([id]) => id);
}

/** How many messages in any folder carry exactly one of `tags` in X-Mailcanary-Tag, and how many of those are flagged \Deleted. */
export async function countTagged(address: string, tags: string[]): Promise<{ total: number; flaggedDeleted: number }> {
  const client = labMailbox(address);
  await client.connect();
  let total = 0;
  let flaggedDeleted = 0;
  try {
    for (const box of await client.list()) {
      if (box.flags.has('\\Noselect')) continue;
      await client.mailboxOpen(box.path, { readOnly: true });
      for (const tag of tags) {
        const uids = (await client.search({ header: { [TAG_HEADER]: tag } }, { uid: true })) || [];
        for (const m of uids.length ? await client.fetchAll(uids, { uid: true, flags: true, headers: [TAG_HEADER] }, { uid: true }) : []) {
          if (m.headers?.toString('utf8').trim().toLowerCase() !== `${TAG_HEADER.toLowerCase()}: ${tag}`) continue;
          total++;
          if (m.flags?.has('\\Deleted')) flaggedDeleted++;
        }
      }
    }
  } finally {
    await client.logout();
  }
  return { total, flaggedDeleted };
}
