/**
 * One reading of the server's log for a run: the window since the previous run's reading (or
 * the configured default), the rejections of real mail in it and the outbound volume, compared
 * with the previous reading for remote domains that newly refuse. This is what the `server-log`
 * project's test does and what travels with its result; the source's failures throw
 * (LogSourceError, with the fix), everything about the mail is data.
 */
import type { ServerLogConfig } from './config.ts';
import { readServerLog, type ReadOptions } from './read.ts';
import type { RejectionGroup } from './rejections.ts';
import type { ParseStats } from './types.ts';
import type { OutboundVolume } from './volume.ts';
import { readingWindow, type ReadingWindow } from './window.ts';

export interface ServerLogReading {
  source: string;
  since: number;
  until: number;
  basis: ReadingWindow['basis'];
  stats: ParseStats;
  /** grouped by remote domain and reason, recipients masked unless MAILCANARY_LOG_SHOW_LOCAL_PARTS */
  rejections: RejectionGroup[];
  volume: OutboundVolume;
}

export interface ReadingInput {
  config: ServerLogConfig;
  /** the injected clock */
  now: number;
  /** when the previous run's reading ended (from the history), if there is one */
  previousUntil?: number;
  spawn?: ReadOptions['spawn'];
  signal?: AbortSignal;
}

export async function takeReading(input: ReadingInput): Promise<ServerLogReading> {
  const w = readingWindow({ now: input.now, windowMs: input.config.windowMs, previousUntil: input.previousUntil });
  const r = await readServerLog(input.config.source, {
    now: input.now,
    since: w.since,
    until: w.until,
    utcOffsetMinutes: input.config.utcOffsetMinutes,
    showLocalParts: input.config.showLocalParts,
    spawn: input.spawn,
    signal: input.signal,
  });
  return { source: r.source, since: w.since, until: w.until, basis: w.basis, stats: r.stats, rejections: r.rejections, volume: r.volume };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A reading as it travels in the test's attachment (JSON), checked field by field: what came
 * back from a worker or a blob report is not trusted to have the shape. A string is the reason
 * it cannot be used.
 */
export function readingFromJson(text: string): ServerLogReading | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  if (!isObj(v)) return 'not an object';
  if (typeof v.source !== 'string' || !isNum(v.since) || !isNum(v.until)) return 'source, since or until missing';
  if (!Array.isArray(v.rejections) || !isObj(v.volume) || !isObj(v.stats)) return 'rejections, volume or stats missing';
  const rejections: RejectionGroup[] = [];
  for (const g of v.rejections) {
    if (!isObj(g) || typeof g.domain !== 'string' || typeof g.reason !== 'string' || !isNum(g.messages))
      return 'a rejection group without domain, reason or count';
    const status = g.status === 'bounced' || g.status === 'expired' ? g.status : 'deferred';
    rejections.push({
      ...(g as unknown as RejectionGroup),
      status,
      attempts: isNum(g.attempts) ? g.attempts : g.messages,
      example: typeof g.example === 'string' ? g.example : '',
      relays: Array.isArray(g.relays) ? g.relays.filter((x): x is string => typeof x === 'string') : [],
      recipients: Array.isArray(g.recipients) ? g.recipients.filter((x): x is string => typeof x === 'string') : [],
    });
  }
  return {
    source: v.source,
    since: v.since,
    until: v.until,
    basis: v.basis === 'previous-run' ? 'previous-run' : 'default',
    stats: v.stats as unknown as ParseStats,
    rejections,
    volume: v.volume as unknown as OutboundVolume,
  };
}
