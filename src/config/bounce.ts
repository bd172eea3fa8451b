import type { ConfigProblem } from './errors.ts';
import type { Seed } from './seeds.ts';

/**
 * The mailbox where the user's server delivers bounces (DSNs) for the envelope sender.
 * By default it is the sender's own account on the submission host, over IMAPS.
 * Returned as a Seed-shaped account so the same IMAP client rules (TLS verified,
 * no plaintext password unless allowed) apply.
 */
export function bounceAccountFromEnv(env: Record<string, string | undefined>): { account: Seed | null; password: string; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  if (/^(0|false|no|off)$/i.test(env.BOUNCE_WATCH?.trim() ?? '')) return { account: null, password: '', problems };
  const host = env.BOUNCE_IMAP_HOST?.trim() || env.SMTP_HOST?.trim() || '';
  const user = env.BOUNCE_IMAP_USER?.trim() || env.SMTP_USER?.trim() || '';
  const password = env.BOUNCE_IMAP_PASS ?? env.SMTP_PASS ?? '';
  if (!host || !user || !password) {
    // Without credentials there is nothing to watch; rejections at submission are still caught.
    return { account: null, password: '', problems };
  }
  const tls = (env.BOUNCE_IMAP_TLS?.trim().toLowerCase() || 'implicit') as string;
  if (!['implicit', 'starttls', 'none'].includes(tls)) {
    problems.push({ field: 'BOUNCE_IMAP_TLS', message: `'${env.BOUNCE_IMAP_TLS}' is not a TLS mode`, fix: 'use implicit (993), starttls (143) or none (lab only)' });
  }
  const allowPlain = /^(1|true|yes|on)$/i.test(env.BOUNCE_IMAP_ALLOW_PLAINTEXT_AUTH?.trim() ?? '');
  if (tls === 'none' && !allowPlain) {
    problems.push({ field: 'BOUNCE_IMAP_TLS', message: 'is none, so the password would cross the network in clear text', fix: 'use implicit or starttls; only for a lab on loopback set BOUNCE_IMAP_ALLOW_PLAINTEXT_AUTH=true' });
  }
  const portRaw = env.BOUNCE_IMAP_PORT?.trim();
  const port = portRaw ? Number(portRaw) : tls === 'implicit' ? 993 : 143;
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push({ field: 'BOUNCE_IMAP_PORT', message: `'${portRaw}' is not a port`, fix: 'e.g. BOUNCE_IMAP_PORT=993' });
  const account: Seed = {
    id: 'bounce-mailbox',
    address: env.ENVELOPE_FROM?.trim() || env.MAIL_FROM?.trim() || user,
    provider: 'custom',
    providerName: 'bounce mailbox',
    imap: {
      host,
      port,
      secure: tls === 'implicit',
      user,
      passwordEnv: env.BOUNCE_IMAP_PASS !== undefined ? 'BOUNCE_IMAP_PASS' : 'SMTP_PASS',
      allowPlaintextAuth: tls === 'none' && allowPlain,
      rejectUnauthorized: !/^(0|false|no|off)$/i.test(env.BOUNCE_IMAP_TLS_VERIFY?.trim() ?? ''),
    },
    spamFolders: ['Junk', 'Spam'],
    authservIds: [],
    requireAuth: [],
    expect: { default: 'inbox' },
    timeoutSeconds: 0,
    maxConnections: 5,
    pollIntervalMs: Number(env.BOUNCE_POLL_MS) || 1000,
  };
  return { account, password, problems };
}
