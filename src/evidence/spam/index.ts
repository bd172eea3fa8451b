/** Spam verdict headers of every vendor family, in header order (top first). */
import type { HeaderField } from '../../shared/headers.ts';
import type { SpamVerdict } from './types.ts';
import { MAX_RAW } from './types.ts';
import { decodeSpamAssassin } from './spamassassin.ts';
import { decodeMicrosoft } from './microsoft.ts';
import { decodeOthers } from './others.ts';
import { clean } from '../text.ts';

export type { SpamVerdict } from './types.ts';
export { sclMeaning } from './microsoft.ts';

/** At most this many verdict headers are kept per message. */
export const MAX_VERDICTS = 50;

/**
 * Decode the spam verdict headers among `headers`. `providerBoundary` is the index of the
 * provider's own Received field and `nextReceived` the index of the Received field below it (the
 * hop that handed the message to the provider). A verdict is the provider's when it sits above
 * its Received, or in the provider's own block between its Received and the next one: the
 * sending hop prepends its Received above everything it passes on (RFC 5321 §4.4), so nothing the
 * sender wrote can sit above that field, while a receiving MTA's filters add their fields below
 * the MTA's own Received (a milter never sees the headers its MTA adds itself, so its inserted
 * fields land below them: rspamd's X-Spamd-Result through Postfix). Verdicts below the next
 * Received could come from the sender's own filter (an outbound SpamAssassin adds X-Spam-Status
 * too). Without a Received below the provider's there is no block to trust.
 */
export function parseSpamVerdicts(
  headers: readonly HeaderField[],
  providerBoundary: number = Number.POSITIVE_INFINITY,
  nextReceived: number = providerBoundary,
): SpamVerdict[] {
  const out: SpamVerdict[] = [];
  for (const h of headers) {
    if (out.length >= MAX_VERDICTS) break;
    if (!h.key.startsWith('x-')) continue;
    const value = h.value.length > 4096 ? h.value.slice(0, 4096) : h.value;
    const d = decodeSpamAssassin(h.key, value) ?? decodeMicrosoft(h.key, value) ?? decodeOthers(h.key, value);
    if (!d) continue;
    // Exchange's header firewall strips X-MS-Exchange-Organization-* from mail arriving from outside
    // (Microsoft Learn "Header firewall"), so those are the provider's wherever they sit: Microsoft
    // appends them at the bottom of the block.
    const fromProvider =
      h.index < providerBoundary || (h.index > providerBoundary && h.index < nextReceived) || h.key.startsWith('x-ms-exchange-organization-');
    out.push({ ...d, header: h.name, raw: clean(h.value.slice(0, MAX_RAW)), fromProvider });
  }
  return out;
}

/**
 * One summary verdict from the provider's own headers: spam if any provider header says spam,
 * not spam if some say not spam and none says spam, undefined when no provider header says.
 */
export function providerSpamVerdict(verdicts: readonly SpamVerdict[]): boolean | undefined {
  const own = verdicts.filter((v) => v.fromProvider && v.spam !== undefined);
  if (own.length === 0) return undefined;
  return own.some((v) => v.spam === true);
}
