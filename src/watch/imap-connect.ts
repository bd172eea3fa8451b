import { ImapFlow } from 'imapflow';
import type { Seed } from '../config/seeds.ts';

/**
 * Builds the imapflow client for a seed with mailcanary's safety rules:
 * TLS certificates verified unless the seed says otherwise, and no password over an
 * unencrypted connection unless the seed explicitly allows it (lab only): a non-TLS
 * connection then must upgrade with STARTTLS (imapflow's `doSTARTTLS: true`).
 */
export function createImapClient(seed: Seed, password: string): ImapFlow {
  return new ImapFlow({
    host: seed.imap.host,
    port: seed.imap.port,
    secure: seed.imap.secure,
    doSTARTTLS: seed.imap.secure ? undefined : seed.imap.allowPlaintextAuth ? undefined : true,
    auth: { user: seed.imap.user, pass: password },
    tls: { rejectUnauthorized: seed.imap.rejectUnauthorized, minVersion: 'TLSv1.2' },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    clientInfo: { name: 'mailcanary', vendor: 'mailcanary' },
  });
}

export type ImapClientFactory = (seed: Seed, password: string) => ImapFlow;
