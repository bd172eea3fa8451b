/**
 * Which delivery attempts leave the server: not local delivery (Postfix local, virtual, lmtp,
 * pipe; Exim's local transports) and not the hop into a content filter on loopback (amavis
 * listens on 10024 and re-injects on 10025, rspamd's proxy on 11332), whose message comes back
 * under a new queue id and leaves from there.
 */
import type { Relay } from './types.ts';

const LOCAL_TRANSPORT = /^(?:lmtp|local|virtual|pipe|discard)$|local_delivery|dovecot|lmtp|maildir|appendfile|address_(?:file|pipe|reply)/i;
const FILTER_PORTS = new Set([10024, 10025, 10026, 10027, 10028, 10029, 10030, 10031, 11332, 11333, 11334]);

const isLoopback = (ip: string | undefined) => !!ip && (/^127\./.test(ip) || ip === '::1');

export function isOutbound(transport: string | undefined, relay?: Relay): boolean {
  if (transport && LOCAL_TRANSPORT.test(transport)) return false;
  if (relay && isLoopback(relay.ip) && relay.port !== undefined && FILTER_PORTS.has(relay.port)) return false;
  return true;
}
