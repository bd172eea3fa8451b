/**
 * The remote server's answer inside an MTA's log wording, so the bounce classifier sees the
 * remote's own text (RFC 5321 §4.2 reply code, RFC 3463 enhanced status) and the SMTP stage.
 * Postfix (smtp_proto.c, smtp_connect.c): `host H[IP] said: … (in reply to RCPT TO command)`,
 * `host H[IP] refused to talk to me: …`, `connect to H[IP]:25: Connection timed out`,
 * `lost connection with H[IP] while …`, `conversation with H[IP] timed out while …`.
 * Exim ("Log files" and "SMTP transport" chapters): `H=h [ip]: SMTP error from remote mail
 * server after RCPT TO:<…>: 550 …`, older `… after RCPT TO:<…>: host h [ip]: 550 …`,
 * `… after initial connection: 554 …`. Pure.
 */
import type { AddressFamily, Relay, RemoteReply } from './types.ts';

export function familyOf(ip: string | undefined): AddressFamily | undefined {
  if (!ip) return undefined;
  if (ip.includes(':')) return 'ipv6';
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(ip) ? 'ipv4' : undefined;
}

/** Postfix `relay=` value: `mx.example.net[203.0.113.5]:25`, `mx[2001:db8::25]:25`, `none`, `private/dovecot-lmtp`. */
export function parseRelay(value: string): Relay | undefined {
  if (!value || value === 'none') return undefined;
  const m = /^([^[\s]*)\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (!m) return { host: value };
  // Postfix writes IPv6 addresses with an `ipv6:` prefix when smtp_bind_address6 is used
  const ip = m[2].startsWith('ipv6:') || m[2].startsWith('IPv6:') ? m[2].slice(5) : m[2];
  const relay: Relay = { host: m[1] || ip, ip };
  if (m[3]) relay.port = Number(m[3]);
  const family = familyOf(ip);
  if (family) relay.family = family;
  return relay;
}

const COMMANDS: Array<[RegExp, string]> = [
  [/^(?:pipelined )?rcpt\b/i, 'RCPT'],
  [/^(?:pipelined )?mail\b/i, 'MAIL'],
  [/^(?:end of )?data\b|^message body|^end of data/i, 'DATA'],
  [/^ehlo|^helo|^lhlo/i, 'EHLO'],
  [/^starttls/i, 'STARTTLS'],
  [/^auth/i, 'AUTH'],
  [/^initial connection|^(?:the )?(?:initial )?server greeting|^connect/i, 'CONN'],
  [/^quit/i, 'QUIT'],
  [/^bdat/i, 'DATA'],
];

function commandOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.trim();
  for (const [re, name] of COMMANDS) if (re.test(t)) return name;
  return undefined;
}

const CODES = /^\s*([2-5]\d\d)(?:[ -]+([2-5]\.\d{1,3}\.\d{1,3})\b)?/;

/** `550 5.1.1 text` → code and enhanced status of the reply, set on `into`. */
function withCodes(into: RemoteReply, reply: string): RemoteReply {
  const m = CODES.exec(reply);
  if (m) {
    into.replyCode = Number(m[1]);
    if (m[2]) into.status = m[2];
  }
  return into;
}

function codes(reply: string): Pick<RemoteReply, 'replyCode' | 'status'> {
  const { text: _t, ...c } = withCodes({ text: '' }, reply);
  return c;
}

const HOST_IP = String.raw`([^\s[\]]+)\s?\[([^\]]+)\]`;
const POSTFIX_SAID = new RegExp(String.raw`^host ${HOST_IP} said: (.*?)(?: \(in reply to (.+?) command\))?$`, 's');
const POSTFIX_REFUSED = new RegExp(String.raw`^host ${HOST_IP} refused to talk to me: (.*)$`, 's');
const POSTFIX_CONNECT = new RegExp(String.raw`^connect to ${HOST_IP}(?::\d+)?: (.*)$`, 's');
const POSTFIX_LOST = new RegExp(String.raw`^(?:lost connection with|conversation with) ${HOST_IP} (?:timed out )?while (.*)$`, 's');
const EXIM_SMTP_ERROR = /SMTP error from remote mail server after (.+?): (?:host ([^\s[\]]+) \[([^\]]+)\]: )?([2-5]\d\d\b.*)$/s;

/** Reads a Postfix status text (the part in parentheses after `status=…`). */
export function postfixReply(reason: string): RemoteReply {
  // `delivery temporarily suspended: connect to …` wraps the reason of an earlier attempt
  const text = reason.replace(/^delivery temporarily suspended: /, '');
  let m: RegExpExecArray | null;
  if (!text.startsWith('host ') && !text.startsWith('connect to ') && !text.startsWith('lost connection') && !text.startsWith('conversation with')) {
    // a plain reply (`250 2.0.0 Ok: queued as …`) or a local reason
    return withCodes({ text }, text);
  }
  if ((m = POSTFIX_SAID.exec(text))) {
    const r = withCodes({ host: m[1], ip: m[2], text: m[3] }, m[3]);
    const command = commandOf(m[4]);
    if (command) r.command = command;
    return r;
  }
  if ((m = POSTFIX_REFUSED.exec(text))) return { host: m[1], ip: m[2], ...codes(m[3]), command: 'CONN', text: m[3] };
  if ((m = POSTFIX_CONNECT.exec(text))) return { host: m[1], ip: m[2], command: 'CONN', text: `connect to ${m[1]}[${m[2]}]: ${m[3]}` };
  if ((m = POSTFIX_LOST.exec(text))) {
    const stage = /greeting|banner/.test(m[3])
      ? 'CONN'
      : commandOf(m[3].replace(/^(?:sending|receiving)(?: the)? /, '').replace(/^(?:initial )?server /, 'server '));
    return { host: m[1], ip: m[2], command: stage, text };
  }
  return { ...codes(text), text };
}

/**
 * Reads the failure text of an Exim `**` or `==` line: `message` is what follows the fields
 * (`R=`, `T=`, `defer (errno)`, `H=`), `host`/`ip` come from its `H=` field when it has one.
 */
export function eximReply(message: string, host?: string, ip?: string): RemoteReply {
  const m = EXIM_SMTP_ERROR.exec(message);
  if (m) return { host: m[2] ?? host, ip: m[3] ?? ip, ...codes(m[4]), command: commandOf(m[1]), text: m[4] };
  const stage = /^SMTP timeout after (.+?)(?: \(|$)/.exec(message)?.[1];
  return { ...(host ? { host } : {}), ...(ip ? { ip } : {}), ...codes(message), ...(stage ? { command: commandOf(stage) } : {}), text: message };
}
