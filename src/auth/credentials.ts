/**
 * What a seed signs in with: a password (app password) or an OAuth2 access token from a
 * refresh token. Built from the seed (which names env variables) and the environment (which
 * holds the values); the seed itself never carries a secret.
 */
import type { Seed } from '../config/index.ts';
import { registerSecret } from '../shared/redact.ts';
import { RefreshTokenSource, type AccessTokenSource, type TokenSourceOptions } from './token-source.ts';

export type ImapCredentials =
  { kind: 'password'; password: string } | { kind: 'oauth2'; tokens: AccessTokenSource & { isStale?(t: { expiresAt: number }): boolean } };

/** What the IMAP client is built with for one connection. */
export type ImapSecret = string | { accessToken: string };

/**
 * Credentials for a seed from the environment. Throws only when the seed cannot sign in at all
 * (config resolution has already turned missing variables into a skip reason).
 */
export function credentialsFor(seed: Seed, env: Record<string, string | undefined>, options: TokenSourceOptions = {}): ImapCredentials {
  if (seed.imap.auth === 'oauth2' && seed.imap.oauth2) {
    const o = seed.imap.oauth2;
    const tokens = new RefreshTokenSource(
      {
        tokenUrl: o.tokenUrl,
        clientId: env[o.clientIdEnv] ?? '',
        clientSecret: o.clientSecretEnv ? env[o.clientSecretEnv] || undefined : undefined,
        refreshToken: env[o.refreshTokenEnv] ?? '',
        scope: o.scope,
      },
      options,
    );
    return { kind: 'oauth2', tokens };
  }
  const password = env[seed.imap.passwordEnv] ?? '';
  registerSecret(password);
  return { kind: 'password', password };
}
