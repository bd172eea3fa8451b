/**
 * parseBounce: raw message → BounceReport. Pure and total: any input, however malformed, yields
 * a report (kind `unknown` and reason `undefined` with a note at worst), never an exception.
 */
import { CAUSES, classify, hardOrSoft } from './classify.ts';
import { bounceBody, bounceSubject, feedbackType, fromMailerDaemon, isAutoReply, isComplaintFeedback, isFeedbackReport, jmrpRecipients } from './detect.ts';
import { decodeWords, header, parseMime, partText, walk, type MimePart } from './mime.ts';
import { mtaModule, mtaOverride } from './mta.ts';
import { eximBlocks, fmlReason, parseSesNotification, setReason } from './mta-formats.ts';
import { office365StatusReason, powerMtaCategoryReason, readFormat, tableReason, type FormatRead } from './lhost.ts';
import { providerReason } from './providers.ts';
import { readReturned, readReturnedText } from './returned.ts';
import { readSendmail, sendmailError, sendmailRecipients, type SendmailReport } from './lhost-sendmail.ts';
import { cleanAddress, looksLikeDsnFields, parseDeliveryStatus, type DsnRecipientFields } from './rfc3464.ts';
import { findReplyCode, preferStatus } from './status.ts';
import { cutOriginal, errorLines, findRecipients, squash } from './textscan.ts';
import type { BounceRecipient, BounceReport } from './types.ts';

/** mta.ts families that are providers running some MTA's software: their name outranks the layout's. */
const PROVIDER_MODULES = new Set(['GoogleGroups', 'Verizon', 'Office365', 'Yahoo', 'AmazonSES']);

/** Above this the input is cut: no bounce report needs more, and memory stays bounded. */
const MAX_INPUT = 8 * 1024 * 1024;

export function parseBounce(raw: Buffer | string): BounceReport {
  try {
    return parseUnsafe(raw);
  } catch (err) {
    return {
      kind: 'unknown',
      recipients: [],
      returned: { headers: null },
      notes: [`could not parse message: ${(err as Error)?.message ?? String(err)}`],
    };
  }
}

function toText(raw: Buffer | string): string {
  let s: string;
  if (typeof raw === 'string') s = raw.length > MAX_INPUT ? raw.slice(0, MAX_INPUT) : raw;
  else if (Buffer.isBuffer(raw)) s = raw.subarray(0, MAX_INPUT).toString('latin1');
  else s = String(raw ?? '');
  // mbox "From " line and CRLF are normalised away
  return s.replace(/\r\n?/g, '\n').replace(/^From [^\n]*\n/, '');
}

function parseUnsafe(raw: Buffer | string): BounceReport {
  const text = toText(raw);
  const notes: string[] = [];
  if (!text.trim()) {
    return { kind: 'unknown', recipients: [], returned: { headers: null }, notes: ['empty input: pass the full raw message (headers and body)'] };
  }
  const root = parseMime(text);
  const parts = walk(root);
  const subject = decodeWords(header(root.headers, 'subject') || '');
  const returned = readReturned(parts);

  if (isFeedbackReport(root, parts)) {
    const fbPart = parts.find((p) => p.contentType === 'message/feedback-report');
    const fbText = fbPart ? partText(fbPart) : text;
    const fbType = feedbackType(fbText);
    const rcpts = fbText.match(/^(?:original-rcpt-to|removal-recipient):\s*(.+)$/gim) ?? [];
    const list = rcpts.length ? rcpts.map((l) => cleanAddress(l.slice(l.indexOf(':') + 1)) ?? '') : [returned.to ?? ''];
    return {
      kind: 'feedback',
      mtaModule: 'ARF',
      feedbackType: fbType,
      returned,
      notes,
      recipients: list.map((a) => ({ finalRecipient: a, reason: 'feedback', hardBounce: null })),
    };
  }

  // Apple Mail's unsubscribe button mails the List-Unsubscribe address (RFC 2369 §3.2) and marks it
  // X-Apple-Unsubscribe: true: an opt-out from the recipient, not an auto-reply.
  if (/^\s*true\b/i.test(header(root.headers, 'x-apple-unsubscribe') ?? '')) {
    return {
      kind: 'feedback',
      mtaModule: 'ARF',
      feedbackType: 'opt-out',
      returned,
      notes,
      recipients: [{ finalRecipient: cleanAddress(header(root.headers, 'from')) ?? '', reason: 'feedback', hardBounce: null }],
    };
  }
  if (isComplaintFeedback(root, parts, subject)) {
    const list = jmrpRecipients(parts)
      .map((a) => cleanAddress(a) ?? '')
      .filter(Boolean);
    if (!list.length && returned.to) list.push(returned.to);
    return {
      kind: 'feedback',
      mtaModule: 'ARF',
      feedbackType: 'abuse',
      returned,
      notes,
      recipients: list.map((a) => ({ finalRecipient: a, reason: 'feedback', hardBounce: null })),
    };
  }

  const dsnPart = parts.find((p) => p.contentType === 'message/delivery-status' || p.contentType === 'message/global-delivery-status');
  const textParts = parts.filter(
    (p) => p.children.length === 0 && (p.contentType === 'text/plain' || p.contentType === 'text/html') && !insideReturned(p, parts),
  );
  const bodyText = textParts.map((p) => (p.contentType === 'text/html' ? htmlToText(partText(p)) : partText(p))).join('\n');
  const { report, original } = cutOriginal(bodyText);
  if (!returned.headers && original) Object.assign(returned, readReturnedText(original));
  const exclude = senderAddresses(root, returned.from);
  const format = readFormat(root.headers, subject, bodyText);
  const signed = mtaModule(root.headers, `${bodyText}\n${text}`);
  // a provider's own notice keeps the provider's name; otherwise the layout names the MTA
  const module = signed && PROVIDER_MODULES.has(signed) ? signed : (format?.name ?? signed);

  const ses = parseSesNotification(bodyText);
  if (ses && ses.recipients.length) {
    return {
      kind: ses.kind,
      recipients: ses.recipients,
      returned,
      notes,
      mtaModule: 'AmazonSES',
      reportingMta: ses.reportingMta,
      feedbackType: ses.feedbackType,
    };
  }
  const fml = fmlReason(header(root.headers, 'message-id') || '', subject, bodyText);
  if (fml) {
    const to = cleanAddress(header(root.headers, 'to')) ?? '';
    return {
      kind: 'nonstandard-bounce',
      mtaModule: 'fml',
      returned,
      notes,
      recipients: [{ finalRecipient: to, action: 'failed', diagnosticCode: squash(`${subject} ${report}`).slice(0, 1000), reason: fml, hardBounce: true }],
    };
  }

  let fields = dsnPart ? parseDeliveryStatus(partText(dsnPart)) : undefined;
  if ((!fields || !fields.recipients.length) && looksLikeDsnFields(bodyText)) {
    const f = parseDeliveryStatus(bodyText);
    if (f.recipients.length) fields = f;
  }

  const isBounceish = !!fields?.recipients.length || fromMailerDaemon(root.headers) || bounceSubject(subject) || root.contentType === 'multipart/report';
  if (!isBounceish && isAutoReply(root.headers, subject)) {
    return {
      kind: 'auto-reply',
      mtaModule: 'RFC3834',
      returned,
      notes,
      recipients: [{ finalRecipient: cleanAddress(header(root.headers, 'from')) ?? '', reason: 'vacation', hardBounce: null }],
    };
  }

  const textRcpts = findRecipients(report, exclude);
  const bounceLike = isBounceish || bounceBody(report);
  // Sendmail's transcript pairs each recipient with its own reply (lhost-sendmail.ts)
  const sendmail = format ? undefined : readSendmail(report);
  let recipients: BounceRecipient[];
  let kind: BounceReport['kind'];
  if (fields && fields.recipients.length) {
    kind = 'dsn';
    recipients = fields.recipients.map((f) => fromFields(f, textRcpts, report, fields.recipients.length, listed(format, f), sendmail));
  } else if (bounceLike || formatRecipients(format, returned.to).length) {
    kind = 'nonstandard-bounce';
    const own = formatRecipients(format, returned.to);
    const transcript = own.length || !sendmail ? [] : sendmailRecipients(sendmail);
    if (transcript.length > 1) {
      recipients = transcript.map((r) => fromText(r.address, r.text, r.command));
    } else {
      const failed = failedRecipients(root.headers).map((address) => ({ address, diagnostic: report }));
      const list = own.length ? own : textRcpts.length ? textRcpts : failed.length ? failed : returned.to ? [{ address: returned.to, diagnostic: report }] : [];
      if (!list.length) notes.push('no recipient address found in the bounce text');
      recipients = list.map((r) => fromText(r.address, r.diagnostic));
    }
    if (!recipients.length && report.trim()) recipients = [fromText('', report)];
  } else {
    return { kind: 'not-a-bounce', recipients: [], returned, notes: ['message is neither a DSN, a bounce, a feedback report nor an auto-reply'] };
  }

  // a clone of another MTA's layout (Mail.Ru's Exim) keeps that MTA's own rules
  const family = format?.like ?? module;
  if (family === 'Exim') refineExim(recipients, report);
  const where = `${fields?.reportingMta ?? ''} ${header(root.headers, 'from') ?? ''} ${report.slice(0, 8000)}`;
  recipients.forEach((r, i) => {
    const p = providerReason(
      `${r.remoteMta ?? ''} ${where}`,
      r.diagnosticCode ?? '',
      r.status,
      r.replyCode,
      report,
      `${r.remoteMta ?? ''} ${r.finalRecipient}`,
      fields?.reportingMta ?? '',
    );
    const mine = own(format, r.finalRecipient);
    // a category the sending MTA stated is its own verdict on the reply it got, but a coarse one:
    // an enhanced status code with a detail (RFC 3463 §3.1, other than X.0.0) says more
    const coarse = !r.status || /\.0\.0$/.test(r.status);
    const stated = kind === 'dsn' && coarse ? powerMtaCategoryReason(fields?.recipients[i]?.bounceCategory) : undefined;
    const o =
      stated ??
      mtaOverride(family, r, subject, mine ?? report, root.headers) ??
      p?.reason ??
      tableReason([module, format?.name, format?.like], squash(mine ?? r.diagnosticCode ?? '')) ??
      // Office 365's documented meaning of its code fills in where the reply text named no cause
      (module === 'Office365' && !CAUSES.has(r.reason) ? office365StatusReason(r.status) : undefined);
    if (o) {
      r.reason = o;
      r.hardBounce = hardOrSoft(o, r.status, r.replyCode, r.action);
    }
  });
  return {
    kind,
    recipients,
    returned,
    notes,
    mtaModule: module,
    reportingMta: fields?.reportingMta,
    arrivalDate: fields?.arrivalDate,
  };
}

/** The recipients a known MTA layout names, each with its own error lines (the returned To: when it names none). */
function formatRecipients(format: FormatRead | undefined, returnedTo: string | undefined): Array<{ address: string; diagnostic: string }> {
  if (!format) return [];
  if (format.fieldsOnly) return [];
  if (format.recipients.length) return format.recipients.map((r) => ({ address: r.address, diagnostic: r.text }));
  return returnedTo && !format.listsRecipients ? [{ address: returnedTo, diagnostic: format.text }] : [];
}

/** The error text a known MTA layout gives this recipient. */
function own(format: FormatRead | undefined, address: string): string | undefined {
  if (!format) return undefined;
  const r = format.recipients.find((x) => x.address.toLowerCase() === address.toLowerCase());
  return r ? r.text : format.recipients.length ? undefined : format.text || undefined;
}

/**
 * The error lines an MTA's layout lists for this DSN recipient (Messaging Server's "Recipient
 * address:" block, Mimecast's "-- " lines): that recipient's own words, where a generic search of
 * the text may take another recipient's.
 */
function listed(format: FormatRead | undefined, f: DsnRecipientFields): string | undefined {
  if (!format || format.fieldsOnly || !format.recipients.length) return undefined;
  const names = [f.finalRecipient, f.originalRecipient, f.actualRecipient].filter(Boolean).map((a) => a!.toLowerCase());
  return format.recipients.find((r) => names.includes(r.address.toLowerCase()))?.text || undefined;
}

function fromFields(
  f: DsnRecipientFields,
  textRcpts: Array<{ address: string; diagnostic: string }>,
  report: string,
  n: number,
  layout?: string,
  sendmail?: SendmailReport,
): BounceRecipient {
  const addr = f.finalRecipient || f.actualRecipient || f.originalRecipient || '';
  let diagnostic = f.diagnosticCode ? squash(f.diagnosticCode) : '';
  const bare = !diagnostic || diagnostic.length < 12 || /^[245]\d\d(?:\s+[245]\.\d+\.\d+)?$/.test(diagnostic);
  // several recipients and no Diagnostic-Code of their own: each one's lines of Sendmail's transcript
  const session = bare && n > 1 && sendmail ? sendmailError(sendmail, addr, f.remoteMta) : undefined;
  if (session) layout = session.text;
  const own = layout !== undefined ? { address: addr, diagnostic: layout } : textRcpts.find((r) => r.address.toLowerCase() === addr.toLowerCase());
  const context = own ? own.diagnostic : n === 1 ? report : undefined;
  if (bare) {
    // Missing or bare Diagnostic-Code: the human-readable part usually says more (RFC 3464 §2.3.6 is optional).
    const t = own ?? (textRcpts.length <= 1 ? textRcpts[0] : undefined);
    const extra = squash(layout ?? ((n === 1 && sendmailTranscript(report)) || errorLines(t ? t.diagnostic : report)));
    diagnostic = diagnostic ? `${diagnostic} ${extra}` : extra;
  }
  // an X-Unix Diagnostic-Code is the delivery program's exit status (sysexits.h), not a reply:
  // the reply and code then stand in the report's text (Sendmail savemail.c)
  const coded = f.diagnosticCode && !/^\s*\d*\s*$/.test(f.diagnosticCode) ? f.diagnosticCode : diagnostic;
  const status = preferStatus(f.status, coded, own ? own.diagnostic : n === 1 ? errorLines(report) : undefined);
  const replyCode = findReplyCode(coded, status);
  const c = classify({ diagnostic, status, replyCode, action: f.action, diagnosticType: f.diagnosticType, context, command: session?.command });
  return clean({
    finalRecipient: addr,
    originalRecipient: f.originalRecipient,
    action: f.action,
    status,
    remoteMta: f.remoteMta,
    diagnosticCode: f.diagnosticCode ?? (diagnostic || undefined),
    diagnosticType: f.diagnosticType,
    lastAttemptDate: f.lastAttemptDate,
    replyCode,
    reason: c.reason,
    hardBounce: c.hardBounce,
  });
}

function fromText(address: string, segment: string, command?: string): BounceRecipient {
  const focused = errorLines(segment);
  const diagnostic = squash(focused === segment ? segment : `${focused}\n${segment}`).slice(0, 4000);
  const status = preferStatus(undefined, focused);
  const replyCode = findReplyCode(focused, status) ?? findReplyCode(segment, status);
  const delayed =
    /\b(?:delayed|will (?:keep|continue) (?:trying|to try)|still trying|not yet been delivered|will be retried|temporary failure|is deferred)\b/i.test(segment);
  const c = classify({ diagnostic, status, replyCode, action: delayed ? 'delayed' : undefined, context: segment, command });
  return clean({
    finalRecipient: address,
    action: delayed ? 'delayed' : 'failed',
    status,
    replyCode,
    diagnosticCode: squash(focused).slice(0, 1000) || undefined,
    reason: c.reason,
    hardBounce: c.hardBounce,
  });
}

/** Exim: read each failed address's own indented error lines when the generic scan found nothing specific. */
function refineExim(recipients: BounceRecipient[], report: string): void {
  const blocks = eximBlocks(report);
  if (!blocks.length) return;
  recipients.forEach((r, i) => {
    const addr = r.finalRecipient.toLowerCase();
    const b = blocks.find((x) => addr && x.target.toLowerCase().includes(addr)) ?? (blocks.length === recipients.length ? blocks[i] : undefined);
    if (!b) return;
    const text = `${b.target} ${b.text}`.trim();
    const replyCode = r.replyCode ?? findReplyCode(b.text, r.status);
    if (replyCode !== undefined) r.replyCode = replyCode;
    if (r.reason !== 'onhold' && r.reason !== 'undefined') return;
    const c = classify({ diagnostic: text, status: r.status, replyCode, action: r.action });
    if (c.reason === 'onhold' || c.reason === 'undefined') return;
    r.diagnosticCode = text.slice(0, 1000);
    setReason(r, c.reason);
  });
}

/**
 * Sendmail's "----- Transcript of session follows -----" section (savemail.c): the delivery
 * agent's own words ("mail.local: unknown user: x") and the SMTP replies, up to the next banner
 * or the DSN fields that follow it.
 */
function sendmailTranscript(report: string): string | undefined {
  const at = report.search(/^[ \t]*-{3,}[ \t]*Transcript of session follows[ \t]*-{3,}[ \t]*$/im);
  if (at < 0) return undefined;
  const lines: string[] = [];
  for (const l of report.slice(at).split('\n').slice(1)) {
    // the section ends at the next banner, the DSN fields or the MIME boundary before them (RFC 2046 §5.1.1)
    if (
      /^\s*-{3,}.*-{3,}\s*$/.test(l) ||
      /^--\S+$/.test(l) ||
      /^(?:Content-Type|Reporting-MTA|Final-Recipient|Original-Recipient|Received-From-MTA|Arrival-Date):/i.test(l)
    )
      break;
    // a recipient's own line names it in angle brackets ("<a@b>... Deferred: ..."); a bare local
    // name ("user... Deferred: ...") is an alias expansion's line, not the recipient's error
    if (/^[^\s<>@]+\.\.\.\s/.test(l)) continue;
    if (l.trim()) lines.push(l);
  }
  return lines.length ? lines.join('\n') : undefined;
}

/**
 * X-Failed-Recipients (Exim deliver.c, also written by Google's mailer for Google Groups): the
 * failed addresses, comma-separated, when the report's text names none.
 */
function failedRecipients(h: MimePart['headers']): string[] {
  return (h.fields.get('x-failed-recipients') ?? [])
    .flatMap((v) => v.split(','))
    .map((a) => cleanAddress(a) ?? '')
    .filter((a) => a.includes('@'));
}

function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

function insideReturned(p: MimePart, parts: MimePart[]): boolean {
  for (const q of parts) {
    if ((q.contentType === 'message/rfc822' || q.contentType === 'message/global') && q !== p && walk(q).includes(p)) return true;
  }
  return false;
}

/** The bounce's own From/To and the original sender: never the failed recipient. */
function senderAddresses(root: MimePart, returnedFrom?: string): Set<string> {
  const s = new Set<string>();
  for (const name of ['to', 'from', 'return-path', 'reply-to']) {
    const a = cleanAddress(header(root.headers, name));
    if (a) s.add(a.toLowerCase());
  }
  if (returnedFrom) s.add(returnedFrom.toLowerCase());
  return s;
}

function htmlToText(html: string): string {
  return html
    .replace(/<(?:script|style)[\s\S]*?<\/(?:script|style)>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/tr>|<\/li>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
