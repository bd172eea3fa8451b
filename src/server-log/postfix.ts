/**
 * Postfix's log messages about a queued message (postconf(5), the daemons' man pages and
 * DEBUG_README's examples), keyed by the queue id in front:
 *   cleanup  `4Xyz: message-id=<…>`
 *   qmgr     `4Xyz: from=<…>, size=1234, nrcpt=1 (queue active)`, `4Xyz: removed`,
 *            `4Xyz: from=<…>, status=expired, returned to sender`
 *   smtp, lmtp, local, virtual, error, relay
 *            `4Xyz: to=<…>, [orig_to=<…>, ]relay=h[ip]:25, [conn_use=2, ]delay=1.2,
 *             delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok …)`
 *            `4Xyz: host h[ip] said: …`, `4Xyz: host h[ip] refused to talk to me: …`,
 *            `4Xyz: connect to h[ip]:25: …` (logged before the next MX is tried)
 *   bounce   `4Xyz: sender non-delivery notification: 5Abc`
 *   smtpd    `4Xyz: client=h[ip], sasl_method=PLAIN, sasl_username=u`
 *   pickup   `4Xyz: uid=0 from=<root>` (mail written on the server itself)
 * Pure.
 */
import type { AttemptStatus, LogEvent, LogRecord } from './types.ts';
import { parseRelay, postfixReply } from './remote-reply.ts';

const DAEMON = /(?:^|\/)(smtp|lmtp|qmgr|cleanup|bounce|smtpd|pickup|local|virtual|error|retry|discard|pipe|relay|postsuper|sendmail|postdrop)$/;
// classic ids are upper-case hex, long ids (postconf(5) enable_long_queue_ids) mixed-case
// alphanumerics; a lower-case word (`warning:`, `statistics:`) or NOQUEUE is never an id
const QUEUE_ID = /^(?!NOQUEUE:|[a-z]+:)([0-9A-Za-z]{5,20}): (.*)$/s;
const STATUSES = new Set(['sent', 'deferred', 'bounced', 'expired']);

/** The service name: `postfix/submission/smtpd` → `smtpd`; undefined for a non-Postfix program. */
export function postfixDaemon(program: string): string | undefined {
  return DAEMON.exec(program)?.[1];
}

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The `status=` part: `status=deferred (reason)`. The reason may itself hold parentheses
 * (`(in reply to RCPT TO command)`), so it runs to the last `)` of the line; a line cut off
 * by syslog has no closing one.
 */
function statusPart(rest: string): { status: string; reason?: string; truncated: boolean } | undefined {
  const i = rest.indexOf(', status=');
  const at = i >= 0 ? i + 9 : rest.startsWith('status=') ? 7 : -1;
  if (at < 0) return undefined;
  const m = /^(\w+)(?: \((.*))?$/s.exec(rest.slice(at));
  if (!m) return undefined;
  if (m[2] === undefined) return { status: m[1], truncated: false };
  const closed = m[2].endsWith(')');
  return { status: m[1], reason: closed ? m[2].slice(0, -1) : m[2], truncated: !closed };
}

function attempt(queueId: string, daemon: string, rest: string, time: number | undefined): LogEvent | undefined {
  const to = /^to=<([^>]*)>/.exec(rest);
  const st = statusPart(rest);
  if (!to || !st) return undefined;
  // the fields before status= (the reason after it is the remote's free text)
  const head = rest.slice(0, rest.indexOf(', status=') + 1);
  const origTo = /, orig_to=<([^>]*)>/.exec(head)?.[1];
  const relayValue = /, relay=([^,\s]+)/.exec(head)?.[1];
  const delays = /, delays=([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(head);
  const status: AttemptStatus = STATUSES.has(st.status) ? (st.status as AttemptStatus) : 'other';
  // built field by field: this runs once per delivery line of a possibly huge log
  const ev: Extract<LogEvent, { kind: 'attempt' }> = { kind: 'attempt', queueId, time, transport: daemon, to: to[1], status };
  if (origTo !== undefined) ev.origTo = origTo;
  if (relayValue) {
    const relay = parseRelay(relayValue);
    if (relay) ev.relay = relay;
  }
  const delay = num(/, delay=([\d.]+)/.exec(head)?.[1]);
  if (delay !== undefined) ev.delay = delay;
  if (delays) ev.delays = { beforeQueue: +delays[1], inQueue: +delays[2], connect: +delays[3], transmit: +delays[4] };
  const dsn = /, dsn=(\d\.\d{1,3}\.\d{1,3})/.exec(head)?.[1];
  if (dsn) ev.dsn = dsn;
  if (st.reason !== undefined) ev.reply = postfixReply(st.reason);
  if (st.truncated) ev.truncated = true;
  return ev;
}

/**
 * Events of one Postfix log record; [] for a Postfix line of no interest, null when the
 * program is not Postfix at all.
 */
export function postfixEvents(rec: LogRecord): LogEvent[] | null {
  const daemon = postfixDaemon(rec.program);
  if (!daemon) return null;
  const m = QUEUE_ID.exec(rec.message);
  if (!m) return [];
  const [, queueId, rest] = m;
  const time = rec.time;
  if (rest.startsWith('to=<')) {
    const a = attempt(queueId, daemon, rest, time);
    return a ? [a] : [];
  }
  if (rest.startsWith('message-id=')) {
    const id = /^message-id=<?([^>\s]*)>?/.exec(rest)?.[1];
    return id ? [{ kind: 'message-id', queueId, time, messageId: id }] : [];
  }
  if (rest.startsWith('from=<')) {
    // a line cut inside the address (a truncated journal record) carries no sender to report
    const from = /^from=<([^>]*)>/.exec(rest)?.[1];
    if (from === undefined) return [];
    if (/, status=expired\b/.test(rest)) return [{ kind: 'expired', queueId, time, from }];
    return [{ kind: 'queued', queueId, time, from, size: num(/, size=(\d+)/.exec(rest)?.[1]), nrcpt: num(/, nrcpt=(\d+)/.exec(rest)?.[1]) }];
  }
  if (rest === 'removed') return [{ kind: 'removed', queueId, time }];
  if (rest.startsWith('client=')) {
    const user = /, sasl_username=([^,\s]+)/.exec(rest)?.[1];
    return [{ kind: 'client', queueId, time, client: /^client=([^,\s]+)/.exec(rest)?.[1], ...(user ? { user } : {}) }];
  }
  if (rest.startsWith('uid=')) return [{ kind: 'client', queueId, time, local: true, user: `uid ${/^uid=(\d+)/.exec(rest)?.[1] ?? '?'}` }];
  const n = /^sender (non-delivery|delay|delivery status) notification: ([0-9A-Za-z]+)/.exec(rest);
  if (n) {
    const type = n[1] === 'non-delivery' ? 'non-delivery' : n[1] === 'delay' ? 'delay' : 'success';
    return [{ kind: 'notification', queueId, time, type, newQueueId: n[2] }];
  }
  if (/^(?:host \S+ (?:said|refused to talk to me):|connect to |lost connection with |conversation with )/.test(rest)) {
    return [{ kind: 'notice', queueId, time, reply: postfixReply(rest) }];
  }
  return [];
}
