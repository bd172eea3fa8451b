/**
 * An independent IMAP client per watched folder that only idles (RFC 2177) and timestamps every
 * `EXISTS` the server pushes. It splits a watcher's latency into the server's share (APPEND done →
 * the server announces it) and mailcanary's share (announced → sighting): the lab's Dovecot waits
 * 500 ms before announcing a change (NOTIFY_DELAY_MSECS in its mailbox-watch.c), and its Maildir
 * work grows with the folder size; neither is the watcher's doing.
 */
import { ImapFlow } from 'imapflow';

export interface Observed {
  /** `user\u0000folder` → push times (ms since epoch), one per new message, in order */
  pushes: Map<string, number[]>;
  close(): Promise<void>;
}

export async function observePushes(
  imap: { host: string; port: number },
  accounts: Array<{ user: string; password: string; folders: string[] }>,
): Promise<Observed> {
  const pushes = new Map<string, number[]>();
  const clients: ImapFlow[] = [];
  for (const a of accounts) {
    for (const folder of a.folders) {
      const c = new ImapFlow({
        host: imap.host,
        port: imap.port,
        secure: false,
        auth: { user: a.user, pass: a.password },
        logger: false,
        disableAutoIdle: true,
      });
      c.on('error', () => {});
      const key = `${a.user}\u0000${folder}`;
      pushes.set(key, []);
      c.on('exists', (e: { count: number; prevCount: number }) => {
        const now = Date.now();
        for (let i = e.prevCount; i < e.count; i++) pushes.get(key)!.push(now);
      });
      await c.connect();
      await c.mailboxOpen(folder, { readOnly: true });
      void (async () => {
        while (c.usable) await c.idle().catch(() => undefined);
      })();
      clients.push(c);
    }
  }
  return {
    pushes,
    close: async () => {
      await Promise.all(clients.map((c) => c.logout().catch(() => c.close())));
    },
  };
}
