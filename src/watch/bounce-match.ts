import { adviceFor, parseBounce } from '../classify/index.ts';
import type { BounceRecipient, BounceReport } from '../classify/index.ts';
import type { BounceRecord } from '../model.ts';
import { TAG_PATTERN } from '../send/index.ts';

export interface MatchedBounce {
  tag: string;
  record: BounceRecord;
}

const HEADER_END = /\r?\n\r?\n/;

/** The header block of the DSN itself (not of the returned message). */
function outerHeaders(raw: string): string {
  const m = HEADER_END.exec(raw);
  return m ? raw.slice(0, m.index) : raw.slice(0, 8192);
}

function tagIn(text: string | undefined): string | null {
  if (!text) return null;
  return TAG_PATTERN.exec(text.toLowerCase())?.[0] ?? null;
}

/**
 * Reads one message from the bounce mailbox: is it a DSN (or a non-standard bounce) for one
 * of our test messages, and what does it say? Pure.
 *
 * Matching order: the envelope subaddress the DSN is addressed to (RFC 3464 §2: the DSN goes
 * to the envelope sender, which carries our tag), then our tag header in the returned
 * message (`message/rfc822` or `text/rfc822-headers`), then its Message-ID, then any mention.
 * Auto-replies (RFC 3834) and feedback reports (RFC 5965) are not bounces and return null.
 */
export function matchBounce(raw: Buffer | string, forAddress?: (tag: string) => string | undefined, now = Date.now()): MatchedBounce | null {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const report: BounceReport = parseBounce(raw);
  if (report.kind !== 'dsn' && report.kind !== 'nonstandard-bounce') return null;

  const headers = outerHeaders(text);
  const toLines = headers
    .split(/\r?\n(?![ \t])/)
    .filter((l) => /^(to|delivered-to|x-original-to|envelope-to):/i.test(l))
    .join('\n');
  let tag = tagIn(toLines);
  let matchedBy: BounceRecord['matchedBy'] = 'envelope';
  if (!tag && (tag = tagIn(report.returned.tag))) matchedBy = 'returned-tag';
  if (!tag && (tag = tagIn(report.returned.messageId))) matchedBy = 'message-id';
  if (!tag && (tag = tagIn(text.slice(0, 256 * 1024)))) matchedBy = 'text';
  if (!tag) return null;

  // A DSN may list several recipients; ours is the seed address the tag was sent to.
  const address = forAddress?.(tag)?.toLowerCase();
  const recipients = report.recipients;
  const rcpt: BounceRecipient | undefined =
    (address && recipients.find((r) => r.finalRecipient?.toLowerCase().includes(address))) ||
    recipients.find((r) => r.action === 'failed') ||
    recipients.find((r) => r.action === 'delayed') ||
    recipients[0];
  if (!rcpt) return null;
  const action = rcpt.action?.toLowerCase();
  if (action === 'delivered' || action === 'relayed' || action === 'expanded') return null;
  const delayed = action === 'delayed' || (rcpt.hardBounce === false && action !== 'failed');
  const diagnostic = rcpt.diagnosticCode;
  return {
    tag,
    record: {
      state: delayed ? 'deferred' : 'bounced',
      source: 'dsn',
      matchedBy,
      receivedAt: now,
      reason: rcpt.reason,
      hardBounce: rcpt.hardBounce,
      action: rcpt.action,
      status: rcpt.status,
      replyCode: rcpt.replyCode,
      diagnostic,
      remoteMta: rcpt.remoteMta,
      reportingMta: report.reportingMta,
      mtaModule: report.mtaModule,
      advice: adviceFor({ diagnostic: diagnostic ?? '', status: rcpt.status, replyCode: rcpt.replyCode, remoteMta: rcpt.remoteMta }),
    },
  };
}

/** The same record for a rejection at submission (nodemailer's SMTP error). */
export function rejectionRecord(input: { message: string; responseCode?: number; enhancedStatus?: string; at: number }): BounceRecord {
  const advice = adviceFor({ diagnostic: input.message, status: input.enhancedStatus, replyCode: input.responseCode });
  return {
    state: 'rejected',
    source: 'submission',
    receivedAt: input.at,
    reason: advice[0]?.reason ?? 'rejected',
    hardBounce: input.responseCode ? input.responseCode >= 500 : null,
    status: input.enhancedStatus,
    replyCode: input.responseCode,
    diagnostic: input.message,
    advice,
  };
}
