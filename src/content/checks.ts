/**
 * Pre-send checks of one composed message, the ones receivers and users look at first. Pure:
 * the clock comes in as `now`, the facts from message.ts.
 */
import type { MessageFacts } from './message.ts';
import type { ContentCheck } from './types.ts';

/** Gmail clips a message whose HTML is larger than about 102 KB ("[Message clipped] View entire message"). */
export const GMAIL_CLIP_BYTES = 102 * 1024;
/** A Date this far ahead of the sender's clock is a misconfigured clock to receivers' rules (rspamd DATE_IN_FUTURE: 2 h; we warn earlier). */
const FUTURE_MS = 15 * 60_000;
const PAST_MS = 24 * 3600_000;

const outcome = (
  id: string,
  title: string,
  target: string,
  status: ContentCheck['status'],
  summary: string,
  fix?: string,
  details?: Record<string, unknown>,
): ContentCheck => ({
  id,
  title,
  target,
  status,
  summary,
  ...(fix ? { fix } : {}),
  ...(details ? { details } : {}),
});

export function checkSize(variant: string, m: MessageFacts): ContentCheck {
  const title = `${variant} › size under Gmail's 102 KB clipping`;
  const details = { size: m.size, htmlBytes: m.htmlBytes, limit: GMAIL_CLIP_BYTES };
  if (m.htmlBytes > GMAIL_CLIP_BYTES)
    return outcome(
      'size',
      title,
      variant,
      'fail',
      `the HTML part is ${Math.round(m.htmlBytes / 1024)} KB: Gmail clips it after 102 KB (the rest, and any unsubscribe link there, is hidden)`,
      'shrink the HTML: inline CSS once, drop comments and unused markup, link large content instead',
      details,
    );
  if (m.htmlBytes > GMAIL_CLIP_BYTES * 0.9)
    return outcome(
      'size',
      title,
      variant,
      'warn',
      `the HTML part is ${Math.round(m.htmlBytes / 1024)} KB, close to Gmail's 102 KB clipping`,
      'keep the HTML well below 102 KB',
      details,
    );
  return outcome(
    'size',
    title,
    variant,
    'pass',
    `${Math.round(m.size / 102.4) / 10} KB in all, HTML ${Math.round(m.htmlBytes / 102.4) / 10} KB`,
    undefined,
    details,
  );
}

/** RFC 2369 §3.2 List-Unsubscribe, RFC 8058 §3.1 one-click: an https URI and the exact POST body name. */
export function checkUnsubscribe(variant: string, m: MessageFacts, demandedBy: string[]): ContentCheck {
  const title = `${variant} › List-Unsubscribe with one-click (RFC 8058)`;
  const lu = m.headers['list-unsubscribe'];
  const post = m.headers['list-unsubscribe-post'];
  const uris = lu ? [...lu.matchAll(/<([^>]+)>/g)].map((x) => x[1]) : [];
  const https = uris.some((u) => /^https:\/\//i.test(u));
  const oneClick = post !== undefined && /^\s*List-Unsubscribe=One-Click\s*$/i.test(post);
  const details = { listUnsubscribe: lu ?? null, listUnsubscribePost: post ?? null, demandedBy };
  if (lu && https && oneClick)
    return outcome('unsubscribe', title, variant, 'pass', 'one-click unsubscribe offered (https URI and List-Unsubscribe-Post)', undefined, details);
  const missing = !lu ? 'no List-Unsubscribe header' : !https ? 'List-Unsubscribe has no https URI' : 'no "List-Unsubscribe-Post: List-Unsubscribe=One-Click"';
  if (!demandedBy.length)
    return outcome('unsubscribe', title, variant, 'pass', `${missing}; none of the seeds' providers demands one-click unsubscribe`, undefined, details);
  return outcome(
    'unsubscribe',
    title,
    variant,
    'warn',
    `${missing}: ${demandedBy.join(' and ')} ${demandedBy.length > 1 ? 'demand' : 'demands'} one-click unsubscribe of bulk senders (more than 5,000 messages a day); a monitor's own test mail is not bulk`,
    'for your bulk mail: add "List-Unsubscribe: <https://…>, <mailto:…>" and "List-Unsubscribe-Post: List-Unsubscribe=One-Click", both covered by the DKIM signature (RFC 8058 §3.1, §4)',
    details,
  );
}

export function checkRemoteImages(variant: string, m: MessageFacts): ContentCheck {
  const title = `${variant} › no remote images`;
  if (!m.remoteImages.length) return outcome('remote-images', title, variant, 'pass', 'no images loaded from the network');
  return outcome(
    'remote-images',
    title,
    variant,
    'warn',
    `${m.remoteImages.length} remote image(s), e.g. ${m.remoteImages[0]}: Outlook and many webmailers show them only after the reader allows it, and filters count tracking pixels`,
    'embed small images (cid:) or make the message readable without them',
    { images: m.remoteImages.slice(0, 20) },
  );
}

function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[#\w]+;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function checkTextHtmlBalance(variant: string, m: MessageFacts): ContentCheck {
  const title = `${variant} › text and HTML parts agree`;
  if (!m.html) return outcome('text-html', title, variant, 'pass', 'plain text only');
  const htmlText = visibleText(m.html);
  const text = m.text.replace(/\s+/g, ' ').trim();
  const details = { textChars: text.length, htmlTextChars: htmlText.length };
  if (!text)
    return outcome(
      'text-html',
      title,
      variant,
      'warn',
      'HTML without a text/plain alternative (rspamd MIME_HTML_ONLY, SpamAssassin MIME_HTML_ONLY)',
      'send multipart/alternative with a text part that says the same',
      details,
    );
  const ratio = Math.min(text.length, htmlText.length) / Math.max(text.length, htmlText.length, 1);
  if (ratio < 0.5)
    return outcome(
      'text-html',
      title,
      variant,
      'warn',
      `the text part has ${text.length} characters, the HTML ${htmlText.length}: parts that differ are a spam sign (rspamd R_PARTS_DIFFER)`,
      'make the text part a faithful version of the HTML',
      details,
    );
  return outcome('text-html', title, variant, 'pass', `text ${text.length} and HTML ${htmlText.length} characters`, undefined, details);
}

/** RFC 5322 §3.6.4: msg-id = "<" id-left "@" id-right ">"; receivers want a real domain on the right. */
export function checkMessageId(variant: string, m: MessageFacts): ContentCheck {
  const title = `${variant} › Message-ID receivers accept (RFC 5322 §3.6.4)`;
  const v = m.headers['message-id'];
  if (!v)
    return outcome(
      'message-id',
      title,
      variant,
      'fail',
      'no Message-ID: Gmail refuses or spam-files such mail (RFC 5322 §3.6.4 says SHOULD)',
      'let the submission library or server add one: <unique@your-domain>',
    );
  const mm = /^<([^<>@\s]+)@([^<>@\s]+)>$/.exec(v);
  if (!mm)
    return outcome('message-id', title, variant, 'fail', `Message-ID ${JSON.stringify(v.slice(0, 80))} is not <id-left@id-right>`, 'use <unique@your-domain>');
  const right = mm[2].toLowerCase();
  if (!right.includes('.') || right === 'localhost' || right.endsWith('.localdomain') || right.endsWith('.local'))
    return outcome(
      'message-id',
      title,
      variant,
      'warn',
      `Message-ID names ${right} on the right: not a domain of yours (rspamd MID_RHS_NOT_FQDN)`,
      'use your sending domain after the @',
      { messageId: v },
    );
  return outcome('message-id', title, variant, 'pass', `Message-ID ${v}`);
}

/** RFC 5322 §3.3 date-time with a numeric zone, close to the sender's clock. */
export function checkDate(variant: string, m: MessageFacts, now: number): ContentCheck {
  const title = `${variant} › Date receivers accept (RFC 5322 §3.3)`;
  const v = m.headers['date'];
  if (!v) return outcome('date', title, variant, 'fail', 'no Date header (RFC 5322 §3.6.1 requires it)', 'let the submission library add the Date');
  const shape =
    /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+[+-]\d{4}$/.test(
      v.replace(/\s*\([^)]*\)\s*$/, ''),
    );
  const t = Date.parse(v);
  if (!shape || Number.isNaN(t))
    return outcome(
      'date',
      title,
      variant,
      'fail',
      `Date ${JSON.stringify(v.slice(0, 60))} is not an RFC 5322 §3.3 date-time with a numeric zone`,
      'format it like "Tue, 01 Dec 2026 20:30:00 +0000"',
    );
  if (t - now > FUTURE_MS)
    return outcome(
      'date',
      title,
      variant,
      'fail',
      `Date is ${Math.round((t - now) / 60_000)} min in the future: receivers score that (rspamd DATE_IN_FUTURE)`,
      "fix the sending machine's clock (NTP)",
      { date: v },
    );
  if (now - t > PAST_MS)
    return outcome(
      'date',
      title,
      variant,
      'fail',
      `Date is ${Math.round((now - t) / 3600_000)} h in the past (rspamd DATE_IN_PAST)`,
      "fix the sending machine's clock (NTP)",
      { date: v },
    );
  return outcome('date', title, variant, 'pass', `Date ${v}`);
}
