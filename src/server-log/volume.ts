/**
 * Outbound volume per sender identity (envelope `from=`) and per remote domain, and the share
 * of it that the server writes itself to strangers: DSNs and other null-sender mail
 * (RFC 3464, RFC 3834 auto-replies), DMARC aggregate reports (RFC 7489 §7.2) and SMTP TLS
 * reports (RFC 8460). Blocklists such as Spamhaus CSS list servers whose outbound mail is
 * mostly reports and bounces to addresses that never wrote to them.
 */
import type { MessageTrail } from './correlate.ts';
import { domainOf } from './privacy.ts';
import { isOutbound } from './outbound.ts';
import { TAG_PATTERN } from '../send/index.ts';

const TAG_ANYWHERE = new RegExp(TAG_PATTERN.source, 'g');

export type SelfGenerated = 'bounce' | 'null-sender' | 'dmarc-report' | 'tls-report' | 'auto-reply';

export interface VolumeRow {
  key: string;
  messages: number;
  recipients: number;
  selfGenerated: number;
}

export interface OutboundVolume {
  messages: number;
  recipients: number;
  bySender: VolumeRow[];
  byDomain: VolumeRow[];
  /**
   * every remote domain the window's outbound mail went to, sorted (`byDomain` keeps the 50
   * busiest): a domain in it was mailed, so its answer in this window is known; readings
   * recorded before this list existed lack it
   */
  domains?: string[];
  selfGenerated: { messages: number; share: number; byKind: Partial<Record<SelfGenerated, number>>; topDomains: VolumeRow[] };
  /** set when the self-written share is high enough to worry a blocklist */
  warning?: string;
}

/** What kind of self-written mail a message is, from its envelope sender and origin. */
export function selfGeneratedKind(trail: Pick<MessageTrail, 'from' | 'dsnOf'>): SelfGenerated | undefined {
  if (trail.dsnOf) return 'bounce';
  const from = trail.from;
  if (from === undefined) return undefined;
  if (from === '') return 'null-sender';
  const at = from.lastIndexOf('@');
  const local = (at >= 0 ? from.slice(0, at) : from).toLowerCase();
  if (/^(?:mailer-daemon|postmaster)$/.test(local)) return 'bounce';
  if (/dmarc/.test(local)) return 'dmarc-report';
  if (/^(?:tls-?rpt|tlsrpt|tls-?reports?|smtp-tls-report(?:s|ing)?|noreply-smtp-tls)/.test(local)) return 'tls-report';
  if (/auto-?reply|autoresponder|vacation|out-?of-?office/.test(local)) return 'auto-reply';
  return undefined;
}

export interface VolumeOptions {
  since?: number;
  until?: number;
  /** share of self-written outbound mail that gets a warning (with at least `warnMinMessages`) */
  warnShare?: number;
  warnMinMessages?: number;
}

type Counter = Map<string, VolumeRow>;

function bump(map: Counter, key: string, recipients: number, self: boolean): void {
  const row = map.get(key) ?? { key, messages: 0, recipients: 0, selfGenerated: 0 };
  row.messages++;
  row.recipients += recipients;
  if (self) row.selfGenerated++;
  map.set(key, row);
}

const sorted = (m: Counter, n = 50) => [...m.values()].sort((a, b) => b.messages - a.messages || a.key.localeCompare(b.key)).slice(0, n);

export class VolumeCollector {
  private messages = 0;
  private recipients = 0;
  private selfMessages = 0;
  private readonly byKind: Partial<Record<SelfGenerated, number>> = {};
  private readonly bySender: Counter = new Map();
  private readonly byDomain: Counter = new Map();
  private readonly selfDomains: Counter = new Map();
  private readonly opts: VolumeOptions;

  constructor(opts: VolumeOptions = {}) {
    this.opts = opts;
  }

  add(trail: MessageTrail): void {
    const { since, until } = this.opts;
    const at = trail.attempts.find((a) => isOutbound(a.transport, a.relay))?.at ?? trail.firstAt;
    if (at !== undefined && ((since !== undefined && at < since) || (until !== undefined && at > until))) return;
    const rcpts = new Set(trail.attempts.filter((a) => isOutbound(a.transport, a.relay)).map((a) => a.to.toLowerCase()));
    if (!rcpts.size) return;
    const kind = selfGeneratedKind(trail);
    this.messages++;
    this.recipients += rcpts.size;
    if (kind) {
      this.selfMessages++;
      this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    }
    // senders are the server's own identities (what the operator needs to see), shown as logged;
    // mailcanary's per-message envelope tag is folded so its test mail is one identity
    const sender = trail.from === undefined ? '(unknown)' : trail.from === '' ? '<>' : trail.from.toLowerCase().replace(TAG_ANYWHERE, '{tag}');
    bump(this.bySender, sender, rcpts.size, !!kind);
    const domains = new Map<string, number>();
    for (const r of rcpts) domains.set(domainOf(r), (domains.get(domainOf(r)) ?? 0) + 1);
    for (const [d, n] of domains) {
      bump(this.byDomain, d, n, !!kind);
      if (kind) bump(this.selfDomains, d, n, true);
    }
  }

  result(): OutboundVolume {
    const share = this.messages ? this.selfMessages / this.messages : 0;
    const warnShare = this.opts.warnShare ?? 0.2;
    const warnMin = this.opts.warnMinMessages ?? 10;
    const kinds = Object.entries(this.byKind)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    const warning =
      this.selfMessages >= warnMin && share >= warnShare
        ? `${this.selfMessages} of ${this.messages} outbound messages (${Math.round(share * 100)} %) are mail your server wrote itself (${kinds}); blocklists such as Spamhaus CSS list servers that mostly send reports and bounces to strangers: send DMARC/TLS reports only to domains that also send you mail, and reject at SMTP time instead of bouncing afterwards`
        : undefined;
    return {
      messages: this.messages,
      recipients: this.recipients,
      bySender: sorted(this.bySender),
      byDomain: sorted(this.byDomain),
      domains: [...this.byDomain.keys()].sort(),
      selfGenerated: { messages: this.selfMessages, share: +share.toFixed(4), byKind: { ...this.byKind }, topDomains: sorted(this.selfDomains, 20) },
      ...(warning ? { warning } : {}),
    };
  }
}
