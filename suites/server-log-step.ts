import { historyConfigFromEnv, historyOff, HistoryStore, previousServerLogReading, serverLogBaseline } from '../src/record/index.ts';
import type { ServerLogBaseline, StoredReading } from '../src/record/index.ts';
import { newlyRejecting, type NewRejection } from '../src/gate/index.ts';
import { describeWindow, formatStats, takeReading, type ServerLogConfig, type ServerLogReading } from '../src/server-log/index.ts';

/**
 * The `server-log` project's work, apart from Playwright: the previous run's reading from the
 * history (its end starts this window), the baseline "newly" is measured against (per remote
 * domain, what the latest earlier reading that mailed it saw), the reading itself, and the
 * domains that newly refuse. `now` is the injected clock.
 */
export interface ServerLogStep {
  reading: ServerLogReading;
  previous?: Pick<StoredReading, 'runId' | 'until' | 'rejections'>;
  baseline?: ServerLogBaseline;
  newly: NewRejection[];
  /** one line for the test's annotations: the source, the window and what was read */
  summary: string;
}

function fromHistory<T>(env: NodeJS.ProcessEnv, read: (store: HistoryStore) => T): T | undefined {
  if (historyOff(env)) return undefined;
  const store = HistoryStore.open(historyConfigFromEnv(env).path);
  try {
    return read(store);
  } finally {
    store.close();
  }
}

/** The previous run's reading: where this window starts. */
export function previousReading(env: NodeJS.ProcessEnv, now: number, lab: boolean): StoredReading | undefined {
  return fromHistory(env, (store) => previousServerLogReading(store, { until: now, lab }));
}

/** Every remote domain's answer as the earlier readings saw it: what "newly" is measured against. */
export function readingBaseline(env: NodeJS.ProcessEnv, now: number, lab: boolean): ServerLogBaseline | undefined {
  return fromHistory(env, (store) => serverLogBaseline(store, { until: now, lab }));
}

export async function serverLogStep(config: ServerLogConfig, opts: { env: NodeJS.ProcessEnv; now: number; lab: boolean }): Promise<ServerLogStep> {
  const previous = previousReading(opts.env, opts.now, opts.lab);
  const baseline = readingBaseline(opts.env, opts.now, opts.lab);
  const reading = await takeReading({ config, now: opts.now, previousUntil: previous?.until });
  const newly = newlyRejecting(reading.rejections, baseline?.rejections);
  const summary = `${formatStats(reading.source, reading.stats)}; window ${describeWindow(reading)}`;
  return { reading, ...(previous ? { previous } : {}), ...(baseline ? { baseline } : {}), newly, summary };
}
