import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { ImapFlow } from 'imapflow';
import type { ImapSecret } from '../auth/index.ts';
import type { Seed } from '../config/index.ts';

/**
 * Builds the imapflow client for a seed with mailcanary's safety rules:
 * TLS certificates verified unless the seed says otherwise (against the system CAs plus the
 * seed's `caFile`, for a server with a private CA), and no password over an
 * unencrypted connection unless the seed explicitly allows it (lab only): a non-TLS
 * connection then must upgrade with STARTTLS (imapflow's `doSTARTTLS: true`).
 *
 * `secret` is a password, or `{ accessToken }` for OAuth2: imapflow then authenticates with
 * OAUTHBEARER (RFC 7628) where the server offers it, else Google/Microsoft's XOAUTH2.
 * An access token is a bearer credential just like a password, so the same TLS rule applies.
 */
export function createImapClient(seed: Seed, secret: ImapSecret): ImapFlow {
  const t = imapTimeouts(process.env);
  const auth = typeof secret === 'string' ? { user: seed.imap.user, pass: secret } : { user: seed.imap.user, accessToken: secret.accessToken };
  return new ImapFlow({
    host: seed.imap.host,
    port: seed.imap.port,
    secure: seed.imap.secure,
    doSTARTTLS: seed.imap.secure ? undefined : seed.imap.allowPlaintextAuth ? undefined : true,
    auth,
    tls: {
      rejectUnauthorized: seed.imap.rejectUnauthorized,
      minVersion: 'TLSv1.2',
      ...(seed.imap.caFile ? { ca: [...rootCertificates, readFileSync(seed.imap.caFile, 'utf8')] } : {}),
    },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: t.connectionMs,
    greetingTimeout: t.greetingMs,
    socketTimeout: t.socketMs,
    clientInfo: { name: 'mailcanary', vendor: 'mailcanary' },
  });
}

/**
 * How long a silent server is waited for. The socket timeout is what ends a server that stalls
 * mid-command (imapflow closes the connection, the watcher retries on a new one), so a stall
 * costs at most `maxAttempts` × this before the seed is declared unreachable.
 * MAILCANARY_IMAP_TIMEOUT (seconds, default 60) lowers it; connect and greeting never wait longer.
 */
export function imapTimeouts(env: Record<string, string | undefined>): { connectionMs: number; greetingMs: number; socketMs: number } {
  const raw = env.MAILCANARY_IMAP_TIMEOUT?.trim();
  const seconds = raw ? Number(raw) : 60;
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600) {
    throw new Error(
      `MAILCANARY_IMAP_TIMEOUT=${JSON.stringify(raw)} is not a number of seconds from 1 to 3600: set it like MAILCANARY_IMAP_TIMEOUT=60 or unset it`,
    );
  }
  const socketMs = seconds * 1000;
  return { connectionMs: Math.min(20_000, socketMs), greetingMs: Math.min(15_000, socketMs), socketMs };
}

export type ImapClientFactory = (seed: Seed, secret: ImapSecret) => ImapFlow;
