/**
 * Authentication-Results parser (RFC 8601 §2.2), also used for ARC-Authentication-Results
 * (./authres-arc.ts). Own scanner, not mailauth's parser (7.1): that one reads Microsoft's stray
 * `domain;` segment as the authserv-id, keeps one `spf=` result per header, reports no errors.
 *
 * - Syntax errors (no authserv-id, stray tokens, bad names, unterminated comments or quotes) make
 *   the header unusable: `{ ok: false, error: { kind: 'syntax' } }`. An unregistered result of a
 *   registered method is a semantic error that keeps the parse (`error.kind: 'semantic'`, `header`).
 * - Deviations real MTAs make (trailing ";", tspecials or nothing as a value, a property without
 *   ptype, "_" in a keyword, a repeated or late `reason=`, Microsoft's header without authserv-id
 *   and its stray "domain;" segments, legacy Yahoo `from=domain`) are read leniently, listed in
 *   `header.warnings`, and those the grammar forbids in `header.violations` with offsets
 *   (`header.strict` false). Values follow the pvalue grammar (./authres-value.ts).
 * - Comments are read wherever the grammar allows CFWS, also around the "." of `ptype.property`.
 * - Methods, ptypes and properties no IANA registry defines (./authres-registry.ts) are read and
 *   listed in `header.unregistered`.
 * - Microsoft's own result words (`dmarc=bestguesspass`, `dkim=timeout`) are accepted in
 *   Microsoft's headers only.
 */
import { Scanner, isAsciiToken, isKeyword, keywordShape } from './scanner.ts';
import {
  isMicrosoftAuthserv,
  isMicrosoftResult,
  isRegisteredResult,
  methodProperties,
  REGISTERED_PTYPES,
  unregisteredMethod,
  unregisteredProperty,
  unregisteredPtype,
} from './authres-registry.ts';
import { readPvalue } from './authres-value.ts';
import { snippet } from './text.ts';
import type { AuthResError, AuthResHeader, AuthResParse, AuthResult } from './authres-types.ts';

export type { AuthResult, AuthResHeader, AuthResError, AuthResParse } from './authres-types.ts';

/** Properties whose value is a domain or local-part@domain. */
const DOMAIN_PROPS = new Set(['header.d', 'header.from', 'header.i', 'smtp.mailfrom', 'smtp.helo', 'policy.d']);

/** Longest header value we parse; real ones are below 4 KiB, Gmail's biggest under 2 KiB. */
export const MAX_AUTHRES_LENGTH = 64 * 1024;

const PROPERTY_START = /[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?[ \t\r\n]*=/y;
/** The `i=<instance>;` that starts an ARC-Authentication-Results payload (RFC 8617 §4.1.2). */
const ARC_PREFIX = /i[ \t\r\n]*=[ \t\r\n]*([0-9]{1,2})[ \t\r\n]*;/y;

class AuthResParser {
  sc: Scanner;
  warnings: string[];
  /** Microsoft format: no authserv-id, so stray segments are skipped instead of rejected */
  noAuthserv: boolean;

  /** a Microsoft 365 / Outlook.com header: its own result words and stray segments are accepted */
  microsoft: boolean;
  violations: AuthResError[];
  unregistered: AuthResError[];
  instance: number | undefined;

  constructor(value: string) {
    this.sc = new Scanner(value);
    this.warnings = [];
    this.violations = [];
    this.unregistered = [];
    this.noAuthserv = false;
    this.microsoft = false;
  }

  warn(message: string): void {
    if (this.warnings.length < 20 && !this.warnings.includes(message)) this.warnings.push(message);
  }

  /** A deviation the grammar forbids: warned, and kept as a syntax error of the strict reading. */
  violate(message: string, offset = this.sc.pos, detail = message): void {
    this.warn(message);
    if (this.violations.length < 20 && !this.violations.some((v) => v.message === detail)) this.violations.push({ kind: 'syntax', message: detail, offset });
  }

  /** Keyword is an Ldh-str (RFC 8601 §2.2, RFC 5321 §4.1.2): "_" is read, and reported. */
  underscore(word: string, offset: number): void {
    this.violate('"_" in a keyword', offset, `${snippet(word)}: a Keyword has letters, digits and "-" only (RFC 5321 §4.1.2)`);
  }

  /** A registry finding: the result is read, the name is listed as not registered. */
  unregisteredName(message: string, offset: number): void {
    if (this.unregistered.length < 20 && !this.unregistered.some((u) => u.message === message)) this.unregistered.push({ kind: 'semantic', message, offset });
  }

  /**
   * `ptype.property` (dot at `dot`) against the grammar and the IANA registries (RFC 7410 §3,
   * RFC 8601 §6.2); `registered` is the method's property set (./authres-registry.ts). False on
   * a syntax error. A registered name is a valid one: one lookup decides the common case.
   */
  checkPropertyName(method: string, registered: ReadonlySet<string> | null | undefined, key: string, dot: number, name: string, offset: number): boolean {
    if (registered?.has(key)) return true;
    const ptypeShape = keywordShape(key, 0, dot);
    const propertyShape = keywordShape(key, dot + 1);
    if (ptypeShape === 0 || dot === key.length - 1) return this.sc.fail(`property name ${snippet(name)} is not ptype.property`, offset);
    if (propertyShape === 0)
      this.violate('property name not a keyword', offset, `property ${snippet(name)}: RFC 8601 §2.2 property is a Keyword (ALPHA, DIGIT, "-")`);
    else if (ptypeShape === 2 || propertyShape === 2) this.underscore(key, offset);
    const ptype = key.slice(0, dot);
    if (!REGISTERED_PTYPES.has(ptype)) this.unregisteredName(unregisteredPtype(ptype), offset);
    else if (registered) this.unregisteredName(unregisteredProperty(method, key), offset);
    return true;
  }

  /** Is the cursor at `token [/ version] [CFWS] =`? Restores the cursor (and comment list). */
  atAssignment(): boolean {
    const sc = this.sc;
    const pos = sc.pos;
    const ncomments = sc.comments.length;
    const tok = sc.readToken();
    let result = false;
    if (tok.length > 0 && sc.skipCFWS()) {
      // method version: `dkim/1=pass` (RFC 8601 §2.2 methodspec)
      if (sc.peek() === '/') {
        sc.pos++;
        if (sc.skipCFWS() && /^[0-9]+$/.test(sc.readToken())) sc.skipCFWS();
      }
      result = sc.peek() === '=';
    }
    sc.pos = pos;
    sc.comments.length = ncomments;
    sc.error = undefined;
    return result;
  }

  parse(): AuthResParse {
    const sc = this.sc;
    if (!sc.skipCFWS()) return this.syntaxError();
    let authservId: string | null = null;
    let version: string | undefined;
    const results: AuthResult[] = [];
    ARC_PREFIX.lastIndex = sc.pos;
    const arc = sc.peek() === 'i' ? ARC_PREFIX.exec(sc.src) : null;
    if (arc) {
      // an ARC-Authentication-Results payload given as Authentication-Results: read it, report it
      this.violate(
        'ARC instance tag',
        sc.pos,
        `"i=${arc[1]};" starts an ARC-Authentication-Results payload (RFC 8617 §4.1.2), not an Authentication-Results field`,
      );
      this.instance = Number(arc[1]);
      sc.pos = ARC_PREFIX.lastIndex;
      if (!sc.skipCFWS()) return this.syntaxError();
    }

    if (this.atAssignment()) {
      // Microsoft 365 / Outlook.com write `spf=pass (sender IP is ...) ...` with no authserv-id.
      this.noAuthserv = true;
      this.microsoft = true;
      this.violate('no authserv-id (Microsoft format)', sc.pos);
      if (!this.readResinfo(results)) return this.syntaxError();
    } else {
      if (sc.peek() === '"') {
        const q = sc.readQuoted();
        if (q === undefined) return this.syntaxError();
        authservId = q;
      } else {
        const start = sc.pos;
        const tok = sc.readToken();
        if (tok.length === 0) {
          sc.fail(sc.atEnd() ? 'empty header: no authserv-id' : `missing authserv-id before ${snippet(sc.src.slice(sc.pos))}`);
          return this.syntaxError();
        }
        if (!isAsciiToken(tok)) {
          sc.fail(`authserv-id ${snippet(tok)} is not a token: non-ASCII or special characters must be quoted (RFC 8601 §2.2, RFC 6532 §3.2)`, start);
          return this.syntaxError();
        }
        authservId = tok;
      }
      this.microsoft = isMicrosoftAuthserv(authservId);
      if (!sc.skipCFWS()) return this.syntaxError();
      if (/[0-9]/.test(sc.peek())) {
        const start = sc.pos;
        const v = sc.readToken();
        if (!/^[0-9]+$/.test(v)) {
          sc.fail(`authres-version ${snippet(v)} is not a number`, start);
          return this.syntaxError();
        }
        version = v;
        if (!sc.skipCFWS()) return this.syntaxError();
      }
      if (sc.atEnd()) {
        sc.fail('no results after authserv-id: expected "; none" or "; method=result"');
        return this.syntaxError();
      }
      if (sc.peek() !== ';') {
        if (!this.atAssignment()) {
          sc.fail(`expected ";" after authserv-id, found ${snippet(sc.src.slice(sc.pos))}`);
          return this.syntaxError();
        }
        // legacy Yahoo: `mta1465.mail.ne1.yahoo.com  from=yahoo.com; domainkeys=pass`
        this.violate('missing ";" after authserv-id');
        if (!this.readResinfo(results)) return this.syntaxError();
      }
    }

    let sawNone = false;
    for (;;) {
      if (!sc.skipCFWS()) return this.syntaxError();
      if (sc.atEnd()) break;
      if (sc.peek() !== ';') {
        sc.fail(`expected ";" before ${snippet(sc.src.slice(sc.pos))}`);
        return this.syntaxError();
      }
      sc.pos++;
      if (!sc.skipCFWS()) return this.syntaxError();
      if (sc.atEnd()) {
        if (results.length > 0 || sawNone) this.violate('trailing ";"');
        else this.violate('";" without "none"');
        break;
      }
      if (sawNone) {
        sc.fail('"none" must be the only result');
        return this.syntaxError();
      }
      if (sc.peek() === ';') {
        if (this.noAuthserv || this.microsoft) continue;
        sc.fail('empty result between ";;"');
        return this.syntaxError();
      }
      if (!this.atAssignment()) {
        const start = sc.pos;
        const tok = sc.readToken();
        if (tok.toLowerCase() === 'none' && results.length === 0) {
          sawNone = true;
          continue;
        }
        if (tok.length > 0 && (this.noAuthserv || this.microsoft || (/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(tok) && /\bcompauth[ \t\r\n]*=/i.test(sc.src)))) {
          // Microsoft repeats the recipient domain as a bare segment: `header.d=none;outlook.com;`,
          // also after a real authserv-id; its `compauth=` result marks the header as Microsoft's
          this.violate('stray segment skipped (Microsoft format)', start);
          if (!sc.skipCFWS()) return this.syntaxError();
          if (sc.atEnd() || sc.peek() === ';') continue;
        }
        sc.fail(tok.length > 0 ? `${snippet(tok)} is not a "method=result"` : `unexpected ${snippet(sc.src.slice(start))}`, start);
        return this.syntaxError();
      }
      if (results.length === 0 && sawNone) {
        sc.fail('"none" must be the only result');
        return this.syntaxError();
      }
      if (!this.readResinfo(results)) return this.syntaxError();
    }

    for (const r of results) {
      if (!r.registered && this.microsoft && isMicrosoftResult(r.method, r.result)) {
        r.registered = true;
        this.warn(`Microsoft result word ${r.method}=${r.result}`);
      }
    }
    const header: AuthResHeader = {
      authservId,
      results,
      warnings: this.warnings,
      violations: this.violations,
      strict: this.violations.length === 0,
      unregistered: this.unregistered,
    };
    if (version !== undefined) header.version = version;
    if (this.instance !== undefined) header.instance = this.instance;
    const bad = results.find((r) => !r.registered);
    if (bad) {
      return {
        ok: false,
        header,
        error: {
          kind: 'semantic',
          message: `${bad.method}=${bad.result}: ${snippet(bad.result)} is not a registered result for ${bad.method} (RFC 8601 §2.7)`,
        },
      };
    }
    return { ok: true, header };
  }

  syntaxError(): AuthResParse {
    const e = this.sc.error ?? { message: 'malformed header', offset: this.sc.pos };
    return { ok: false, error: { kind: 'syntax', message: e.message, offset: e.offset } };
  }

  /** resinfo = methodspec [ reasonspec ] *propspec (RFC 8601 §2.2), cursor at the method. */
  readResinfo(results: AuthResult[]): boolean {
    const sc = this.sc;
    const mstart = sc.pos;
    const method = sc.readToken();
    const methodShape = keywordShape(method);
    if (methodShape === 0) return sc.fail(`method name ${snippet(method)} is not a keyword`, mstart);
    // a plain object stays in V8's fast mode; "__proto__" is refused below instead of a null prototype
    const r: AuthResult = { method: method.toLowerCase(), result: '', props: {}, comments: [], registered: true };
    const firstComment = sc.comments.length;
    if (!sc.skipCFWS()) return false;
    if (sc.peek() === '/') {
      sc.pos++;
      if (!sc.skipCFWS()) return false;
      const v = sc.readToken();
      if (!/^[0-9]+$/.test(v)) return sc.fail(`method version ${snippet(v)} is not a number`);
      r.methodVersion = v;
      if (!sc.skipCFWS()) return false;
    }
    if (sc.peek() !== '=') return sc.fail(`expected "=" after method ${snippet(method)}`);
    sc.pos++;
    if (!sc.skipCFWS()) return false;
    const rstart = sc.pos;
    const result = sc.readToken();
    const resultShape = keywordShape(result);
    if (resultShape === 0) {
      // legacy Yahoo `from=yahoo.com;` names the domain of the next result: not a result itself
      if (r.method === 'from' && result.length > 0) {
        this.warn('legacy "from=domain" annotation skipped');
        return sc.skipCFWS();
      }
      return sc.fail(result.length ? `result ${snippet(result)} is not a keyword` : `missing result after "${method}="`, rstart);
    }
    r.result = result.toLowerCase();
    r.registered = isRegisteredResult(r.method, r.result);
    if (methodShape === 2) this.underscore(method, mstart);
    if (resultShape === 2) this.underscore(result, rstart);
    // looked up once: every property of the result is checked against it
    const registered = methodProperties(r.method);
    if (registered === undefined) this.unregisteredName(unregisteredMethod(r.method), mstart);
    let sawProperty = false;

    for (;;) {
      if (!sc.skipCFWS()) return false;
      if (sc.atEnd() || sc.peek() === ';') break;
      const pstart = sc.pos;
      let name = sc.readToken();
      if (name.length === 0) return sc.fail(`unexpected ${snippet(sc.src.slice(pstart))} in ${r.method} result`);
      if (!sc.skipCFWS()) return false;
      // propspec = ptype [CFWS] "." [CFWS] property (RFC 8601 §2.2): `smtp (c) . mailfrom=`
      while (name.endsWith('.') || (sc.peek() === '.' && !name.includes('.'))) {
        const part = sc.readToken();
        if (part.length === 0) return sc.fail(`property name ${snippet(name)} is not ptype.property`, pstart);
        name += name.endsWith('.') && part.startsWith('.') ? part.slice(1) : part;
        if (!sc.skipCFWS()) return false;
      }
      if (sc.peek() !== '=') return sc.fail(`property ${snippet(name)} has no "=value"`, pstart);
      sc.pos++;
      const before = sc.pos;
      if (!sc.skipCFWS()) return false;
      let value = '';
      PROPERTY_START.lastIndex = sc.pos;
      const emptyValue = sc.atEnd() || sc.peek() === ';' || (sc.pos > before && PROPERTY_START.test(sc.src));
      if (!emptyValue) {
        const v = readPvalue(sc);
        if (v === undefined) return false;
        if (!v.strict)
          this.violate(
            'special characters in an unquoted value',
            before,
            `special characters in the unquoted value ${snippet(v.value)}: RFC 8601 §2.2 pvalue takes a token, a quoted-string or local-part@domain`,
          );
        value = v.value;
      } else {
        this.violate(
          'empty value',
          before,
          `${snippet(name)} has an empty value: RFC 8601 §2.2 pvalue is a token, a quoted-string ("" when empty) or local-part@domain`,
        );
      }
      const key = name.toLowerCase();
      // pvalue is [ [ local-part ] "@" ] domain-name for these (RFC 8601 §2.2, §2.7): no empty label
      if (DOMAIN_PROPS.has(key) && value && /(?:^|@|\.)\.|^\.|\.\.|@$/.test(value.replace(/\.$/, ''))) {
        this.violate(
          'domain with an empty label',
          before,
          `${key}=${snippet(value)} is not a domain-name: a label is empty (RFC 8601 §2.2 pvalue, RFC 5321 §4.1.2)`,
        );
      }
      const dot = key.indexOf('.');
      if (dot === -1) {
        if (key === 'reason') {
          // resinfo = methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]: one reason, before the properties
          if (r.reason !== undefined)
            this.violate('more than one reason', pstart, `a second reason= in the ${r.method} result: RFC 8601 §2.2 allows one reasonspec`);
          else {
            if (sawProperty)
              this.violate(
                'reason after properties',
                pstart,
                `reason= after the properties of the ${r.method} result: RFC 8601 §2.2 puts it right after the result`,
              );
            r.reason = value;
          }
          continue;
        }
        this.violate('property without ptype', pstart);
        if (!isKeyword(key)) return sc.fail(`property name ${snippet(name)} is not a keyword`, pstart);
      } else {
        if (!this.checkPropertyName(r.method, registered, key, dot, name, pstart)) return false;
      }
      sawProperty = true;
      if (key !== '__proto__' && !Object.hasOwn(r.props, key)) r.props[key] = value;
    }
    r.comments = sc.comments.slice(firstComment);
    results.push(r);
    return true;
  }
}

/** Parse one Authentication-Results field body (without the field name). Never throws. */
export function parseAuthResults(value: string): AuthResParse {
  if (typeof value !== 'string') {
    return { ok: false, error: { kind: 'syntax', message: 'header value is not a string' } };
  }
  if (value.length > MAX_AUTHRES_LENGTH) {
    return {
      ok: false,
      error: { kind: 'syntax', message: `header is ${value.length} characters, over the ${MAX_AUTHRES_LENGTH} limit: not a real Authentication-Results` },
    };
  }
  return new AuthResParser(value).parse();
}
