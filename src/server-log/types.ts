/** Public data shapes of src/server-log: plain JSON-serialisable data. */

/** One log line with its envelope (syslog, RFC 5424, journald, Exim's own log) taken apart. */
export interface LogRecord {
  /** ms since epoch; absent when the line carries no usable time */
  time?: number;
  host?: string;
  /** `postfix/smtp`, `postfix/submission/smtpd`, `exim` */
  program: string;
  pid?: number;
  message: string;
}

export type AddressFamily = 'ipv4' | 'ipv6';

export interface Relay {
  host: string;
  ip?: string;
  port?: number;
  family?: AddressFamily;
}

/** What the remote server answered, taken out of the MTA's wording around it. */
export interface RemoteReply {
  /** the remote host as the log names it (`mx00.t-online.de`) */
  host?: string;
  ip?: string;
  /** RFC 5321 §4.2 reply code */
  replyCode?: number;
  /** RFC 3463 enhanced status code */
  status?: string;
  /** SMTP stage: CONN (greeting), EHLO, MAIL, RCPT, DATA, … */
  command?: string;
  /** the text as logged: the remote's reply, or the local reason (`Connection timed out`) */
  text: string;
}

/** Postfix `delays=a/b/c/d` (postconf(5) `delay_logging_resolution_limit`): seconds per stage. */
export interface Delays {
  beforeQueue: number;
  inQueue: number;
  connect: number;
  transmit: number;
}

export type AttemptStatus = 'sent' | 'deferred' | 'bounced' | 'expired' | 'other';

/** One delivery attempt to one recipient, as the MTA logged it. */
export interface AttemptFields {
  /** `smtp`, `lmtp`, `local`, `virtual`, `error` (Postfix) or the Exim transport */
  transport?: string;
  to: string;
  origTo?: string;
  relay?: Relay;
  delay?: number;
  delays?: Delays;
  dsn?: string;
  status: AttemptStatus;
  reply?: RemoteReply;
  /** the line ended before its closing parenthesis (syslog cuts long lines) */
  truncated?: boolean;
}

export type LogEvent =
  | { kind: 'queued'; queueId: string; time?: number; from?: string; size?: number; nrcpt?: number }
  | { kind: 'message-id'; queueId: string; time?: number; messageId: string }
  | { kind: 'client'; queueId: string; time?: number; client?: string; user?: string; local?: boolean }
  | ({ kind: 'attempt'; queueId: string; time?: number } & AttemptFields)
  /** a remote's answer the MTA logged before moving on (next MX, next retry) */
  | { kind: 'notice'; queueId: string; time?: number; reply: RemoteReply }
  /** the server wrote a DSN (bounce, delay, success) for this message, as message `newQueueId` */
  | { kind: 'notification'; queueId: string; time?: number; type: 'non-delivery' | 'delay' | 'success'; newQueueId?: string }
  /** the message gave up (Postfix qmgr `status=expired, returned to sender`; Exim retry timeout) */
  | { kind: 'expired'; queueId: string; time?: number; from?: string }
  | { kind: 'removed'; queueId: string; time?: number }
  /** Exim: this message is a bounce of `ofQueueId` (`<= <> R=…`) */
  | { kind: 'bounce-of'; queueId: string; time?: number; ofQueueId: string };

export interface ParseStats {
  lines: number;
  /** lines that became at least one event */
  used: number;
  /** well-formed log lines of no interest here (other daemons, inbound smtpd chatter) */
  ignored: number;
  /** lines of no known envelope format */
  garbage: number;
  /** lines cut short (missing closing parenthesis, partial last line) that were still read */
  truncated: number;
  /** lines longer than the line limit: skipped */
  tooLong: number;
  /** rotations noticed while reading (new inode, or the file got shorter) */
  rotations: number;
  /** open message trails dropped because too many were open at once */
  evicted: number;
}

export function emptyStats(): ParseStats {
  return { lines: 0, used: 0, ignored: 0, garbage: 0, truncated: 0, tooLong: 0, rotations: 0, evicted: 0 };
}

/** What a Delivery carries of its message's lines in the sending server's log. */
export interface ServerLogSummary {
  queueId: string;
  /** sent | deferred | bounced | expired, or queued when no attempt was logged yet */
  status: string;
  attempts: number;
  /** what the receiver answered, e.g. `deferred: mx00.t-online.de refused to talk to me: 554 …` */
  headline?: string;
  /** `deferred 4xx ×3 → bounced 5xx` */
  shape?: string;
  relay?: string;
  family?: 'ipv4' | 'ipv6';
}
