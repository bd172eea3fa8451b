/**
 * DMARC failure reports (RFC 6591): an ARF message (RFC 5965) whose `message/feedback-report`
 * part carries the fields, with the failed message or only its header block beside it.
 * The MIME tree comes from the project's defensive splitter (src/classify/mime.ts: bounded
 * depth and part count, never throws on broken structure), so a failure report is read the
 * same way a bounce is.
 *
 * Values are kept as the report writes them. Arrival-Date is also given in UTC, reading the
 * RFC 5322 §4.3 obsolete zone names (EDT, PST, …) as the offsets they stand for. A missing
 * Auth-Failure or Delivery-Result stays missing (RFC 6591 §3.1 makes Auth-Failure required,
 * but inventing `dmarc` for an abuse report would be wrong).
 */
import { decodeWords, header, parseHeaderBlock, partText, walk, type Headers, type MimePart } from '../classify/index.ts';
import { ReportError, type FailureReport } from './types.ts';

/** Header block of the sample kept at most (the failure report is for reading, not archiving). */
const MAX_SAMPLE_HEADERS = 16 * 1024;

const all = (h: Headers, name: string): string[] => h.fields.get(name) ?? [];
const one = (h: Headers, name: string): string | null => {
  const v = header(h, name);
  return v === undefined || v === '' ? null : v;
};
const list = (v: string | null): string[] =>
  v === null
    ? []
    : v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);

/** Date-time in UTC ISO 8601, or null. V8's Date parser reads RFC 5322 dates with obsolete zones. */
export function toUtc(date: string | null): string | null {
  if (!date) return null;
  const ms = Date.parse(date.replace(/\s*\([^)]*\)\s*$/, '').replace(/^\s*[A-Za-z]{3},\s*/, ''));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The addr-spec of a From header value (`Name <a@b>` → `a@b`). */
export function addressOf(v: string | null): string | null {
  if (!v) return null;
  const m = /<([^<>]*)>/.exec(v);
  const addr = (m ? m[1] : v).trim();
  return addr || null;
}

export function isFeedbackPart(p: MimePart): boolean {
  return p.contentType === 'message/feedback-report';
}

/** The part holding the reported message: whole (message/rfc822, message/global) or its header block. */
function samplePart(root: MimePart): { headers: Headers; headersOnly: boolean; raw: string } | null {
  for (const p of walk(root)) {
    if ((p.contentType === 'message/rfc822' || p.contentType === 'message/global') && p.children[0]) {
      const cut = p.rawBody.indexOf('\n\n');
      const raw = cut >= 0 ? p.rawBody.slice(0, cut) : p.rawBody;
      // a whole-message part whose body is empty carries, in effect, only the header block
      const bodyless = cut < 0 || p.rawBody.slice(cut).trim() === '';
      return { headers: p.children[0].headers, headersOnly: bodyless, raw };
    }
    if (p.contentType === 'text/rfc822-headers' || p.contentType === 'message/rfc822-headers') {
      const raw = partText(p).replace(/\r\n?/g, '\n');
      return { headers: parseHeaderBlock(raw.split('\n\n')[0]), headersOnly: true, raw };
    }
  }
  return null;
}

/** Reads the failure report of an ARF message whose MIME tree is `root`. */
export function parseFailureReport(root: MimePart, name: string): FailureReport {
  const fb = walk(root).find(isFeedbackPart);
  if (!fb) throw new ReportError('no-report-in-message', `${name}: no message/feedback-report part (RFC 5965 §2)`);
  const text = partText(fb).replace(/\r\n?/g, '\n');
  const h = parseHeaderBlock(text);
  const feedbackType = one(h, 'feedback-type');
  if (!feedbackType) {
    throw new ReportError(
      'invalid-failure-report',
      `${name}: the message/feedback-report part has no Feedback-Type field (RFC 5965 §3.1); it is not a feedback report`,
    );
  }
  const sample = samplePart(root);
  const arrivalDate = one(h, 'arrival-date') ?? one(h, 'received-date');
  const sourceIp = one(h, 'source-ip');
  const subject = sample ? one(sample.headers, 'subject') : null;
  return {
    kind: 'failure',
    feedbackType: feedbackType.toLowerCase(),
    version: one(h, 'version'),
    userAgent: one(h, 'user-agent'),
    arrivalDate,
    arrivalDateUtc: toUtc(arrivalDate),
    // RFC 5965 §3.2 allows a comment after the address: `192.0.2.1 (mx.example)`
    sourceIp: sourceIp ? sourceIp.split(/[\s(]/)[0] : null,
    reportedDomain: one(h, 'reported-domain'),
    authFailure: list(all(h, 'auth-failure').join(',') || null),
    deliveryResult: one(h, 'delivery-result')?.toLowerCase() ?? null,
    authenticationResults: one(h, 'authentication-results'),
    identityAlignment: list(one(h, 'identity-alignment')).filter((m) => m !== 'none'),
    dkimDomain: one(h, 'dkim-domain'),
    dkimIdentity: one(h, 'dkim-identity'),
    dkimSelector: one(h, 'dkim-selector'),
    spfDns: one(h, 'spf-dns'),
    originalMailFrom: one(h, 'original-mail-from'),
    originalRcptTo: one(h, 'original-rcpt-to'),
    originalEnvelopeId: one(h, 'original-envelope-id'),
    reportingMta: one(h, 'reporting-mta'),
    sampleHeadersOnly: sample?.headersOnly ?? false,
    sampleFrom: sample ? addressOf(decodeWords(one(sample.headers, 'from') ?? '')) : null,
    sampleSubject: subject === null ? null : decodeWords(subject),
    sampleMessageId: sample ? one(sample.headers, 'message-id') : null,
    sampleHeaders: sample ? sample.raw.slice(0, MAX_SAMPLE_HEADERS) : null,
  };
}
