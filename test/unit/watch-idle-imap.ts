/**
 * A scripted IMAP server with IDLE (RFC 2177) for the watcher's push tests: enough of RFC 3501
 * for imapflow's connect → LIST → EXAMINE → UID SEARCH → UID FETCH, plus IDLE/DONE, and a
 * `deliver()` that files a message and tells every session that has the folder selected with an
 * untagged `* N EXISTS` at once (as Dovecot does while a client idles).
 */
import { createServer, type Socket } from 'node:net';
import { imapInternalDate } from './test-clock.ts';

export interface IdleMessage {
  uid: number;
  folder: string;
  headers: string;
  /** when it was filed, on the server's clock (INTERNALDATE) */
  arrivedAt: number;
}

export interface IdleServer {
  port: number;
  /** commands received, per connection, in order (`EXAMINE "INBOX"`, `IDLE`, `DONE`, …) */
  commands: string[][];
  /** files a message (arrived `at`, default: now on the server's clock); sessions with the folder selected get `* N EXISTS` */
  deliver(folder: string, headers: string, at?: number): number;
  close(): Promise<void>;
}

function inUidSet(set: string, uid: number): boolean {
  return set.split(',').some((r) => {
    const [a, b] = r.split(':');
    const lo = a === '*' ? Infinity : Number(a);
    if (b === undefined) return lo === uid;
    const hi = b === '*' ? Infinity : Number(b);
    return uid >= Math.min(lo, hi) && uid <= Math.max(lo, hi);
  });
}

/** `now`: the clock of the code under test; every INTERNALDATE the server sends derives from it. */
export async function startIdleImap(opts: { now: () => number; folders: Array<{ path: string; flags?: string[] }>; idle?: boolean }): Promise<IdleServer> {
  const messages: IdleMessage[] = [];
  const sessions = new Set<{ sock: Socket; selected: string | null }>();
  const caps = `IMAP4rev1${opts.idle === false ? '' : ' IDLE'}`;
  const commands: string[][] = [];
  const count = (folder: string) => messages.filter((m) => m.folder === folder).length;

  const server = createServer((sock) => {
    const session = { sock, selected: null as string | null };
    const log: string[] = [];
    commands.push(log);
    sessions.add(session);
    sock.on('close', () => sessions.delete(session));
    sock.on('error', () => {});
    const out = (s: string) => sock.writable && sock.write(s + '\r\n');
    out(`* OK [CAPABILITY ${caps}] idle-scripted ready`);
    let idleTag: string | null = null;
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (idleTag && line.toUpperCase() === 'DONE') {
          log.push('DONE');
          out(`${idleTag} OK IDLE terminated`);
          idleTag = null;
          continue;
        }
        const m = /^(\S+) (?:UID )?(\S+)\s*(.*)$/i.exec(line);
        if (!m) continue;
        const [, tag, cmdRaw, rest] = m;
        const cmd = cmdRaw.toUpperCase();
        log.push(`${/^\S+ UID /i.test(line) ? 'UID ' : ''}${cmd} ${cmd === 'LOGIN' ? '***' : rest}`.trim());
        const selected = session.selected ?? 'INBOX';
        const here = messages.filter((x) => x.folder === selected);
        switch (cmd) {
          case 'CAPABILITY':
            out(`* CAPABILITY ${caps}`);
            out(`${tag} OK done`);
            break;
          case 'LOGIN':
            out(`${tag} OK [CAPABILITY ${caps}] logged in`);
            break;
          case 'LIST':
            if (/""\s*$/.test(rest)) out('* LIST (\\Noselect) "/" ""');
            else for (const f of opts.folders) out(`* LIST (${(f.flags ?? []).join(' ')}) "/" "${f.path}"`);
            out(`${tag} OK done`);
            break;
          case 'EXAMINE':
          case 'SELECT': {
            session.selected = rest.replace(/^"|"$/g, '');
            const msgs = messages.filter((x) => x.folder === session.selected);
            out(`* ${msgs.length} EXISTS`);
            out('* OK [UIDVALIDITY 9] ok');
            out(`* OK [UIDNEXT ${Math.max(0, ...msgs.map((x) => x.uid)) + 1}] ok`);
            out(`${tag} OK [READ-ONLY] examined`);
            break;
          }
          case 'SEARCH': {
            const uidSet = /UID ([\d,:*]+)/i.exec(rest)?.[1];
            const headerVal = /HEADER \S+ "?([^"\s)]+)"?/i.exec(rest)?.[1];
            const hits = here.filter((x) => (!uidSet || inUidSet(uidSet, x.uid)) && (!headerVal || x.headers.includes(headerVal)));
            out(`* SEARCH${hits.map((x) => ` ${x.uid}`).join('')}`);
            out(`${tag} OK done`);
            break;
          }
          case 'FETCH': {
            const set = rest.split(' ')[0];
            here.forEach((x, n) => {
              if (!inUidSet(set, x.uid)) return;
              const h = x.headers.replace(/\r?\n/g, '\r\n') + '\r\n';
              sock.write(`* ${n + 1} FETCH (UID ${x.uid} INTERNALDATE ${imapInternalDate(x.arrivedAt)} BODY[HEADER] {${Buffer.byteLength(h)}}\r\n${h})\r\n`);
            });
            out(`${tag} OK done`);
            break;
          }
          case 'IDLE':
            if (opts.idle === false) {
              out(`${tag} BAD unknown command`);
              break;
            }
            idleTag = tag;
            out('+ idling');
            break;
          case 'LOGOUT':
            out('* BYE bye');
            out(`${tag} OK done`);
            sock.end();
            break;
          default:
            out(`${tag} OK done`);
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    commands,
    deliver(folder, headers, at = opts.now()) {
      const uid = Math.max(0, ...messages.filter((m) => m.folder === folder).map((m) => m.uid)) + 1;
      messages.push({ uid, folder, headers, arrivedAt: at });
      for (const s of sessions) if (s.selected === folder) s.sock.write(`* ${count(folder)} EXISTS\r\n`);
      return uid;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sessions) s.sock.destroy();
        server.close(() => r());
      }),
  };
}
