/**
 * Exim's main log (Exim spec, chapter "Log files"): after the time stamp, the message id and a
 * flag say what happened to the message:
 *   `<=` arrival     `1rAbCd-000123-Xy <= sender@example.org H=client [ip] P=esmtpsa A=… S=1234 id=<msgid>`
 *                    (`<= <> R=<id>`: a bounce of message <id>)
 *   `=>`, `->`, `>>`, `*>` delivery (first address, further addresses, cutthrough, suppressed)
 *                    `=> rcpt@example.net R=dnslookup T=remote_smtp H=mx.example.net [ip] C="250 …"`
 *   `**` failure     `** rcpt@… R=… T=… H=mx [ip]: SMTP error from remote mail server after RCPT TO:<…>: 550 …`
 *   `==` deferral    `== rcpt@… R=… T=… defer (-44) H=mx [ip]: SMTP error … : 451 …`
 *   `Completed`      the message left the queue.
 * The same messages arrive through syslog when Exim logs there (`log_file_path = syslog`). Pure.
 */
import type { LogEvent, LogRecord, Relay } from './types.ts';
import { eximReply, familyOf } from './remote-reply.ts';

// 4.97+ ids are 6-11-4 base-62 characters, older ones 6-6-2
const LINE = /^([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) (<=|=>|->|>>|\*>|\*\*|==|Completed\b|removed by\b)(.*)$/s;
const H_FIELD = /(?:^|\s)H=(\S+?)(?: \([^)]*\))? \[([^\]]+)\](?::(\d+))?/;

export function isExim(program: string): boolean {
  return /^exim\d?$/.test(program);
}

/** Splits `fields: message` at the first `: ` outside quotes and brackets (`C="…: …"`, `[::1]`). */
function splitMessage(rest: string): { fields: string; message?: string } {
  let quote = false;
  let depth = 0;
  for (let i = 0; i < rest.length - 1; i++) {
    const c = rest[i];
    if (c === '\\' && quote) i++;
    else if (c === '"') quote = !quote;
    else if (!quote && c === '[') depth++;
    else if (!quote && c === ']') depth = Math.max(0, depth - 1);
    else if (!quote && depth === 0 && c === ':' && rest[i + 1] === ' ') return { fields: rest.slice(0, i), message: rest.slice(i + 2).trim() };
  }
  return { fields: rest.replace(/:$/, '') };
}

function relayOf(fields: string): Relay | undefined {
  const h = H_FIELD.exec(fields);
  if (!h) return undefined;
  const family = familyOf(h[2]);
  return { host: h[1], ip: h[2], ...(h[3] ? { port: Number(h[3]) } : {}), ...(family ? { family } : {}) };
}

function field(fields: string, name: string): string | undefined {
  const m = new RegExp(String.raw`(?:^|\s)${name}=("(?:[^"\\]|\\.)*"|\S+)`).exec(fields);
  if (!m) return undefined;
  return m[1].startsWith('"') ? m[1].slice(1, -1).replace(/\\(.)/g, '$1') : m[1];
}

/** Events of one Exim main-log message; null when the record is not Exim's. */
export function eximEvents(rec: LogRecord): LogEvent[] | null {
  if (!isExim(rec.program)) return null;
  const m = LINE.exec(rec.message);
  if (!m) return [];
  const [, queueId, flag, tail] = m;
  const time = rec.time;
  if (flag === 'Completed' || flag === 'removed by') return [{ kind: 'removed', queueId, time }];
  const rest = tail.trim();
  if (flag === '<=') {
    const sender = /^(\S+)/.exec(rest)?.[1] ?? '';
    const from = sender === '<>' ? '' : sender;
    const out: LogEvent[] = [{ kind: 'queued', queueId, time, from, size: Number(field(rest, 'S')) || undefined }];
    const id = field(rest, 'id');
    if (id) out.push({ kind: 'message-id', queueId, time, messageId: id.replace(/^<|>$/g, '') });
    const h = H_FIELD.exec(rest);
    const user = field(rest, 'A')?.replace(/^[^:]*:/, '') ?? field(rest, 'U');
    const local = field(rest, 'P') === 'local';
    if (h || user)
      out.push({ kind: 'client', queueId, time, ...(h ? { client: `${h[1]}[${h[2]}]` } : {}), ...(user ? { user } : {}), ...(local ? { local } : {}) });
    const of = field(rest, 'R');
    if (!from && of && LINE.test(`${of} Completed`)) out.push({ kind: 'bounce-of', queueId, time, ofQueueId: of });
    return out;
  }
  // `=> address [<original>|(parent)] fields[: message]`
  const a = /^(\S+)(?: (<[^>]*>|\([^)]*\)))?(.*)$/s.exec(rest);
  if (!a) return [];
  const to = a[1].replace(/^<|>:?$/g, '').replace(/:$/, '');
  const origTo = a[2]?.startsWith('<') ? a[2].slice(1, -1) : undefined;
  const { fields, message } = splitMessage(a[3]);
  const relay = relayOf(fields);
  const transport = field(fields, 'T');
  const base = { kind: 'attempt' as const, queueId, time, ...(transport ? { transport } : {}), to, ...(origTo ? { origTo } : {}), ...(relay ? { relay } : {}) };
  if (flag === '**' || flag === '==') {
    const reply = eximReply(message ?? fields.trim(), relay?.host, relay?.ip);
    const expired = flag === '**' && /\bretry timeout exceeded\b/i.test(message ?? '');
    const status = flag === '==' ? 'deferred' : expired ? 'expired' : 'bounced';
    const events: LogEvent[] = [{ ...base, status, reply, ...(reply.status ? { dsn: reply.status } : {}) }];
    if (expired) events.push({ kind: 'expired', queueId, time });
    return events;
  }
  const confirmation = field(fields, 'C');
  const reply = confirmation ? eximReply(confirmation, relay?.host, relay?.ip) : undefined;
  return [{ ...base, status: 'sent', ...(reply ? { reply } : {}), ...(reply?.status ? { dsn: reply.status } : {}) }];
}
