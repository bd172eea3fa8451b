/**
 * One IMAP login per seed account before anything is sent to it. A mailbox that refuses the
 * login or cannot be reached would waste every message sent to it (a provider's daily budget,
 * and unread mail that trains its filter), so such a seed is not mailed and its placement tests
 * fail as `seed-unreachable` with the fix. The failure policy of the watcher decides whether a
 * failed login is final (src/watch/failure-policy.ts); throttling is an answer of a reachable
 * server, which the watcher waits out, so a throttled seed is mailed.
 */
import type { ImapFlow } from 'imapflow';
import type { Seed } from '../config/index.ts';
import { OAuthError, credentialsFor } from '../auth/index.ts';
import { createImapClient, type ImapClientFactory } from './imap-connect.ts';
import { describeConnectError, describeImapError, seedLoginFix } from './imap-errors.ts';
import { decideFailure } from './failure-policy.ts';
import { SeedSignIn } from './sign-in.ts';
import { throttleSignal } from './throttle.ts';
import { accountKey } from './watch-connection.ts';

export interface UnreadableSeed {
  seedId: string;
  /** what went wrong, with its fix */
  error: string;
}

export interface ProbeOptions {
  /** where the seeds' passwords and tokens are read (default: process.env) */
  env?: Record<string, string | undefined>;
  clientFactory?: ImapClientFactory;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** logins tried per account before it counts as unreadable (a connection may drop once) */
  maxAttempts?: number;
}

/** The seeds whose mailbox could not be signed into; each account is tried once for all its seeds. */
export async function probeSeeds(seeds: readonly Seed[], opts: ProbeOptions = {}): Promise<UnreadableSeed[]> {
  const accounts = new Map<string, Seed[]>();
  for (const s of seeds) accounts.set(accountKey(s), [...(accounts.get(accountKey(s)) ?? []), s]);
  const results = await Promise.all(
    [...accounts.values()].map(async (group) => {
      const error = await probeAccount(group[0], opts);
      return error ? group.map((s) => ({ seedId: s.id, error })) : [];
    }),
  );
  return results.flat();
}

/** Signs in and out once; the error in words with its fix, or null when the mailbox can be read. */
async function probeAccount(seed: Seed, opts: ProbeOptions): Promise<string | null> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const factory = opts.clientFactory ?? createImapClient;
  const signIn = new SeedSignIn(seed, credentialsFor(seed, opts.env ?? process.env), now);
  let counts = { failures: 0, throttled: 0 };
  for (;;) {
    let client: ImapFlow | undefined;
    try {
      client = factory(seed, await signIn.secret(false));
      await client.connect();
      await client.logout().catch(() => undefined);
      return null;
    } catch (err) {
      client?.close();
      if (throttleSignal(err)) return null;
      const authenticationFailed = (err as { authenticationFailed?: boolean } | null)?.authenticationFailed === true;
      const d = decideFailure({
        throttle: null,
        oauthKind: err instanceof OAuthError ? err.kind : null,
        authenticationFailed,
        freshTokenLeft: signIn.freshTokenLeft,
        // no login refusal before the greeting and LOGIN: the server was not reached as configured
        message: authenticationFailed || err instanceof OAuthError ? describeImapError(err, seed) : describeConnectError(err, seed),
        user: seed.imap.user,
        loginFix: seedLoginFix(seed),
        counts,
        maxAttempts: opts.maxAttempts ?? 2,
        deadlines: [],
        now: now(),
        random: Math.random,
      });
      if (d.action === 'give-up') return d.error;
      if (d.action !== 'retry') return null;
      counts = d.counts;
      if (d.freshToken) signIn.retryWithFreshToken();
      await sleep(d.afterMs);
    }
  }
}
