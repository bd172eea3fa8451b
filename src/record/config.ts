/** Where the history lives and how long it is kept: from the environment, checked. */
import path from 'node:path';

export interface HistoryConfig {
  path: string;
  retentionDays: number;
}

export const DEFAULT_HISTORY_PATH = '.mailcanary/history.sqlite';
export const DEFAULT_RETENTION_DAYS = 400;

/** MAILCANARY_HISTORY=off: no history is read or written. */
export function historyOff(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MAILCANARY_HISTORY?.trim().toLowerCase() === 'off';
}

export function historyConfigFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): HistoryConfig {
  const raw = env.MAILCANARY_RETENTION_DAYS?.trim();
  let retentionDays = DEFAULT_RETENTION_DAYS;
  if (raw) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(
        `MAILCANARY_RETENTION_DAYS=${JSON.stringify(raw)} is not a whole number of days ≥ 1: set it to e.g. 400, or unset it for the default (${DEFAULT_RETENTION_DAYS})`,
      );
    }
    retentionDays = n;
  }
  return { path: path.resolve(cwd, env.MAILCANARY_HISTORY?.trim() || DEFAULT_HISTORY_PATH), retentionDays };
}
