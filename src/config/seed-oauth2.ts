/**
 * The OAuth2 sign-in of a seed (`imap.oauth2`): the names of the variables in .env that hold its
 * client id, secret and refresh token, and the token endpoint (RFC 6749 §6), by provider or URL.
 */
import { OAUTH_PROVIDERS, isOAuthProviderId } from '../auth/index.ts';
import { ENV_NAME } from './env-name.ts';
import type { ConfigProblem } from './errors.ts';
import { unknownSettingFix } from './nearest.ts';

/** OAuth2 sign-in of a seed: env variable names and the token endpoint; no secret. */
export interface SeedOAuth2 {
  tokenUrl: string;
  /** endpoint set the token URL came from (`microsoft`, `google`) or `custom` */
  provider: string;
  clientIdEnv: string;
  clientSecretEnv?: string;
  refreshTokenEnv: string;
  scope?: string;
}

/** values that belong in .env: written in the seeds file they are refused with the name of their variable */
const SECRET_KEYS = ['clientSecret', 'refreshToken', 'accessToken', 'clientId'];

export function resolveOAuth2(raw: unknown, presetDefault: string | undefined, at: string, problems: ConfigProblem[]): SeedOAuth2 | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null) {
    problems.push({
      field: at,
      message: 'must be an object',
      fix: 'oauth2: { clientIdEnv: "OUTLOOK_CLIENT_ID", refreshTokenEnv: "SEED_OUTLOOK_REFRESH_TOKEN" }',
    });
    return undefined;
  }
  const o = raw as Record<string, unknown>;
  const before = problems.length;
  const known = ['provider', 'tokenUrl', 'clientIdEnv', 'clientSecretEnv', 'refreshTokenEnv', 'scope'];
  for (const k of Object.keys(o))
    if (!known.includes(k)) problems.push({ field: `${at}.${k}`, message: 'is not an oauth2 setting', fix: unknownSettingFix(k, known) });
  for (const k of SECRET_KEYS) {
    if (k in o)
      problems.push({
        field: `${at}.${k}`,
        message: 'secrets and ids must not be written in the seeds file',
        fix: `put the value in .env and name its variable with ${k}Env`,
      });
  }
  for (const k of ['clientIdEnv', 'refreshTokenEnv', 'clientSecretEnv'] as const) {
    const v = o[k];
    if (v === undefined && k === 'clientSecretEnv') continue;
    if (typeof v !== 'string' || !ENV_NAME.test(v))
      problems.push({
        field: `${at}.${k}`,
        message: `${JSON.stringify(v)} is not an environment variable name`,
        fix: `e.g. ${k}: "SEED_OUTLOOK_${k === 'clientIdEnv' ? 'CLIENT_ID' : k === 'refreshTokenEnv' ? 'REFRESH_TOKEN' : 'CLIENT_SECRET'}"`,
      });
  }
  const providerId = o.provider ?? (o.tokenUrl === undefined ? presetDefault : undefined);
  let tokenUrl = typeof o.tokenUrl === 'string' ? o.tokenUrl : undefined;
  let scope = typeof o.scope === 'string' ? o.scope : undefined;
  if (providerId !== undefined) {
    if (!isOAuthProviderId(providerId)) {
      problems.push({
        field: `${at}.provider`,
        message: `${JSON.stringify(providerId)} is not a known OAuth2 provider`,
        fix: `use ${Object.keys(OAUTH_PROVIDERS).join(' or ')}, or set tokenUrl`,
      });
    } else {
      tokenUrl ??= OAUTH_PROVIDERS[providerId].tokenUrl;
      scope ??= OAUTH_PROVIDERS[providerId].scope;
    }
  }
  if (tokenUrl === undefined) {
    if (providerId === undefined)
      problems.push({
        field: `${at}.tokenUrl`,
        message: 'is required: this provider has no default OAuth2 endpoint',
        fix: 'set provider: "microsoft" | "google" or tokenUrl: "https://…/token"',
      });
  } else {
    try {
      const u = new URL(tokenUrl);
      const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(u.hostname);
      if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
        problems.push({
          field: `${at}.tokenUrl`,
          message: `${u.origin} is not https`,
          fix: 'token endpoints must use https (plain http is allowed on loopback only, for the lab)',
        });
      }
    } catch {
      problems.push({
        field: `${at}.tokenUrl`,
        message: `${JSON.stringify(tokenUrl)} is not a URL`,
        fix: 'e.g. https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token',
      });
    }
  }
  if (problems.length > before) return undefined;
  return {
    tokenUrl: tokenUrl!,
    provider: typeof providerId === 'string' ? providerId : 'custom',
    clientIdEnv: o.clientIdEnv as string,
    clientSecretEnv: o.clientSecretEnv as string | undefined,
    refreshTokenEnv: o.refreshTokenEnv as string,
    scope,
  };
}

export function oauth2Missing(o: SeedOAuth2, env: Record<string, string | undefined>): string[] {
  const needed = [o.clientIdEnv, o.refreshTokenEnv];
  if (o.clientSecretEnv) needed.push(o.clientSecretEnv);
  return needed.filter((n) => (env[n] ?? '') === '');
}

export function oauth2SkipReason(missing: string[], id: string, envFile: string): string {
  return `no OAuth2 credentials: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set in ${envFile} (seed ${id} skipped; run \`npm run oauth:setup -- --seed ${id}\`)`;
}
