/**
 * The returned message (RFC 3464 §2: the third part, message/rfc822 or text/rfc822-headers, RFC
 * 6522 §3): its headers tell which test message bounced (Message-ID, our X-Mailcanary-Tag).
 * Header values come from a stranger's server: they are trimmed and length-capped, never executed.
 */
import { decodeWords, header, parseHeaderBlock, partText, splitHeadBody, type MimePart } from './mime.ts';
import { cleanAddress } from './rfc3464.ts';
import type { ReturnedMessage } from './types.ts';

const MAX_VALUE = 998; // RFC 5322 §2.1.1 line limit

export function readReturned(parts: MimePart[]): ReturnedMessage {
  let fields: Map<string, string[]> | undefined;
  const rfc822 = parts.find((p) => p.contentType === 'message/rfc822' || p.contentType === 'message/global');
  if (rfc822 && rfc822.children[0] && rfc822.children[0].headers.fields.size) fields = rfc822.children[0].headers.fields;
  if (!fields) {
    const hdrs = parts.find((p) => p.contentType === 'text/rfc822-headers' || p.contentType === 'message/global-headers');
    if (hdrs) fields = parseHeaderBlock(splitHeadBody(partText(hdrs)).head).fields;
  }
  const out: ReturnedMessage = { headers: null };
  const dsn = parts.find((p) => p.contentType === 'message/delivery-status');
  if (dsn) {
    const t = partText(dsn);
    const env = /^x-postfix-sender:\s*(?:rfc822;)?\s*(\S+)/im.exec(t);
    if (env) out.envelopeFrom = cleanAddress(env[1]);
    const id = /^original-envelope-id:\s*(\S+)/im.exec(t);
    if (id) out.envelopeId = id[1].slice(0, 200);
  }
  if (!fields) return out;
  return withHeaderFields(out, fields);
}

/** Returned headers copied inline into a plain-text bounce (qmail, Exim, Gmail notices). */
export function readReturnedText(original: string): Partial<ReturnedMessage> {
  const start = original.search(/^[A-Za-z][\w-]*:[ \t]/m);
  if (start < 0) return {};
  const h = parseHeaderBlock(splitHeadBody(original.slice(start, start + 64 * 1024)).head);
  if (!h.fields.size) return {};
  return withHeaderFields({ headers: null }, h.fields);
}

/** Copies the returned message's header fields, and the ones that identify it, into `out`. */
function withHeaderFields(out: ReturnedMessage, fields: Map<string, string[]>): ReturnedMessage {
  const headers: Record<string, string> = {};
  for (const [k, v] of fields) headers[k] = (v[0] ?? '').slice(0, MAX_VALUE);
  out.headers = headers;
  const h = { fields };
  const mid = header(h, 'message-id');
  if (mid) out.messageId = mid.trim().slice(0, MAX_VALUE);
  const tag = header(h, 'x-mailcanary-tag');
  if (tag) out.tag = tag.trim().slice(0, 200);
  const from = cleanAddress(header(h, 'from'));
  if (from) out.from = from;
  const to = cleanAddress(header(h, 'to'));
  if (to) out.to = to;
  const subject = header(h, 'subject');
  if (subject) out.subject = decodeWords(subject).slice(0, MAX_VALUE);
  return out;
}
