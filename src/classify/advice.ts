/**
 * Advice lookup: match a rejection text (from a DSN or from an SMTP error at submission) against
 * the knowledge base of provider messages and say what it means and what to do.
 */
import { classifyReason } from './classify.ts';
import { KB, type AdviceEntry } from './knowledge-base.ts';
import type { Advice } from './types.ts';

export type { AdviceEntry };
export const KNOWLEDGE_BASE: readonly AdviceEntry[] = KB;

const compiled = KB.map((e) => ({ e, re: new RegExp(e.pattern, 'i'), host: e.remoteMta ? new RegExp(e.remoteMta, 'i') : undefined }));

export interface AdviceInput {
  diagnostic: string;
  status?: string;
  replyCode?: number;
  remoteMta?: string;
}

/**
 * The knowledge-base entries whose pattern matches the diagnostic (and whose status / reply code
 * constraints hold), most specific first, one per provider: a provider's entries describe
 * alternative readings of its own replies (Telekom's "(NOWL)" reply also carries the generic
 * "A problem occurred" sentence of its greeting refusal), so only the best of them applies.
 * Entries of different sources (a named block list and block lists in general) stay, since both
 * hold. When nothing specific matches, one generic entry for the classified reason is returned so
 * the caller always has something to show.
 */
export function adviceFor(input: AdviceInput): Advice[] {
  const text = String(input?.diagnostic ?? '')
    .replace(/\s+/g, ' ')
    .slice(0, 8000);
  const status = input?.status ?? /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d]|\.\d)/.exec(text)?.[1];
  const hits: Array<{ e: AdviceEntry; score: number }> = [];
  // The classified reason breaks ties between entries that match the same text.
  const { reason } = classifyReason(text, status, input?.replyCode);
  for (const { e, re, host } of compiled) {
    if (e.generic) continue;
    const textHit = re.test(text);
    const hostHit = !!(host && input?.remoteMta && host.test(input.remoteMta));
    if (!textHit) continue;
    if (e.status && status && !e.status.includes(status)) continue;
    hits.push({ e, score: (re.exec(text)?.[0].length ?? 0) + (hostHit ? 100 : 0) + (e.status && status ? 50 : 0) + (e.reason === reason ? 200 : 0) });
  }
  hits.sort((a, b) => b.score - a.score);
  const providers = new Set<string>();
  const out: Advice[] = [];
  for (const { e } of hits) {
    if (providers.has(e.provider)) continue;
    providers.add(e.provider);
    out.push(toAdvice(e));
  }
  if (!out.length && text) {
    const g = KB.find((e) => e.generic && e.reason === reason);
    if (g) out.push(toAdvice(g));
  }
  return out;
}

function toAdvice(e: AdviceEntry): Advice {
  return { id: e.id, provider: e.provider, reason: e.reason, meaning: e.meaning, action: e.action, link: e.link };
}
