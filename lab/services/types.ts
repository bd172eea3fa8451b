import type { LabTopology, LabPaths } from '../topology.ts';
import type { LabKeys } from '../dkim.ts';
import type { Scenario } from '../scenarios.ts';

export interface LabContext {
  topo: LabTopology;
  paths: LabPaths;
}

export interface StartInput extends LabContext {
  keys: LabKeys;
  scenario: Scenario;
}

/** One daemon of the lab. `ready` is a real protocol probe, not just "the pid exists". */
export interface LabService {
  name: string;
  /** where to look when it fails */
  logFiles(ctx: LabContext): string[];
  start(input: StartInput): Promise<void>;
  /** readiness allowance when it needs more than the lab's default (a cold cache to build) */
  readyTimeoutMs?: number;
  ready(ctx: LabContext): Promise<boolean>;
  /** the pid of the main process when it runs */
  pid(ctx: LabContext): number | undefined;
  stop(ctx: LabContext): Promise<void>;
}
