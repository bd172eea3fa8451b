/**
 * An IMAP server that fails on purpose, in front of the lab's Dovecot: the seed mailbox as the
 * watcher sees it when the provider misbehaves.
 *
 * The proxy answers the not-authenticated state itself (RFC 3501 §6.1–6.2: greeting, CAPABILITY,
 * ID, LOGIN), then signs in to the upstream Dovecot with the lab's real credentials and splices
 * the two connections. That split lets a test
 *   - use a distinctive, made-up password (the secrets test greps every output file for it):
 *     the proxy checks the client sent exactly that password, then signs in upstream with the
 *     lab's own;
 *   - refuse the login, optionally echoing the password back in the NO (a hostile server);
 *   - cut or freeze the connection the moment the client sends SEARCH (mid-search faults), or
 *     end it there as a server going down for maintenance does (untagged BYE, RFC 3501 §7.1.5).
 * It offers no STARTTLS: a client that insists on TLS must stop before LOGIN, and the proxy
 * counts any LOGIN it got in clear.
 */
import net from 'node:net';
import { ImapCommandReader, imapQuote } from './imap-command.ts';

export type ImapFaultMode =
  /** proxy faithfully (only the login is translated) */
  | 'pass'
  /** every LOGIN gets `NO [AUTHENTICATIONFAILED]` (RFC 5530) */
  | 'refuse-login'
  /** TCP accepted, no greeting ever (the client's greeting timeout must end it) */
  | 'silent'
  /** the connection is cut when the client sends SEARCH */
  | 'disconnect-on-search'
  /** when the client sends SEARCH nothing more flows in either direction; the socket stays open */
  | 'stall-on-search'
  /** when the client sends SEARCH the server says `* BYE System going down for maintenance` and closes */
  | 'bye-on-search';

/** The untagged BYE of `bye-on-search`. */
export const MAINTENANCE_BYE = 'System going down for maintenance';

export interface ImapFaultOptions {
  mode: ImapFaultMode;
  /** the real server the proxy signs in to after LOGIN (not needed for `refuse-login`/`silent`) */
  upstream?: { host: string; port: number; password: string };
  /** when set, a LOGIN with any other password is refused: proves the client sent this one */
  expectPassword?: string;
  /** fault only this many times (connections for login/silent faults, searches otherwise), then behave */
  faultTimes?: number;
  /** a hostile server: the refusal repeats the password it was sent */
  echoPassword?: boolean;
  host?: string;
  port?: number;
}

export interface ImapFaultStats {
  connections: number;
  logins: number;
  loginsRefused: number;
  /** LOGIN commands carrying a password that arrived on this unencrypted connection */
  loginsInClear: number;
  searches: number;
  faults: number;
}

export interface ImapFault {
  host: string;
  port: number;
  mode: ImapFaultMode;
  stats: ImapFaultStats;
  close(): Promise<void>;
}

const CAPS = 'IMAP4rev1 ID ENABLE';

export async function startImapFault(opts: ImapFaultOptions): Promise<ImapFault> {
  const stats: ImapFaultStats = { connections: 0, logins: 0, loginsRefused: 0, loginsInClear: 0, searches: 0, faults: 0 };
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  let faultsLeft = opts.faultTimes ?? Infinity;
  const takeFault = (): boolean => {
    if (faultsLeft <= 0) return false;
    faultsLeft--;
    stats.faults++;
    return true;
  };
  const server = net.createServer((client) => {
    stats.connections++;
    track(client);
    if (opts.mode === 'silent' && takeFault()) return;
    const say = (line: string) => {
      if (!client.destroyed) client.write(`${line}\r\n`);
    };
    say(`* OK [CAPABILITY ${CAPS}] fault proxy ready`);
    const reader = new ImapCommandReader(() => say('+ Ready for literal data'));
    let loggingIn = false;
    const onData = (chunk: Buffer) => {
      if (loggingIn) return;
      let commands;
      try {
        commands = reader.push(chunk);
      } catch {
        say('* BYE command too long');
        client.destroy();
        return;
      }
      for (const c of commands) {
        switch (c.name) {
          case 'CAPABILITY':
            say(`* CAPABILITY ${CAPS}`);
            say(`${c.tag} OK CAPABILITY completed`);
            break;
          case 'ID':
            say('* ID ("name" "mailcanary-fault-proxy")');
            say(`${c.tag} OK ID completed`);
            break;
          case 'NOOP':
            say(`${c.tag} OK NOOP completed`);
            break;
          case 'LOGOUT':
            say('* BYE logging out');
            say(`${c.tag} OK LOGOUT completed`);
            client.end();
            return;
          case 'LOGIN': {
            stats.logins++;
            stats.loginsInClear++;
            const [user = '', password = ''] = c.args;
            const wrongPassword = opts.expectPassword !== undefined && password !== opts.expectPassword;
            if ((opts.mode === 'refuse-login' && takeFault()) || wrongPassword || !opts.upstream) {
              stats.loginsRefused++;
              const echo = opts.echoPassword ? ` for ${user} with password ${password}` : '';
              say(`${c.tag} NO [AUTHENTICATIONFAILED] Authentication failed${echo}.`);
              break;
            }
            loggingIn = true;
            client.off('data', onData);
            client.pause();
            spliceUpstream(client, opts, c.tag, user, reader.rest(), stats, track, takeFault);
            return;
          }
          default:
            say(`${c.tag} BAD command not allowed before login`);
        }
      }
    };
    client.on('data', onData);
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    mode: opts.mode,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Signs in upstream with the real password, answers the client's LOGIN with upstream's result, then splices. */
function spliceUpstream(
  client: net.Socket,
  opts: ImapFaultOptions,
  tag: string,
  user: string,
  pending: Buffer,
  stats: ImapFaultStats,
  track: (s: net.Socket) => void,
  takeFault: () => boolean,
): void {
  const up = opts.upstream!;
  const upstream = net.connect(up.port, up.host);
  track(upstream);
  upstream.on('close', () => client.destroy());
  client.on('close', () => upstream.destroy());
  let buf = '';
  let stage: 'greeting' | 'login' | 'open' = 'greeting';
  upstream.setEncoding('latin1');
  const onUp = (chunk: string) => {
    buf += chunk;
    let nl: number;
    while (stage !== 'open' && (nl = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 2);
      if (stage === 'greeting') {
        stage = 'login';
        upstream.write(`u1 LOGIN ${imapQuote(user)} ${imapQuote(up.password)}\r\n`);
      } else if (line.startsWith('u1 ')) {
        if (!/^u1 OK/i.test(line)) {
          client.write(`${tag} NO [AUTHENTICATIONFAILED] upstream refused the login\r\n`);
          client.destroy();
          return;
        }
        stage = 'open';
        client.write(`${tag} ${line.slice(3)}\r\n`);
        upstream.off('data', onUp);
        open();
      }
    }
  };
  upstream.on('data', onUp);

  function open(): void {
    let stalled = false;
    // latin1 maps bytes 1:1, so turning the upstream's text back into bytes is lossless
    upstream.on('data', (chunk: string) => {
      if (!stalled && !client.destroyed) client.write(Buffer.from(chunk, 'latin1'));
    });
    const fromClient = (chunk: Buffer) => {
      if (stalled) return;
      // A command line naming SEARCH (plain or UID SEARCH) triggers the mid-search faults.
      if (/^\S+ (UID )?SEARCH\b/im.test(chunk.toString('latin1'))) {
        stats.searches++;
        if (opts.mode === 'disconnect-on-search' && takeFault()) {
          client.destroy();
          upstream.destroy();
          return;
        }
        if (opts.mode === 'bye-on-search' && takeFault()) {
          client.end(`* BYE ${MAINTENANCE_BYE}\r\n`);
          upstream.destroy();
          return;
        }
        if (opts.mode === 'stall-on-search' && takeFault()) {
          stalled = true; // nothing is forwarded any more; the client's own timeout must end this
          return;
        }
      }
      upstream.write(chunk);
    };
    client.on('data', fromClient);
    if (pending.length) fromClient(pending);
    client.resume();
  }
}
