/** One entry point for both scorers; the run never fails because of a scorer. */
import type { ScoreEnvelope, ScoreResult, ScorerSetting } from './types.ts';
import { rspamdCheck } from './rspamd.ts';
import { spamdCheck } from './spamd.ts';

export const DEFAULT_SCORE_TIMEOUT_MS = 10_000;

export function scoreMessage(setting: ScorerSetting, raw: Buffer, env: ScoreEnvelope, timeoutMs = DEFAULT_SCORE_TIMEOUT_MS): Promise<ScoreResult> {
  return setting.kind === 'rspamd' ? rspamdCheck(setting, raw, env, timeoutMs) : spamdCheck(setting, raw, timeoutMs);
}
