/**
 * Files messages into the seed mailboxes by IMAP APPEND (RFC 3501 §6.3.11) as the Dovecot master
 * user. One connection per seed, reused; a broken connection is dropped and re-opened on next use.
 */
import { ImapFlow } from 'imapflow';

export interface FilerOptions {
  host: string;
  port: number;
  masterUser: string;
  masterPassword: string;
}

export class Filer {
  opts: FilerOptions;
  clients: Map<string, Promise<ImapFlow>>;

  constructor(opts: FilerOptions) {
    this.opts = opts;
    this.clients = new Map();
  }

  client(user: string): Promise<ImapFlow> {
    let p = this.clients.get(user);
    if (!p) {
      p = (async () => {
        const c = new ImapFlow({
          host: this.opts.host,
          port: this.opts.port,
          secure: false,
          auth: { user: `${user}*${this.opts.masterUser}`, pass: this.opts.masterPassword },
          logger: false,
        });
        const drop = () => {
          if (this.clients.get(user) === p) this.clients.delete(user);
        };
        c.on('close', drop);
        c.on('error', drop);
        await c.connect();
        return c;
      })();
      p.catch(() => this.clients.delete(user));
      this.clients.set(user, p);
    }
    return p;
  }

  /** Appends, retrying once on a fresh connection if the cached one broke. */
  async append(user: string, folder: string, raw: Buffer, date: Date): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const c = await this.client(user);
        const res = await c.append(folder, raw, [], date);
        if (!res) throw new Error(`APPEND to ${folder} for ${user} returned no result`);
        return;
      } catch (err) {
        this.clients.delete(user);
        if (attempt >= 1) throw err;
      }
    }
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.logout().catch(() => undefined)));
  }
}
