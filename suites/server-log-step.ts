import { historyConfigFromEnv, historyOff, HistoryStore, previousServerLogReading } from '../src/record/index.ts';
import type { StoredReading } from '../src/record/index.ts';
import { newlyRejecting, type NewRejection } from '../src/gate/index.ts';
import { describeWindow, formatStats, takeReading, type ServerLogConfig, type ServerLogReading } from '../src/server-log/index.ts';

/**
 * The `server-log` project's work, apart from Playwright: the previous run's reading from the
 * history (its end starts this window, its refusals are what "newly" is measured against), the
 * reading itself, and the domains that newly refuse. `now` is the injected clock.
 */
export interface ServerLogStep {
  reading: ServerLogReading;
  previous?: Pick<StoredReading, 'runId' | 'until' | 'rejections'>;
  newly: NewRejection[];
  /** one line for the test's annotations: the source, the window and what was read */
  summary: string;
}

export function previousReading(env: NodeJS.ProcessEnv, now: number, lab: boolean): StoredReading | undefined {
  if (historyOff(env)) return undefined;
  const store = HistoryStore.open(historyConfigFromEnv(env).path);
  try {
    return previousServerLogReading(store, { until: now, lab });
  } finally {
    store.close();
  }
}

export async function serverLogStep(config: ServerLogConfig, opts: { env: NodeJS.ProcessEnv; now: number; lab: boolean }): Promise<ServerLogStep> {
  const previous = previousReading(opts.env, opts.now, opts.lab);
  const reading = await takeReading({ config, now: opts.now, previousUntil: previous?.until });
  const newly = newlyRejecting(reading.rejections, previous?.rejections);
  const summary = `${formatStats(reading.source, reading.stats)}; window ${describeWindow(reading)}`;
  return { reading, ...(previous ? { previous } : {}), newly, summary };
}
