/**
 * Bounce formats that are not text reports at all, or whose text alone misleads the generic rules:
 * Amazon SES notifications delivered as JSON (SNS e-mail subscriptions), fml mailing-list refusals,
 * Google Groups and Verizon/Apache James notices, and the Exim per-address failure blocks.
 * Pure functions; each returns undefined when the message is not of its format.
 */
import { classify, hardOrSoft } from './classify.ts';
import { sesSubtypeReason, tableReason } from './lhost.ts';
import { cleanAddress } from './rfc3464.ts';
import { findReplyCode, preferStatus } from './status.ts';
import { squash } from './textscan.ts';
import type { BounceRecipient, Reason } from './types.ts';

interface SesRecipient {
  emailAddress?: string;
  action?: string;
  status?: string;
  diagnosticCode?: string;
}
interface SesNotification {
  notificationType?: string;
  eventType?: string;
  bounce?: { bounceType?: string; bounceSubType?: string; bouncedRecipients?: SesRecipient[]; reportingMTA?: string };
  complaint?: { complainedRecipients?: SesRecipient[]; complaintFeedbackType?: string };
  delivery?: { recipients?: string[]; smtpResponse?: string; reportingMTA?: string };
}

export interface SesResult {
  kind: 'dsn' | 'feedback';
  recipients: BounceRecipient[];
  feedbackType?: string;
  reportingMta?: string;
}

/** The JSON object in an SNS/SES notification body; SNS wraps long lines with "!\n ". */
function sesJson(body: string): SesNotification | undefined {
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(body.slice(start, end + 1).replace(/!\n /g, ''));
  } catch {
    return undefined;
  }
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  // SNS envelope: { Type: "Notification", Message: "<json string>" }
  if (typeof o.Message === 'string') {
    try {
      return JSON.parse(o.Message) as SesNotification;
    } catch {
      return undefined;
    }
  }
  return o as SesNotification;
}

/** Amazon SES bounce/complaint/delivery notification (JSON), as sent to an SNS e-mail subscriber. */
export function parseSesNotification(body: string): SesResult | undefined {
  if (!/\\?"(?:notificationType|eventType)\\?"/.test(body)) return undefined;
  const n = sesJson(body);
  const type = (n?.notificationType ?? n?.eventType ?? '').toLowerCase();
  if (!n || !type) return undefined;
  if (type === 'complaint') {
    const list = n.complaint?.complainedRecipients ?? [];
    return {
      kind: 'feedback',
      feedbackType: n.complaint?.complaintFeedbackType,
      recipients: list.map((r) => ({ finalRecipient: cleanAddress(r.emailAddress) ?? '', reason: 'feedback', hardBounce: null })),
    };
  }
  if (type === 'delivery') {
    const resp = String(n.delivery?.smtpResponse ?? '');
    const status = preferStatus(undefined, resp);
    return {
      kind: 'dsn',
      reportingMta: n.delivery?.reportingMTA,
      recipients: (n.delivery?.recipients ?? []).map((a) => ({
        finalRecipient: cleanAddress(a) ?? '',
        action: 'delivered',
        status,
        replyCode: findReplyCode(resp, status),
        diagnosticCode: resp || undefined,
        reason: 'delivered',
        hardBounce: null,
      })),
    };
  }
  if (type !== 'bounce') return undefined;
  const transient = /transient/i.test(n.bounce?.bounceType ?? '');
  // SES's bounce subtype is its own reading of the reply; the generic ones (General) name no cause
  const subtype = sesSubtypeReason(n.bounce?.bounceSubType);
  return {
    kind: 'dsn',
    reportingMta: n.bounce?.reportingMTA?.replace(/^dsn;\s*/i, ''),
    recipients: (n.bounce?.bouncedRecipients ?? []).map((r) => {
      const diag = String(r.diagnosticCode ?? '').replace(/^smtp;\s*/i, '');
      const status = preferStatus(r.status, diag);
      const replyCode = findReplyCode(diag, status);
      const action = transient ? 'delayed' : (r.action ?? 'failed');
      const c = classify({ diagnostic: diag, status, replyCode, action });
      const reason = subtype ?? c.reason;
      return {
        finalRecipient: cleanAddress(r.emailAddress) ?? '',
        action,
        status,
        replyCode,
        diagnosticCode: diag || undefined,
        reason,
        hardBounce: subtype ? hardOrSoft(subtype, status, replyCode, action) : c.hardBounce,
      };
    }),
  };
}

/**
 * fml (a Japanese mailing-list manager) answers with a notice whose subject names the problem;
 * its Message-ID carries ".FML" and the body is prose, not a report.
 */
export function fmlReason(messageId: string, subject: string, body: string): Reason | undefined {
  if (!/\.FML[0-9A-F]*[.@]/i.test(messageId) && !/^fml\b/im.test(body)) return undefined;
  const own = tableReason('fml', squash(body.slice(0, 4000))) ?? tableReason('fml-subject', subject);
  if (own) return own;
  const t = `${subject}\n${body.slice(0, 2000)}`;
  if (/loop alert|duplicated message-id|mail loop/i.test(t)) return 'systemerror';
  if (/are not (?:a )?member|not a member of this mailing list|members? only|not allowed to post|deny(?:ed)? to post/i.test(t)) return 'rejected';
  if (/command error|invalid command|unknown command/i.test(t)) return 'syntaxerror';
  if (/too (?:big|large)|size limit/i.test(t)) return 'mesgtoobig';
  return undefined;
}

/**
 * Exim's report lists each failed address on its own indented line with the error indented below
 * it ("  addr\n    generated by ...\n    mailbox is full: retry timeout exceeded"). Returns the
 * error lines for each listed address (or delivery target: "pipe to |...", "save to /...").
 */
export function eximBlocks(report: string): Array<{ target: string; text: string }> {
  const at = report.search(/the following address(?:\(es\)|es)? failed:|following address failed:/i);
  if (at < 0) return [];
  const lines = report.slice(at).split('\n').slice(1);
  const out: Array<{ target: string; text: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^ {2}(\S.*)$/.exec(lines[i]);
    if (!m) {
      if (out.length && /^\S/.test(lines[i])) break;
      continue;
    }
    const body: string[] = [];
    while (i + 1 < lines.length && /^ {4,}\S/.test(lines[i + 1])) body.push(lines[++i].trim());
    out.push({ target: m[1].trim(), text: body.filter((l) => !/^generated by /i.test(l)).join(' ') });
  }
  return out;
}

/** Set a reason decided by a format rule, keeping hardBounce consistent. */
export function setReason(r: BounceRecipient, reason: Reason): void {
  r.reason = reason;
  r.hardBounce = hardOrSoft(reason, r.status, r.replyCode, r.action);
}
