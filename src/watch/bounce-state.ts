/**
 * Whether the sender's bounce mailbox is being watched, and why not. The bounce mailbox is a
 * helper: when it cannot be read no test fails for it, but a rejection then shows up only as
 * `missing` at the seed's timeout, so every placement result of the run says that it is off,
 * with the reason and the setting that fixes it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Seed } from '../config/index.ts';
import { redact } from '../shared/redact.ts';

export type BounceOffCause = 'login-refused' | 'unreachable';

export interface BounceOff {
  state: 'off';
  cause: BounceOffCause;
  /** what happened, with the server's words (secrets redacted) */
  reason: string;
  /** what to do, naming the BOUNCE_IMAP_* settings */
  fix: string;
}

/** `pending` until the first login completes (or the watcher gives up). */
export type BounceWatchState = { state: 'pending' } | { state: 'watching' } | BounceOff;

export const BOUNCE_OFF_PREFIX = 'bounce watching is off: ';

interface ImapErrorLike {
  message?: string;
  code?: string;
  serverResponseCode?: string;
  response?: unknown;
  responseText?: string;
  authenticationFailed?: boolean;
}

/** The error in one line: code and the server's text; a hostile server's text is bounded. */
function errorText(err: unknown, secrets: string[]): string {
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as ImapErrorLike;
  const raw = (typeof e.response === 'string' && e.response) || e.responseText || e.message || String(err);
  // a tagged response line (`2 NO [AUTHENTICATIONFAILED] text`, RFC 3501 §7.1): its text only
  const said = raw
    .replace(/^\S+\s+(NO|BAD)\s+/i, '')
    .replace(/^\[[^\]]*\]\s*/, (code) => (e.serverResponseCode && code.includes(e.serverResponseCode) ? '' : code));
  const text = [e.code, e.serverResponseCode, said].filter(Boolean).join(': ').replace(/\s+/g, ' ').trim().slice(0, 240);
  return redact(text, secrets);
}

const where = (a: Seed) => `${a.imap.host}:${a.imap.port}`;

/** TLS handshake and certificate errors (Node's codes, OpenSSL's texts). */
function isTlsError(err: unknown): boolean {
  const e = (err ?? {}) as ImapErrorLike;
  return (
    /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY))/.test(e.code ?? '') ||
    /certificate|ssl routines|wrong version number|tls/i.test(e.message ?? '')
  );
}

/**
 * The server refused the login (a tagged NO to LOGIN/AUTHENTICATE, RFC 3501 §6.2.3): trying the
 * same password again can only lock the account, so the watcher stops for the whole run.
 */
export function loginRefused(account: Seed, err: unknown, secrets: string[]): BounceOff {
  const own = account.imap.passwordEnv === 'BOUNCE_IMAP_PASS';
  const login = own ? 'BOUNCE_IMAP_USER and BOUNCE_IMAP_PASS' : 'SMTP_USER and SMTP_PASS (BOUNCE_IMAP_PASS is not set)';
  return {
    state: 'off',
    cause: 'login-refused',
    reason: `the bounce mailbox ${account.imap.user} at ${where(account)} refused the login with ${login} (${errorText(err, secrets)}); it is not tried again with this password in this run`,
    fix: `set BOUNCE_IMAP_USER and BOUNCE_IMAP_PASS to the login of the mailbox that receives the bounces for ${account.address}, or BOUNCE_WATCH=false to run without bounce watching`,
  };
}

/** Connection refused, name not resolved, TLS failure or silence, `attempts` times in a row. */
export function unreachable(account: Seed, err: unknown, attempts: number, secrets: string[]): BounceOff {
  const fix = isTlsError(err)
    ? `check BOUNCE_IMAP_TLS (implicit on port 993, starttls on 143) and that the server's certificate is valid for ${account.imap.host} (a private CA: BOUNCE_IMAP_CA_FILE or MAILCANARY_IMAP_CA_FILE naming its PEM file; BOUNCE_IMAP_TLS_VERIFY=false only for a lab), or BOUNCE_WATCH=false to run without bounce watching`
    : `check that BOUNCE_IMAP_HOST and BOUNCE_IMAP_PORT (default: SMTP_HOST, 993) name your IMAP server and that it accepts connections from this machine, or BOUNCE_WATCH=false to run without bounce watching`;
  return {
    state: 'off',
    cause: 'unreachable',
    reason: `the bounce mailbox at ${where(account)} could not be read after ${attempts} attempt(s) (${errorText(err, secrets)})`,
    fix,
  };
}

export function isLoginRefusal(err: unknown): boolean {
  return (err as ImapErrorLike | null)?.authenticationFailed === true;
}

/** The warning every placement test of the run carries while bounce watching is off. */
export function bounceOffWarning(s: BounceWatchState | null | undefined): string | undefined {
  return s?.state === 'off' ? `${BOUNCE_OFF_PREFIX}${s.reason}. Fix: ${s.fix}` : undefined;
}

/** The distinct bounce warnings among test annotations (each worker reports its own). */
export function bounceOffNotices(annotations: Iterable<{ type: string; description?: string }>): string[] {
  const out = new Set<string>();
  for (const a of annotations) if (a.type === 'warning' && a.description?.startsWith(BOUNCE_OFF_PREFIX)) out.add(a.description);
  return [...out];
}

/**
 * Where one worker leaves the `off` state for the run's other workers (Playwright starts a new
 * worker after every failed test), so a refused password is not tried again by each of them.
 */
export interface BounceOffRecord {
  load(): BounceOff | undefined;
  save(off: BounceOff): void;
}

/**
 * A record in a file of the run's state folder, for one account. It holds no secret: the reason is
 * redacted, and the account is named by user, host and port (a run's password does not change).
 * A file that cannot be read or written only costs that worker its own attempt.
 */
export function fileOffRecord(file: () => string, account: Seed): BounceOffRecord {
  const key = `${account.imap.user}@${where(account)}`;
  return {
    load() {
      try {
        const v = JSON.parse(readFileSync(file(), 'utf8')) as { key?: unknown; off?: Partial<BounceOff> };
        const off = v.off;
        if (v.key !== key || !off || off.state !== 'off' || typeof off.reason !== 'string' || typeof off.fix !== 'string') return undefined;
        return { state: 'off', cause: off.cause === 'login-refused' ? 'login-refused' : 'unreachable', reason: off.reason, fix: off.fix };
      } catch {
        return undefined;
      }
    },
    save(off) {
      try {
        const f = file();
        mkdirSync(path.dirname(f), { recursive: true });
        const tmp = `${f}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify({ key, off }));
        renameSync(tmp, f);
      } catch {
        /* the other workers then try once each */
      }
    },
  };
}
