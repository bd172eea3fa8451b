/**
 * A light, defensive MIME splitter for bounce messages (RFC 2045/2046/2047/2231).
 *
 * The header primitives come from libmime (nodemailer's MIME library): Content-Type parameters
 * with RFC 2231 continuations and charsets (`boundary*0="abc"; boundary*1="def"`,
 * `name*=utf-8''%E2%82%AC`), RFC 2047 encoded words and charset decoding (iconv-lite, the
 * Japanese ISO-2022-JP family). libmime has no message tree, so this module adds what a bounce
 * reader needs and no library offers: a splitter that never decodes attachments, bounds
 * recursion depth, part count and decoded text, keeps truncated multiparts (a missing close
 * delimiter keeps the last part), reads header blocks that skip junk lines instead of failing,
 * and never throws on bad input: at worst a part comes back with an empty body.
 * Why not mailparser: its shape. It flattens a message into text, HTML and attachments, so the
 * part structure of a DSN (RFC 3464 §2: the human-readable part, the message/delivery-status
 * fields, the returned message) is gone, and it does not read delivery-status fields as header
 * blocks; that structure is what the bounce reader works on.
 */
import libmime from 'libmime';
import { decode as decodeCharset } from 'libmime/lib/charset.js';
import libqp from 'libqp';

export interface Headers {
  /** lower-cased field name → unfolded values, in order of appearance */
  fields: Map<string, string[]>;
}

export interface MimePart {
  headers: Headers;
  /** lower-cased `type/subtype`; defaults per RFC 2045 §5.2 to text/plain */
  contentType: string;
  params: Record<string, string>;
  /** body as received (transfer encoding not undone), CRLF normalised to LF */
  rawBody: string;
  children: MimePart[];
}

const MAX_DEPTH = 6;
const MAX_PARTS = 64;
/** Text beyond this is not decoded: a bounce's explanation is never that long, an attachment is. */
export const MAX_TEXT = 256 * 1024;

export function header(h: Headers, name: string): string | undefined {
  const v = h.fields.get(name.toLowerCase());
  return v ? v[0] : undefined;
}

/** Parse a header block (RFC 5322 §2.2, unfolding per §2.2.3). Tolerates bare LF and junk lines. */
export function parseHeaderBlock(block: string): Headers {
  const fields = new Map<string, string[]>();
  let name = '';
  let value = '';
  const flush = (): void => {
    if (!name) return;
    const list = fields.get(name);
    const v = value.trim();
    if (list) list.push(v);
    else fields.set(name, [v]);
  };
  for (const line of block.split('\n')) {
    if (line === '') continue;
    const c = line.charCodeAt(0);
    if ((c === 32 || c === 9) && name) {
      value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || colon > 76 || !/^[!-9;-~]+\s*$/.test(line.slice(0, colon))) {
      // A MIME parameter left unindented after "Content-Type: ...;" (some Java mailers fold so):
      // it still belongs to the field, or the part's boundary is lost (RFC 2045 §5.1 parameters).
      if (name === 'content-type' && /;\s*$/.test(value) && /^[\w.-]+\*?=/.test(line)) value += ' ' + line.trim();
      continue; // not a header line: skip rather than fail
    }
    flush();
    name = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1);
  }
  flush();
  return { fields };
}

/** Split `headers \n\n body`. A message without a blank line is all headers (truncated). */
export function splitHeadBody(text: string): { head: string; body: string } {
  // A message that starts with a blank line has no headers at all.
  if (text.startsWith('\n')) return { head: '', body: text.slice(1) };
  const i = text.indexOf('\n\n');
  if (i < 0) return { head: text, body: '' };
  return { head: text.slice(0, i), body: text.slice(i + 2) };
}

/**
 * Parse a Content-Type value into type and parameters (RFC 2045 §5.1; RFC 2231 §3-4 continuations
 * and charset/language encoded values are joined and decoded by libmime). Parameter names come
 * back lower-cased; a value without a `/` is not a media type and defaults to text/plain (§5.2).
 */
export function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  if (!value) return { type: 'text/plain', params: {} };
  const parsed = libmime.parseHeaderValue(value);
  const type =
    String(parsed.value || '')
      .trim()
      .toLowerCase() || 'text/plain';
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.params ?? {})) params[k.toLowerCase()] = String(v);
  return { type: type.includes('/') ? type : 'text/plain', params };
}

/** Parse a full message (already a string with LF line ends) into a MIME tree. */
export function parseMime(text: string): MimePart {
  const counter = { n: 0 };
  return parsePart(text, 0, counter);
}

function parsePart(text: string, depth: number, counter: { n: number }): MimePart {
  counter.n++;
  const { head, body } = splitHeadBody(text);
  const headers = parseHeaderBlock(head);
  const { type, params } = parseContentType(header(headers, 'content-type'));
  const part: MimePart = { headers, contentType: type, params, rawBody: body, children: [] };
  if (depth >= MAX_DEPTH || counter.n >= MAX_PARTS) return part;
  if (type.startsWith('multipart/') && params.boundary) {
    for (const chunk of splitMultipart(body, params.boundary)) {
      if (counter.n >= MAX_PARTS) break;
      part.children.push(parsePart(chunk, depth + 1, counter));
    }
  } else if (type === 'message/rfc822' || type === 'message/global') {
    // Only the returned message's headers matter; its body may be a 5 MB attachment.
    const inner = body.length > MAX_TEXT ? body.slice(0, MAX_TEXT) : body;
    part.children.push(parsePart(inner, depth + 1, counter));
  }
  return part;
}

/**
 * Split a multipart body at its boundary (RFC 2046 §5.1.1). A missing close delimiter
 * (truncated message) keeps whatever came last; a body without any delimiter yields
 * one pseudo part so the text is not lost.
 */
export function splitMultipart(body: string, boundary: string): string[] {
  const delim = '--' + boundary;
  const parts: string[] = [];
  let pos = body.startsWith(delim) ? 0 : body.indexOf('\n' + delim);
  if (pos < 0) return [body];
  if (pos > 0) pos += 1;
  for (;;) {
    let lineEnd = body.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = body.length;
    if (body.startsWith(delim + '--', pos)) break;
    const start = lineEnd + 1;
    const next = body.indexOf('\n' + delim, start - 1);
    if (next < 0) {
      if (start < body.length) parts.push(body.slice(start));
      break;
    }
    parts.push(body.slice(start, next));
    pos = next + 1;
    if (parts.length >= MAX_PARTS) break;
  }
  return parts;
}

/**
 * Bytes → text in the declared charset. libmime falls back to UTF-8 for unknown or refused labels
 * (UTF-7); bytes that are not UTF-8 then read as Latin-1, so no octet of a diagnostic is lost.
 */
function decodeText(bytes: Buffer, charset: string | undefined): string {
  const label = (charset || 'utf-8').trim().replace(/^"|"$/g, '');
  const text = decodeCharset(bytes, label);
  if (text.includes('\uFFFD') && !/^utf-?8$/i.test(label)) {
    const utf8 = bytes.toString('utf8');
    if (utf8.includes('\uFFFD')) return bytes.toString('latin1');
  }
  return text;
}

/** Undo the content transfer encoding (RFC 2045 §6) and the charset of a text part. */
export function decodeBody(raw: string, encoding: string | undefined, charset: string | undefined): string {
  return decodeText(decodeTransfer(raw.length > MAX_TEXT ? raw.slice(0, MAX_TEXT) : raw, encoding), charset);
}

/** Undo only the content transfer encoding (RFC 2045 §6), whole: for attachments the caller bounds. */
export function decodeTransfer(raw: string, encoding: string | undefined): Buffer {
  const enc = (encoding || '').trim().toLowerCase();
  if (enc === 'base64') return Buffer.from(raw.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (enc === 'quoted-printable') return libqp.decode(raw);
  return Buffer.from(raw, 'latin1');
}

/** Text of a leaf part with transfer encoding and charset undone. */
export function partText(p: MimePart): string {
  return decodeBody(p.rawBody, header(p.headers, 'content-transfer-encoding'), p.params.charset);
}

/**
 * Decode RFC 2047 encoded-words in a header value (libmime: adjacent words joined per §6.2,
 * RFC 2231 language tags ignored); a value libmime cannot read is returned as it is.
 */
export function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** Depth-first list of all parts. */
export function walk(p: MimePart, out: MimePart[] = []): MimePart[] {
  out.push(p);
  for (const c of p.children) walk(c, out);
  return out;
}
