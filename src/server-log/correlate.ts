/**
 * Ties the events of one queue id together into the message's trail: who sent it, each
 * delivery attempt per recipient (relay, address family, delays, dsn, status, the remote's
 * reply and what it means), the DSNs the server wrote about it, and when it left the queue.
 *
 * Memory stays bounded on any log size: a trail is handed to `onDone` and dropped when its
 * message leaves the queue (Postfix `removed`, Exim `Completed`); only trails asked for by
 * queue id or Message-ID are kept; at most `maxOpen` trails are open at once (the oldest is
 * handed on and counted as evicted).
 */
import { assessReply, type Assessment } from './assess.ts';
import type { AttemptFields, LogEvent, RemoteReply } from './types.ts';

export interface Attempt extends AttemptFields {
  at?: number;
  /** the classifier's reading of a refusal (every status but `sent`) */
  assessment?: Assessment;
}

export interface MessageTrail {
  queueId: string;
  firstAt?: number;
  lastAt?: number;
  /** envelope sender; '' is the null sender `<>` (RFC 5321 §4.5.5: DSNs and auto-replies) */
  from?: string;
  size?: number;
  nrcpt?: number;
  messageId?: string;
  /** submitting client (`host[ip]`) and login, or `local` for mail written on the server */
  client?: string;
  user?: string;
  local?: boolean;
  attempts: Attempt[];
  /** answers logged between attempts (the next MX was tried after these) */
  notices: Array<{ at?: number; reply: RemoteReply; assessment: Assessment }>;
  /** DSNs the server wrote about this message */
  notifications: Array<{ at?: number; type: 'non-delivery' | 'delay' | 'success'; newQueueId?: string }>;
  /** this message is itself a DSN the server wrote, about message `dsnOf` */
  dsnOf?: string;
  expiredAt?: number;
  removedAt?: number;
}

export interface CorrelatorOptions {
  /** queue ids and Message-IDs (without angle brackets) whose trails are kept after they finish */
  keep?: Iterable<string>;
  /** called once per trail when its message leaves the queue, is evicted, or at `finish()` */
  onDone?: (trail: MessageTrail) => void;
  maxOpen?: number;
}

const MAX_PENDING_DSN = 10_000;

export class Correlator {
  readonly kept = new Map<string, MessageTrail>();
  evicted = 0;
  private readonly open = new Map<string, MessageTrail>();
  private readonly keep: Set<string>;
  private readonly onDone?: (trail: MessageTrail) => void;
  private readonly maxOpen: number;
  /** DSN queue ids announced before their own first line */
  private readonly pendingDsn = new Map<string, string>();

  constructor(opts: CorrelatorOptions = {}) {
    this.keep = new Set([...(opts.keep ?? [])].map((k) => k.replace(/^<|>$/g, '')));
    this.onDone = opts.onDone;
    this.maxOpen = opts.maxOpen ?? 200_000;
  }

  /** the trail of a queue id, open or kept */
  get(queueId: string): MessageTrail | undefined {
    return this.open.get(queueId) ?? this.kept.get(queueId);
  }

  /** the trail whose Message-ID is `messageId` (with or without angle brackets) */
  byMessageId(messageId: string): MessageTrail | undefined {
    const id = messageId.replace(/^<|>$/g, '');
    for (const t of this.kept.values()) if (t.messageId === id) return t;
    for (const t of this.open.values()) if (t.messageId === id) return t;
    return undefined;
  }

  private trail(queueId: string, at: number | undefined): MessageTrail {
    let t = this.open.get(queueId);
    if (!t) {
      const done = this.kept.get(queueId);
      if (done) t = done;
      else {
        t = { queueId, attempts: [], notices: [], notifications: [] };
        const of = this.pendingDsn.get(queueId);
        if (of) {
          t.dsnOf = of;
          this.pendingDsn.delete(queueId);
        }
        this.open.set(queueId, t);
        if (this.open.size > this.maxOpen) this.evictOldest();
      }
    }
    if (at !== undefined) {
      if (t.firstAt === undefined || at < t.firstAt) t.firstAt = at;
      if (t.lastAt === undefined || at > t.lastAt) t.lastAt = at;
    }
    return t;
  }

  private evictOldest(): void {
    const [id, t] = this.open.entries().next().value as [string, MessageTrail];
    this.open.delete(id);
    this.evicted++;
    this.finishTrail(t);
  }

  private finishTrail(t: MessageTrail): void {
    this.onDone?.(t);
    if (this.keep.has(t.queueId) || (t.messageId && this.keep.has(t.messageId))) this.kept.set(t.queueId, t);
  }

  add(ev: LogEvent): void {
    const t = this.trail(ev.queueId, ev.time);
    switch (ev.kind) {
      case 'queued':
        if (ev.from !== undefined) t.from = ev.from;
        if (ev.size !== undefined) t.size = ev.size;
        if (ev.nrcpt !== undefined) t.nrcpt = ev.nrcpt;
        break;
      case 'message-id':
        t.messageId = ev.messageId;
        break;
      case 'client':
        if (ev.client) t.client = ev.client;
        if (ev.user) t.user = ev.user;
        if (ev.local) t.local = true;
        break;
      case 'attempt': {
        const { kind: _k, queueId: _q, time, ...rest } = ev;
        const a: Attempt = { ...(time !== undefined ? { at: time } : {}), ...rest };
        if (a.status !== 'sent' && a.reply) a.assessment = assessReply(a.reply, a.dsn);
        t.attempts.push(a);
        break;
      }
      case 'notice':
        t.notices.push({ ...(ev.time !== undefined ? { at: ev.time } : {}), reply: ev.reply, assessment: assessReply(ev.reply) });
        break;
      case 'notification':
        t.notifications.push({ ...(ev.time !== undefined ? { at: ev.time } : {}), type: ev.type, ...(ev.newQueueId ? { newQueueId: ev.newQueueId } : {}) });
        if (ev.newQueueId) this.markDsn(ev.newQueueId, ev.queueId);
        break;
      case 'bounce-of':
        t.dsnOf = ev.ofQueueId;
        break;
      case 'expired':
        t.expiredAt = ev.time ?? t.lastAt;
        if (ev.from !== undefined && t.from === undefined) t.from = ev.from;
        break;
      case 'removed':
        t.removedAt = ev.time ?? t.lastAt;
        if (this.open.get(t.queueId) === t) {
          this.open.delete(t.queueId);
          this.finishTrail(t);
        }
        break;
    }
  }

  private markDsn(newQueueId: string, of: string): void {
    const t = this.open.get(newQueueId) ?? this.kept.get(newQueueId);
    if (t) {
      t.dsnOf = of;
      return;
    }
    if (this.pendingDsn.size >= MAX_PENDING_DSN) this.pendingDsn.delete(this.pendingDsn.keys().next().value as string);
    this.pendingDsn.set(newQueueId, of);
  }

  /** Hands every still-open trail (messages still queued when the log ends) to `onDone`. */
  finish(): void {
    for (const t of this.open.values()) this.finishTrail(t);
    this.open.clear();
  }
}
