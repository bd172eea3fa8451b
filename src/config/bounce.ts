import type { ConfigProblem } from './errors.ts';
import { imapCaFile } from './ca-file.ts';
import type { Seed } from './seeds.ts';
import { int } from './sender.ts';

/**
 * The mailbox where the user's server delivers bounces (DSNs) for the envelope sender.
 * By default it is the sender's own account on the submission host, over IMAPS.
 * Returned as a Seed-shaped account so the same IMAP client rules (TLS verified,
 * no plaintext password unless allowed) apply.
 */
export function bounceAccountFromEnv(env: Record<string, string | undefined>): { account: Seed | null; password: string; problems: ConfigProblem[] } {
  if (/^(0|false|no|off)$/i.test(env.BOUNCE_WATCH?.trim() ?? '')) return { account: null, password: '', problems: [] };
  const vars: MailboxVariables = {
    prefix: 'BOUNCE',
    HOST: env.BOUNCE_IMAP_HOST,
    PORT: env.BOUNCE_IMAP_PORT,
    USER: env.BOUNCE_IMAP_USER,
    PASS: env.BOUNCE_IMAP_PASS,
    TLS: env.BOUNCE_IMAP_TLS,
    TLS_VERIFY: env.BOUNCE_IMAP_TLS_VERIFY,
    ALLOW_PLAINTEXT_AUTH: env.BOUNCE_IMAP_ALLOW_PLAINTEXT_AUTH,
    CA_FILE: env.BOUNCE_IMAP_CA_FILE,
  };
  return mailboxAccountFromEnv(env, vars, { id: 'bounce-mailbox', name: 'bounce mailbox' });
}

/**
 * The `<PREFIX>_IMAP_*` settings of one mailbox account, read by the caller by their full names
 * (so a search for a variable finds where it is read); `prefix` names them in error messages.
 */
export interface MailboxVariables {
  prefix: string;
  HOST?: string;
  PORT?: string;
  USER?: string;
  PASS?: string;
  TLS?: string;
  TLS_VERIFY?: string;
  ALLOW_PLAINTEXT_AUTH?: string;
  /** PEM file of a private CA (else MAILCANARY_IMAP_CA_FILE) */
  CA_FILE?: string;
}

/**
 * An IMAP account configured by `<PREFIX>_IMAP_HOST/PORT/USER/PASS/TLS/TLS_VERIFY/ALLOW_PLAINTEXT_AUTH/CA_FILE`
 * (the bounce mailbox, the report mailbox), falling back to the submission login. `null` without
 * host, user and password.
 */
export function mailboxAccountFromEnv(
  env: Record<string, string | undefined>,
  vars: MailboxVariables,
  what: { id: string; name: string },
): { account: Seed | null; password: string; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const prefix = vars.prefix;
  const v = (k: Exclude<keyof MailboxVariables, 'prefix'>) => vars[k];
  const host = v('HOST')?.trim() || env.SMTP_HOST?.trim() || '';
  const user = v('USER')?.trim() || env.SMTP_USER?.trim() || '';
  const password = v('PASS') ?? env.SMTP_PASS ?? '';
  if (!host || !user || !password) {
    // Without credentials there is nothing to watch; rejections at submission are still caught.
    return { account: null, password: '', problems };
  }
  const tls = (v('TLS')?.trim().toLowerCase() || 'implicit') as string;
  if (!['implicit', 'starttls', 'none'].includes(tls)) {
    problems.push({ field: `${prefix}_IMAP_TLS`, message: `'${v('TLS')}' is not a TLS mode`, fix: 'use implicit (993), starttls (143) or none (lab only)' });
  }
  const allowPlain = /^(1|true|yes|on)$/i.test(v('ALLOW_PLAINTEXT_AUTH')?.trim() ?? '');
  if (tls === 'none' && !allowPlain) {
    problems.push({
      field: `${prefix}_IMAP_TLS`,
      message: 'is none, so the password would cross the network in clear text',
      fix: `use implicit or starttls; only for a lab on loopback set ${prefix}_IMAP_ALLOW_PLAINTEXT_AUTH=true`,
    });
  }
  const portRaw = v('PORT')?.trim();
  const port = portRaw ? Number(portRaw) : tls === 'implicit' ? 993 : 143;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    problems.push({ field: `${prefix}_IMAP_PORT`, message: `'${portRaw}' is not a port`, fix: `e.g. ${prefix}_IMAP_PORT=993` });
  const caFile = imapCaFile(v('CA_FILE')?.trim() || undefined, env, `${prefix}_IMAP_CA_FILE`, problems);
  const account: Seed = {
    id: what.id,
    address: env.ENVELOPE_FROM?.trim() || env.MAIL_FROM?.trim() || user,
    provider: 'custom',
    providerName: what.name,
    imap: {
      host,
      port,
      secure: tls === 'implicit',
      user,
      passwordEnv: v('PASS') !== undefined ? `${prefix}_IMAP_PASS` : 'SMTP_PASS',
      allowPlaintextAuth: tls === 'none' && allowPlain,
      rejectUnauthorized: !/^(0|false|no|off)$/i.test(v('TLS_VERIFY')?.trim() ?? ''),
      ...(caFile ? { caFile } : {}),
    },
    spamFolders: ['Junk', 'Spam'],
    authservIds: [],
    requireAuth: [],
    expect: { default: 'inbox' },
    timeoutSeconds: 0,
    maxConnections: 5,
    // milliseconds between looks: 100 ms at least (a tighter poll only loads the server), at most 10 minutes
    pollIntervalMs: int(env, 'BOUNCE_POLL_MS', 1000, 100, 600_000, problems),
  };
  return { account, password, problems };
}
