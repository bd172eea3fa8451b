import type { ProviderId } from '../../topology.ts';
import type { Scenario } from '../../scenarios.ts';
import type { ScoreResult } from '../../../src/score/index.ts';

/** Authentication verdicts as the MX saw them (RFC 8601 result values). */
export interface AuthSummary {
  spf: string;
  dkim: string;
  dmarc: string;
}

export interface ConnectionFacts {
  provider: ProviderId;
  /** client IP as seen on the socket, IPv4-mapped form removed */
  ip: string;
  scenario: Scenario;
}

export interface MessageFacts extends ConnectionFacts {
  auth: AuthSummary;
  text?: string;
  html?: string;
  /** rspamd's verdict, for the providers filtered by it (policies/index.ts CONTENT_FILTERED) */
  content?: ScoreResult;
  /** how many times this Message-ID was offered before (for tempfail-then-accept) */
  previousAttempts: number;
}

export type Action = 'inbox' | 'spam' | 'reject' | 'tempfail' | 'drop';

export interface Decision {
  action: Action;
  /** SMTP reply code for reject/tempfail */
  code?: number;
  /** reply text, starting with the enhanced status code (RFC 3463) so Postfix reports it as is */
  text?: string;
  /** provider-specific headers added on top of the filed message */
  headers?: [string, string][];
  /** why, for the event log and debugging */
  reason?: string;
}

/** One provider's filtering, as pure functions of the facts. */
export interface ProviderPolicy {
  /** consulted at RCPT TO (before the message is seen); null = carry on */
  onRcpt?(facts: ConnectionFacts): Decision | null;
  onMessage(facts: MessageFacts): Decision;
}
