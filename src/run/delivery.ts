import { domainOf, fromAddress, type Seed } from '../config/index.ts';
import { buildEvidence } from '../evidence/index.ts';
import type { ProviderTrust } from '../evidence/index.ts';
import { isPresetId, PRESETS, type ProviderPreset } from '../knowledge/providers.ts';
import type { BounceRecord, Placement, SentMessage } from '../model.ts';
import type { Delivery } from './types.ts';
import { withoutLeadingCode } from '../shared/clip.ts';
import { loginFix, loginRefusal } from '../send/index.ts';
import type { WatchResult } from '../watch/index.ts';
import { rejectionRecord } from '../watch/index.ts';
import { bounceRecordFromLog, serverLogSummary, type SenderSide } from '../server-log/index.ts';

/**
 * How to tell the provider's own Authentication-Results from forged ones. Between the
 * provider's acceptance Received and the sender server's Received only the provider wrote
 * (RFC 5321 §4.4: every hop prepends), so results there are trusted for every provider (Gmail
 * writes them exactly there). The provider's host names come with its preset unless the seed
 * names its own authserv-ids (then they are derived from those).
 */
export function trustFor(seed: Seed): Omit<ProviderTrust, 'authservIds'> {
  const preset: ProviderPreset | undefined = isPresetId(seed.provider) ? PRESETS[seed.provider] : undefined;
  const ownIds = preset?.authservIds ?? [];
  const overridden = seed.authservIds.some((id) => !ownIds.includes(id));
  return {
    trustDirectlyBelowReceived: true,
    receivedBy: overridden ? undefined : preset?.receivedBy,
    acceptMissingAuthservId: overridden ? false : preset?.acceptMissingAuthservId,
  };
}

/**
 * The status and the receiver's reply, the status once: a reply quoted from the SMTP dialogue
 * carries its enhanced status code after the reply code (RFC 3463 §2, "554 5.7.1 …").
 */
function replyWithStatus(b: BounceRecord, missing = ''): string {
  const diagnostic = b.diagnostic ?? missing;
  if (!b.status) return diagnostic;
  const quoted = new RegExp(`(?<![\\d.])${b.status.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d]|\\.\\d)`).test(diagnostic);
  return quoted ? diagnostic : `${b.status} ${diagnostic}`;
}

function adviceLine(b: BounceRecord): string {
  const a = b.advice[0];
  return a ? ` — ${a.meaning} What to do: ${a.action}` : '';
}

/**
 * Turns what happened to one message into its Delivery record and verdict. Pure.
 * A seed not mailed (its mailbox could not be read before sending) and submission problems decide
 * first (the message never left), then a sighting in the seed
 * mailbox, then a DSN that came back, then the sending server's log (a refusal it shows
 * within seconds, where a DSN may take days), then delay reports.
 */
export function deliveryFrom(input: {
  seed: Seed;
  sent: SentMessage;
  expected: Placement;
  lab: boolean;
  watch?: WatchResult;
  bounce?: BounceRecord | null;
  deferrals?: BounceRecord[];
  /** the message's lines in the sending server's log, found by its queue id */
  serverLog?: SenderSide;
}): Delivery {
  const { seed, sent, expected, lab, watch } = input;
  const logRecord = input.serverLog ? bounceRecordFromLog(input.serverLog, sent.to) : undefined;
  // a DSN that came back wins; else a final refusal in the server's log counts as one
  const bounce = input.bounce ?? (logRecord?.state === 'bounced' ? logRecord : undefined);
  const deferrals = input.deferrals?.length ? input.deferrals : undefined;
  const base = {
    lab,
    runId: sent.runId,
    seedId: seed.id,
    provider: seed.provider,
    variant: sent.variant,
    ...(sent.path ? { path: sent.path } : {}),
    tag: sent.tag,
    ...(sent.queueId ? { queueId: sent.queueId } : {}),
    expected,
    sent,
    deferrals,
    ...(input.serverLog ? { serverLog: serverLogSummary(input.serverLog, sent.to) } : {}),
  };
  // nothing was sent to a seed whose mailbox refused the login or could not be reached before sending
  if (sent.seedUnreadable)
    return { ...base, verdict: 'seed-unreachable', detail: `seed mailbox could not be read before sending, so nothing was sent to it: ${sent.seedUnreadable}` };
  if (sent.submitError) {
    const e = sent.submitError;
    const code = [e.responseCode, e.enhancedStatus].filter(Boolean).join(' ');
    if (e.kind === 'rejected') {
      const record = rejectionRecord({ message: e.message, responseCode: e.responseCode, enhancedStatus: e.enhancedStatus, at: sent.submittedAt });
      return {
        ...base,
        verdict: 'rejected',
        bounce: record,
        detail: `your server refused the message at ${e.command ?? 'submission'}: ${code ? `${code} ` : ''}${withoutLeadingCode(e.message, code)}${adviceLine(record)}`,
      };
    }
    const detail = e.login
      ? `could not submit: ${loginRefusal(e.login, e.command, e.message)}; fix: ${loginFix(e.login)}`
      : `could not submit to your server${e.command ? ` (${e.command})` : ''}: ${e.message}`;
    return { ...base, verdict: 'send-failed', detail };
  }
  if (watch?.status === 'found') {
    const s = watch.sighting;
    const evidence = s.rawHeaders
      ? buildEvidence({
          rawHeaders: s.rawHeaders,
          authservIds: seed.authservIds,
          trust: trustFor(seed),
          fromDomain: sent.senderDomain ?? domainOf(fromAddress(sent.from) ?? sent.from),
          submittedAt: sent.submittedAt,
          internalDate: s.internalDate,
        })
      : undefined;
    const after = s.internalDate ? Math.max(0, Math.round((s.internalDate - sent.submittedAt) / 100) / 10) : undefined;
    const family = evidence?.received.acceptance?.family;
    return {
      ...base,
      verdict: s.placement,
      sighting: s,
      evidence,
      detail: `found in ${s.folder}${after !== undefined ? ` ${after}s after submission` : ''}${sent.path ? ` (sent via path ${sent.path})` : ''}${family ? `, reached the provider over ${family === 'ipv6' ? 'IPv6' : 'IPv4'}` : ''}${deferrals ? ` after ${deferrals.length} delay report(s)` : ''}`,
    };
  }
  if (bounce && bounce.state !== 'deferred') {
    const where = bounce.remoteMta ? ` by ${bounce.remoteMta}` : '';
    const from = bounce.source === 'server-log' ? ` (your server's log, queue id ${sent.queueId})` : '';
    return {
      ...base,
      verdict: 'bounced',
      bounce,
      detail: `bounced${where}${from}: ${replyWithStatus(bounce, '(no diagnostic)')} [reason: ${bounce.reason}]${adviceLine(bounce)}`.replace(/\s+/g, ' '),
    };
  }
  if (!watch) return { ...base, verdict: 'missing', detail: 'not watched' };
  if (watch.status === 'unreachable') {
    return { ...base, verdict: 'seed-unreachable', detail: `seed mailbox could not be read after ${watch.attempts} attempt(s): ${watch.error}` };
  }
  if (deferrals) {
    const last = deferrals[deferrals.length - 1];
    return {
      ...base,
      verdict: 'deferred',
      bounce: last,
      detail: `still deferred after ${seed.timeoutSeconds}s: ${replyWithStatus(last)}${adviceLine(last)}`.replace(/\s+/g, ' '),
    };
  }
  if (logRecord?.state === 'deferred') {
    const summary = base.serverLog;
    return {
      ...base,
      verdict: 'deferred',
      bounce: logRecord,
      detail:
        `still deferred after ${seed.timeoutSeconds}s (your server's log, queue id ${sent.queueId}): ${summary?.headline ?? logRecord.diagnostic}${summary?.shape ? ` — ${summary.shape}` : ''}${adviceLine(logRecord)}`.replace(
          /\s+/g,
          ' ',
        ),
    };
  }
  return {
    ...base,
    verdict: 'missing',
    detail: `not found within ${seed.timeoutSeconds}s in ${watch.searched.length} folder(s): ${watch.searched.join(', ')}`,
  };
}
