/**
 * What the seed watcher does after a failed step of its loop (connect, sign-in, look): the
 * decision only, as data. The watcher classifies the error, hands the facts in, and carries the
 * decision out; nothing here touches a socket, a clock or a token.
 *
 * The order of the questions is the policy:
 * 1. Throttling is an answer, not a failure of the setup, and is asked about first: Gmail's
 *    "Too many simultaneous connections" is a NO to LOGIN (RFC 3501 §6.2.3), which imapflow marks
 *    as a failed authentication, and RFC 5530 §3 `[UNAVAILABLE]` / `[LIMIT]` come the same way.
 *    The watcher waits it out; a message whose deadline passes meanwhile could not be looked for,
 *    so it is unreachable (with the server's words), never missing.
 * 2. A permanent OAuth2 error (RFC 6749 §5.2: `invalid_grant`, `invalid_client`) will not heal by
 *    trying again: give up at once.
 * 3. A refused login with an OAuth2 token is tried once more with a fresh token (a token can be
 *    revoked before its expiry); a refused login after that is final.
 * 4. Anything else (a dropped connection, a server's BYE, a temporary OAuth2 error) is retried
 *    with a growing pause until `maxAttempts` failures in a row.
 */
import type { OAuthErrorKind } from '../auth/index.ts';
import { redact } from '../shared/redact.ts';
import { backoffDelay, type ThrottleSignal } from './throttle.ts';

/** How long past its deadline a message still waits out throttling: a late look beats none. */
export const THROTTLE_GRACE_MS = 60_000;

/** Consecutive failures and throttling answers since the last successful look. */
export interface FailureCounts {
  failures: number;
  throttled: number;
}

export interface FailureFacts {
  /** the throttling answer in the error, if it is one (`throttleSignal`) */
  throttle: ThrottleSignal | null;
  /** the kind of an OAuth2 token error, or null when the error is not one */
  oauthKind: OAuthErrorKind | null;
  /** imapflow's `authenticationFailed`: the server refused the login */
  authenticationFailed: boolean;
  /** a retry with a fresh OAuth2 token is still allowed (`SeedSignIn.freshTokenLeft`) */
  freshTokenLeft: boolean;
  /** the error in words (`describeImapError`) */
  message: string;
  /** the seed's IMAP user, for the message */
  user: string;
  /** what to change when the login is refused (`seedLoginFix`): the variable, an app password */
  loginFix?: string;
  counts: FailureCounts;
  maxAttempts: number;
  /** deadlines of the messages still waited for */
  deadlines: readonly number[];
  now: number;
  /** 0..1, for the backoff jitter; drawn only when throttled */
  random: () => number;
}

export type FailureDecision =
  /** wait `waitMs`, then reconnect; messages whose deadline is before `expireBefore` are unreachable with `error` */
  | { action: 'wait-throttled'; waitMs: number; expireBefore: number; error: string; attempts: number; counts: FailureCounts }
  /** pause `afterMs`, then reconnect; `freshToken`: invalidate the OAuth2 token first */
  | { action: 'retry'; afterMs: number; freshToken: boolean; counts: FailureCounts }
  /** stop: every message waited for is unreachable with `error`, every queued cleanup fails */
  | { action: 'give-up'; error: string; attempts: number; counts: FailureCounts };

export function decideFailure(f: FailureFacts): FailureDecision {
  if (f.throttle) return decideThrottled(f, f.throttle);
  const failures = f.counts.failures + 1;
  if (f.oauthKind && f.oauthKind !== 'temporary') {
    return {
      action: 'give-up',
      error: `OAuth2 sign-in for ${f.user} failed: ${f.message}`,
      attempts: failures,
      counts: { failures: 0, throttled: f.counts.throttled },
    };
  }
  if (f.authenticationFailed && f.freshTokenLeft) {
    // the fresh token gets at least one attempt, even after earlier failures
    const kept = Math.min(failures, f.maxAttempts - 1);
    return { action: 'retry', afterMs: retryPause(kept), freshToken: true, counts: { failures: kept, throttled: f.counts.throttled } };
  }
  if (f.authenticationFailed || failures >= f.maxAttempts) {
    const error = f.authenticationFailed ? `login refused for ${f.user}: ${f.message}${f.loginFix ? `; fix: ${f.loginFix}` : ''}` : f.message;
    return { action: 'give-up', error, attempts: failures, counts: { failures: 0, throttled: f.counts.throttled } };
  }
  return { action: 'retry', afterMs: retryPause(failures), freshToken: false, counts: { failures, throttled: f.counts.throttled } };
}

function decideThrottled(f: FailureFacts, signal: ThrottleSignal): FailureDecision {
  const throttled = f.counts.throttled + 1;
  const counts = { failures: f.counts.failures, throttled };
  const waitMs = backoffDelay(throttled, signal.retryAfterMs, { random: f.random });
  const expireBefore = f.now + waitMs - THROTTLE_GRACE_MS;
  const error = `provider throttled IMAP (${signal.kind}): ${redact(signal.text)}; waited ${throttled} time(s). Reduce workers or connections (see docs/troubleshooting.md#throttled)`;
  // nothing left to wait for once every deadline passes during the wait
  if (!f.deadlines.some((d) => d >= expireBefore)) return { action: 'give-up', error, attempts: throttled, counts };
  return { action: 'wait-throttled', waitMs, expireBefore, error, attempts: throttled, counts };
}

/** Pause before the next attempt after `failures` failures in a row: 1 s, 2 s, 4 s, at most 5 s. */
function retryPause(failures: number): number {
  return Math.min(500 * 2 ** failures, 5000);
}
