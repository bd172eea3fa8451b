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
 * provider's own Received field: verdicts above it were written by the provider, the others could
 * come from the sender's own filter (an outbound SpamAssassin adds X-Spam-Status too).
 */
export function parseSpamVerdicts(headers: readonly HeaderField[], providerBoundary: number = Number.POSITIVE_INFINITY): SpamVerdict[] {
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
    const fromProvider = h.index < providerBoundary || h.key.startsWith('x-ms-exchange-organization-');
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
