import { existsSync } from 'node:fs';
import type { ConfigProblem } from './errors.ts';
import { smtpPathsFromEnv, type SmtpPath } from './paths.ts';
import { envFileLabel } from './env-file.ts';

/** How to reach the user's own submission server (their Postfix, Exim, …). */
export interface SenderConfig {
  smtp: {
    host: string;
    port: number;
    /** `implicit` = TLS from the first byte (465); `starttls` = required upgrade (587); `none` = lab only */
    tls: 'implicit' | 'starttls' | 'none';
    user?: string;
    /** resolved from SMTP_PASS; never logged, never written to a manifest */
    pass?: string;
    allowPlaintextAuth: boolean;
    rejectUnauthorized: boolean;
    /** SMTP_TLS_CA_FILE: PEM file of an extra CA to trust besides the system's (a private or lab CA) */
    caFile?: string;
  };
  /**
   * Submission endpoints to send every message through (SMTP_PATHS): one unnamed path
   * (smtp.host:smtp.port) unless the user names several to compare, e.g. ipv4 and ipv6.
   */
  paths: SmtpPath[];
  /** header From */
  from: string;
  /** envelope sender (MAIL FROM); bounces come back here */
  envelopeFrom: string;
  /** subaddress separator for the tagged envelope sender; null = don't tag the envelope */
  tagSeparator: string | null;
  /** link used by the html-with-link variant */
  linkUrl: string;
  /** MAILCANARY_LINK_URL is set: every sender links there (else each sender links to its own domain) */
  linkUrlSet: boolean;
  /** default time to wait for delivery per seed, seconds */
  timeoutSeconds: number;
  /** message variants to send */
  variants: string[] | null;
  /** delete our own tagged messages after the verdict */
  cleanup: boolean;
  /** runs against the local lab: every result is labelled lab */
  lab: boolean;
  /** a seed skipped for a missing credential fails the run (CI, where every secret must be set) */
  requireAllSeeds: boolean;
}

type Env = Record<string, string | undefined>;

const ADDRESS = /^[^\s@<>()",;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isAddress(value: string): boolean {
  return ADDRESS.test(value);
}

/**
 * Whether this process runs against the lab (MAILCANARY_LAB), read where the full configuration
 * is not loaded yet (a test's static tags); a bad value is reported by loadConfig.
 */
export function labFromEnv(env: Env = process.env): boolean {
  return bool(env, 'MAILCANARY_LAB', false, []);
}

function bool(env: Env, name: string, fallback: boolean, problems: ConfigProblem[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push({ field: name, message: `'${env[name]}' is not a yes/no value`, fix: `set ${name}=true or ${name}=false` });
  return fallback;
}

export function int(env: Env, name: string, fallback: number, min: number, max: number, problems: ConfigProblem[]): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push({ field: name, message: `'${raw}' is not a whole number from ${min} to ${max}`, fix: `set ${name} to a number like ${fallback}` });
    return fallback;
  }
  return n;
}

/**
 * Reads the sender settings from the environment (already loaded from `.env`).
 * Pure: returns the config and every problem found, so the caller reports them all at once.
 */
export function senderConfigFromEnv(env: Env): { config: SenderConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const host = env.SMTP_HOST?.trim() ?? '';
  // with SMTP_PATHS the paths name the endpoints; SMTP_HOST is then optional (it names the server for TLS)
  if (!host && !env.SMTP_PATHS?.trim()) {
    problems.push({
      field: 'SMTP_HOST',
      message: 'is not set: mailcanary sends through your own submission server',
      fix: env.MAILCANARY_ENV_FILE
        ? `set SMTP_HOST to your mail server in ${envFileLabel(env)}, e.g. SMTP_HOST=mail.example.org (or run \`npm run demo\` to try the lab)`
        : 'copy .env.example to .env and set SMTP_HOST to your mail server, e.g. SMTP_HOST=mail.example.org (or run `npm run demo` to try the lab)',
    });
  }
  const tlsRaw = (env.SMTP_TLS?.trim().toLowerCase() || 'starttls') as string;
  let tls: SenderConfig['smtp']['tls'] = 'starttls';
  if (tlsRaw === 'implicit' || tlsRaw === 'starttls' || tlsRaw === 'none') tls = tlsRaw;
  else
    problems.push({
      field: 'SMTP_TLS',
      message: `'${env.SMTP_TLS}' is not a TLS mode`,
      fix: 'use SMTP_TLS=starttls (port 587), implicit (port 465) or none (lab only)',
    });
  const port = int(env, 'SMTP_PORT', tls === 'implicit' ? 465 : 587, 1, 65535, problems);
  const paths = smtpPathsFromEnv(env.SMTP_PATHS, { host, port }, problems);
  const user = env.SMTP_USER?.trim() || undefined;
  const pass = env.SMTP_PASS ?? undefined;
  if (user && !pass)
    problems.push({
      field: 'SMTP_PASS',
      message: `is not set but SMTP_USER is`,
      fix: `set SMTP_PASS to the submission password of SMTP_USER in ${envFileLabel(env)}`,
    });
  const allowPlaintextAuth = bool(env, 'SMTP_ALLOW_PLAINTEXT_AUTH', false, problems);
  if (tls === 'none' && user && !allowPlaintextAuth) {
    problems.push({
      field: 'SMTP_TLS',
      message: 'is none, so the password would cross the network in clear text',
      fix: 'use SMTP_TLS=starttls or implicit; only for a lab on loopback set SMTP_ALLOW_PLAINTEXT_AUTH=true',
    });
  }
  const rejectUnauthorized = bool(env, 'SMTP_TLS_VERIFY', true, problems);
  const caFile = env.SMTP_TLS_CA_FILE?.trim() || undefined;
  // the one file check here: a missing CA file would otherwise surface as a certificate error at send time
  if (caFile && !existsSync(caFile)) {
    problems.push({
      field: 'SMTP_TLS_CA_FILE',
      message: `${caFile} does not exist`,
      fix: 'point SMTP_TLS_CA_FILE at the PEM file of your private CA, or unset it to trust the system CAs only (for the lab: start it once with `node lab/cli.ts start`)',
    });
  }

  const from = env.MAIL_FROM?.trim() ?? '';
  if (!from)
    problems.push({
      field: 'MAIL_FROM',
      message: 'is not set',
      fix: 'set MAIL_FROM to the address your mail is sent from, e.g. MAIL_FROM=monitor@example.org',
    });
  else if (!isAddress(from)) problems.push({ field: 'MAIL_FROM', message: `'${from}' is not an e-mail address`, fix: 'set MAIL_FROM=local@your-domain' });
  const envelopeFrom = env.ENVELOPE_FROM?.trim() || from;
  if (env.ENVELOPE_FROM?.trim() && !isAddress(envelopeFrom))
    problems.push({
      field: 'ENVELOPE_FROM',
      message: `'${envelopeFrom}' is not an e-mail address`,
      fix: 'set ENVELOPE_FROM=bounces@your-domain or leave it empty to use MAIL_FROM',
    });

  const sepRaw = env.ENVELOPE_TAG_SEPARATOR;
  let tagSeparator: string | null = '-';
  if (sepRaw !== undefined && sepRaw.trim() !== '') {
    const s = sepRaw.trim();
    if (s.toLowerCase() === 'none' || s.toLowerCase() === 'off') tagSeparator = null;
    else if (/^[-+_=.]$/.test(s)) tagSeparator = s;
    else
      problems.push({
        field: 'ENVELOPE_TAG_SEPARATOR',
        message: `'${s}' is not a subaddress separator`,
        fix: 'use the recipient_delimiter of your server: -, +, _, = or ., or none to send without a tag',
      });
  }

  const fromDomain = from.slice(from.lastIndexOf('@') + 1).replace(/>$/, '') || 'example.org';
  const linkUrl = env.MAILCANARY_LINK_URL?.trim() || `https://${fromDomain}/`;
  try {
    const u = new URL(linkUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
  } catch {
    problems.push({
      field: 'MAILCANARY_LINK_URL',
      message: `'${linkUrl}' is not an http(s) URL`,
      fix: 'set MAILCANARY_LINK_URL=https://your-domain/some-page',
    });
  }
  const timeoutSeconds = int(env, 'MAILCANARY_TIMEOUT', 300, 1, 86_400, problems);
  const variantsRaw = env.MAILCANARY_VARIANTS?.trim();
  const variants = variantsRaw
    ? variantsRaw
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : null;
  const cleanup = bool(env, 'MAILCANARY_CLEANUP', false, problems);
  const lab = bool(env, 'MAILCANARY_LAB', false, problems);
  const requireAllSeeds = bool(env, 'MAILCANARY_REQUIRE_ALL_SEEDS', false, problems);

  return {
    config: {
      smtp: { host, port, tls, user, pass, allowPlaintextAuth, rejectUnauthorized, caFile },
      paths,
      from,
      envelopeFrom,
      tagSeparator,
      linkUrl,
      linkUrlSet: !!env.MAILCANARY_LINK_URL?.trim(),
      timeoutSeconds,
      variants,
      cleanup,
      lab,
      requireAllSeeds,
    },
    problems,
  };
}
