/**
 * A small scripted IMAP server on node:net for the watcher's unit tests: enough of RFC 3501 for
 * imapflow's connect → LIST → EXAMINE → UID SEARCH → UID FETCH, plus Gmail's X-GM-RAW category
 * search (with `gmail: true`) and scripted refusals (throttling answers) to LOGIN or at greeting.
 * Messages carry flags; SELECT opens read-write, EXAMINE read-only (RFC 3501 §6.3.1–6.3.2), and
 * STORE, EXPUNGE (every `\Deleted` message, RFC 3501 §6.4.3) and UID EXPUNGE (only the listed
 * UIDs, RFC 4315 §2.1; refused without `UIDPLUS`) change the folder as a real server would.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { imapInternalDate } from './test-clock.ts';

export interface ScriptedMessage {
  uid: number;
  folder: string;
  headers: string;
  /** Gmail category of an INBOX message */
  category?: 'primary' | 'promotions' | 'social' | 'updates' | 'forums';
  /** when it arrived, on the script's clock (INTERNALDATE); default: the clock when the server starts */
  arrivedAt?: number;
  flags?: string[];
}

export interface Script {
  /** the clock of the code under test: every INTERNALDATE the server sends derives from it */
  now: () => number;
  gmail?: boolean;
  folders: Array<{ path: string; flags?: string[] }>;
  messages: ScriptedMessage[];
  /** answers to successive LOGINs: a line like `NO [THROTTLED] slow down`, or `OK` */
  logins?: string[];
  /** greetings of successive connections: `* BYE [UNAVAILABLE] …` or undefined for the normal one */
  greetings?: Array<string | undefined>;
  /** whether X-GM-RAW searches are refused with BAD */
  refuseRaw?: boolean;
  /** advertise UIDPLUS (RFC 4315); default true */
  uidplus?: boolean;
  /** hierarchy delimiter in LIST answers; default `/` (Cyrus: `.`) */
  delimiter?: string;
  /** scripted refusals: command (`UID EXPUNGE`, `UID STORE`, …) → the status part of the tagged answer, e.g. `NO [CANNOT] not now` */
  refuse?: Record<string, string>;
}

export interface Scripted {
  port: number;
  commands: string[];
  connections: number;
  close(): Promise<void>;
}

/** RFC 3501 §9 sequence-set membership (`1,3:5,7:*`). */
function inUidSet(set: string, uid: number): boolean {
  return set.split(',').some((r) => {
    const [a, b] = r.split(':');
    const lo = a === '*' ? Infinity : Number(a);
    if (b === undefined) return lo === uid;
    const hi = b === '*' ? Infinity : Number(b);
    return uid >= Math.min(lo, hi) && uid <= Math.max(lo, hi);
  });
}

export async function startScriptedImap(script: Script): Promise<Scripted> {
  const state: Scripted = { port: 0, commands: [], connections: 0, close: async () => {} };
  let loginNo = 0;
  const startedAt = script.now();
  const arrival = (x: ScriptedMessage) => imapInternalDate(x.arrivedAt ?? startedAt);
  const caps = `IMAP4rev1${script.uidplus === false ? '' : ' UIDPLUS'}${script.gmail ? ' X-GM-EXT-1' : ''}`;
  const delim = script.delimiter ?? '/';
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    const greeting = script.greetings?.[state.connections];
    state.connections++;
    if (greeting) {
      sock.end(`${greeting}\r\n`);
      return;
    }
    sock.write(`* OK [CAPABILITY ${caps}] scripted ready\r\n`);
    let selected = 'INBOX';
    let readOnly = true;
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        handle(line);
      }
    });
    const out = (s: string) => sock.write(s + '\r\n');
    const handle = (line: string) => {
      const m = /^(\S+) (?:UID )?(\S+)\s*(.*)$/i.exec(line);
      if (!m) return;
      const [, tag, cmdRaw, rest] = m;
      const cmd = cmdRaw.toUpperCase();
      const isUid = /^\S+ UID /i.test(line);
      state.commands.push(`${isUid ? 'UID ' : ''}${cmd} ${cmd === 'LOGIN' ? '***' : rest}`.trim());
      const refusal = script.refuse?.[`${isUid ? 'UID ' : ''}${cmd}`];
      if (refusal) return out(`${tag} ${refusal}`);
      switch (cmd) {
        case 'CAPABILITY':
          out(`* CAPABILITY ${caps}`);
          return out(`${tag} OK done`);
        case 'LOGIN': {
          const answer = script.logins?.[loginNo++] ?? 'OK';
          if (answer === 'OK') return out(`${tag} OK [CAPABILITY ${caps}] logged in`);
          return out(`${tag} ${answer}`);
        }
        case 'AUTHENTICATE':
          return out(`${tag} NO not scripted`);
        case 'LIST':
          // RFC 3501 §6.3.8: an empty pattern asks only for the hierarchy delimiter
          if (/""\s*$/.test(rest)) {
            out(`* LIST (\\Noselect) "${delim}" ""`);
            return out(`${tag} OK done`);
          }
          for (const f of script.folders) out(`* LIST (${(f.flags ?? []).join(' ')}) "${delim}" "${f.path}"`);
          return out(`${tag} OK done`);
        case 'LSUB':
          for (const f of script.folders) out(`* LSUB () "/" "${f.path}"`);
          return out(`${tag} OK done`);
        case 'EXAMINE':
        case 'SELECT': {
          selected = rest.replace(/^"|"$/g, '');
          readOnly = cmd === 'EXAMINE';
          const msgs = script.messages.filter((x) => x.folder === selected);
          const next = Math.max(0, ...msgs.map((x) => x.uid)) + 1;
          out('* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)');
          out(`* ${msgs.length} EXISTS`);
          out('* OK [UIDVALIDITY 7] ok');
          out(`* OK [UIDNEXT ${next}] ok`);
          return out(`${tag} OK [${readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${cmd === 'EXAMINE' ? 'examined' : 'selected'}`);
        }
        case 'STORE': {
          if (readOnly) return out(`${tag} NO mailbox is read-only`);
          const [set, item, ...flagWords] = rest.split(' ');
          const flags = flagWords
            .join(' ')
            .replace(/^\(|\)$/g, '')
            .split(' ')
            .filter(Boolean);
          for (const x of script.messages.filter((m) => m.folder === selected && inUidSet(set, m.uid))) {
            const now = new Set(x.flags ?? []);
            for (const f of flags) {
              if (item.startsWith('-')) now.delete(f);
              else now.add(f);
            }
            x.flags = [...now];
          }
          return out(`${tag} OK stored`);
        }
        case 'EXPUNGE': {
          if (isUid && !caps.includes('UIDPLUS')) return out(`${tag} BAD UID EXPUNGE needs UIDPLUS`);
          if (readOnly) return out(`${tag} NO mailbox is read-only`);
          const inFolder = script.messages.filter((m) => m.folder === selected).sort((a, b) => a.uid - b.uid);
          const gone = inFolder.filter((m) => (m.flags ?? []).includes('\\Deleted') && (!isUid || inUidSet(rest, m.uid)));
          // RFC 3501 §7.4.1: each EXPUNGE names the sequence number as it is at that moment
          for (const m of gone.reverse()) {
            out(`* ${inFolder.indexOf(m) + 1} EXPUNGE`);
            script.messages.splice(script.messages.indexOf(m), 1);
          }
          return out(`${tag} OK expunged`);
        }
        case 'SEARCH': {
          const msgs = script.messages.filter((x) => x.folder === selected);
          const raw = /X-GM-RAW "?category:(\w+)"?/i.exec(rest);
          if (raw && script.refuseRaw) return out(`${tag} BAD X-GM-RAW not allowed`);
          const uidSet = /UID ([\d,:*]+)/i.exec(rest)?.[1];
          const inSet = (u: number) => !uidSet || inUidSet(uidSet, u);
          const headerVal = /HEADER \S+ "?([^"\s)]+)"?/i.exec(rest)?.[1];
          const hits = msgs.filter(
            (x) => inSet(x.uid) && (!raw || (x.category ?? 'primary') === raw[1].toLowerCase()) && (!headerVal || x.headers.includes(headerVal)),
          );
          out(`* SEARCH${hits.map((x) => ` ${x.uid}`).join('')}`);
          return out(`${tag} OK done`);
        }
        case 'FETCH': {
          const set = rest.split(' ')[0];
          const msgs = script.messages.filter((x) => x.folder === selected && inUidSet(set, x.uid));
          msgs.forEach((x, n) => {
            const h = x.headers.replace(/\r?\n/g, '\r\n') + '\r\n';
            sock.write(`* ${n + 1} FETCH (UID ${x.uid} INTERNALDATE ${arrival(x)} BODY[HEADER] {${Buffer.byteLength(h)}}\r\n${h})\r\n`);
          });
          return out(`${tag} OK done`);
        }
        case 'LOGOUT':
          out('* BYE bye');
          out(`${tag} OK done`);
          return sock.end();
        default:
          return out(`${tag} OK done`);
      }
    };
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.port = (server.address() as { port: number }).port;
  state.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return state;
}
