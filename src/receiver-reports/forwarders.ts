/**
 * Known forwarders and mailing-list services, recognised by the forward-confirmed reverse DNS
 * name of the source IP. Mail from them carries the user's domain in From but comes from their
 * IPs: SPF fails by design, DKIM survives unless the list rewrites the message (RFC 7960 §3.2
 * describes both cases). Such a source is expected, not a spoofer. Each entry says where the
 * rDNS pattern comes from, so it can be checked and kept current.
 *
 * To add one: a domain suffix its outbound servers' PTR names end in (checked forward-confirmed:
 * the name must resolve back to the IP), a name, and the source of the fact.
 */
export interface Forwarder {
  /** PTR names ending in one of these (after a dot, or equal) */
  suffixes: readonly string[];
  name: string;
  kind: 'forwarder' | 'mailing-list';
  source: string;
}

export const FORWARDERS: readonly Forwarder[] = [
  {
    suffixes: ['google.com'],
    name: 'Google (Gmail forwarding, Google Groups)',
    kind: 'forwarder',
    source: 'Gmail/Groups outbound hosts are mail-*.google.com (PTR of _spf.google.com ranges)',
  },
  {
    suffixes: ['outlook.com', 'protection.outlook.com'],
    name: 'Microsoft (Outlook.com / Microsoft 365 forwarding)',
    kind: 'forwarder',
    source: 'Exchange Online outbound hosts are *.outbound.protection.outlook.com (Microsoft 365 URLs and IP ranges)',
  },
  {
    suffixes: ['yahoo.com', 'yahoodns.net'],
    name: 'Yahoo / AOL (forwarding)',
    kind: 'forwarder',
    source: 'Yahoo outbound hosts are *.mail.*.yahoo.com / *.yahoodns.net',
  },
  {
    suffixes: ['messagingengine.com'],
    name: 'Fastmail (forwarding)',
    kind: 'forwarder',
    source: 'Fastmail outbound hosts are *.messagingengine.com (Fastmail help: sending servers)',
  },
  {
    suffixes: ['icloud.com', 'apple.com'],
    name: 'Apple iCloud (forwarding, Hide My Email)',
    kind: 'forwarder',
    source: 'iCloud Mail outbound hosts are *.mail.icloud.com / *.apple.com',
  },
  {
    suffixes: ['gmx.net', 'web.de', 'kundenserver.de'],
    name: 'GMX / WEB.DE / IONOS (forwarding)',
    kind: 'forwarder',
    source: 'United Internet outbound hosts are mout*.gmx.net, mout*.web.de, mout*.kundenserver.de',
  },
  { suffixes: ['mailbox.org'], name: 'mailbox.org (forwarding)', kind: 'forwarder', source: 'mailbox.org outbound hosts are mout-*.mailbox.org' },
  { suffixes: ['posteo.de'], name: 'Posteo (forwarding)', kind: 'forwarder', source: 'Posteo outbound hosts are mout*.posteo.de' },
  { suffixes: ['groups.io'], name: 'Groups.io', kind: 'mailing-list', source: 'Groups.io list mail is sent from *.groups.io' },
  {
    suffixes: ['lists.sourceforge.net', 'sourceforge.net'],
    name: 'SourceForge mailing lists',
    kind: 'mailing-list',
    source: 'SourceForge Mailman lists are sent from lists.sourceforge.net',
  },
];

/** The forwarder a (forward-confirmed) PTR name belongs to, if any. */
export function forwarderFor(ptr: string): Forwarder | undefined {
  const name = ptr.toLowerCase().replace(/\.$/, '');
  return FORWARDERS.find((f) => f.suffixes.some((s) => name === s || name.endsWith('.' + s)));
}
