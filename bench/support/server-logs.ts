/**
 * Connection counts from the servers' own logs (what the providers would count), read from the
 * byte offset a run started at, so earlier runs and other traffic before it are not counted.
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';

export function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export function readFrom(file: string, offset: number): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const len = Math.max(0, sizeOf(file) - offset);
    const buf = Buffer.alloc(len);
    const n = readSync(fd, buf, 0, len, offset);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export interface ImapLogins {
  /** successful logins by the account itself (mailcanary), per user */
  own: Record<string, number>;
  /** logins as another user through the master user (the lab MX filing mail), per user */
  master: Record<string, number>;
}

/**
 * Dovecot's `imap-login: Info: Login: user=<u>, auth_user=<a>, …` lines (the lab's
 * login_log_format_elements); a master-user login has auth_user ≠ user.
 */
export function imapLogins(log: string): ImapLogins {
  const own: Record<string, number> = {};
  const master: Record<string, number> = {};
  for (const m of log.matchAll(/imap-login: Info: Login: user=<([^>]*)>, auth_user=<([^>]*)>/g)) {
    const [, user, authUser] = m;
    const bucket = authUser === user ? own : master;
    bucket[user] = (bucket[user] ?? 0) + 1;
  }
  return { own, master };
}

/** Postfix `postfix/submission/smtpd[pid]: connect from …` lines: connections to submission (587). */
export function submissionConnects(log: string): number {
  return [...log.matchAll(/postfix\/submission\/smtpd\[\d+\]: connect from /g)].length;
}
