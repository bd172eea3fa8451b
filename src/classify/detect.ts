/**
 * What kind of message is this? Feedback reports (RFC 5965 ARF), auto-replies (RFC 3834) and
 * ordinary mail are recognised before any bounce parsing, so that a vacation notice or an abuse
 * report is never counted as a bounce.
 */
import { header, type Headers, type MimePart } from './mime.ts';

/** RFC 5965 §3: multipart/report; report-type=feedback-report with a message/feedback-report part. */
export function isFeedbackReport(root: MimePart, parts: MimePart[]): boolean {
  // the report-type parameter decides, whatever multipart type a reporter put it on
  if ((root.params['report-type'] || '').toLowerCase() === 'feedback-report') return true;
  return parts.some((p) => p.contentType === 'message/feedback-report');
}

/**
 * Microsoft's Junk Mail Reporting Program (Outlook.com / Hotmail complaint feedback) does not use
 * RFC 5965: it sends multipart/mixed from staff@hotmail.com, Subject "complaint about message from
 * <ip>", with the complained-about message attached and its recipient in X-HmXmrOriginalRecipient
 * (https://sendersupport.olc.protection.outlook.com/pm/junkmail.aspx). Abuse reports of other
 * feedback loops without the ARF part say "This is an email abuse report" in their first line.
 */
export function isComplaintFeedback(root: MimePart, parts: MimePart[], subject: string): boolean {
  const from = (header(root.headers, 'from') || '').toLowerCase();
  if (/staff@hotmail\.com|complaints@email-abuse\.amazonses\.com/.test(from) && /complaint about message from/i.test(subject)) return true;
  return parts.some((p) => p !== root && !!header(p.headers, 'x-hmxmroriginalrecipient'));
}

/** The complained-about recipients of a Microsoft JMRP report. */
export function jmrpRecipients(parts: MimePart[]): string[] {
  return parts.flatMap((p) => p.headers.fields.get('x-hmxmroriginalrecipient') ?? []);
}

/** Feedback-Type of an ARF report (RFC 5965 §3.1), e.g. abuse, fraud, opt-out, auth-failure. */
export function feedbackType(text: string): string | undefined {
  const m = /^feedback-type:\s*([\w-]+)/im.exec(text);
  return m ? m[1].toLowerCase() : undefined;
}

/** Sender looks like a bounce daemon (RFC 3464 §2: DSNs use the null reverse-path). */
export function fromMailerDaemon(h: Headers): boolean {
  const from = (header(h, 'from') || '').toLowerCase();
  return /mailer-daemon|mail delivery (?:sub)?system|postmaster|mail administrator|mail-daemon|mailerdaemon|microsoftexchange|bounce|deliver/i.test(from);
}

const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery (?:status )?notification|delivery fail|failure notice|returned mail|mail delivery failed|delivery has failed|could not be delivered|non[- ]?delivery|nicht zustellbar|unzustellbar|delayed mail|warning: could not send|message not delivered|delivery report|rejected|bounce|mail system error|returned to sender|mail failure|error sending|delivery problem|undeliverable/i;

const BOUNCE_BODY =
  /(?:could not be delivered|undeliverable|delivery (?:has )?failed|permanent (?:fatal )?error|not delivered|delivery to the following|failed to deliver|unable to deliver|returned to sender|delivery status notification|message you sent|following (?:address|recipient)s?(?:\(es\))? (?:had|failed|could)|mail delivery (?:sub)?system|^error message below:)/im;

/** The body reads like a delivery failure report. */
export function bounceBody(text: string): boolean {
  return BOUNCE_BODY.test(text.slice(0, 20000));
}

export function bounceSubject(subject: string): boolean {
  return BOUNCE_SUBJECT.test(subject);
}

/**
 * RFC 3834 auto-responses: Auto-Submitted: auto-replied (§5.1), or the de facto headers
 * (X-Autoreply, X-Autorespond, Precedence: auto_reply, Microsoft X-Auto-Response-Suppress with an
 * "Automatic reply" subject) or vacation-style subjects — but never when the sender is a mailer
 * daemon (bounces also carry Auto-Submitted: auto-replied).
 */
export function isAutoReply(h: Headers, subject: string): boolean {
  const as = (header(h, 'auto-submitted') || '').toLowerCase();
  if (fromMailerDaemon(h) || bounceSubject(subject)) return false;
  // system mail to or from root (sudo's "security information for", cron) is not a person's reply
  if (/(?:^|[<\s])root@/i.test(header(h, 'from') ?? '') || /(?:^|[<\s])root@/i.test(header(h, 'to') ?? '') || /security information for/i.test(subject))
    return false;
  // RFC 3834 §5.1 and the IANA Auto-Submitted registry: auto-replied, auto-generated, auto-notified
  if (/^auto-(?:replied|generated|notified)/.test(as)) return true;
  if (/^\s*vacation\b/i.test(header(h, 'x-apple-action') ?? '')) return true;
  if (header(h, 'x-autoreply') || header(h, 'x-autorespond') || header(h, 'x-autoreply-from') || header(h, 'x-mail-autoreply')) return true;
  if (/auto_reply|autoreply/i.test(header(h, 'precedence') || '')) return true;
  return /^(?:auto:|auto(?:matic)?[ -]?(?:reply|response|antwort)|out of (?:the )?office|abwesenheit|vacation|absence|r[ée]ponse automatique|i am away|away from)/i.test(
    subject.trim(),
  );
}
