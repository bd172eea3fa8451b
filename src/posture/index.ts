/** DNS posture checks of the sending domains and addresses: the stage's public API. */
export type { CheckResult, CheckStatus, PostureConfig, CheckContext, MtaStsFetcher, MtaStsPolicy } from './types.ts';
export { postureConfigFromEnv } from './config.ts';
export { planPostureChecks } from './plan.ts';
export type { PlannedCheck } from './plan.ts';
export { runPostureChecks, runPlannedCheck, postureContext } from './run.ts';
export type { RunOptions } from './run.ts';
export { evaluateSpf } from './spf/evaluate.ts';
export type { SpfEvaluation, SpfResultName } from './spf/evaluate.ts';
export { walkSpf } from './spf/walk.ts';
export type { SpfWalk, SpfProblem } from './spf/walk.ts';
export { parseDkimKey } from './checks/dkim-key.ts';
export { parseDmarcRecordTags } from './checks/dmarc-record.ts';
export { genericPtrReasons } from './checks/generic-ptr.ts';
export { DEFAULT_LISTS, parseListSpec } from './lists/list-data.ts';
export type { DnsList, ListFamily } from './lists/list-data.ts';
export { queryList, decodeListAnswer, listQueryName } from './lists/query.ts';
export type { ListAnswer, ListOutcome } from './lists/query.ts';
export type { Env } from './config.ts';
