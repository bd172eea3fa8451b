/** The score stage's public API: content scores from rspamd or SpamAssassin before sending. */
export type { ScoreResult, ScoredResult, UnknownScore, ScoreRule, ScorerSetting, ScoreEnvelope, ScorerKind } from './types.ts';
export { parseScorerSetting } from './setting.ts';
export { scoreMessage, DEFAULT_SCORE_TIMEOUT_MS } from './score.ts';
export { scoreLine, ruleList } from './result.ts';
export { rspamdHeaders, spamdResultValue } from './headers.ts';
