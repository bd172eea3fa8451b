/** The run stage's public API: the run manifest, verdicts and the Delivery record. */
export type { Delivery } from './types.ts';
export { deliveryFrom, trustFor } from './delivery.ts';
export { findSent, readCurrentManifest, writeManifest } from './manifest.ts';
export type { RunManifest } from './manifest.ts';
export { pathFamilyWarning } from './path-family.ts';
export { runFile } from './manifest.ts';
export { untestedRun } from './coverage.ts';
export type { TestOutcome } from './coverage.ts';
