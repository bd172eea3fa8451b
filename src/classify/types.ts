/** Public data shapes of src/classify: plain JSON-serialisable data (they travel in test attachments). */
import type { Reason } from './vocabulary.ts';

export type { Reason };

export interface BounceRecipient {
  finalRecipient: string;
  originalRecipient?: string;
  /** RFC 3464 §2.3.3: failed | delayed | delivered | relayed | expanded */
  action?: string;
  /** RFC 3463 enhanced status code, e.g. 5.1.1 */
  status?: string;
  remoteMta?: string;
  diagnosticCode?: string;
  /** RFC 3464 §2.3.6 diagnostic-type, upper-cased (SMTP, X-UNIX, X-POSTFIX) */
  diagnosticType?: string;
  lastAttemptDate?: string;
  /** RFC 5321 reply code found in the diagnostic */
  replyCode?: number;
  reason: Reason;
  /** true = permanent, false = temporary, null = not a failure (feedback, auto-reply) or unknown */
  hardBounce: boolean | null;
}

export interface ReturnedMessage {
  /** header fields of the returned message (first value of each, lower-cased names); null when not returned */
  headers: Record<string, string> | null;
  messageId?: string;
  /** value of our X-Mailcanary-Tag header */
  tag?: string;
  from?: string;
  to?: string;
  subject?: string;
  /** original envelope sender where the DSN gives it (X-Postfix-Sender, Original-Envelope-Id) */
  envelopeFrom?: string;
  envelopeId?: string;
}

export interface BounceReport {
  kind: 'dsn' | 'nonstandard-bounce' | 'feedback' | 'auto-reply' | 'not-a-bounce' | 'unknown';
  recipients: BounceRecipient[];
  reportingMta?: string;
  arrivalDate?: string;
  returned: ReturnedMessage;
  /** MTA family that wrote the report, where recognised (Postfix, Exim, qmail, Sendmail, Office365, Gmail, …) */
  mtaModule?: string;
  /** ARF Feedback-Type (RFC 5965 §3.1) for kind 'feedback' */
  feedbackType?: string;
  /** why a field is missing or the message could not be read */
  notes: string[];
}

export interface Advice {
  id: string;
  provider: string;
  reason: Reason;
  meaning: string;
  action: string;
  link: string;
}
