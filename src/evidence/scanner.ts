/**
 * A small cursor-based lexer for structured header fields (RFC 5322 §3.2, RFC 2045 §5.1).
 *
 * Authentication-Results and Received are both "tokens separated by CFWS", with comments that
 * nest (RFC 5322 §3.2.2) and quoted strings with backslash escapes (§3.2.4). The scanner never
 * throws: malformed input is reported through `error` so parsers can turn it into data.
 * Every loop advances `pos` by at least one character, and comment nesting is bounded, so any
 * input is scanned in linear time (hostile headers must never hang the pipeline).
 */

/** Deepest comment nesting we follow; deeper input is treated as malformed. */
export const MAX_COMMENT_DEPTH = 64;

/** RFC 2045 §5.1 tspecials plus SPACE and CTLs end a token. */
export function isTokenChar(code: number): boolean {
  if (code <= 0x20 || code === 0x7f) return false;
  switch (code) {
    case 0x28: // (
    case 0x29: // )
    case 0x3c: // <
    case 0x3e: // >
    case 0x40: // @
    case 0x2c: // ,
    case 0x3b: // ;
    case 0x3a: // :
    case 0x5c: // \
    case 0x22: // "
    case 0x2f: // /
    case 0x5b: // [
    case 0x5d: // ]
    case 0x3f: // ?
    case 0x3d: // =
      return false;
    default:
      // Non-ASCII (UTF-8 per RFC 6532) is accepted by the scanner; callers that need an
      // ASCII-only token (authserv-id, method names) check with isAsciiToken().
      return true;
  }
}

export function isAsciiToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7e || !isTokenChar(c)) return false;
  }
  return true;
}

/**
 * RFC 8601 §2.2 Keyword (RFC 5321 Ldh-str): ALPHA / DIGIT / "-", not starting or ending in "-";
 * "_" is accepted leniently. 0: not a keyword, 1: a keyword, 2: a keyword only with "_".
 * Over `s` from `from` to `to`; a char loop, not a regex: this runs for every method, result and
 * property name.
 */
export function keywordShape(s: string, from = 0, to = s.length): 0 | 1 | 2 {
  if (to <= from) return 0;
  let shape: 1 | 2 = 1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) continue;
    if ((c !== 0x2d && c !== 0x5f) || i === from || i === to - 1) return 0;
    if (c === 0x5f) shape = 2;
  }
  return shape;
}

export function isKeyword(s: string): boolean {
  return keywordShape(s) !== 0;
}

function isWsp(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

export class Scanner {
  readonly src: string;
  pos: number;
  /** first lexical error met, with its offset; parsers stop at it */
  error: { message: string; offset: number } | undefined;
  /** comments seen while skipping CFWS, in order (text without the outer parentheses) */
  comments: string[];
  /**
   * Characters read so far, re-reads after a restored cursor included: the work a parse did,
   * which tests hold to a multiple of the input length (linear time, counted, not timed).
   * Callers that scan `src` themselves add what they read.
   */
  work: number;

  constructor(src: string) {
    this.src = src;
    this.pos = 0;
    this.error = undefined;
    this.comments = [];
    this.work = 0;
  }

  fail(message: string, offset: number = this.pos): false {
    if (!this.error) this.error = { message, offset };
    return false;
  }

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  peek(): string {
    return this.src[this.pos] ?? '';
  }

  /** Skip folding white space and (nested) comments; returns false on an unterminated comment. */
  skipCFWS(): boolean {
    const s = this.src;
    const start = this.pos;
    let ok = true;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (isWsp(c)) {
        this.pos++;
      } else if (c === 0x28) {
        if (!(ok = this.readComment())) break;
      } else {
        break;
      }
    }
    this.work += this.pos - start + 1;
    return ok;
  }

  /** Reads one comment starting at "(" (RFC 5322 §3.2.2: ccontent may be a nested comment). */
  private readComment(): boolean {
    const s = this.src;
    const start = this.pos;
    let depth = 0;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x5c) {
        this.pos += 2; // quoted-pair
        continue;
      }
      if (c === 0x28) {
        depth++;
        if (depth > MAX_COMMENT_DEPTH) return this.fail(`comments nested deeper than ${MAX_COMMENT_DEPTH}`, this.pos);
      } else if (c === 0x29) {
        depth--;
        if (depth === 0) {
          this.pos++;
          this.comments.push(s.slice(start + 1, this.pos - 1));
          return true;
        }
      }
      this.pos++;
    }
    this.pos = s.length;
    return this.fail('unterminated comment: "(" without matching ")"', start);
  }

  /** A run of token characters (may include UTF-8); empty string when none. */
  readToken(): string {
    const s = this.src;
    const start = this.pos;
    while (this.pos < s.length && isTokenChar(s.charCodeAt(this.pos))) this.pos++;
    this.work += this.pos - start + 1;
    return s.slice(start, this.pos);
  }

  /** A quoted-string at the cursor (RFC 5322 §3.2.4), returned unquoted and unescaped; undefined on error. */
  readQuoted(): string | undefined {
    const s = this.src;
    const start = this.pos;
    if (s.charCodeAt(this.pos) !== 0x22) return undefined;
    this.pos++;
    let out = '';
    let chunk = this.pos;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x5c) {
        out += s.slice(chunk, this.pos);
        this.pos++;
        chunk = this.pos;
        this.pos++;
        continue;
      }
      if (c === 0x22) {
        out += s.slice(chunk, this.pos);
        this.pos++;
        this.work += this.pos - start;
        return out;
      }
      this.pos++;
    }
    this.pos = s.length;
    this.work += this.pos - start;
    this.fail('unterminated quoted string', start);
    return undefined;
  }

  /**
   * A property value as real MTAs write it: a quoted-string, or a run of anything up to white space,
   * ";" or "(" - lenient because real values carry tspecials ("/" in base64 `header.b`, URIs in
   * `policy.authority-uri`). Returns the value, whether it held only token characters and "@",
   * where its last "@" is (-1: none), and whether it is all US-ASCII.
   */
  readLooseValue(): { value: string; strict: boolean; at: number; ascii: boolean } | undefined {
    if (this.peek() === '"') {
      const q = this.readQuoted();
      return q === undefined ? undefined : { value: q, strict: true, at: -1, ascii: true };
    }
    const s = this.src;
    const start = this.pos;
    let strict = true;
    let at = -1;
    let high = 0;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (isWsp(c) || c === 0x3b || c === 0x28) break;
      // RFC 8601 pvalue allows token chars, "@" and "." (local-part@domain); anything else is lenient.
      if (c === 0x40) at = this.pos - start;
      else if (!isTokenChar(c)) strict = false;
      high |= c;
      this.pos++;
    }
    this.work += this.pos - start + 1;
    return { value: s.slice(start, this.pos), strict, at, ascii: high < 0x80 };
  }
}
