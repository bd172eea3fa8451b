/**
 * The whole reading: lines from the configured source → events → trails per queue id → the
 * rejections and the outbound volume in the window, plus the trails asked for by queue id
 * (the run's test messages). Streams: memory does not grow with the log's size.
 */
import { commandLines, journalCommand, sshCommand, type SpawnFn } from './command-source.ts';
import type { LogSource } from './config.ts';
import { Correlator, type MessageTrail } from './correlate.ts';
import { fileLines } from './file-source.ts';
import { parseLogLine } from './parse-line.ts';
import { RejectionCollector, type RejectionGroup } from './rejections.ts';
import { recipientOutcomes, type RecipientOutcome } from './timeline.ts';
import { emptyStats, type ParseStats } from './types.ts';
import { VolumeCollector, type OutboundVolume } from './volume.ts';

export interface ReadOptions {
  /** the injected clock (ms since epoch): year inference and the default window end */
  now: number;
  /** window start (ms); a journal or SSH `{since}` read starts here */
  since: number;
  until?: number;
  /** queue ids or Message-IDs whose trails to keep */
  keep?: Iterable<string>;
  utcOffsetMinutes?: number;
  showLocalParts?: boolean;
  maxLineBytes?: number;
  follow?: boolean;
  signal?: AbortSignal;
  spawn?: SpawnFn;
  /** each trail when its message leaves the queue (or the log ends) */
  onTrail?: (trail: MessageTrail) => void;
}

export interface ServerLogResult {
  source: string;
  since: number;
  until: number;
  stats: ParseStats;
  trails: Map<string, MessageTrail>;
  rejections: RejectionGroup[];
  volume: OutboundVolume;
}

export function describeSource(source: LogSource): string {
  if (source.kind === 'file') return `file ${source.path}`;
  if (source.kind === 'journal') return `journal (journalctl -u ${source.unit})`;
  return `ssh ${source.target} (${source.command})`;
}

/** The raw lines of a configured source. */
export function sourceLines(
  source: LogSource,
  opts: Pick<ReadOptions, 'since' | 'follow' | 'signal' | 'spawn' | 'maxLineBytes'> & { stats: ParseStats },
): AsyncIterable<string> {
  const common = { stats: opts.stats, maxLineBytes: opts.maxLineBytes, signal: opts.signal };
  if (source.kind === 'file') return fileLines(source.path, { ...common, follow: opts.follow });
  const spec = source.kind === 'journal' ? journalCommand(source.unit, opts.since, opts.follow) : sshCommand(source.target, source.command, opts.since);
  return commandLines(spec, { ...common, spawn: opts.spawn });
}

/** Reads lines (a configured source, or any line iterable) to the end of the window. */
export async function readServerLog(input: LogSource | Iterable<string> | AsyncIterable<string>, opts: ReadOptions): Promise<ServerLogResult> {
  const stats = emptyStats();
  const until = opts.until ?? opts.now;
  const isSource = typeof input === 'object' && input !== null && 'kind' in input;
  const lines = isSource ? sourceLines(input as LogSource, { ...opts, stats }) : (input as Iterable<string> | AsyncIterable<string>);
  const rejections = new RejectionCollector({ since: opts.since, until, showLocalParts: opts.showLocalParts });
  const volume = new VolumeCollector({ since: opts.since, until });
  const correlator = new Correlator({
    keep: opts.keep,
    onDone: (t) => {
      rejections.add(t);
      volume.add(t);
      opts.onTrail?.(t);
    },
  });
  const ctx = { now: opts.now, utcOffsetMinutes: opts.utcOffsetMinutes };
  for await (const line of lines) {
    stats.lines++;
    const r = parseLogLine(line, ctx);
    if (r.kind === 'garbage') stats.garbage++;
    else if (r.kind === 'ignored') stats.ignored++;
    else {
      stats.used++;
      for (const ev of r.events) {
        if (ev.kind === 'attempt' && ev.truncated) stats.truncated++;
        correlator.add(ev);
      }
    }
  }
  correlator.finish();
  stats.evicted = correlator.evicted;
  return {
    source: isSource ? describeSource(input as LogSource) : 'lines',
    since: opts.since,
    until,
    stats,
    trails: correlator.kept,
    rejections: rejections.result(),
    volume: volume.result(),
  };
}

export interface SenderSide {
  queueId: string;
  messageId?: string;
  from?: string;
  outcomes: RecipientOutcome[];
  /** DSNs the server wrote about the message */
  notifications: MessageTrail['notifications'];
  removed: boolean;
}

/** The sender's side of one test message: what its server's log says happened to it. */
export function senderSide(trail: MessageTrail): SenderSide {
  return {
    queueId: trail.queueId,
    ...(trail.messageId ? { messageId: trail.messageId } : {}),
    ...(trail.from !== undefined ? { from: trail.from } : {}),
    outcomes: recipientOutcomes(trail),
    notifications: trail.notifications,
    removed: trail.removedAt !== undefined,
  };
}
