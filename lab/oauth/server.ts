/**
 * The lab's OAuth 2.0 authorization server (node:http on loopback): just enough of RFC 6749 and
 * its companions for mailcanary's sign-in to be tested end to end against Dovecot.
 *
 *   POST /token       grant_type=refresh_token (RFC 6749 §6) and the device grant (RFC 8628 §3.4)
 *   POST /devicecode  device authorization (RFC 8628 §3.1); the lab "user" approves on the 2nd poll
 *   POST /introspect  token introspection (RFC 7662) for Dovecot's oauth2 passdb (introspection_mode=post)
 *
 * Access tokens are random, expire after the client's TTL and are checked on every introspection,
 * so an expired token is refused by Dovecot exactly as a real provider would refuse it.
 * Events go to oauth-events.jsonl with token fingerprints, never the tokens.
 *
 * Run: node lab/oauth/server.ts (the lab starts it; env as in lab/oauth/config.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { appendFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { labTopology } from '../topology.ts';
import { labOAuthConfig, type LabOAuthConfig } from './config.ts';

interface Issued {
  user: string;
  client: string;
  expiresAt: number;
}

interface Device {
  client: string;
  user: string;
  polls: number;
  expiresAt: number;
}

export interface OAuthEvent {
  at: number;
  kind: 'refresh' | 'device-code' | 'device-token' | 'introspect' | 'error';
  client?: string;
  user?: string;
  /** sha256 prefix of the token concerned */
  token?: string;
  active?: boolean;
  error?: string;
}

export function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** The endpoint logic as a pure-ish function of (path, form) → reply; state lives in the closure. */
export function createOAuthLogic(cfg: LabOAuthConfig, opts: { now?: () => number; onEvent?: (e: OAuthEvent) => void } = {}) {
  const now = opts.now ?? Date.now;
  const emit = opts.onEvent ?? (() => {});
  const tokens = new Map<string, Issued>();
  const devices = new Map<string, Device>();
  const err = (status: number, error: string, description: string, client?: string): Reply => {
    emit({ at: now(), kind: 'error', client, error });
    return { status, body: { error, error_description: description } };
  };
  const issue = (client: string, user: string): Reply => {
    const c = cfg.clients.find((x) => x.id === client)!;
    const token = `lab-at.${randomBytes(18).toString('base64url')}`;
    tokens.set(token, { user, client, expiresAt: now() + c.ttlSeconds * 1000 });
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: c.ttlSeconds, scope: 'imap' } };
  };
  const authClient = (form: URLSearchParams): { id: string } | Reply => {
    const c = cfg.clients.find((x) => x.id === form.get('client_id'));
    if (!c) return err(401, 'invalid_client', 'unknown client_id');
    if (c.secret !== undefined && form.get('client_secret') !== c.secret) return err(401, 'invalid_client', 'client authentication failed', c.id);
    return { id: c.id };
  };

  return function handle(path: string, form: URLSearchParams): Reply {
    if (path === '/introspect') {
      const token = form.get('token') ?? '';
      const t = tokens.get(token);
      const active = !!t && t.expiresAt > now();
      emit({ at: now(), kind: 'introspect', token: fingerprint(token), user: t?.user, active });
      // RFC 7662 §2.2: an inactive token gets only {"active": false}
      return {
        status: 200,
        body: active ? { active: true, email: t!.user, username: t!.user, client_id: t!.client, exp: Math.floor(t!.expiresAt / 1000) } : { active: false },
      };
    }
    if (path === '/devicecode') {
      const c = authClient(form);
      if ('status' in c) return c;
      const device = randomBytes(16).toString('hex');
      const user = form.get('login_hint') || 'seed@outlook.lab.test';
      devices.set(device, { client: c.id, user, polls: 0, expiresAt: now() + 600_000 });
      emit({ at: now(), kind: 'device-code', client: c.id, user });
      return {
        status: 200,
        body: {
          device_code: device,
          user_code: 'LAB-0000',
          verification_uri: `${cfg.baseUrl}/device`,
          expires_in: 600,
          interval: 1,
          message: 'Lab: the code is approved automatically.',
        },
      };
    }
    if (path !== '/token') return { status: 404, body: { error: 'not_found' } };
    const grant = form.get('grant_type');
    const c = authClient(form);
    if ('status' in c) return c;
    if (grant === 'refresh_token') {
      const rt = form.get('refresh_token') ?? '';
      const user = cfg.refreshTokens[rt];
      if (!user) return err(400, 'invalid_grant', 'refresh token unknown or revoked', c.id);
      const reply = issue(c.id, user);
      emit({ at: now(), kind: 'refresh', client: c.id, user, token: fingerprint(String(reply.body.access_token)) });
      return reply;
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
      const d = devices.get(form.get('device_code') ?? '');
      if (!d || d.client !== c.id) return err(400, 'invalid_grant', 'unknown device_code', c.id);
      if (d.expiresAt <= now()) return err(400, 'expired_token', 'device code expired', c.id);
      if (d.polls++ === 0) return { status: 400, body: { error: 'authorization_pending' } };
      devices.delete(form.get('device_code')!);
      const reply = issue(c.id, d.user);
      const rt = Object.entries(cfg.refreshTokens).find(([, u]) => u === d.user)?.[0];
      emit({ at: now(), kind: 'device-token', client: c.id, user: d.user });
      return { ...reply, body: { ...reply.body, refresh_token: rt } };
    }
    return err(400, 'unsupported_grant_type', `grant_type ${JSON.stringify(grant)} is not supported by the lab`, c.id);
  };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64 * 1024) throw new Error('request body too large');
    chunks.push(c as Buffer);
  }
  const body = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://lab');
  // Dovecot's "get" mode and some clients put parameters in the query
  const form = new URLSearchParams(url.search);
  for (const [k, v] of new URLSearchParams(body)) form.set(k, v);
  // RFC 6749 §2.3.1: client credentials may come as HTTP Basic
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    if (!form.has('client_id')) form.set('client_id', decodeURIComponent(id ?? ''));
    if (!form.has('client_secret') && secret !== undefined) form.set('client_secret', decodeURIComponent(secret));
  }
  return form;
}

export function startOAuthServer(cfg: LabOAuthConfig) {
  const handle = createOAuthLogic(cfg, { onEvent: (e) => appendFileSync(cfg.eventsFile, JSON.stringify(e) + '\n') });
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let reply: Reply;
    try {
      const path = new URL(req.url ?? '/', 'http://lab').pathname;
      if (req.method === 'GET' && path === '/health') reply = { status: 200, body: { ok: true } };
      else if (req.method !== 'POST') reply = { status: 405, body: { error: 'method_not_allowed' } };
      else reply = handle(path, await readForm(req));
    } catch (e) {
      reply = { status: 400, body: { error: 'invalid_request', error_description: (e as Error).message } };
    }
    res.writeHead(reply.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(reply.body));
  });
  return new Promise<typeof server>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`lab OAuth server cannot listen on ${cfg.host}:${cfg.port}: ${e.message} (set MAILCANARY_LAB_OAUTH_PORT)`)));
    server.listen(cfg.port, cfg.host, () => resolve(server));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const cfg = labOAuthConfig(labTopology());
  startOAuthServer(cfg).then(
    () => console.log(`lab OAuth server listening on ${cfg.baseUrl}`),
    (e: Error) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
