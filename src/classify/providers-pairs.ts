/**
 * Shorthand for provider rule sets that document a wording under one enhanced status code only
 * (Exchange Online, Gmail): each pair becomes a rule of its own, so the code narrows exactly its
 * wording and every pair is one entry (rulebook.ts).
 */
import type { ProviderRule } from './providers.ts';
import type { Reason } from './vocabulary.ts';

/** One rule per `[status code or range, lower-case wording]` pair. */
export function pairs(reason: Reason, source: string, list: ReadonlyArray<readonly [string, string]>): ProviderRule[] {
  return list.map(([code, phrase]) => ({ reason, source, codes: [code], phrases: [phrase] }));
}
