/**
 * The headers rspamd's milter_headers module writes (routines `x-spamd-result`, `x-rspamd-score`,
 * `x-rspamd-action`, `spam-header`/`x-spam-status`), built from a /checkv2 answer: what a
 * receiver running rspamd puts on the copy it files.
 */
import type { ScoredResult } from './types.ts';

function fmt(n: number): string {
  return (Math.round(n * 100) / 100).toFixed(2);
}

/** `default: False [1.20 / 15.00]; SYM(0.40)[opt1,opt2]; …` as milter_headers formats it. */
export function spamdResultValue(r: ScoredResult): string {
  const spam = r.action === 'reject' || r.action === 'add header' || r.action === 'rewrite subject';
  const syms = r.rules.map((s) => `${s.name}(${fmt(s.score)})${s.options.length ? `[${s.options.join(',')}]` : ''}`);
  return [`default: ${spam ? 'True' : 'False'} [${fmt(r.score)} / ${fmt(r.threshold)}]`, ...syms].join('; ');
}

export function rspamdHeaders(r: ScoredResult): [string, string][] {
  const spam = r.action === 'reject' || r.action === 'add header' || r.action === 'rewrite subject';
  return [
    ['X-Spamd-Result', spamdResultValue(r)],
    ['X-Rspamd-Score', fmt(r.score)],
    ['X-Rspamd-Action', r.action],
    ['X-Spam-Status', `${spam ? 'Yes' : 'No'}, score=${fmt(r.score)}`],
  ];
}
