/**
 * The report attachments of a report e-mail (RFC 7489 §7.2.1.1: aggregate reports as
 * `.xml`, `.xml.gz` or `.zip`; RFC 8460 §5.3: `application/tlsrpt+json` / `+gzip`; RFC 6591:
 * a `message/feedback-report` part).
 *
 * MIME is split by the project's defensive splitter (src/classify/mime.ts) rather than
 * mailparser: it keeps the tree (a failure report needs its feedback part and the reported
 * message apart), bounds depth and part count, never throws on broken structure, and does not
 * decode parts nobody asked for. The declared content type is not trusted: reporters label
 * reports `application/octet-stream`, `application/x-zip-compressed`, `text/plain` or put the
 * XML inline in the body, so every leaf part outside the reported message is decoded and
 * sniffed (gzip/zip magic, `<feedback`, a TLS-RPT JSON object).
 */
import { decodeTransfer, decodeWords, header, parseMime, type MimePart } from '../classify/index.ts';
import { sniffContainer } from './decompress.ts';
import { isFeedbackPart } from './failure.ts';

export interface ExtractedMail {
  messageId: string | null;
  subject: string | null;
  from: string | null;
  /** the whole MIME tree, when the message carries a message/feedback-report part */
  feedback: MimePart | null;
  attachments: { name: string; bytes: Buffer }[];
}

/** How far into a text part to look for a report's opening. */
const SNIFF = 4096;

/** Does this decoded part look like an aggregate or TLS report (or a container holding one)? */
export function looksLikeReport(bytes: Buffer, filename: string | undefined): boolean {
  if (sniffContainer(bytes.subarray(0, 8)) !== 'plain') return true;
  const head = bytes
    .subarray(0, SNIFF)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart();
  if (head.startsWith('<') && /<(\w+:)?feedback[\s>]/.test(head)) return true;
  if (head.startsWith('{') && /"(organization-name|policies|report-id)"/.test(head)) return true;
  // a named .xml/.json attachment is a report even when its opening is odd: the parser says what is wrong
  return !!filename && /\.(xml|json)$/i.test(filename) && (head.startsWith('<') || head.startsWith('{'));
}

function filenameOf(p: MimePart): string | undefined {
  const disp = header(p.headers, 'content-disposition') ?? '';
  const m = /filename\*?=\s*("([^"]*)"|[^;\s]+)/i.exec(disp);
  const raw = m ? (m[2] ?? m[1]) : p.params.name;
  return raw ? decodeWords(raw.replace(/^utf-8''/i, '')) : undefined;
}

/** Leaf parts of the message, not descending into a reported (attached) message. */
function leaves(p: MimePart, out: MimePart[] = []): MimePart[] {
  if (p.contentType === 'message/rfc822' || p.contentType === 'message/global' || isFeedbackPart(p)) return out;
  if (p.children.length === 0) out.push(p);
  else for (const c of p.children) leaves(c, out);
  return out;
}

/** Splits a report e-mail (raw bytes) into its report attachments and feedback part. */
export function extractMail(raw: Buffer, name: string): ExtractedMail {
  const root = parseMime(raw.toString('latin1').replace(/\r\n?/g, '\n'));
  const hasFeedback =
    root.children.length > 0 &&
    root.children.some(function has(c: MimePart): boolean {
      return isFeedbackPart(c) || c.children.some(has);
    });
  const attachments: { name: string; bytes: Buffer }[] = [];
  if (!hasFeedback) {
    leaves(root).forEach((p, i) => {
      const bytes = decodeTransfer(p.rawBody, header(p.headers, 'content-transfer-encoding'));
      const file = filenameOf(p);
      if (looksLikeReport(bytes, file)) attachments.push({ name: `${name} › ${file ?? `part ${i + 1} (${p.contentType})`}`, bytes });
    });
  }
  const messageId = header(root.headers, 'message-id')?.trim() || null;
  return {
    messageId,
    subject: header(root.headers, 'subject') ? decodeWords(header(root.headers, 'subject')!) : null,
    from: header(root.headers, 'from') ?? null,
    feedback: hasFeedback ? root : null,
    attachments,
  };
}
