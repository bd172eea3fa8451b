/**
 * Collecting reports from the report mailbox (the `rua=` / `ruf=` / TLS-RPT `rua=mailto:`
 * address) over IMAP. The mailbox is opened with EXAMINE (RFC 3501 §6.3.2, read-only) and
 * messages are fetched with BODY.PEEK[] (§6.4.5), so no flag changes and nothing is moved or
 * deleted: the mailbox stays as the user's own mail client left it. Messages already read are
 * recognised by their Message-ID (from the envelope, before anything is downloaded), so each
 * report e-mail is downloaded and stored once, also when several shards or machines collect.
 *
 * Settings: `REPORTS_IMAP_HOST/PORT/USER/PASS/TLS/TLS_VERIFY/ALLOW_PLAINTEXT_AUTH/CA_FILE` (the same
 * rules as the bounce mailbox: TLS verified, no password in clear text unless allowed for a lab)
 * and `REPORTS_IMAP_MAILBOX` (default INBOX).
 */
import type { ImapFlow } from 'imapflow';
import { mailboxAccountFromEnv, type MailboxVariables } from '../config/index.ts';
import type { ConfigProblem } from '../config/index.ts';
import type { Seed } from '../config/index.ts';
import { createImapClient } from '../watch/index.ts';
import { bufferSource } from './decompress.ts';
import { importSource, type ImportOptions, type ImportOutcome } from './import.ts';
import type { ReportStore } from './store.ts';

export interface ReportMailbox {
  account: Seed;
  password: string;
  mailbox: string;
}

/** The report mailbox from the environment; `null` when REPORTS_IMAP_HOST is not set. */
export function reportMailboxFromEnv(env: Record<string, string | undefined>): { mailbox: ReportMailbox | null; problems: ConfigProblem[] } {
  if (!env.REPORTS_IMAP_HOST?.trim()) return { mailbox: null, problems: [] };
  const vars: MailboxVariables = {
    prefix: 'REPORTS',
    HOST: env.REPORTS_IMAP_HOST,
    PORT: env.REPORTS_IMAP_PORT,
    USER: env.REPORTS_IMAP_USER,
    PASS: env.REPORTS_IMAP_PASS,
    TLS: env.REPORTS_IMAP_TLS,
    TLS_VERIFY: env.REPORTS_IMAP_TLS_VERIFY,
    ALLOW_PLAINTEXT_AUTH: env.REPORTS_IMAP_ALLOW_PLAINTEXT_AUTH,
    CA_FILE: env.REPORTS_IMAP_CA_FILE,
  };
  const { account, password, problems } = mailboxAccountFromEnv(env, vars, { id: 'report-mailbox', name: 'report mailbox' });
  if (!account) {
    problems.push({
      field: 'REPORTS_IMAP_USER',
      message: 'REPORTS_IMAP_HOST is set but there is no user and password for it',
      fix: 'set REPORTS_IMAP_USER and REPORTS_IMAP_PASS (or SMTP_USER/SMTP_PASS)',
    });
    return { mailbox: null, problems };
  }
  return { mailbox: { account, password, mailbox: env.REPORTS_IMAP_MAILBOX?.trim() || 'INBOX' }, problems };
}

export interface CollectResult {
  outcomes: ImportOutcome[];
  /** messages in the mailbox, and how many were read before (skipped without downloading) */
  messages: number;
  alreadyRead: number;
}

/** Reads every report e-mail of the mailbox not read before and stores its reports. */
export async function collectFromImap(
  store: ReportStore,
  box: ReportMailbox,
  opts: ImportOptions & { client?: (account: Seed, password: string) => ImapFlow } = {},
): Promise<CollectResult> {
  const client = (opts.client ?? createImapClient)(box.account, box.password);
  const maxBytes = opts.maxBytes ?? 50 * 1024 * 1024;
  const outcomes: ImportOutcome[] = [];
  let messages: number;
  let alreadyRead = 0;
  await client.connect();
  try {
    const lock = await client.getMailboxLock(box.mailbox, { readOnly: true });
    try {
      const list: { uid: number; messageId: string | null; size: number }[] = [];
      if ((client.mailbox && client.mailbox.exists) || 0) {
        for await (const m of client.fetch('1:*', { uid: true, envelope: true, size: true })) {
          list.push({ uid: m.uid, messageId: m.envelope?.messageId?.trim() || null, size: m.size ?? 0 });
        }
      }
      messages = list.length;
      for (const m of list) {
        const where = `imap:${box.account.imap.user}/${box.mailbox}#${m.uid}`;
        if (m.messageId && store.messageSeen(m.messageId)) {
          alreadyRead++;
          continue;
        }
        if (m.size > maxBytes) {
          outcomes.push({
            source: where,
            status: 'error',
            kind: 'decompressed-too-large',
            detail: `${where}: the message is ${m.size} bytes, over the ${Math.round(maxBytes / 1048576)} MB limit (MAILCANARY_REPORTS_MAX_MB); left in the mailbox unread`,
          });
          continue;
        }
        const full = await client.fetchOne(String(m.uid), { source: true }, { uid: true });
        if (!full || !full.source) {
          outcomes.push({ source: where, status: 'error', kind: 'empty', detail: `${where}: the server sent no message body` });
          continue;
        }
        outcomes.push(...(await importSource(store, bufferSource(where, full.source), opts)));
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return { outcomes, messages, alreadyRead };
}
