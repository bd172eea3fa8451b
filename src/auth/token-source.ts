/**
 * Access tokens for IMAP sign-in from a long-lived refresh token (RFC 6749 §6).
 *
 * The token source keeps one access token, refreshes it `marginMs` before it expires, and lets
 * concurrent callers share one refresh (single flight). Every token it sees — the refresh token,
 * the client secret, each access token and any rotated refresh token — is registered with
 * `registerSecret`, so no log, error or report can carry it.
 *
 * Outcomes of the token endpoint are data (`OAuthError` with a `kind`), the caller decides:
 * `invalid_grant` means the refresh token was revoked or expired and only the user can fix it
 * (run `npm run oauth:setup` again); `temporary` (network, 5xx, 429) is retried by the watcher.
 */
import { redact, registerSecret } from '../shared/redact.ts';
import type { FetchLike } from '../shared/fetch.ts';
import { envFileLabel } from '../config/index.ts';
export type { FetchLike } from '../shared/fetch.ts';

export interface OAuthClientConfig {
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  refreshToken: string;
  /** space-separated scopes to ask for on refresh (optional for most servers) */
  scope?: string;
}

export interface AccessToken {
  token: string;
  /** ms since epoch */
  expiresAt: number;
}

export interface TokenSourceOptions {
  fetch?: FetchLike;
  now?: () => number;
  /** refresh this long before expiry (default 5 min, or a third of a short lifetime) */
  marginMs?: number;
  /** per-request timeout (default 20 s): a hung token endpoint must not hang the run */
  timeoutMs?: number;
}

export type OAuthErrorKind = 'invalid-grant' | 'invalid-client' | 'temporary' | 'bad-response';

export class OAuthError extends Error {
  readonly kind: OAuthErrorKind;
  readonly status?: number;
  constructor(kind: OAuthErrorKind, message: string, status?: number) {
    super(redact(message));
    this.name = 'OAuthError';
    this.kind = kind;
    this.status = status;
  }
}

/** What the watcher needs: a valid token now, and when it stops being valid. */
export interface AccessTokenSource {
  get(): Promise<AccessToken>;
  /** forget the cached token (after the server refused it) */
  invalidate(): void;
  /** refresh grants made so far */
  readonly refreshCount: number;
}

const DEFAULT_LIFETIME_S = 3600; // RFC 6749 §5.1: expires_in is RECOMMENDED, not required

export class RefreshTokenSource implements AccessTokenSource {
  private readonly cfg: OAuthClientConfig;
  private readonly fetch: FetchLike;
  private readonly now: () => number;
  private readonly marginMs: number | undefined;
  private readonly timeoutMs: number;
  private current: AccessToken | null = null;
  private inflight: Promise<AccessToken> | null = null;
  private refreshToken: string;
  refreshCount = 0;

  constructor(cfg: OAuthClientConfig, options: TokenSourceOptions = {}) {
    for (const [k, v] of [
      ['tokenUrl', cfg.tokenUrl],
      ['clientId', cfg.clientId],
      ['refreshToken', cfg.refreshToken],
    ] as const) {
      if (!v) throw new Error(`OAuth2 ${k} is empty: set it in ${envFileLabel()} (see docs/providers/outlook.md)`);
    }
    let url: URL;
    try {
      url = new URL(cfg.tokenUrl);
    } catch {
      throw new Error(`OAuth2 token URL ${JSON.stringify(cfg.tokenUrl)} is not a URL`);
    }
    // RFC 6749 §3.2: the token endpoint MUST use TLS; loopback is the lab's exception.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(url.hostname))) {
      throw new Error(`OAuth2 token URL ${url.origin} is not https: the client secret and tokens would cross the network in clear text`);
    }
    registerSecret(cfg.refreshToken);
    registerSecret(cfg.clientSecret);
    this.cfg = cfg;
    this.refreshToken = cfg.refreshToken;
    this.fetch = options.fetch ?? ((u, init) => globalThis.fetch(u, init));
    this.now = options.now ?? Date.now;
    this.marginMs = options.marginMs;
    this.timeoutMs = options.timeoutMs ?? 20_000;
  }

  /** The cached token while it is fresh enough, else one refresh shared by all callers. */
  async get(): Promise<AccessToken> {
    const c = this.current;
    if (c && this.now() < c.expiresAt - this.margin(c)) return c;
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  invalidate(): void {
    this.current = null;
  }

  /** Whether `token` must be replaced now (used to re-authenticate a long-lived IMAP session). */
  isStale(token: AccessToken): boolean {
    return this.now() >= token.expiresAt - this.margin(token);
  }

  private margin(t: AccessToken): number {
    if (this.marginMs !== undefined) return this.marginMs;
    // A third of the lifetime for short-lived tokens (lab, some IdPs), else 5 minutes.
    const issuedFor = t.expiresAt - (this.issuedAt ?? t.expiresAt);
    return Math.min(300_000, Math.max(1000, Math.floor(issuedFor / 3)));
  }

  private issuedAt: number | undefined;

  private async refresh(): Promise<AccessToken> {
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.refreshToken, client_id: this.cfg.clientId });
    if (this.cfg.clientSecret) body.set('client_secret', this.cfg.clientSecret);
    if (this.cfg.scope) body.set('scope', this.cfg.scope);
    const started = this.now();
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.timeoutMs);
    let status: number;
    let text: string;
    try {
      const res = await this.fetch(this.cfg.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        signal: ac.signal,
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      const why = ac.signal.aborted ? `no answer within ${Math.round(this.timeoutMs / 1000)} s` : (err as Error).message;
      throw new OAuthError('temporary', `token endpoint ${new URL(this.cfg.tokenUrl).host} unreachable: ${why}`);
    } finally {
      clearTimeout(timer);
    }
    this.refreshCount++;
    return this.accept(status, text, started);
  }

  private accept(status: number, text: string, started: number): AccessToken {
    const host = new URL(this.cfg.tokenUrl).host;
    let json: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') json = parsed as Record<string, unknown>;
    } catch {
      /* handled below */
    }
    if (status >= 400 || !json || typeof json.access_token !== 'string') {
      // RFC 6749 §5.2 error codes; the description is the server's text (hostile only in theory, trimmed).
      const code = typeof json?.error === 'string' ? json.error : undefined;
      const desc = typeof json?.error_description === 'string' ? json.error_description.split(/\r?\n/)[0].slice(0, 200) : '';
      if (code === 'invalid_grant') {
        throw new OAuthError(
          'invalid-grant',
          `the refresh token was refused by ${host} (invalid_grant${desc ? `: ${desc}` : ''}): it was revoked, expired or belongs to another client; run \`npm run oauth:setup\` again and put the new token in ${envFileLabel()}`,
          status,
        );
      }
      if (code === 'invalid_client' || code === 'unauthorized_client') {
        throw new OAuthError(
          'invalid-client',
          `${host} refused the OAuth client (${code}${desc ? `: ${desc}` : ''}): check the client id and secret in ${envFileLabel()}`,
          status,
        );
      }
      if (status === 429 || status >= 500 || status === 0)
        throw new OAuthError('temporary', `token endpoint ${host} answered ${status}${code ? ` (${code})` : ''}; will retry`, status);
      throw new OAuthError(
        'bad-response',
        `token endpoint ${host} answered ${status} without an access token${code ? ` (${code}${desc ? `: ${desc}` : ''})` : ''}`,
        status,
      );
    }
    const token = json.access_token;
    registerSecret(token);
    if (typeof json.refresh_token === 'string' && json.refresh_token) {
      // Microsoft rotates refresh tokens (RFC 6749 §6 allows it): use the newest for the next refresh.
      registerSecret(json.refresh_token);
      this.refreshToken = json.refresh_token;
    }
    const ttl = Number(json.expires_in);
    const lifetimeS = Number.isFinite(ttl) && ttl > 0 ? ttl : DEFAULT_LIFETIME_S;
    // Counted from the request start, so network time only makes us refresh earlier.
    this.issuedAt = started;
    this.current = { token, expiresAt: started + lifetimeS * 1000 };
    return this.current;
  }
}
