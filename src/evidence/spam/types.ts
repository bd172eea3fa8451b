import type { FilterRule } from './rules.ts';

/** A spam verdict header as a receiver wrote it, decoded where its meaning is documented. */
export interface SpamVerdict {
  /** vendor family: `spamassassin`, `rspamd`, `microsoft`, `gmx-webde`, `t-online`, `yahoo`, `apple`, `proofpoint` */
  vendor: string;
  /** header field name as written */
  header: string;
  /** field body, truncated to 512 characters */
  raw: string;
  /** the filter called it spam (absent when the header does not say) */
  spam?: boolean;
  score?: number;
  threshold?: number;
  /** vendor's own level: Microsoft SCL/BCL, GMX junk level */
  level?: number;
  /** rule names that fired (SpamAssassin tests=, rspamd symbols) */
  tests?: string[];
  /** per rule, where the header gives it: points, description, options (X-Spamd-Result, X-Spam-Report) */
  rules?: FilterRule[];
  /** decoded key/value fields (Microsoft SFV/CAT/IPV...) */
  fields?: Record<string, string>;
  /** plain-language meaning where documented */
  meaning?: string;
  /** true when the field is above the provider's Received hop (written by the provider);
   *  false when it sits where the sender could have written it */
  fromProvider: boolean;
}

export const MAX_RAW = 512;

export function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}
