/**
 * src/server-log: the user's own server's mail log (a file, the journal, or over SSH): each
 * test message's delivery attempts by queue id, the rejections of the user's real mail, and
 * the outbound volume with the share of mail the server writes itself.
 */
export { serverLogConfigFromEnv, DEFAULT_SSH_COMMAND, type LogSource, type ServerLogConfig } from './config.ts';
export { readServerLog, senderSide, sourceLines, describeSource, type ReadOptions, type ServerLogResult, type SenderSide } from './read.ts';
export { parseLogLine, type LineResult } from './parse-line.ts';
export { parseEnvelope, type TimeContext } from './envelope.ts';
export { Correlator, type Attempt, type MessageTrail } from './correlate.ts';
export { recipientOutcomes, describeReply, type RecipientOutcome, type TimelineStep } from './timeline.ts';
export { RejectionCollector, type RejectionGroup } from './rejections.ts';
export { VolumeCollector, selfGeneratedKind, type OutboundVolume, type SelfGenerated } from './volume.ts';
export { LogSourceError } from './errors.ts';
export type { LogEvent, LogRecord, ParseStats, Relay, RemoteReply, ServerLogSummary } from './types.ts';
export { bounceRecordFromLog, serverLogSummary } from './bounce-record.ts';
export { readingWindow, describeWindow, type ReadingWindow } from './window.ts';
export { takeReading, readingFromJson, type ServerLogReading, type ReadingInput } from './reading.ts';
export { formatRejections, formatVolume, formatStats, logTime } from './format.ts';
export { LogFollower, type FollowerOptions } from './follow.ts';
export { watchMessageLog, describeOutcome, type LogUpdate, type MessageLogWait } from './message-watch.ts';
export { offsetAtTime } from './file-seek.ts';
