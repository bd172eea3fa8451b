import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Sender, SenderConfig, SmtpPath } from '../config/index.ts';
import type { SentMessage, SubmitError, SubmitLogin } from '../model.ts';
import { redact } from '../shared/redact.ts';
import { parseQueueId } from './queue-id.ts';
import { messageTag } from './tag.ts';
import { composeMessage } from './compose.ts';

export interface Planned {
  seedId: string;
  to: string;
  variant: string;
  /** name of the submission path (SMTP_PATHS) to send through; absent = the default path */
  path?: string;
  /** sender id (src/send/matrix.ts); absent when the run has one sender */
  sender?: string;
  /** position in the run's full seeds × variants matrix: keeps tags unique across shards */
  index?: number;
  /** ms after the start of sending before this message may leave (politeness pacing) */
  notBefore?: number;
  /** the seed's mailbox could not be read (src/watch/seed-probe.ts): the message is composed, not sent */
  unreadable?: string;
}

export type TransportFactory = (options: Record<string, unknown>) => Pick<Transporter, 'sendMail' | 'close'>;

/**
 * nodemailer options for the user's submission server; one pooled connection per path for the
 * whole run. `path` overrides host and port (a named endpoint of SMTP_PATHS); its `servername`
 * keeps certificate checks on the server's name when the path is an address literal.
 */
export function transportOptions(smtp: SenderConfig['smtp'], path?: SmtpPath): Record<string, unknown> {
  return {
    pool: true,
    // One connection per run: the big providers count connections, and so does the user's own server.
    maxConnections: 1,
    maxMessages: Infinity,
    host: path?.host ?? smtp.host,
    port: path?.port ?? smtp.port,
    ...(path?.servername ? { servername: path.servername } : {}),
    secure: smtp.tls === 'implicit',
    requireTLS: smtp.tls === 'starttls',
    ignoreTLS: smtp.tls === 'none',
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass } : undefined,
    tls: {
      rejectUnauthorized: smtp.rejectUnauthorized,
      minVersion: 'TLSv1.2',
      // `ca` replaces Node's trust store, so the extra CA is added to the system roots, not instead of them
      ...(smtp.caFile ? { ca: [...rootCertificates, readFileSync(smtp.caFile, 'utf8')] } : {}),
    },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  };
}

/**
 * Tells a rejection of the message (the server said no to MAIL/RCPT/DATA: a finding about
 * the user's setup) from a failure to submit at all (no connection, TLS or login failure,
 * connection dropped mid-DATA).
 */
export function submitErrorFrom(err: unknown): SubmitError {
  const e = err as { code?: string; responseCode?: number; response?: string; command?: string; message?: string };
  const text = redact(String(e.response || e.message || err));
  const enhanced = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
  const messageCommand = /^(MAIL|RCPT|DATA)/i.test(e.command ?? '') || e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
  const kind: SubmitError['kind'] = typeof e.responseCode === 'number' && e.responseCode >= 400 && messageCommand ? 'rejected' : 'send-failed';
  return { kind, command: e.command, responseCode: e.responseCode, enhancedStatus: enhanced, message: text };
}

/** A refused login (nodemailer's EAUTH, or a reply to AUTH): the password or user is wrong, not the network. */
export function isLoginRefusal(err: unknown): boolean {
  const e = err as { code?: string; command?: string };
  return e.code === 'EAUTH' || /^AUTH\b/i.test(e.command ?? '');
}

/** The endpoint a planned message leaves through: its named path, else the default one. */
export function pathFor(sender: Pick<SenderConfig, 'smtp' | 'paths'>, name: string | undefined): SmtpPath | undefined {
  if (name) return sender.paths.find((p) => p.name === name);
  return sender.paths.find((p) => !p.name) ?? (sender.smtp.host ? { host: sender.smtp.host, port: sender.smtp.port } : sender.paths[0]);
}

/**
 * The submission settings as one sender of the senders file sees them: its From, envelope
 * sender and login; the server, TLS and paths are the run's. Without a sender, the run's own.
 */
export function senderView(config: SenderConfig, sender: Sender | undefined): SenderConfig {
  if (!sender) return config;
  return {
    ...config,
    from: sender.from,
    envelopeFrom: sender.envelopeFrom,
    smtp: { ...config.smtp, user: sender.login.user, pass: sender.login.pass },
    // a link to the sender's own domain unless MAILCANARY_LINK_URL names one: a foreign link domain is a spam signal
    linkUrl: config.linkUrlSet ? config.linkUrl : `https://${sender.domain}/`,
  };
}

/**
 * Sends one tagged message per planned (seed, sender, variant, path) through one pooled
 * connection per submission login and path. Never throws for a message: each failure is
 * recorded on its SentMessage.
 */
export async function sendAll(opts: {
  sender: SenderConfig;
  /** the run's senders; a planned message's `sender` names one of them */
  senders?: Sender[];
  runId: string;
  plan: Planned[];
  transport?: TransportFactory;
  now?: () => number;
}): Promise<SentMessage[]> {
  const { runId, plan } = opts;
  const now = opts.now ?? Date.now;
  const factory: TransportFactory = opts.transport ?? ((o) => nodemailer.createTransport(o));
  const views = new Map((opts.senders ?? []).map((s) => [s.id, { sender: s, config: senderView(opts.sender, s) }]));
  // one pooled connection per login and path, opened when its first message is queued
  const transports = new Map<string, ReturnType<TransportFactory>>();
  const transportFor = (key: string, smtp: SenderConfig['smtp'], path: SmtpPath) => {
    let t = transports.get(key);
    if (!t) {
      t = factory(transportOptions(smtp, path));
      transports.set(key, t);
    }
    return t;
  };
  // Messages of a path go one after another (the pool has one connection anyway). When the
  // server cannot be reached or refuses the login, the rest of that path fails at once with the
  // same reason instead of each waiting out its own connection timeout.
  const chains = new Map<string, Promise<void>>();
  const broken = new Map<string, SubmitError>();
  try {
    return await Promise.all(
      plan.map(async (p, i): Promise<SentMessage> => {
        const tag = messageTag(runId, p.index ?? i);
        if (p.notBefore && p.notBefore > 0 && !p.unreadable) await new Promise((r) => setTimeout(r, p.notBefore));
        // a run with one sender names none in its plan: that one sender sends it
        const only = opts.senders?.length === 1 ? views.get(opts.senders[0].id) : undefined;
        const view = p.sender ? views.get(p.sender) : undefined;
        const sender = (view ?? only)?.config ?? opts.sender;
        const { content, envelopeFrom, messageId, mail } = composeMessage(sender, { tag, to: p.to, variant: p.variant, date: new Date(now()) });
        const base: SentMessage = {
          runId,
          tag,
          seedId: p.seedId,
          variant: p.variant,
          to: p.to,
          from: sender.from,
          envelopeFrom,
          messageId,
          subject: content.subject,
          submittedAt: 0,
          ...(p.path ? { path: p.path } : {}),
          ...(view ? { sender: view.sender.id, senderDomain: view.sender.domain, ...(view.sender.system ? { system: true } : {}) } : {}),
        };
        if (p.unreadable) return { ...base, submittedAt: now(), seedUnreadable: p.unreadable };
        if (p.sender && !view)
          return { ...base, submittedAt: now(), submitError: { kind: 'send-failed', command: 'CONN', message: `no sender '${p.sender}' in this run` } };
        const path = pathFor(sender, p.path);
        if (!path) {
          const message = `no submission path named '${p.path}': SMTP_PATHS names ${sender.paths.map((x) => x.name ?? '(default)').join(', ')}`;
          return { ...base, submittedAt: now(), submitError: { kind: 'send-failed', command: 'CONN', message } };
        }
        // a login is its own session at the server: messages of one login and path share a connection
        const key = `${sender.smtp.user ?? ''}\u0000${path.name ?? ''}`;
        const previous = chains.get(key) ?? Promise.resolve();
        let release!: () => void;
        chains.set(key, new Promise<void>((r) => (release = r)));
        await previous;
        const failedBefore = broken.get(key);
        if (failedBefore) {
          release();
          // a refused login holds for every message of that login: each says so in the same words
          const message = failedBefore.login ? failedBefore.message : `not attempted: ${failedBefore.message}`;
          return { ...base, submittedAt: now(), submitError: { ...failedBefore, message } };
        }
        try {
          const info = await transportFor(key, sender.smtp, path).sendMail(mail);
          // the server's queue id ties the message to its lines in the server's own log
          const queueId = parseQueueId((info as { response?: unknown } | undefined)?.response as string | undefined)?.queueId;
          return { ...base, submittedAt: now(), ...(queueId ? { queueId } : {}) };
        } catch (err) {
          const error = submitErrorFrom(err);
          if (isLoginRefusal(err)) error.login = loginOf(sender, view?.sender ?? only?.sender);
          if (error.kind === 'send-failed') broken.set(key, error);
          return { ...base, submittedAt: now(), submitError: error };
        } finally {
          release();
        }
      }),
    );
  } finally {
    for (const t of transports.values()) t.close();
  }
}

/** The login a message was submitted with, named by the variables the user sets. */
function loginOf(config: SenderConfig, sender: Sender | undefined): SubmitLogin {
  return {
    user: config.smtp.user ?? '',
    userEnv: sender?.login.userEnv ?? 'SMTP_USER',
    passwordEnv: sender?.login.passwordEnv ?? 'SMTP_PASS',
  };
}
