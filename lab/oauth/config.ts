/**
 * The lab's OAuth 2.0 authorization server: who may get tokens and where it listens.
 * Lab-only, made-up credentials on loopback; nothing here is a real secret.
 *
 * | env var                          | default | what                                              |
 * | -------------------------------- | ------- | ------------------------------------------------- |
 * | MAILCANARY_LAB_OAUTH_PORT        | 8480    | token, device-code and introspection endpoints    |
 * | MAILCANARY_LAB_OAUTH_SHORT_TTL   | 4       | lifetime (s) of tokens of the `mailcanary-lab-short` client |
 */
import { join } from 'node:path';
import type { LabTopology } from '../topology.ts';

export interface LabOAuthClient {
  id: string;
  /** undefined: a public client (RFC 6749 §2.1), like a Microsoft "mobile and desktop" app */
  secret?: string;
  /** access token lifetime, seconds */
  ttlSeconds: number;
}

export interface LabOAuthConfig {
  host: string;
  port: number;
  baseUrl: string;
  tokenUrl: string;
  deviceUrl: string;
  introspectUrl: string;
  clients: LabOAuthClient[];
  /** refresh token → mailbox it grants */
  refreshTokens: Record<string, string>;
  eventsFile: string;
  pidFile: string;
  logFile: string;
}

export const LAB_OAUTH_CLIENT_SECRET = 'lab-oauth-client-secret';

/** The refresh token the lab hands out for a lab mailbox (deterministic, so lab.env can name it). */
export function labRefreshToken(address: string): string {
  return `lab-rt.${address}`;
}

function port(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new Error(`${name}=${JSON.stringify(raw)} is not a TCP port: set it to an integer 1..65535 or unset it`);
  return n;
}

export function labOAuthConfig(topo: LabTopology, env: NodeJS.ProcessEnv = process.env): LabOAuthConfig {
  const host = '127.0.0.1';
  const p = port(env, 'MAILCANARY_LAB_OAUTH_PORT', 8480);
  const shortTtl = Number(env.MAILCANARY_LAB_OAUTH_SHORT_TTL || 4);
  const baseUrl = `http://${host}:${p}`;
  const refreshTokens: Record<string, string> = {};
  for (const u of topo.users) refreshTokens[labRefreshToken(u.address)] = u.address;
  return {
    host,
    port: p,
    baseUrl,
    tokenUrl: `${baseUrl}/token`,
    deviceUrl: `${baseUrl}/devicecode`,
    introspectUrl: `${baseUrl}/introspect`,
    clients: [
      { id: 'mailcanary-lab', secret: LAB_OAUTH_CLIENT_SECRET, ttlSeconds: 3600 },
      { id: 'mailcanary-lab-short', secret: LAB_OAUTH_CLIENT_SECRET, ttlSeconds: Number.isFinite(shortTtl) && shortTtl > 0 ? shortTtl : 4 },
      { id: 'mailcanary-lab-public', ttlSeconds: 3600 },
    ],
    refreshTokens,
    eventsFile: join(topo.stateDir, 'oauth-events.jsonl'),
    pidFile: join(topo.stateDir, 'pids', 'oauth.pid'),
    logFile: join(topo.stateDir, 'oauth.log'),
  };
}
