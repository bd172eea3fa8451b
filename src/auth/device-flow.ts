/**
 * OAuth 2.0 Device Authorization Grant (RFC 8628) for the one-time setup: the user opens a URL on
 * any device, types a short code, signs in; we poll the token endpoint until a refresh token comes.
 * Microsoft supports it for IMAP scopes; Google does not allow https://mail.google.com/ on this flow
 * (see endpoints.ts), so Google users follow the documented loopback flow in docs/providers/gmail.md.
 */
import { registerSecret } from '../shared/redact.ts';
import { OAuthError, type FetchLike } from './token-source.ts';

export interface DeviceStart {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  expiresAt: number;
  intervalMs: number;
  message?: string;
}

async function post(fetch: FetchLike, url: string, form: Record<string, string | undefined>): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v !== undefined && v !== '') body.set(k, v);
  let res;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (e) {
    throw new OAuthError('temporary', `${new URL(url).host} unreachable: ${(e as Error).message}`);
  }
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new OAuthError('bad-response', `${new URL(url).host} answered ${res.status} with no JSON`, res.status);
  }
  return { status: res.status, json };
}

export async function startDeviceFlow(o: {
  fetch?: FetchLike;
  deviceUrl: string;
  clientId: string;
  clientSecret?: string;
  scope: string;
  now?: () => number;
}): Promise<DeviceStart> {
  const fetch = o.fetch ?? ((u, i) => globalThis.fetch(u, i));
  const now = o.now ?? Date.now;
  const { status, json } = await post(fetch, o.deviceUrl, { client_id: o.clientId, client_secret: o.clientSecret, scope: o.scope });
  if (status >= 400 || typeof json.device_code !== 'string') {
    throw new OAuthError(
      json.error === 'invalid_client' ? 'invalid-client' : 'bad-response',
      `device authorization refused: ${String(json.error ?? status)} ${String(json.error_description ?? '')
        .split('\n')[0]
        .slice(0, 200)}`,
      status,
    );
  }
  registerSecret(json.device_code);
  return {
    deviceCode: json.device_code,
    userCode: String(json.user_code),
    verificationUri: String(json.verification_uri ?? json.verification_url),
    expiresAt: now() + Number(json.expires_in ?? 900) * 1000,
    intervalMs: Math.max(1, Number(json.interval ?? 5)) * 1000,
    message: typeof json.message === 'string' ? json.message : undefined,
  };
}

/** Polls until the user approved (refresh token), refused, or the code expired (RFC 8628 §3.5). */
export async function pollDeviceFlow(o: {
  fetch?: FetchLike;
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  start: DeviceStart;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): Promise<{ refreshToken: string; accessToken: string }> {
  const fetch = o.fetch ?? ((u, i) => globalThis.fetch(u, i));
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  let interval = o.start.intervalMs;
  while (now() < o.start.expiresAt) {
    await sleep(interval);
    const { json } = await post(fetch, o.tokenUrl, {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: o.start.deviceCode,
      client_id: o.clientId,
      client_secret: o.clientSecret,
    });
    if (typeof json.access_token === 'string') {
      registerSecret(json.access_token);
      if (typeof json.refresh_token !== 'string')
        throw new OAuthError(
          'bad-response',
          'signed in, but no refresh token came back: the scope must include offline_access (Microsoft) or access_type=offline (Google)',
        );
      registerSecret(json.refresh_token);
      return { refreshToken: json.refresh_token, accessToken: json.access_token };
    }
    if (json.error === 'authorization_pending') continue;
    if (json.error === 'slow_down') {
      interval += 5000; // RFC 8628 §3.5
      continue;
    }
    throw new OAuthError(
      json.error === 'access_denied' ? 'invalid-grant' : 'bad-response',
      `sign-in did not complete: ${String(json.error)} ${String(json.error_description ?? '')
        .split('\n')[0]
        .slice(0, 200)}`,
    );
  }
  throw new OAuthError('invalid-grant', 'the code expired before the sign-in was completed: run the setup again');
}
