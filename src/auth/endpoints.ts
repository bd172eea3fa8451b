/**
 * OAuth 2.0 endpoints of the providers that refuse (or may refuse) passwords over IMAP.
 *
 * - Microsoft identity platform (Outlook.com, Microsoft 365): basic auth for IMAP is switched off
 *   in Exchange Online, so OAuth2 is the only way in. Scope `https://outlook.office.com/IMAP.AccessAsUser.All`
 *   plus `offline_access` for a refresh token. Source:
 *   https://learn.microsoft.com/en-us/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth
 *   Device code flow (RFC 8628): https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-device-code
 * - Google (Gmail, optional: app passwords also work with 2-step verification on): scope
 *   `https://mail.google.com/` is the only scope that grants IMAP. Google's device flow does not allow
 *   that scope ("limited-input device" scopes exclude Gmail), so the setup helper uses the loopback
 *   redirect flow for Google. Sources: https://developers.google.com/gmail/imap/xoauth2-protocol and
 *   https://developers.google.com/identity/protocols/oauth2/limited-input-device#allowedscopes
 */
export interface OAuthEndpoints {
  id: string;
  name: string;
  /** RFC 6749 §3.2 token endpoint */
  tokenUrl: string;
  /** RFC 8628 §3.1 device authorization endpoint, where the provider allows it for mail scopes */
  deviceAuthorizationUrl?: string;
  /** RFC 6749 §3.1 authorization endpoint, for the loopback redirect flow (RFC 8252 §7.3) */
  authorizationUrl?: string;
  scope: string;
  /** whether a client secret is required for the refresh grant (public clients send none) */
  clientSecretRequired: boolean;
}

export const OAUTH_PROVIDERS = {
  microsoft: {
    id: 'microsoft',
    name: 'Microsoft (Outlook.com / Microsoft 365)',
    // `common` accepts personal and work accounts; a tenant id or `consumers` also works.
    tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    deviceAuthorizationUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/devicecode',
    authorizationUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    scope: 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access',
    clientSecretRequired: false,
  },
  google: {
    id: 'google',
    name: 'Google (Gmail)',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    scope: 'https://mail.google.com/',
    clientSecretRequired: true,
  },
} as const satisfies Record<string, OAuthEndpoints>;

export type OAuthProviderId = keyof typeof OAUTH_PROVIDERS;

export function isOAuthProviderId(v: unknown): v is OAuthProviderId {
  return typeof v === 'string' && Object.hasOwn(OAUTH_PROVIDERS, v);
}
