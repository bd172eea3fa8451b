/**
 * A light, defensive MIME splitter for bounce messages (RFC 2045/2046/2047).
 *
 * Why not mailparser: bounces are read in bulk (target 1,000 msg/s) and many are malformed on
 * purpose or by accident (truncated multiparts, unknown charsets, missing boundaries, 5 MB
 * attachments). We only need the text parts, the delivery-status part and the headers of the
 * returned message, so this splitter never decodes attachments, bounds recursion depth and part
 * count, and never throws on bad input: at worst a part comes back with an empty body.
 */

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

/** Parse a Content-Type value into type and parameters (RFC 2045 §5.1, lenient about quoting). */
export function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  if (!value) return { type: 'text/plain', params: {} };
  const semi = value.indexOf(';');
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase() || 'text/plain';
  const params: Record<string, string> = {};
  if (semi >= 0) {
    const re = /([\w*.-]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;\s]*)/g;
    const rest = value.slice(semi + 1);
    let m: RegExpExecArray | null;
    while ((m = re.exec(rest)) !== null) {
      let v = m[2];
      if (v.startsWith('"')) v = v.slice(1, v.endsWith('"') && v.length > 1 ? -1 : undefined).replace(/\\(.)/g, '$1');
      params[m[1].toLowerCase()] = v;
    }
  }
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

/** Decode a charset name to a TextDecoder, falling back to latin1 for unknown labels. */
function decoderFor(charset: string | undefined): InstanceType<typeof TextDecoder> {
  const label = (charset || 'utf-8').trim().toLowerCase().replace(/^"|"$/g, '');
  try {
    return new TextDecoder(label === 'us-ascii' || label === 'ascii' ? 'utf-8' : label, { fatal: false });
  } catch {
    return new TextDecoder('latin1');
  }
}

/** Undo the content transfer encoding (RFC 2045 §6) and the charset of a text part. */
export function decodeBody(raw: string, encoding: string | undefined, charset: string | undefined): string {
  return decoderFor(charset).decode(decodeTransfer(raw.length > MAX_TEXT ? raw.slice(0, MAX_TEXT) : raw, encoding));
}

/** Undo only the content transfer encoding (RFC 2045 §6), whole: for attachments the caller bounds. */
export function decodeTransfer(raw: string, encoding: string | undefined): Buffer {
  const enc = (encoding || '').trim().toLowerCase();
  if (enc === 'base64') return Buffer.from(raw.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (enc === 'quoted-printable') return decodeQP(raw);
  return Buffer.from(raw, 'latin1');
}

function decodeQP(s: string): Buffer {
  const soft = s.replace(/=[ \t]*\n/g, '');
  const out = Buffer.alloc(soft.length);
  let j = 0;
  for (let i = 0; i < soft.length; i++) {
    const c = soft.charCodeAt(i);
    if (c === 61 /* = */ && i + 2 < soft.length && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      out[j++] = parseInt(soft.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      out[j++] = c & 0xff;
    }
  }
  return out.subarray(0, j);
}

/** Text of a leaf part with transfer encoding and charset undone. */
export function partText(p: MimePart): string {
  return decodeBody(p.rawBody, header(p.headers, 'content-transfer-encoding'), p.params.charset);
}

/** Decode RFC 2047 encoded-words in a header value; malformed words are left as they are. */
export function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?*]+)(?:\*[^?]*)?\?([BbQq])\?([^?]*)\?=/g, (whole, cs: string, enc: string, data: string) => {
      try {
        const bytes = enc.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : decodeQP(data.replace(/_/g, ' '));
        return decoderFor(cs).decode(bytes);
      } catch {
        return whole;
      }
    });
}

/** Depth-first list of all parts. */
export function walk(p: MimePart, out: MimePart[] = []): MimePart[] {
  out.push(p);
  for (const c of p.children) walk(c, out);
  return out;
}
