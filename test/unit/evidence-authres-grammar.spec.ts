/**
 * Headers generated from the RFC 8601 §2.2 ABNF, with RFC 5322 §3.2.2 CFWS (comments, nested
 * comments, quoted-pairs, folding white space) put at every position the grammar allows it. A
 * header with CFWS must parse exactly as the same header without: same authserv-id, version,
 * results, properties, values and findings (only the comments and the offsets differ).
 *
 *   authres-header = [CFWS] authserv-id [ CFWS authres-version ] ( no-result / 1*resinfo ) [CFWS]
 *   no-result      = [CFWS] ";" [CFWS] "none"
 *   resinfo        = [CFWS] ";" methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]
 *   methodspec     = [CFWS] method [CFWS] "=" [CFWS] result
 *   method         = Keyword [ [CFWS] "/" [CFWS] method-version ]
 *   reasonspec     = "reason" [CFWS] "=" [CFWS] value
 *   propspec       = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
 *   pvalue         = [CFWS] ( value / [ [ local-part ] "@" ] domain-name ) [CFWS]
 */
import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { parseAuthResults } from '../../src/evidence/authres.ts';
import { parseArcAuthResults } from '../../src/evidence/authres-arc.ts';
import type { AuthResParse } from '../../src/evidence/authres.ts';

interface Prop {
  ptype: string;
  property: string;
  value: string;
}
interface Res {
  method: string;
  version?: string;
  result: string;
  reason?: string;
  props: Prop[];
}
interface Hdr {
  authserv: string;
  version?: string;
  /** no results: `; none` */
  results: Res[];
}

/** A CFWS slot: its name, and whether the grammar needs CFWS there (a space in the plain form). */
type Gap = (slot: string, required: boolean) => string;

const plain: Gap = (_slot, required) => (required ? ' ' : '');

/**
 * What real receivers write that the grammar does not allow: no authserv-id (Microsoft 365),
 * a trailing ";", Microsoft's stray domain segment after a real authserv-id.
 */
type Dialect = 'valid' | 'no-authserv' | 'trailing-semicolon' | 'stray-segment';

/** The header text, with `gap` deciding what goes into each CFWS position. */
function render(h: Hdr, gap: Gap, dialect: Dialect = 'valid'): string {
  let s = gap('lead', false);
  if (dialect !== 'no-authserv') {
    s += h.authserv;
    if (h.version !== undefined) s += gap('authserv', true) + h.version + gap('version', false);
    else s += gap('authserv', false);
  }
  if (h.results.length === 0)
    return s + ';' + gap('none-before', false) + 'none' + gap('none', false) + (dialect === 'trailing-semicolon' ? ';' : '') + gap('tail', false);
  h.results.forEach((r, i) => {
    const at = `r${i}`;
    if (i > 0) s += gap(`${at}.semi-before`, false);
    if (i === 1 && dialect === 'stray-segment') s += ';' + gap('stray-before', false) + 'outlook.com' + gap('stray-after', false);
    if (i > 0 || dialect !== 'no-authserv') s += ';';
    s += gap(`${at}.semi-after`, false) + r.method + gap(`${at}.method`, false);
    if (r.version !== undefined) s += '/' + gap(`${at}.slash`, false) + r.version + gap(`${at}.mversion`, false);
    s += '=' + gap(`${at}.eq`, false) + r.result;
    const more = r.reason !== undefined || r.props.length > 0;
    s += gap(`${at}.result`, more);
    if (r.reason !== undefined) {
      s += 'reason' + gap(`${at}.reason`, false) + '=' + gap(`${at}.reason-eq`, false) + r.reason;
      s += gap(`${at}.reason-value`, r.props.length > 0);
    }
    r.props.forEach((p, j) => {
      const pat = `${at}.p${j}`;
      s += p.ptype + gap(`${pat}.ptype`, false) + '.' + gap(`${pat}.dot`, false) + p.property + gap(`${pat}.property`, false);
      s += '=' + gap(`${pat}.eq`, false) + p.value + gap(`${pat}.value`, j < r.props.length - 1);
    });
  });
  return s + (dialect === 'trailing-semicolon' ? ';' : '') + gap('tail', false);
}

/** Every slot name of a header, in order. */
function slots(h: Hdr, dialect: Dialect = 'valid'): string[] {
  const names: string[] = [];
  render(
    h,
    (slot, required) => {
      names.push(slot);
      return plain(slot, required);
    },
    dialect,
  );
  return names;
}

/** CFWS forms (RFC 5322 §3.2.2): each one is valid CFWS on its own, so any slot may take any. */
const CFWS = [
  ' ',
  '\t',
  '\r\n ',
  '(c)',
  ' (comment) ',
  '(nested (deeper (deepest)) back)',
  '(quoted-pairs \\( \\) \\\\ \\" inside)',
  '(an escaped \\) is no end)',
  '(an escaped \\( opens nothing)',
  '\r\n\t(folded\r\n comment)\r\n ',
  '(a)(b)',
  '( )',
  '()',
  '(UTF-8 ünïcödé, RFC 6532)',
  '(specials ; = . @ / " inside)',
];

/**
 * Asserts `text` parses to `expected` (an essence). Compared as JSON first: deep equality over
 * thousands of generated headers is what makes this file slow, and a mismatch still fails with
 * the full difference.
 */
function expectSame(text: string, expected: unknown, label: string): void {
  const got = essence(parseAuthResults(text));
  if (JSON.stringify(got) !== JSON.stringify(expected)) expect(got, `${label}: ${JSON.stringify(text)}`).toEqual(expected);
}

/** The parse without what CFWS may change: comments, and offsets of the findings. */
function essence(p: AuthResParse): unknown {
  const header = p.header && {
    authservId: p.header.authservId,
    version: p.header.version,
    strict: p.header.strict,
    results: p.header.results.map(({ comments: _, ...r }) => r),
    violations: p.header.violations.map((v) => v.message),
    unregistered: p.header.unregistered.map((u) => u.message),
    warnings: p.header.warnings,
  };
  return p.ok ? { ok: true, header } : { ok: false, kind: p.error.kind, message: p.error.message, header };
}

const prop = (ptype: string, property: string, value: string): Prop => ({ ptype, property, value });

/** Headers of registered methods (IANA "Email Authentication Methods"), every value form of pvalue. */
const HEADERS: Hdr[] = [
  {
    authserv: 'mx.example.org',
    version: '1',
    results: [
      {
        method: 'dkim',
        version: '1',
        result: 'pass',
        reason: '"good signature"',
        props: [prop('header', 'd', 'a.example'), prop('header', 'i', '@a.example')],
      },
      { method: 'spf', result: 'fail', reason: 'mismatch', props: [prop('smtp', 'mailfrom', 'bounce+id=7@a.example'), prop('smtp', 'helo', 'h.a.example')] },
      { method: 'dmarc', result: 'pass', props: [prop('header', 'from', 'a.example'), prop('policy', 'dmarc', 'reject')] },
    ],
  },
  {
    authserv: '"mx.example.org"',
    results: [
      { method: 'auth', result: 'pass', props: [prop('smtp', 'auth', '"first \\"last\\""@a.example'), prop('smtp', 'mailfrom', 'u@a.example')] },
      { method: 'iprev', result: 'pass', props: [prop('policy', 'iprev', '192.0.2.200')] },
      { method: 'arc', result: 'pass', props: [prop('header', 'oldest-pass', '0')] },
    ],
  },
  {
    authserv: 'MX.Example.ORG',
    results: [
      { method: 'DKIM', result: 'FAIL', reason: '"key \\"k1\\" (old); revoked"', props: [prop('HEADER', 'D', 'A.Example'), prop('Header', 'B', '"Ab/Cd+9="')] },
      { method: 'SMIME', result: 'Pass', props: [prop('body', 'smime-identifier', 'u@a.example'), prop('body', 'smime-part', '1')] },
    ],
  },
  {
    authserv: 'mx.example.org',
    results: [
      { method: 'dkim-adsp', result: 'pass', props: [prop('header', 'from', 'a.example')] },
      { method: 'vbr', result: 'pass', props: [prop('header', 'md', 'a.example'), prop('header', 'mv', 'certifier.example')] },
      { method: 'rrvs', result: 'unknown', props: [prop('smtp', 'rcptto', 'u@a.example')] },
      {
        method: 'dnswl',
        result: 'pass',
        props: [prop('dns', 'zone', 'list.example'), prop('policy', 'ip', '127.0.10.1'), prop('policy', 'txt', '"listed; low risk"')],
      },
      { method: 'bimi', result: 'pass', props: [prop('header', 'd', 'a.example'), prop('header', 'selector', 'default')] },
    ],
  },
  { authserv: 'mx.example.org', version: '1', results: [] },
  {
    authserv: 'mx.example.org',
    results: [
      { method: 'spf', result: 'none', props: [prop('smtp', 'mailfrom', '""')] },
      { method: 'spf', result: 'pass', props: [prop('smtp', 'mailfrom', 'SRS0=Ab12=XY=a.example=user@b.example'), prop('smtp', 'helo', 'h.b.example')] },
    ],
  },
  { authserv: 'mx.example.org', results: [{ method: 'dkim', result: 'neutral', reason: '""', props: [] }] },
  { authserv: 'mx.example.org', results: [{ method: 'sender-id', result: 'pass', props: [prop('header', 'from', 'jörg@bücher.example')] }] },
];

test('the generated headers are grammar-valid and parse as written', () => {
  for (const h of HEADERS) {
    const text = render(h, plain);
    const p = parseAuthResults(text);
    expect(p.ok, text).toBe(true);
    if (!p.ok) continue;
    expect(p.header.strict, `${text}: ${p.header.violations.map((v) => v.message).join('; ')}`).toBe(true);
    expect(p.header.version).toBe(h.version);
    expect(p.header.results.map((r) => [r.method, r.methodVersion, r.result])).toEqual(
      h.results.map((r) => [r.method.toLowerCase(), r.version, r.result.toLowerCase()]),
    );
    // values are verbatim but for the quotes of a whole quoted-string, which the parse removes
    const unquote = (v: string) => (/^"(?:[^"\\]|\\.)*"$/.test(v) ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);
    for (const [i, r] of h.results.entries()) {
      expect(p.header.results[i].props).toEqual(Object.fromEntries(r.props.map((q) => [`${q.ptype}.${q.property}`.toLowerCase(), unquote(q.value)])));
      expect(p.header.results[i].reason).toBe(r.reason === undefined ? undefined : unquote(r.reason));
    }
  }
});

test('CFWS at each single position the grammar allows, in every form, parses as without', () => {
  let checked = 0;
  for (const h of HEADERS) {
    const expected = essence(parseAuthResults(render(h, plain)));
    for (const at of slots(h)) {
      for (const form of CFWS) {
        const text = render(h, (slot, required) => (slot === at ? form : plain(slot, required)));
        expectSame(text, expected, at);
        checked++;
      }
    }
  }
  // every slot of every header, every form: the loop above really ran over all of them
  expect(checked).toBe(HEADERS.reduce((n, h) => n + slots(h).length, 0) * CFWS.length);
});

test('a comment written at a position is kept with the result it follows', () => {
  const h = HEADERS[0];
  for (const at of slots(h).filter((s) => s.startsWith('r1.'))) {
    const text = render(h, (slot, required) => (slot === at ? ' (marker) ' : plain(slot, required)));
    const p = parseAuthResults(text);
    if (!p.ok) throw new Error(`${at}: ${text}: ${p.error.message}`);
    // before its ";" a comment still follows the previous result
    const owner = at.endsWith('.semi-before') ? 0 : 1;
    expect(
      p.header.results.map((r) => r.comments),
      `${at}: ${text}`,
    ).toEqual([0, 1, 2].map((i) => (i === owner ? ['marker'] : [])));
  }
});

test('CFWS at every position at once, random forms: parses as without', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...HEADERS),
      fc.array(fc.option(fc.constantFrom(...CFWS), { nil: undefined, freq: 2 }), { minLength: 64, maxLength: 64 }),
      (h, forms) => {
        let i = 0;
        const text = render(h, (slot, required) => forms[i++ % forms.length] ?? plain(slot, required));
        expectSame(text, essence(parseAuthResults(render(h, plain))), 'random');
      },
    ),
    { numRuns: 400 },
  );
});

/** RFC 8601 Appendix B examples, and the same with a comment in every place CFWS may go. */
const APPENDIX_B: Array<[string, string]> = [
  ['example.org 1; none', '(B.2) example.org (receiver) 1 (version) ; (no results) none (end)'],
  [
    'example.com; auth=pass smtp.auth=sender@example.net; spf=pass smtp.mailfrom=example.net',
    'example.com (B.3); auth (smtp) = (ok) pass (cram-md5) smtp (a) . (b) auth (c) = (d) sender@example.net (e); spf = pass smtp.mailfrom = (f) example.net',
  ],
  ['example.com; iprev=pass policy.iprev=192.0.2.200', 'example.com;\r\n  iprev=pass\r\n  policy.iprev=192.0.2.200 (mail.example.net)'],
  [
    'example.com; sender-id=fail header.from=example.com; dkim=pass header.d=example.com',
    'example.com;\r\n  sender-id=fail header.from=example.com;\r\n  dkim=pass (good signature) header.d=example.com',
  ],
  [
    'mail-router.example.net; dkim=pass header.d=newyork.example.com header.b=oINEO8hg; dkim=fail header.d=mail-router.example.net header.b=EToRSuvU',
    'mail-router.example.net;\r\n  dkim=pass (good signature) header.d=newyork.example.com\r\n    header.b=oINEO8hg;\r\n  dkim=fail (bad signature) header.d=mail-router.example.net\r\n    header.b=EToRSuvU',
  ],
  [
    'example.com; dkim=pass reason="good signature" header.i=@mail-router.example.net; dkim=fail reason="bad signature" header.i=@newyork.example.com',
    'example.com (B.7);\r\n  dkim=pass (1) reason (2) = (3) "good signature" (4)\r\n    header.i=@mail-router.example.net;\r\n  dkim=fail reason="bad signature"\r\n    header.i (5) = (6) @newyork.example.com (7)',
  ],
  [
    'foo.example.net 1; dkim/1=fail policy.expired=1362471462',
    "foo.example.net (foobar) 1 (baz);\r\n  dkim (Because I like it) / 1 (One yay) = (wait for it) fail\r\n  policy (A dot can go here) . (like that) expired\r\n  (this surprised me) = (as I wasn't expecting it) 1362471462",
  ],
];

test('RFC 8601 Appendix B examples parse the same with comments everywhere', () => {
  for (const [bare, commented] of APPENDIX_B) {
    const a = parseAuthResults(bare);
    expect(a.ok, bare).toBe(true);
    expect(a.ok && a.header.strict, bare).toBe(true);
    expect(essence(parseAuthResults(commented)), commented).toEqual(essence(a));
  }
  // B.8: the method version and the dotted property survive every comment
  const b8 = parseAuthResults(APPENDIX_B[6][1]);
  expect(b8.ok && b8.header.results[0]).toMatchObject({ method: 'dkim', methodVersion: '1', result: 'fail', props: { 'policy.expired': '1362471462' } });
  expect(b8.ok && b8.header.results[0].comments).toEqual([
    'Because I like it',
    'One yay',
    'wait for it',
    'A dot can go here',
    'like that',
    'this surprised me',
    "as I wasn't expecting it",
  ]);
});

test('a pvalue after CFWS that holds "=" is still the value: SRS and atext local-parts', () => {
  for (const value of ['SRS0=Ab12=XY=a.example=user@b.example', 'id=7@a.example', 'x=y+z@a.example']) {
    for (const gap of [' ', '(c)', '\r\n ']) {
      const p = parseAuthResults(`mx.example.org; spf=pass smtp.mailfrom=${gap}${value} smtp.helo=h.a.example`);
      expect(p.ok && p.header.results[0].props, `${gap}${value}`).toEqual({ 'smtp.mailfrom': value, 'smtp.helo': 'h.a.example' });
      expect(p.ok && p.header.strict, `${gap}${value}`).toBe(true);
    }
  }
  // an empty value followed by the next property stays an empty value, as real MTAs write it
  const empty = parseAuthResults('mx.example.org; dkim=pass header.d= header.i=@a.example; spf=pass smtp.mailfrom= action=none');
  expect(empty.ok && empty.header.results.map((r) => r.props)).toEqual([
    { 'header.d': '', 'header.i': '@a.example' },
    { 'smtp.mailfrom': '', action: 'none' },
  ]);
});

/** Each dialect, the violation it is listed with, and whether it applies to a header. */
const DIALECTS: Array<{ dialect: Dialect; violation: string; applies: (h: Hdr) => boolean; microsoft?: boolean }> = [
  { dialect: 'no-authserv', violation: 'no authserv-id (Microsoft format)', applies: (h) => h.results.length > 0 },
  { dialect: 'trailing-semicolon', violation: 'trailing ";"', applies: () => true },
  { dialect: 'stray-segment', violation: 'stray segment skipped (Microsoft format)', applies: (h) => h.results.length > 1, microsoft: true },
];

/** The results of a parse without comments: what a dialect must leave unchanged. */
const resultsOf = (p: AuthResParse) => p.header?.results.map(({ comments: _, ...r }) => r);

test('what receivers write outside the grammar is read as the grammar-valid header, with the violation listed', () => {
  let checked = 0;
  for (const { dialect, violation, applies, microsoft } of DIALECTS) {
    for (const base of HEADERS.filter(applies)) {
      const h = microsoft ? { ...base, authserv: 'BN8NAM11.prod.outlook.com' } : base;
      const valid = parseAuthResults(render(h, plain));
      const text = render(h, plain, dialect);
      const p = parseAuthResults(text);
      expect(p.ok, text).toBe(true);
      if (!p.ok) continue;
      expect(resultsOf(p), text).toEqual(resultsOf(valid));
      expect(p.header.authservId, text).toBe(dialect === 'no-authserv' ? null : valid.header?.authservId);
      expect(p.header.strict, text).toBe(false);
      expect(
        p.header.violations.map((v) => v.message),
        text,
      ).toEqual([violation]);
      // and CFWS anywhere in the deviant header changes nothing either
      const lenient = essence(p);
      for (const at of slots(h, dialect)) {
        for (const form of CFWS) {
          const spaced = render(h, (slot, required) => (slot === at ? form : plain(slot, required)), dialect);
          expectSame(spaced, lenient, `${dialect} ${at}`);
          checked++;
        }
      }
    }
  }
  expect(checked).toBeGreaterThan(3000);
});

test('the stray segment after a real authserv-id is skipped only in Microsoft headers', () => {
  const h = HEADERS[0];
  const p = parseAuthResults(render(h, plain, 'stray-segment'));
  expect(!p.ok && p.error).toMatchObject({ kind: 'syntax', message: '"outlook.com" is not a "method=result"' });
});

test('UTF-8 in an unquoted value that is no address or domain-name: read, listed as a violation (RFC 2045 §5.1, RFC 6532 §3.2)', () => {
  for (const gap of ['', ' (c) ']) {
    const p = parseAuthResults(`mx.example.org; dkim=pass header.d=bücher.example header.s=${gap}sélecteur${gap}; spf=pass smtp.mailfrom=jörg@bücher.example`);
    expect(p.ok).toBe(true);
    if (!p.ok) continue;
    expect(p.header.results[0].props).toEqual({ 'header.d': 'bücher.example', 'header.s': 'sélecteur' });
    expect(p.header.violations.map((v) => v.message)).toEqual([expect.stringContaining('UTF-8 in the unquoted value "sélecteur"')]);
  }
  // quoted, the same value is grammar-valid
  const quoted = parseAuthResults('mx.example.org; dkim=pass header.d=bücher.example header.s="sélecteur"');
  expect(quoted.ok && quoted.header.strict).toBe(true);
});

test('ARC-Authentication-Results: CFWS before the instance tag and before its ";" (RFC 8617 §4.1.2)', () => {
  const bare = parseArcAuthResults('i=2; relay.example.org; spf=pass smtp.mailfrom=a.example');
  expect(bare.ok && bare.header.instance).toBe(2);
  for (const text of [
    ' (lead) i = 2 (hop two) ; relay.example.org; spf=pass smtp.mailfrom=a.example',
    '\r\n i=2\r\n (folded\r\n comment) ;(c) relay.example.org (c) ;spf=pass smtp.mailfrom=a.example',
  ]) {
    const p = parseArcAuthResults(text);
    expect(p.ok && p.header.instance, text).toBe(2);
    expect(essence(p), text).toEqual(essence(bare));
  }
  // a comment inside the tag is not allowed by the ABNF, nor a missing ";"
  for (const bad of ['i (c) =2; relay.example.org; none', 'i=2 relay.example.org; none']) {
    const p = parseArcAuthResults(bad);
    expect(!p.ok && p.error.message, bad).toContain('must start with "i=<instance>;"');
  }
});
