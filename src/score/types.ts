/** What a content scorer (rspamd, SpamAssassin spamd) said about one message, as plain JSON. */

export type ScorerKind = 'rspamd' | 'spamassassin';

/** `MAILCANARY_SCORER`, parsed: which scorer and where it listens. */
export interface ScorerSetting {
  kind: ScorerKind;
  host: string;
  port: number;
  /** `rspamd://127.0.0.1:11333` as the user wrote it, without any userinfo */
  url: string;
}

/** One rule (rspamd symbol, SpamAssassin test) that fired. */
export interface ScoreRule {
  name: string;
  /** points it added (negative: ham evidence) */
  score: number;
  description?: string;
  /** what made it fire: a URL, a list answer, a header value */
  options: string[];
}

export interface ScoredResult {
  state: 'scored';
  scorer: ScorerKind;
  url: string;
  score: number;
  /** the score at which the scorer calls it spam (rspamd: the reject threshold; spamd: required_score) */
  threshold: number;
  /** rspamd's action (`no action`, `greylist`, `add header`, `rewrite subject`, `soft reject`, `reject`); spamd: `spam` or `no action` */
  action: string;
  /** rules with non-zero points first, highest first; zero-point rules after */
  rules: ScoreRule[];
  ms: number;
}

/** The scorer did not answer usefully (down, too slow, garbage): nothing is known about the content. */
export interface UnknownScore {
  state: 'unknown';
  scorer: ScorerKind;
  url: string;
  reason: string;
}

export type ScoreResult = ScoredResult | UnknownScore;

/** The SMTP facts a receiver scores with, so the local score matches the receiver's (rspamd /checkv2 headers). */
export interface ScoreEnvelope {
  /** client IP as the receiver sees it */
  ip?: string;
  helo?: string;
  /** envelope sender (MAIL FROM) */
  from?: string;
  rcpt?: string[];
  /** the client's host name (its PTR) */
  hostname?: string;
  queueId?: string;
}
