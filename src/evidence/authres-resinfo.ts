/**
 * One result of an Authentication-Results field (RFC 8601 §2.2):
 *
 *   resinfo    = [CFWS] methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]
 *   methodspec = [CFWS] method [CFWS] "=" [CFWS] result
 *   method     = Keyword [ [CFWS] "/" [CFWS] method-version ]
 *   reasonspec = "reason" [CFWS] "=" [CFWS] value
 *   propspec   = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
 *
 * Read leniently, each deviation listed (./authres-state.ts): a property without ptype, an empty
 * or unquoted special value (./authres-value.ts), "_" in a keyword, a repeated or late reason,
 * legacy Yahoo `from=domain`. Names are checked against the IANA registries
 * (./authres-registry.ts). mailauth's parser (7.1) keeps one result per method name and reads
 * `smtp (c) . mailfrom` as no property, so it is not used for this.
 */
import { isKeyword, keywordShape } from './scanner.ts';
import type { Scanner } from './scanner.ts';
import { isRegisteredResult, methodProperties, REGISTERED_PTYPES, unregisteredMethod, unregisteredProperty, unregisteredPtype } from './authres-registry.ts';
import { readPvalue } from './authres-value.ts';
import { snippet } from './text.ts';
import type { AuthResState } from './authres-state.ts';
import type { AuthResult } from './authres-types.ts';

/** Properties whose value is a domain or local-part@domain. */
const DOMAIN_PROPS = new Set(['header.d', 'header.from', 'header.i', 'smtp.mailfrom', 'smtp.helo', 'policy.d']);

/** `name=` or `ptype.property=` at the cursor (sticky): groups ptype-or-name, ".property". */
const PROPERTY_START = /([A-Za-z0-9_-]+)(\.[A-Za-z0-9_-]+)?[ \t\r\n]*=/y;

/**
 * After `name=` and CFWS, is the next word the following property, the value left empty (real
 * MTAs write `header.d= header.i=@a.example`), rather than a pvalue holding "="? A local-part may
 * hold "=" (RFC 5322 §3.2.3 atext; SRS addresses `SRS0=h=t=a.example=u@b.example`), so a word
 * with "@" after its "=" is a value, unless its name has a registered ptype (`header.i=@...`).
 */
function valueLeftEmpty(sc: Scanner): boolean {
  const src = sc.src;
  PROPERTY_START.lastIndex = sc.pos;
  const m = PROPERTY_START.exec(src);
  if (m === null) return false;
  sc.work += m[0].length;
  if (m[2] !== undefined && REGISTERED_PTYPES.has(m[1].toLowerCase())) return true;
  let i = PROPERTY_START.lastIndex;
  for (; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x40 || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x3b || c === 0x28) break;
  }
  sc.work += i - PROPERTY_START.lastIndex;
  return src.charCodeAt(i) !== 0x40;
}

/** Is the cursor at `token [/ version] [CFWS] =`? Restores the cursor (and comment list). */
export function atAssignment(st: AuthResState): boolean {
  const sc = st.sc;
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

/**
 * `ptype.property` (dot at `dot`) against the grammar and the IANA registries (RFC 7410 §3,
 * RFC 8601 §6.2); `registered` is the method's property set (./authres-registry.ts). False on
 * a syntax error. A registered name is a valid one: one lookup decides the common case.
 */
function checkPropertyName(
  st: AuthResState,
  method: string,
  registered: ReadonlySet<string> | null | undefined,
  key: string,
  dot: number,
  name: string,
  offset: number,
): boolean {
  if (registered?.has(key)) return true;
  const ptypeShape = keywordShape(key, 0, dot);
  const propertyShape = keywordShape(key, dot + 1);
  if (ptypeShape === 0 || dot === key.length - 1) return st.sc.fail(`property name ${snippet(name)} is not ptype.property`, offset);
  if (propertyShape === 0)
    st.violate('property name not a keyword', offset, `property ${snippet(name)}: RFC 8601 §2.2 property is a Keyword (ALPHA, DIGIT, "-")`);
  else if (ptypeShape === 2 || propertyShape === 2) st.underscore(key, offset);
  const ptype = key.slice(0, dot);
  if (!REGISTERED_PTYPES.has(ptype)) st.unregisteredName(unregisteredPtype(ptype), offset);
  else if (registered) st.unregisteredName(unregisteredProperty(method, key), offset);
  return true;
}

/**
 * resinfo at the cursor (the method), appended to `results`; false on a syntax error. The
 * result's comments are those from `firstComment` on: the caller's mark after the ";" keeps a
 * comment between ";" and the method (methodspec's leading CFWS) with its result.
 */
export function readResinfo(st: AuthResState, results: AuthResult[], firstComment = st.sc.comments.length): boolean {
  const sc = st.sc;
  const mstart = sc.pos;
  const method = sc.readToken();
  const methodShape = keywordShape(method);
  if (methodShape === 0) return sc.fail(`method name ${snippet(method)} is not a keyword`, mstart);
  // a plain object stays in V8's fast mode; "__proto__" is refused below instead of a null prototype
  const r: AuthResult = { method: method.toLowerCase(), result: '', props: {}, comments: [], registered: true };
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
      st.warn('legacy "from=domain" annotation skipped');
      return sc.skipCFWS();
    }
    return sc.fail(result.length ? `result ${snippet(result)} is not a keyword` : `missing result after "${method}="`, rstart);
  }
  r.result = result.toLowerCase();
  r.registered = isRegisteredResult(r.method, r.result);
  if (methodShape === 2) st.underscore(method, mstart);
  if (resultShape === 2) st.underscore(result, rstart);
  // looked up once: every property of the result is checked against it
  const registered = methodProperties(r.method);
  if (registered === undefined) st.unregisteredName(unregisteredMethod(r.method), mstart);
  let sawProperty = false;
  for (;;) {
    if (!sc.skipCFWS()) return false;
    if (sc.atEnd() || sc.peek() === ';') break;
    const read = readPropspec(st, r, registered, sawProperty);
    if (read === undefined) return false;
    sawProperty ||= read;
  }
  r.comments = sc.comments.slice(firstComment);
  results.push(r);
  return true;
}

/**
 * One `ptype.property=pvalue` or `reason=value` of result `r`, stored in it. True when it was a
 * property, false when a reason, undefined on a syntax error.
 */
function readPropspec(st: AuthResState, r: AuthResult, registered: ReadonlySet<string> | null | undefined, sawProperty: boolean): boolean | undefined {
  const sc = st.sc;
  const pstart = sc.pos;
  let name = sc.readToken();
  if (name.length === 0) return fail(sc.fail(`unexpected ${snippet(sc.src.slice(pstart))} in ${r.method} result`));
  if (!sc.skipCFWS()) return undefined;
  // propspec = ptype [CFWS] "." [CFWS] property (RFC 8601 §2.2): `smtp (c) . mailfrom=`
  while (name.endsWith('.') || (sc.peek() === '.' && !name.includes('.'))) {
    const part = sc.readToken();
    if (part.length === 0) return fail(sc.fail(`property name ${snippet(name)} is not ptype.property`, pstart));
    name += name.endsWith('.') && part.startsWith('.') ? part.slice(1) : part;
    if (!sc.skipCFWS()) return undefined;
  }
  if (sc.peek() !== '=') return fail(sc.fail(`property ${snippet(name)} has no "=value"`, pstart));
  sc.pos++;
  const before = sc.pos;
  if (!sc.skipCFWS()) return undefined;
  let value = '';
  const emptyValue = sc.atEnd() || sc.peek() === ';' || (sc.pos > before && valueLeftEmpty(sc));
  if (!emptyValue) {
    const v = readPvalue(sc);
    if (v === undefined) return undefined;
    if (v.utf8)
      st.violate(
        'UTF-8 in an unquoted value',
        before,
        `UTF-8 in the unquoted value ${snippet(v.value)}: RFC 2045 §5.1 token is US-ASCII; UTF-8 goes in a quoted-string or an address (RFC 6532 §3.2, RFC 8616)`,
      );
    else if (!v.strict)
      st.violate(
        'special characters in an unquoted value',
        before,
        `special characters in the unquoted value ${snippet(v.value)}: RFC 8601 §2.2 pvalue takes a token, a quoted-string or local-part@domain`,
      );
    value = v.value;
  } else {
    st.violate(
      'empty value',
      before,
      `${snippet(name)} has an empty value: RFC 8601 §2.2 pvalue is a token, a quoted-string ("" when empty) or local-part@domain`,
    );
  }
  const key = name.toLowerCase();
  // pvalue is [ [ local-part ] "@" ] domain-name for these (RFC 8601 §2.2, §2.7): no empty label
  if (DOMAIN_PROPS.has(key) && value && /(?:^|@|\.)\.|^\.|\.\.|@$/.test(value.replace(/\.$/, ''))) {
    st.violate('domain with an empty label', before, `${key}=${snippet(value)} is not a domain-name: a label is empty (RFC 8601 §2.2 pvalue, RFC 5321 §4.1.2)`);
  }
  const dot = key.indexOf('.');
  if (dot === -1) {
    if (key === 'reason') {
      // resinfo = methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]: one reason, before the properties
      if (r.reason !== undefined) st.violate('more than one reason', pstart, `a second reason= in the ${r.method} result: RFC 8601 §2.2 allows one reasonspec`);
      else {
        if (sawProperty)
          st.violate('reason after properties', pstart, `reason= after the properties of the ${r.method} result: RFC 8601 §2.2 puts it right after the result`);
        r.reason = value;
      }
      return false;
    }
    st.violate('property without ptype', pstart);
    if (!isKeyword(key)) return fail(sc.fail(`property name ${snippet(name)} is not a keyword`, pstart));
  } else if (!checkPropertyName(st, r.method, registered, key, dot, name, pstart)) return undefined;
  if (key !== '__proto__' && !Object.hasOwn(r.props, key)) r.props[key] = value;
  return true;
}

/** The scanner's `false` (error recorded) as this reader's undefined. */
const fail = (_: false): undefined => undefined;
