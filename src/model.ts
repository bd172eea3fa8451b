/**
 * The data that travels through the pipeline: send → watch → evidence → classify → record → report.
 * Everything here is plain JSON-serialisable data, because results travel between Playwright
 * workers and reporters as annotations and attachments (and must survive `merge-reports`).
 */

/** Where a message was found in the seed mailbox. */
export type Placement = 'inbox' | 'spam' | `other-folder:${string}` | 'missing';

/**
 * The outcome of one test message.
 * - placement values: the message was delivered (or not found before the timeout);
 * - `rejected`: the user's own server refused it at submission (SMTP error from nodemailer);
 * - `bounced`: a DSN came back for it;
 * - `deferred`: a delay report came back and no final outcome yet;
 * - `send-failed`: submission could not happen at all (connection refused, dropped mid-DATA);
 * - `seed-unreachable`: the seed mailbox could not be read (login refused, IMAP down);
 * - `skipped`: the seed has no credentials configured.
 */
export type Verdict = Placement | 'rejected' | 'bounced' | 'deferred' | 'send-failed' | 'seed-unreachable' | 'skipped';

/** One message sent in a run: what the watcher needs to find it again. */
export interface SentMessage {
  runId: string;
  /** Unique per message: `<runId>.<seedId>.<variant>` shortened; appears in header, subject, envelope. */
  tag: string;
  seedId: string;
  variant: string;
  /** submission path (SMTP_PATHS name, e.g. `ipv6`) it left through; absent for the default path */
  path?: string;
  /** sender id of the senders file; absent when the run has one sender */
  sender?: string;
  /** the sender's From domain, with `sender` */
  senderDomain?: string;
  /** the server's own mail (a `system: true` sender) */
  system?: boolean;
  to: string;
  from: string;
  envelopeFrom: string;
  messageId: string;
  subject: string;
  /** ms since epoch when the submission server accepted (or refused) the message */
  submittedAt: number;
  /** the submission server's queue id from its reply to DATA (`250 2.0.0 Ok: queued as 4Xyz…`); absent when it names none */
  queueId?: string;
  /** set when submission failed */
  submitError?: SubmitError;
  /** set when it was not sent because the seed's mailbox could not be read before sending: why, with the fix */
  seedUnreadable?: string;
}

export interface SubmitError {
  kind: 'rejected' | 'send-failed';
  /** SMTP command during which it failed, e.g. `RCPT TO`, `DATA`, `CONN` */
  command?: string;
  responseCode?: number;
  enhancedStatus?: string;
  message: string;
  /** set when the server refused the submission login (RFC 4954 §6: 535): which login, named by its variables */
  login?: SubmitLogin;
}

/** The submission login a server refused: the address and the variables that hold it and its password. */
export interface SubmitLogin {
  user: string;
  userEnv: string;
  passwordEnv: string;
}

/** What the watcher found for a message. */
export interface Sighting {
  placement: Placement;
  /** mailbox path as the server names it */
  folder?: string;
  uid?: number;
  /** IMAP INTERNALDATE, ms since epoch */
  internalDate?: number;
  /** ms since epoch when mailcanary saw it */
  seenAt: number;
  /** raw header block of the message as received (CRLF lines), for evidence */
  rawHeaders?: string;
  /** Gmail category tab where known */
  tab?: string;
}

/** What came back for a message: a DSN from the user's server, or the rejection at submission. */
export interface BounceRecord {
  state: 'bounced' | 'deferred' | 'rejected';
  /** where it came from: a DSN in the bounce mailbox, the SMTP reply at submission, or the sending server's log */
  source: 'dsn' | 'submission' | 'server-log';
  /** how the DSN was tied to the message: envelope subaddress, our tag in the returned headers, Message-ID */
  matchedBy?: 'envelope' | 'returned-tag' | 'message-id' | 'text';
  receivedAt: number;
  /** sisimai reason vocabulary: blocked, badreputation, userunknown, … */
  reason: string;
  hardBounce: boolean | null;
  action?: string;
  status?: string;
  replyCode?: number;
  diagnostic?: string;
  remoteMta?: string;
  reportingMta?: string;
  mtaModule?: string;
  advice: Array<{ id: string; provider: string; reason: string; meaning: string; action: string; link: string }>;
}
