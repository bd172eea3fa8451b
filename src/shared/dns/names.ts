/** Name helpers shared by the checks: reverse names (RFC 1035 section 3.5, RFC 3596 section 2.5) and domain tests. */
import { isIP } from 'node:net';

/** Expands an IPv6 address into its 32 hex nibbles (embedded IPv4 and `::` handled). */
export function ipv6Nibbles(ip: string): string[] {
  let s = ip.trim().toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = v4[1].split('.').map(Number);
    s = s.slice(0, -v4[1].length) + ((b[0] << 8) | b[1]).toString(16) + ':' + ((b[2] << 8) | b[3]).toString(16);
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const fill = tail !== undefined ? new Array(8 - h.length - t.length).fill('0') : [];
  const groups = [...h, ...fill, ...t];
  if (groups.length !== 8) throw new Error(`"${ip}" is not a valid IPv6 address`);
  return groups.flatMap((g) => g.padStart(4, '0').split(''));
}

/** The reversed labels of an address, without a suffix: `4.3.2.1` / `b.a.9.8...`. */
export function reversedIp(ip: string): string {
  const family = isIP(ip.trim());
  if (family === 4) return ip.trim().split('.').reverse().join('.');
  if (family === 6) return ipv6Nibbles(ip).reverse().join('.');
  throw new Error(`"${ip}" is not an IP address`);
}

/** The PTR query name of an address: `in-addr.arpa` or `ip6.arpa`. */
export function ptrName(ip: string): string {
  return `${reversedIp(ip)}.${isIP(ip.trim()) === 4 ? 'in-addr.arpa' : 'ip6.arpa'}`;
}

/** Canonical text of an address, so answers compare equal to configuration. */
export function canonicalIp(ip: string): string {
  const s = ip.trim();
  if (isIP(s) === 4)
    return s
      .split('.')
      .map((p) => String(Number(p)))
      .join('.');
  if (isIP(s) === 6) return ipv6Nibbles(s).join('');
  return s.toLowerCase();
}

export function sameIp(a: string, b: string): boolean {
  return isIP(a.trim()) === isIP(b.trim()) && canonicalIp(a) === canonicalIp(b);
}

export function normalizeDomain(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export function isSameOrSubdomain(child: string, parent: string): boolean {
  const c = normalizeDomain(child);
  const p = normalizeDomain(parent);
  return c === p || c.endsWith(`.${p}`);
}

/**
 * A syntactically valid host name for DNS queries (RFC 1035 section 2.3.4 lengths; LDH labels plus
 * `_` which service names like `_dmarc` use). Hostile input from config or messages stops here.
 */
export function isValidDomain(name: string): boolean {
  const n = normalizeDomain(name);
  if (!n || n.length > 253 || !n.includes('.')) return false;
  return n.split('.').every((l) => l.length > 0 && l.length <= 63 && /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?$/.test(l));
}
