/** Trace and lab headers the MX simulators add. Pure; inputs from the SMTP peer are hostile. */
import { isIP } from 'node:net';

/** Strips an IPv4-mapped prefix (`::ffff:127.0.0.1` → `127.0.0.1`). */
export function normalizeIp(ip: string | undefined): string {
  if (!ip) return '';
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}

/** HELO names are client-supplied: keep only characters a domain or address literal can have. */
export function safeHelo(helo: string | undefined): string {
  const clean = (helo ?? '').replace(/[^A-Za-z0-9.\-_:[\]]/g, '').slice(0, 255);
  return clean || 'unknown';
}

/** Mailbox from an SMTP path, with anything that could break a header line removed. */
export function safeAddress(addr: string | undefined): string {
  return (addr ?? '').replace(/[\s<>;\\"]/g, '').slice(0, 320);
}

/** RFC 5322 §3.3 date-time, numeric zone. */
export function rfc5322Date(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** RFC 5321 §4.4 time-stamp line: from <helo> ([ip]) by <mx> with ESMTP id <id> for <rcpt>; <date>. */
export function receivedHeader(o: { helo?: string; ip: string; by: string; id: string; rcpt: string; date: Date }): string {
  const literal = isIP(o.ip) === 6 ? `IPv6:${o.ip}` : o.ip;
  return `Received: from ${safeHelo(o.helo)} ([${literal}])\r\n\tby ${o.by} with ESMTP id ${o.id}\r\n\tfor <${safeAddress(o.rcpt)}>; ${rfc5322Date(o.date)}\r\n`;
}

/** A single header line; values are folded onto one line and control characters removed. */
export function headerLine(name: string, value: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return `${name}: ${value.replace(/[\r\n]+/g, ' ').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')}\r\n`;
}

/**
 * Value of the first `name` header in a raw message header block (unfolded), or undefined.
 * Only looks at the header section (up to the first empty line).
 */
export function firstHeader(raw: Buffer | string, name: string): string | undefined {
  const text = typeof raw === 'string' ? raw : raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, ' ');
  const want = name.toLowerCase() + ':';
  for (const line of head.split(/\r?\n/)) {
    if (line.toLowerCase().startsWith(want)) return line.slice(want.length).trim();
  }
  return undefined;
}
