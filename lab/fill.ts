/**
 * Mailbox filler for the benches: puts N older messages into INBOX and the spam folder of lab
 * seeds, the way a year of nightly runs would leave them, to show that watching costs the same
 * with 50,000 messages in a folder as with none.
 *
 *   node lab/fill.ts <count> [--users a@x,b@y] [--empty]
 *
 * Writing 50,000 messages one APPEND at a time would take minutes, so the files are written
 * straight into the Dovecot Maildir (`cur/`, with the `:2,S` info suffix: seen) and Dovecot is
 * then asked for the folder's status (`doveadm mailbox status`), which syncs the Maildir:
 * every file gets its UID and the index is written, as it would have been over the year.
 * The message date spreads over the past 365 days; the file's mtime is that date, which is
 * what Dovecot reports as the INTERNALDATE of a Maildir message (RFC 3501 §2.3.3).
 * `--empty` expunges everything in those folders first (doveadm expunge).
 */
import { chownSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { labPaths, labTopology, type LabTopology, type LabUser } from './topology.ts';
import { ensureSystemUser } from './services/dovecot.ts';
import { run } from './proc.ts';

const DAY = 86_400_000;

export interface FillOptions {
  /** messages per folder */
  count: number;
  /** seed addresses to fill (default: every provider seed except the blackhole's) */
  users?: string[];
  /** expunge the folders first */
  empty?: boolean;
  now?: number;
  log?: (line: string) => void;
}

export interface FillResult {
  folders: Array<{ user: string; folder: string; messages: number; uidNext: number }>;
  ms: number;
}

/** An older tagged test message as the seed received it (a few KB of headers, like the real ones). */
export function oldMessage(i: number, date: Date, user: string): string {
  const day = date.toISOString().slice(0, 10).replace(/-/g, '');
  const tag = `mc${day}0300old${(i % 1000).toString(36)}.${String(i % 60).padStart(3, '0')}`;
  const lines = [
    `Return-Path: <monitor-${tag}@canary.test>`,
    `Received: from mail.canary.test (mail.canary.test [127.0.0.1])\r\n\tby mx.lab.test with ESMTP id old${i}\r\n\tfor <${user}>; ${date.toUTCString()}`,
    `Authentication-Results: mx.lab.test; spf=pass smtp.mailfrom=canary.test; dkim=pass header.d=canary.test header.s=mc2026; dmarc=pass header.from=canary.test`,
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=canary.test; s=mc2026; h=from:to:subject:date:message-id; bh=${'A'.repeat(44)}; b=${'B'.repeat(344)}`,
    `From: canary.test <monitor@canary.test>`,
    `To: ${user}`,
    `Subject: mailcanary placement test ${tag}`,
    `Date: ${date.toUTCString()}`,
    `Message-ID: <${tag}@canary.test>`,
    `X-Mailcanary-Tag: ${tag}`,
    `MIME-Version: 1.0`,
    `Content-Type: text/plain; charset=utf-8`,
  ];
  return lines.join('\r\n') + '\r\n\r\nAn older placement test message, left in the seed mailbox by an earlier run.\r\n';
}

function doveadm(topo: LabTopology, args: string[]): Promise<{ code: number | null; out: string }> {
  return run('doveadm', ['-c', join(labPaths(topo.stateDir).dovecotDir, 'dovecot.conf'), ...args]);
}

async function mailboxPath(topo: LabTopology, user: string, folder: string): Promise<string> {
  const r = await doveadm(topo, ['mailbox', 'path', '-u', user, folder]);
  if (r.code !== 0) throw new Error(`doveadm mailbox path for ${user} ${folder} failed (is the lab started? node lab/cli.ts start): ${r.out.trim()}`);
  return r.out.trim();
}

async function status(topo: LabTopology, user: string, folder: string): Promise<{ messages: number; uidNext: number }> {
  const r = await doveadm(topo, ['mailbox', 'status', '-u', user, 'messages uidnext', folder]);
  const m = /messages=(\d+) uidnext=(\d+)/.exec(r.out);
  if (r.code !== 0 || !m) throw new Error(`doveadm mailbox status for ${user} ${folder} failed: ${r.out.trim()}`);
  return { messages: Number(m[1]), uidNext: Number(m[2]) };
}

export async function fillMailboxes(opts: FillOptions, topo: LabTopology = labTopology(process.env)): Promise<FillResult> {
  if (!Number.isInteger(opts.count) || opts.count < 0) throw new Error(`count must be a whole number ≥ 0, got ${opts.count}`);
  const started = Date.now();
  const now = opts.now ?? Date.now();
  const log = opts.log ?? (() => {});
  const seeds: LabUser[] = opts.users
    ? opts.users.map((u) => {
        const s = topo.users.find((x) => x.address === u);
        if (!s) throw new Error(`${u} is not a lab user; lab users: ${topo.users.map((x) => x.address).join(', ')}`);
        return s;
      })
    : topo.providers.filter((p) => p.id !== 'blackhole').map((p) => p.seed);
  const ids = await ensureSystemUser(topo.systemUser);
  const host = hostname().replace(/[/:]/g, '_');
  const folders: FillResult['folders'] = [];
  for (const seed of seeds) {
    for (const folder of ['INBOX', seed.spamFolder]) {
      if (opts.empty) await doveadm(topo, ['expunge', '-u', seed.address, 'mailbox', folder, 'all']);
      const dir = join(await mailboxPath(topo, seed.address, folder), 'cur');
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < opts.count; i++) {
        // oldest first, one a few minutes apart within a day, spread over the past year
        const date = new Date(now - DAY - Math.floor(((opts.count - i) / Math.max(1, opts.count)) * 364 * DAY));
        const body = oldMessage(i, date, seed.address);
        const secs = Math.floor(date.getTime() / 1000);
        // Maildir file name (https://cr.yp.to/proto/maildir.html): unique, then ",S=<size>" and ":2,<flags>"
        const file = join(dir, `${secs}.M${i}P${process.pid}.${host},S=${Buffer.byteLength(body)}:2,S`);
        writeFileSync(file, body, { mode: 0o600 });
        chownSync(file, ids.uid, ids.gid);
        utimesSync(file, date, date);
      }
      const st = await status(topo, seed.address, folder);
      folders.push({ user: seed.address, folder, ...st });
      log(`${seed.address} ${folder}: ${st.messages} messages, UIDNEXT ${st.uidNext}`);
    }
  }
  return { folders, ms: Date.now() - started };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const count = Number(args.find((a) => /^\d+$/.test(a)));
  const usersAt = args.indexOf('--users');
  if (!Number.isInteger(count)) {
    console.error('usage: node lab/fill.ts <count per folder> [--users a@x,b@y] [--empty]');
    process.exit(2);
  }
  fillMailboxes({
    count,
    users: usersAt >= 0 ? args[usersAt + 1]?.split(',') : undefined,
    empty: args.includes('--empty'),
    log: (l) => console.log(`  ${l}`),
  }).then(
    (r) => console.log(`filled ${r.folders.length} folder(s) in ${(r.ms / 1000).toFixed(1)} s`),
    (err: Error) => {
      console.error(`fill: ${err.message}`);
      process.exit(1);
    },
  );
}
