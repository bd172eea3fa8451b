/** IP address recognition for Received lines (RFC 5321 §4.1.3 address literals). */
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 'ipv4' | 'ipv6';

export interface IpAddress {
  address: string;
  family: IpFamily;
  /** written as an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`): IPv4 on the wire */
  mapped?: boolean;
}

/**
 * Recognise an address as written in a Received line: `[192.0.2.1]`, `[IPv6:2001:db8::1]`,
 * `2001:db8::1`, `::ffff:192.0.2.1`. Returns undefined for anything else.
 */
export function parseIp(text: string): IpAddress | undefined {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (/^ipv6:/i.test(s)) s = s.slice(5);
  const zone = s.indexOf('%');
  if (zone > 0) s = s.slice(0, zone);
  if (isIPv4(s)) return { address: s, family: 'ipv4' };
  if (isIPv6(s)) {
    const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
    if (m && isIPv4(m[1])) return { address: m[1], family: 'ipv4', mapped: true };
    return { address: s.toLowerCase(), family: 'ipv6' };
  }
  return undefined;
}

/** First IP found in a free text (a Received comment), bracketed forms first. */
export function findIp(text: string): IpAddress | undefined {
  for (const m of text.matchAll(/\[([^\]\s]{2,60})\]/g)) {
    const ip = parseIp(m[1]);
    if (ip) return ip;
  }
  for (const word of text.split(/[\s(),;=]+/)) {
    if (word.length < 2 || word.length > 60) continue;
    const ip = parseIp(word.replace(/\.$/, ''));
    if (ip) return ip;
  }
  return undefined;
}
