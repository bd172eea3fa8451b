import { expect, test } from '@playwright/test';
import { decideFailure, THROTTLE_GRACE_MS, type FailureFacts } from '../../src/watch/failure-policy.ts';
import { throttleSignal } from '../../src/watch/throttle.ts';
import { registerSecret } from '../../src/shared/redact.ts';

const NOW = 1_000_000_000;

/** Facts of a plain failure (a dropped connection), overridden per case. */
function facts(over: Partial<FailureFacts> = {}): FailureFacts {
  return {
    throttle: null,
    oauthKind: null,
    authenticationFailed: false,
    freshTokenLeft: false,
    message: 'Connection not available',
    user: 'seed@example.test',
    counts: { failures: 0, throttled: 0 },
    maxAttempts: 3,
    deadlines: [NOW + 600_000],
    now: NOW,
    random: () => 0,
    ...over,
  };
}

test.describe('failure policy: throttling', () => {
  test('a throttled LOGIN NO is waited out with backoff, never read as a login refusal', () => {
    // Gmail's answer to LOGIN, which imapflow marks authenticationFailed
    const throttle = throttleSignal({ responseText: 'Too many simultaneous connections. (Failure)', authenticationFailed: true });
    expect(throttle?.kind).toBe('too-many-connections');
    const d = decideFailure(facts({ throttle, authenticationFailed: true, freshTokenLeft: true, counts: { failures: 2, throttled: 0 } }));
    expect(d.action).toBe('wait-throttled');
    if (d.action !== 'wait-throttled') return;
    // first backoff: a 2 s window, half of it fixed
    expect(d.waitMs).toBe(1000);
    expect(d.counts).toEqual({ failures: 2, throttled: 1 });
    expect(d.expireBefore).toBe(NOW + 1000 - THROTTLE_GRACE_MS);
  });

  test('the backoff grows with each throttling answer in a row and respects the server hint', () => {
    const throttle = throttleSignal({ serverResponseCode: 'THROTTLED', responseText: 'Request is throttled. Suggested Backoff Time: 45000 milliseconds' });
    const first = decideFailure(facts({ throttle: { ...throttle!, retryAfterMs: undefined } }));
    const fourth = decideFailure(facts({ throttle: { ...throttle!, retryAfterMs: undefined }, counts: { failures: 0, throttled: 3 } }));
    const hinted = decideFailure(facts({ throttle }));
    if (first.action !== 'wait-throttled' || fourth.action !== 'wait-throttled' || hinted.action !== 'wait-throttled') throw new Error('expected waits');
    expect(fourth.waitMs).toBeGreaterThan(first.waitMs);
    expect(fourth.counts.throttled).toBe(4);
    expect(hinted.waitMs).toBe(45_000);
  });

  test('BYE [UNAVAILABLE] is throttling: waited out, not counted as a failure', () => {
    const throttle = throttleSignal({ serverResponseCode: 'UNAVAILABLE', message: 'Unexpected close', reason: 'Temporary System Problem, try again later' });
    expect(throttle?.kind).toBe('unavailable');
    const d = decideFailure(facts({ throttle, counts: { failures: 2, throttled: 0 }, maxAttempts: 3 }));
    expect(d.action).toBe('wait-throttled');
    expect(d.counts).toEqual({ failures: 2, throttled: 1 });
  });

  test("throttled past a deadline: that message is unreachable with the server's words, the others keep waiting", () => {
    // a server that echoes the login's password in its answer: the words are kept, the secret is not
    registerSecret('policy-spec-hunter2');
    const throttle = { kind: 'throttled' as const, retryAfterMs: 200_000, text: 'NO [THROTTLED] slow down, LOGIN seed policy-spec-hunter2' };
    const d = decideFailure(facts({ throttle, deadlines: [NOW + 30_000, NOW + 600_000], counts: { failures: 0, throttled: 2 } }));
    expect(d.action).toBe('wait-throttled');
    if (d.action !== 'wait-throttled') return;
    expect(d.waitMs).toBe(200_000);
    // the wait ends at NOW + 200 s; a minute's grace keeps deadlines from NOW + 140 s on
    expect(d.expireBefore).toBe(NOW + 140_000);
    expect(NOW + 30_000 < d.expireBefore && NOW + 600_000 >= d.expireBefore).toBe(true);
    expect(d.error).toContain('provider throttled IMAP (throttled)');
    expect(d.error).toContain('slow down');
    expect(d.error).toContain('waited 3 time(s)');
    expect(d.error).toContain('docs/troubleshooting.md#throttled');
    expect(d.error).not.toContain('policy-spec-hunter2');
    expect(d.error).toContain('[redacted]');
    expect(d.attempts).toBe(3);
  });

  test("throttled past every deadline: give up, unreachable with the server's words", () => {
    const throttle = { kind: 'limit' as const, retryAfterMs: 200_000, text: 'NO [LIMIT] Account exceeded command or bandwidth limits' };
    const d = decideFailure(facts({ throttle, deadlines: [NOW + 30_000, NOW + 100_000] }));
    expect(d).toMatchObject({ action: 'give-up', attempts: 1, counts: { failures: 0, throttled: 1 } });
    if (d.action === 'give-up') expect(d.error).toContain('provider throttled IMAP (limit): NO [LIMIT] Account exceeded command or bandwidth limits');
  });

  test('throttled with nothing waited for (only cleanups queued): give up at once', () => {
    const d = decideFailure(facts({ throttle: { kind: 'unavailable', text: 'BYE [UNAVAILABLE]' }, deadlines: [] }));
    expect(d.action).toBe('give-up');
  });

  test('a deadline exactly at the end of the grace still waits', () => {
    const throttle = { kind: 'throttled' as const, retryAfterMs: 90_000, text: 'slow down' };
    const d = decideFailure(facts({ throttle, deadlines: [NOW + 30_000] }));
    expect(d).toMatchObject({ action: 'wait-throttled', waitMs: 90_000, expireBefore: NOW + 30_000 });
  });
});

test.describe('failure policy: OAuth2 and refused logins', () => {
  for (const kind of ['invalid-grant', 'invalid-client', 'bad-response'] as const) {
    test(`a permanent OAuth2 error (${kind}) gives up at once`, () => {
      const d = decideFailure(facts({ oauthKind: kind, message: 'invalid_grant: token revoked', freshTokenLeft: true, counts: { failures: 1, throttled: 4 } }));
      expect(d).toEqual({
        action: 'give-up',
        error: 'OAuth2 sign-in for seed@example.test failed: invalid_grant: token revoked',
        attempts: 2,
        counts: { failures: 0, throttled: 4 },
      });
    });
  }

  test('a temporary OAuth2 error is retried like any failure', () => {
    const d = decideFailure(facts({ oauthKind: 'temporary', message: 'token endpoint answered 503' }));
    expect(d).toEqual({ action: 'retry', afterMs: 1000, freshToken: false, counts: { failures: 1, throttled: 0 } });
    const last = decideFailure(facts({ oauthKind: 'temporary', message: 'token endpoint answered 503', counts: { failures: 2, throttled: 0 } }));
    expect(last).toMatchObject({ action: 'give-up', error: 'token endpoint answered 503', attempts: 3 });
  });

  test('a refused login with a token left: one retry with a fresh token, then refused', () => {
    const first = decideFailure(facts({ authenticationFailed: true, freshTokenLeft: true, message: 'AUTHENTICATIONFAILED' }));
    expect(first).toEqual({ action: 'retry', afterMs: 1000, freshToken: true, counts: { failures: 1, throttled: 0 } });
    // the sign-in has used its fresh token: the next refusal is final
    const second = decideFailure(facts({ authenticationFailed: true, freshTokenLeft: false, message: 'AUTHENTICATIONFAILED', counts: first.counts }));
    expect(second).toEqual({
      action: 'give-up',
      error: 'login refused for seed@example.test: AUTHENTICATIONFAILED',
      attempts: 2,
      counts: { failures: 0, throttled: 0 },
    });
  });

  test('the fresh token gets its attempt even after the last allowed failure', () => {
    const d = decideFailure(facts({ authenticationFailed: true, freshTokenLeft: true, counts: { failures: 5, throttled: 0 }, maxAttempts: 3 }));
    expect(d).toEqual({ action: 'retry', afterMs: 2000, freshToken: true, counts: { failures: 2, throttled: 0 } });
  });

  test('a refused password login fails fast, on the first attempt', () => {
    const d = decideFailure(facts({ authenticationFailed: true, freshTokenLeft: false, message: 'Invalid credentials (Failure)' }));
    expect(d).toEqual({
      action: 'give-up',
      error: 'login refused for seed@example.test: Invalid credentials (Failure)',
      attempts: 1,
      counts: { failures: 0, throttled: 0 },
    });
  });
});

test.describe('failure policy: other failures', () => {
  test('retried with growing pauses until max attempts, then unreachable with the error', () => {
    const pauses: number[] = [];
    let counts = { failures: 0, throttled: 2 };
    for (;;) {
      const d = decideFailure(facts({ counts, maxAttempts: 5, message: 'server closed the connection: BYE shutting down' }));
      counts = d.counts;
      if (d.action !== 'retry') {
        expect(d).toEqual({ action: 'give-up', error: 'server closed the connection: BYE shutting down', attempts: 5, counts: { failures: 0, throttled: 2 } });
        break;
      }
      expect(d.freshToken).toBe(false);
      pauses.push(d.afterMs);
    }
    expect(pauses).toEqual([1000, 2000, 4000, 5000]);
  });

  test('maxAttempts 1: the first failure gives up', () => {
    expect(decideFailure(facts({ maxAttempts: 1 }))).toMatchObject({ action: 'give-up', attempts: 1 });
  });

  test('the decision is a function of the facts alone', () => {
    let draws = 0;
    const random = () => {
      draws++;
      return 0.5;
    };
    const f = facts({ random });
    expect(decideFailure(f)).toEqual(decideFailure(f));
    // randomness is drawn only for the throttling backoff
    expect(draws).toBe(0);
    const t = facts({ random, throttle: { kind: 'throttled', text: 'slow down' } });
    expect(decideFailure(t)).toEqual(decideFailure(t));
    expect(draws).toBe(2);
    expect(f.counts).toEqual({ failures: 0, throttled: 0 });
  });
});
