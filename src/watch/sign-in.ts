import type { Seed } from '../config/index.ts';
import { credentialsFor, type ImapCredentials, type ImapSecret } from '../auth/index.ts';
import type { AccessToken } from '../auth/index.ts';

/**
 * How a seed watcher signs in: an (app) password, or an OAuth2 access token (RFC 7628
 * OAUTHBEARER / XOAUTH2) from a refresh token. Keeps the session's token so the watcher can
 * sign in again before the token expires (some servers end the session at expiry), and allows
 * one retry with a fresh token after a refused login (a token can be revoked early).
 */
export class SeedSignIn {
  private readonly seed: Seed;
  private readonly now: () => number;
  private credentials: ImapCredentials | null;
  private sessionToken: AccessToken | null = null;
  private retried = false;
  /** OAuth2 sign-ins of the watcher's own connection */
  logins = 0;

  constructor(seed: Seed, credentials: ImapCredentials | null, now: () => number) {
    this.seed = seed;
    this.credentials = credentials;
    this.now = now;
  }

  /** `own`: for the watcher's own connection, whose OAuth2 session is renewed before expiry (not the listener's). */
  async secret(own = true): Promise<ImapSecret> {
    this.credentials ??= credentialsFor(this.seed, process.env);
    if (this.credentials.kind === 'password') return this.credentials.password;
    const token = await this.credentials.tokens.get();
    if (own) {
      this.sessionToken = token;
      this.logins++;
    }
    return { accessToken: token.token };
  }

  /** An OAuth2 session is renewed before its token expires. */
  sessionExpiring(): boolean {
    const c = this.credentials;
    if (c?.kind !== 'oauth2' || !this.sessionToken) return false;
    return c.tokens.isStale ? c.tokens.isStale(this.sessionToken) : this.now() >= this.sessionToken.expiresAt - 60_000;
  }

  /** A refused login may still be retried once with a fresh OAuth2 token. */
  get freshTokenLeft(): boolean {
    return this.credentials?.kind === 'oauth2' && !this.retried;
  }

  /** After a refused login: true when a fresh OAuth2 token will be tried once before giving up. */
  retryWithFreshToken(): boolean {
    if (!this.freshTokenLeft || this.credentials?.kind !== 'oauth2') return false;
    this.retried = true;
    this.credentials.tokens.invalidate();
    return true;
  }

  /** A successful look: a later refusal may again be retried once. */
  succeeded(): void {
    this.retried = false;
  }
}
