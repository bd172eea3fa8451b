/**
 * Reads IMAP client commands off a byte stream (RFC 3501 §2.2.1, §4.3): a command is a line,
 * possibly interrupted by synchronizing literals `{n}` that the server must invite with a `+`
 * continuation before the client sends the n bytes. Only what the fault proxy needs before
 * login: tag, command name and its string arguments (atoms, quoted strings, literals).
 */

export interface ImapCommand {
  tag: string;
  name: string;
  args: string[];
}

/** Hard bound on a pre-login command: the proxy is a test fixture, not a place to buffer megabytes. */
const MAX_COMMAND = 64 * 1024;

export class ImapCommandReader {
  private buf = Buffer.alloc(0);
  /** text of the command so far, literals already inlined as quoted tokens */
  private parts: string[] = [];
  private literalBytes = 0;
  private invited = false;

  private readonly _continuation: () => void;

  /** `continuation` is called when a synchronizing literal must be invited with `+`. */
  constructor(continuation: () => void) {
    this._continuation = continuation;
  }

  /** Feeds bytes; returns every complete command. Throws on a command over the size bound. */
  push(chunk: Buffer): ImapCommand[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: ImapCommand[] = [];
    for (;;) {
      if (this.literalBytes > 0) {
        if (this.buf.length < this.literalBytes) return out;
        this.parts.push(quote(this.buf.subarray(0, this.literalBytes).toString('utf8')));
        this.buf = this.buf.subarray(this.literalBytes);
        this.literalBytes = 0;
        this.invited = false;
        continue;
      }
      const nl = this.buf.indexOf('\r\n');
      if (nl < 0) {
        if (this.buf.length + this.parts.join('').length > MAX_COMMAND) throw new Error('IMAP command too long');
        return out;
      }
      let line = this.buf.subarray(0, nl).toString('utf8');
      this.buf = this.buf.subarray(nl + 2);
      const lit = /\{(\d+)(\+?)\}$/.exec(line);
      if (lit) {
        const n = Number(lit[1]);
        if (n > MAX_COMMAND) throw new Error('IMAP literal too long');
        line = line.slice(0, lit.index);
        this.parts.push(line);
        this.literalBytes = n;
        if (!lit[2] && !this.invited) {
          this.invited = true;
          this._continuation();
        }
        if (n === 0) {
          this.parts.push('""');
          this.literalBytes = 0;
        }
        continue;
      }
      this.parts.push(line);
      const text = this.parts.join('');
      this.parts = [];
      const tokens = tokenize(text);
      if (tokens.length >= 2) out.push({ tag: tokens[0], name: tokens[1].toUpperCase(), args: tokens.slice(2) });
      else if (tokens.length === 1) out.push({ tag: tokens[0], name: '', args: [] });
    }
  }

  /** bytes received after the last complete command (handed on to the upstream after login) */
  rest(): Buffer {
    return this.buf;
  }
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Splits a command line into atoms and (unescaped) quoted strings. */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    if (line[i] === '"') {
      let s = '';
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        s += line[i++];
      }
      i++;
      tokens.push(s);
      continue;
    }
    let j = i;
    while (j < line.length && line[j] !== ' ') j++;
    tokens.push(line.slice(i, j));
    i = j;
  }
  return tokens;
}

/** An IMAP quoted string (RFC 3501 §4.3) for a value without CR/LF. */
export function imapQuote(s: string): string {
  return quote(s);
}
