/**
 * The content filter's part of a provider decision: rspamd's action, as a receiver running
 * rspamd applies it (`reject` refuses, `add header`/`rewrite subject` file as spam), and the
 * headers rspamd's milter_headers module writes on the filed copy.
 */
import { rspamdHeaders, ruleList } from '../../../src/score/index.ts';
import type { ScoreResult } from '../../../src/score/index.ts';
import type { Decision } from './types.ts';

const SPAM_ACTIONS = new Set(['add header', 'rewrite subject']);

export interface ContentVerdict {
  /** `reject`, `spam`, or null when rspamd lets it pass (or said nothing) */
  verdict: 'reject' | 'spam' | null;
  headers: [string, string][];
  reason?: string;
}

export function contentVerdict(content: ScoreResult | undefined): ContentVerdict {
  if (!content || content.state !== 'scored') return { verdict: null, headers: [] };
  const headers = rspamdHeaders(content);
  const why = `rspamd ${content.action} (${content.score.toFixed(2)} / ${content.threshold.toFixed(2)}): ${ruleList(
    content.rules.filter((r) => r.score !== 0),
    6,
  )}`;
  if (content.action === 'reject') return { verdict: 'reject', headers, reason: why };
  if (SPAM_ACTIONS.has(content.action)) return { verdict: 'spam', headers, reason: why };
  return { verdict: null, headers };
}

/** rspamd's reject, as the SMTP answer a provider gives for content spam (RFC 3463 5.7.1). */
export function contentReject(v: ContentVerdict): Decision {
  return { action: 'reject', code: 550, text: '5.7.1 Message rejected as spam by the content filter (lab rspamd)', reason: v.reason };
}
