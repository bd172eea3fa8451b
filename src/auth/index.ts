/** The auth stage's public API: other stages import it only from here. */
export { credentialsFor } from './credentials.ts';
export type { ImapCredentials, ImapSecret } from './credentials.ts';
export { OAUTH_PROVIDERS, isOAuthProviderId } from './endpoints.ts';
export { OAuthError } from './token-source.ts';
export type { OAuthErrorKind } from './token-source.ts';
export type { AccessToken } from './token-source.ts';
