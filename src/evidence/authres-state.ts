/**
 * What one Authentication-Results parse has found so far: the lexer's cursor, the deviations the
 * lenient reading tolerated (warnings; those the RFC 8601 §2.2 grammar forbids also as syntax
 * violations with offsets), the names no IANA registry defines, and the receiver dialect in use.
 * Shared by the field grammar (./authres.ts) and the resinfo grammar (./authres-resinfo.ts).
 * Every list is bounded: a hostile header cannot grow the report past a few dozen entries.
 */
import { Scanner } from './scanner.ts';
import { snippet } from './text.ts';
import type { AuthResError, AuthResParse } from './authres-types.ts';

/** Most entries kept per list: enough to explain a header, bounded on a hostile one. */
const MAX_FINDINGS = 20;

export class AuthResState {
  readonly sc: Scanner;
  readonly warnings: string[] = [];
  readonly violations: AuthResError[] = [];
  readonly unregistered: AuthResError[] = [];
  /** Microsoft format: no authserv-id, so stray segments are skipped instead of rejected */
  noAuthserv = false;
  /** a Microsoft 365 / Outlook.com header: its own result words and stray segments are accepted */
  microsoft = false;
  /** ARC instance of an ARC-Authentication-Results payload read as Authentication-Results */
  instance: number | undefined;
  /** whether the field carries Microsoft's `compauth=` result, looked up once (./authres-microsoft.ts) */
  compauth: boolean | undefined;

  constructor(value: string) {
    this.sc = new Scanner(value);
  }

  warn(message: string): void {
    if (this.warnings.length < MAX_FINDINGS && !this.warnings.includes(message)) this.warnings.push(message);
  }

  /** A deviation the grammar forbids: warned, and kept as a syntax error of the strict reading. */
  violate(message: string, offset = this.sc.pos, detail = message): void {
    this.warn(message);
    if (this.violations.length < MAX_FINDINGS && !this.violations.some((v) => v.message === detail))
      this.violations.push({ kind: 'syntax', message: detail, offset });
  }

  /** Keyword is an Ldh-str (RFC 8601 §2.2, RFC 5321 §4.1.2): "_" is read, and reported. */
  underscore(word: string, offset: number): void {
    this.violate('"_" in a keyword', offset, `${snippet(word)}: a Keyword has letters, digits and "-" only (RFC 5321 §4.1.2)`);
  }

  /** A registry finding: the result is read, the name is listed as not registered. */
  unregisteredName(message: string, offset: number): void {
    if (this.unregistered.length < MAX_FINDINGS && !this.unregistered.some((u) => u.message === message))
      this.unregistered.push({ kind: 'semantic', message, offset });
  }

  /** The parse outcome for the first lexical or grammar error met. */
  syntaxError(): AuthResParse {
    const e = this.sc.error ?? { message: 'malformed header', offset: this.sc.pos };
    return { ok: false, error: { kind: 'syntax', message: e.message, offset: e.offset } };
  }
}
