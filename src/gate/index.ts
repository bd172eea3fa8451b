/** Regression gate: compare a run with its baseline, JUnit output. */
export { compareRuns, chooseBaseline } from './compare.ts';
export type { GateResult, Regression, RegressionKind } from './compare.ts';
export { gateJUnit, xmlEscape } from './junit.ts';
export { addServerLogFindings, newlyRejecting, rejectionCategory } from './server-log.ts';
export type { NewRejection, RejectionCategory, RejectionLike } from './server-log.ts';
export { parseGateMode } from './mode.ts';
export type { GateMode, GateSetting } from './mode.ts';
