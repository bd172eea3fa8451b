/**
 * Heuristics for bounces that are not RFC 3464 DSNs (qmail, Exim without DSN, old Sendmail,
 * Gmail/Yahoo/Exchange notices, mailing-list refusals…): find where the human-readable report
 * ends and the returned message begins, which addresses the report is about, and the error text
 * that belongs to each address.
 */
import { cleanAddress } from './rfc3464.ts';

/** Lines that start the copy of the returned message in common MTA formats. */
const ORIGINAL_MARKERS: RegExp[] = [
  /^[ \t]*-{2,}[ \t]*(?:original message|this is a copy of|below this line is a copy|undelivered message|returned message|forwarded message|unsent message|message header follows|headers? of (?:the )?(?:original|returned) message|original message header|the original message|included message)/im,
  /^[ \t]*-{3,}[ \t]*(?:the )?(?:original|returned|unsent|undelivered) (?:message|mail)/im,
  /^[ \t]*-+ ?(?:original message|returned mail|message text) ?-*$/im,
  /^[ \t]*(?:original message (?:headers|follows)|the original message was received(?! at )|------ this is a copy of the message)/im,
  /^content-type:[ \t]*(?:message\/rfc822|text\/rfc822-headers)/im,
  /^(?:return-path|received|dkim-signature|x-received|arc-seal|authentication-results):[ \t]/im,
];

/** Cut the report text at the start of the returned message. */
export function cutOriginal(text: string): { report: string; original: string } {
  let cut = text.length;
  for (const re of ORIGINAL_MARKERS) {
    const m = re.exec(text);
    if (m && m.index < cut && m.index > 0) cut = m.index;
  }
  return { report: text.slice(0, cut), original: text.slice(cut) };
}

const ADDR_RE = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const NOT_RECIPIENT = /^(?:postmaster|mailer-daemon|mail-daemon|mailerdaemon|abuse|noreply|no-reply|root|hostmaster|maildelivery)@/i;

export interface TextRecipient {
  address: string;
  /** text segment about this address */
  diagnostic: string;
}

/**
 * Addresses the report is about, in order. Addresses standing at the start of a line (alone,
 * in angle brackets, or followed by a colon) are how nearly every MTA lists failed recipients;
 * addresses inside prose are used only when there is no such line. Sender addresses and role
 * accounts are excluded.
 */
export function findRecipients(report: string, exclude: Set<string>): TextRecipient[] {
  const strong: Array<{ addr: string; at: number }> = [];
  const weak: Array<{ addr: string; at: number }> = [];
  for (const m of report.matchAll(ADDR_RE)) {
    const addr = cleanAddress(m[0]);
    if (!addr) continue;
    const key = addr.toLowerCase();
    if (exclude.has(key) || NOT_RECIPIENT.test(addr)) continue;
    const at = m.index ?? 0;
    // "A message sent by <sender>", "from <sender>": the original sender, not a recipient
    if (/(?:sent by|\bfrom|sender|envelope-from)[:\s]*<?\s*$/i.test(report.slice(Math.max(0, at - 40), at))) continue;
    const lineStart = report.lastIndexOf('\n', at - 1) + 1;
    const before = report.slice(lineStart, at);
    const lineEnd = report.indexOf('\n', at);
    const after = report.slice(at + m[0].length, lineEnd < 0 ? undefined : lineEnd);
    const isStrong =
      /^[\s"'<(*-]*(?:rcpt to:\s*<?|to:\s*<?|recipient:?\s*<?|address:?\s*<?|original-recipient:\s*(?:rfc822;)?\s*<?|failed recipient:?\s*<?)?$/i.test(
        before,
      ) ||
      /(?:rcpt to:?|recipient:?|original-recipient:\s*rfc822;|final-recipient:\s*rfc822;|delivery to|message to|mail to|address(?:ee)?:?|user)\s*<?$/i.test(
        before,
      ) ||
      /^>?\s*(?:[:.(]|$|\.\.\.|\s+\(|\s*<<<|\s+on\s)/.test(after);
    (isStrong ? strong : weak).push({ addr, at });
  }
  const chosen = strong.length ? strong : weak;
  const seen = new Map<string, number>();
  for (const c of chosen) if (!seen.has(c.addr.toLowerCase())) seen.set(c.addr.toLowerCase(), c.at);
  const list = [...seen.entries()].slice(0, 50);
  return list.map(([, at], i) => {
    const addr = chosen.find((c) => c.at === at)?.addr ?? '';
    const lineStart = report.lastIndexOf('\n', at - 1) + 1;
    const end = i + 1 < list.length ? report.lastIndexOf('\n', list[i + 1][1]) : report.length;
    let seg = report.slice(lineStart, Math.max(end, at + addr.length));
    // One recipient with no error on its own lines: the error is elsewhere in the report.
    if (
      list.length === 1 ||
      !/\b[245]\d\d\b|[245]\.\d\.\d|unknown|not |no |invalid|full|denied|refused|reject|fail|error|expired|timed? ?out|unable|can'?t|could not|too /i.test(seg)
    ) {
      seg = report;
    }
    return { address: addr, diagnostic: seg };
  });
}

/** Collapse whitespace, so multi-line diagnostics match single-line phrases. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The most informative lines of a report: those with an SMTP reply/status code or an error
 * keyword, with their continuation lines, and Sendmail's `<address>... text` lines (the
 * transcript's reply for that recipient). Section banners ("----- The following addresses had
 * permanent fatal errors -----") only announce what follows. Falls back to the whole text.
 */
export function errorLines(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*-{3,}.*-{3,}\s*$/.test(l)) continue;
    if (
      /(?:^|[\s:<#(])[245]\d\d[\s-]|[245]\.\d{1,3}\.\d{1,3}|said:|<<<|error|reason:|diagnostic|smtp;/i.test(l) ||
      /^\s*<?[^\s<>@]+@[^\s<>]+?>?\.\.\.\s+\S/.test(l)
    ) {
      out.push(l);
      for (let j = i + 1; j < lines.length && /^\s+\S/.test(lines[j]) && j < i + 6; j++) out.push(lines[++i]);
    }
  }
  return out.length ? out.join('\n') : text;
}
