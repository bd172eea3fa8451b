/** The record of one test message's fate, composed by the run stage from what send, watch, evidence and classify found. */
import type { Evidence } from '../evidence/index.ts';
import type { ServerLogSummary } from '../server-log/index.ts';
import type { BounceRecord, Placement, SentMessage, Sighting, Verdict } from '../model.ts';

/** The full record of one test message, attached to the test result as JSON. */
export interface Delivery {
  lab: boolean;
  runId: string;
  seedId: string;
  provider: string;
  variant: string;
  /** submission path it left through (SMTP_PATHS name); absent for the default path */
  path?: string;
  tag: string;
  /** the submission server's queue id (same as `sent.queueId`): the key into its log */
  queueId?: string;
  expected: Placement;
  verdict: Verdict;
  sent: SentMessage;
  sighting?: Sighting;
  /** what the receiving provider saw and concluded (src/evidence) */
  evidence?: Evidence;
  /** a DSN or a rejection that came back for this message */
  bounce?: BounceRecord;
  /** delay reports seen while waiting (RFC 3464 `Action: delayed`) */
  deferrals?: BounceRecord[];
  /** what the sending server's own log says about the message (src/server-log), when a log source is set */
  serverLog?: ServerLogSummary;
  /** human-readable explanation of the verdict */
  detail?: string;
}
