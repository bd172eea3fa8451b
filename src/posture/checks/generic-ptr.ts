/**
 * Recognises PTR names that look generic (assigned by an ISP or cloud to every address of a
 * range). Receivers score such names like dynamic end-user space (e.g. Spamhaus PBL policy,
 * M3AAWG "Best Practices for Managing SMTP Reverse DNS"), so a mail server should have a PTR
 * naming the mail host instead. Pure: name and address in, reasons out.
 */
import { isIP } from 'node:net';
import { ipv6Nibbles } from '../../shared/dns/names.ts';

const KEYWORDS = [
  'dynamic',
  'dyn',
  'dhcp',
  'pool',
  'dsl',
  'adsl',
  'vdsl',
  'xdsl',
  'cable',
  'dial',
  'dialup',
  'dialin',
  'ppp',
  'pppoe',
  'broadband',
  'customer',
  'cust',
  'client',
  'clients',
  'user',
  'users',
  'home',
  'residential',
  'res',
  'dip',
  'static',
  'unassigned',
  'unknown',
  'host',
  'ip',
  'nat',
  'cpe',
  'wifi',
  'mobile',
];

/** default reverse names of large hosting and cloud providers */
const CLOUD_DEFAULTS = [
  'compute.amazonaws.com',
  'compute.internal',
  'bc.googleusercontent.com',
  'members.linode.com',
  'vultrusercontent.com',
  'your-server.de',
  'contaboserver.net',
  'cloudapp.azure.com',
  'poneytelecom.eu',
];

export function genericPtrReasons(name: string, ip: string): string[] {
  const n = name.toLowerCase().replace(/\.$/, '');
  const reasons: string[] = [];
  const family = isIP(ip.trim());
  if (family === 4) {
    const o = ip.trim().split('.');
    const forward = o.join('[-._]?');
    const reverse = [...o].reverse().join('[-._]?');
    const hex = o.map((x) => Number(x).toString(16).padStart(2, '0')).join('');
    if (new RegExp(`(^|[^0-9])(${forward}|${reverse})([^0-9]|$)`).test(n) || n.includes(hex)) {
      reasons.push('contains the IP address');
    } else if (new RegExp(`(^|[^0-9])${o[2]}[-._]${o[3]}([^0-9]|$)`).test(n) && /\d+[-._]\d+[-._]\d+/.test(n)) {
      reasons.push('contains the IP address');
    }
  } else if (family === 6) {
    const nib = ipv6Nibbles(ip);
    // only a distinctive interface identifier says anything; "::1" would match every name
    const tail = nib.slice(16).join('').replace(/^0+/, '');
    if (tail.length >= 4 && n.replace(/[^0-9a-f]/g, '').includes(tail)) reasons.push('contains the IPv6 interface identifier');
  }
  const tokens = n.split(/[.\-_]/);
  const kw = tokens.find((t) => KEYWORDS.some((k) => t === k || new RegExp(`^${k}\\d+$`).test(t)));
  // a keyword alone ("host", "static") is common in real names; together with digits it is a pattern
  if (kw && (/\d{2,}/.test(n) || reasons.length)) reasons.push(`uses the generic word "${kw}"`);
  const cloud = CLOUD_DEFAULTS.find((s) => n === s || n.endsWith(`.${s}`));
  if (cloud) reasons.push(`is a provider default name (${cloud})`);
  return reasons;
}
