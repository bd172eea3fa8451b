/**
 * Hostile sizes: a 64 KB header, 10,000 nested comments, 5,000 results. The parser must finish in
 * linear time without crashing. Work is counted (characters the lexer reads, re-reads included:
 * parseAuthResultsCounted), not timed, so a quadratic path fails here on any machine; speed
 * figures belong to bench/parsers.bench.ts.
 */
import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { MAX_AUTHRES_LENGTH, parseAuthResults, parseAuthResultsCounted } from '../../src/evidence/authres.ts';
import { MAX_COMMENT_DEPTH } from '../../src/evidence/scanner.ts';

/**
 * Most characters read per input character. The parser looks ahead once per result (is this
 * `method=`?) and counts each lexer call as one more: a small constant. A quadratic path reads
 * thousands of times more on these sizes.
 */
const PER_CHAR = 6;

function counted(text: string) {
  const { parse, work } = parseAuthResultsCounted(text);
  expect(work, `${text.length} characters`).toBeLessThanOrEqual(PER_CHAR * (text.length + 1));
  return { parse, work };
}

/** `piece` repeated until the text is `length` characters (cut at the end). */
const repeatTo = (head: string, piece: string, length: number) => (head + piece.repeat(Math.ceil((length - head.length) / piece.length))).slice(0, length);

test('5,000 results: all read, work linear in their number', () => {
  const header = (n: number) => 'mx.example.org' + '; spf=none'.repeat(n);
  const { parse, work } = counted(header(5000));
  expect(parse.ok).toBe(true);
  expect(parse.header?.results).toHaveLength(5000);
  expect(parse.header?.results.every((r) => r.method === 'spf' && r.result === 'none')).toBe(true);
  // twice the results, twice the work (not four times)
  const half = counted(header(2500)).work;
  expect(work / half).toBeLessThan(2.05);
});

test('a 64 KB header of real-looking results parses; one character more is refused with the limit named', () => {
  const piece = '; dkim=pass (2048-bit key) header.d=a.example header.i=@a.example header.s=sel header.b="Ab/Cd+9="';
  // pad with folding white space so the field is exactly the limit and still ends cleanly
  const body = 'mx.example.org' + piece.repeat(Math.floor((MAX_AUTHRES_LENGTH - 14) / piece.length));
  const text = body + ' '.repeat(MAX_AUTHRES_LENGTH - body.length);
  expect(text.length).toBe(MAX_AUTHRES_LENGTH);
  const { parse } = counted(text);
  expect(parse.ok).toBe(true);
  expect(parse.header?.results.length).toBe(Math.floor((MAX_AUTHRES_LENGTH - 14) / piece.length));
  expect(parse.header?.results.at(-1)?.props).toEqual({ 'header.d': 'a.example', 'header.i': '@a.example', 'header.s': 'sel', 'header.b': 'Ab/Cd+9=' });
  const over = parseAuthResults(text + ' ');
  expect(!over.ok && over.error.message).toContain(`over the ${MAX_AUTHRES_LENGTH} limit`);
});

test('10,000 nested comments: a syntax error naming the depth limit, found without reading on', () => {
  const { parse, work } = counted('mx.example.org; spf=pass (' + '('.repeat(9999) + ')'.repeat(10_000));
  expect(!parse.ok && parse.error).toMatchObject({ kind: 'syntax', message: `comments nested deeper than ${MAX_COMMENT_DEPTH}` });
  expect(work).toBeLessThan(1000);
  // as deep as the limit is read, and kept as one comment
  const deep = '('.repeat(MAX_COMMENT_DEPTH) + 'x' + ')'.repeat(MAX_COMMENT_DEPTH);
  const ok = counted(`mx.example.org; spf=pass ${deep} smtp.mailfrom=a.example`).parse;
  expect(ok.ok && ok.header.results[0].comments).toEqual([deep.slice(1, -1)]);
});

test('10,000 comments in a row, and a 60,000-character comment: linear, all kept', () => {
  const many = counted('mx.example.org; spf=pass' + ' (c)'.repeat(10_000) + ' smtp.mailfrom=a.example').parse;
  expect(many.ok && many.header.results[0].comments).toHaveLength(10_000);
  // the look-ahead for "method=" reads a comment after the method a second time, no more
  const long = counted('mx.example.org; spf (' + 'x'.repeat(60_000) + ') = pass').parse;
  expect(long.ok && long.header.results[0].comments[0]).toHaveLength(60_000);
});

test('long values, escapes, empty values and stray segments stay linear', () => {
  const cases = [
    // a quoted-string of 30,000 quoted-pairs
    `mx.example.org; dkim=fail reason="${'\\"'.repeat(30_000)}"`,
    // 6,000 empty values, each followed by the next property
    repeatTo('mx.example.org; dkim=pass', ' header.d=', 60_000),
    // 6,000 Microsoft stray segments before the compauth= that marks the header as Microsoft's
    'mx.example.net; spf=pass smtp.mailfrom=a.example' + '; a.example'.repeat(5000) + '; compauth=pass reason=100',
    // the same without authserv-id, with ";;" runs
    'spf=pass smtp.mailfrom=a.example' + ';; outlook.com'.repeat(4000),
    // one unquoted value of 60,000 special characters
    'mx.example.org; bimi=pass policy.authority-uri=' + 'https://a.example/'.repeat(3300),
  ];
  for (const text of cases) {
    expect(text.length).toBeLessThanOrEqual(MAX_AUTHRES_LENGTH);
    const { parse } = counted(text);
    expect(parse.ok, text.slice(0, 80)).toBe(true);
    // the lists of findings stay bounded however often a deviation repeats
    expect(parse.header!.warnings.length + parse.header!.violations.length).toBeLessThanOrEqual(40);
  }
});

test('any mix of grammar pieces and junk, up to the size limit: linear work, never a throw', () => {
  const piece = fc.constantFrom(
    '; spf=pass',
    ' smtp.mailfrom=a.example',
    ' (c)',
    '(',
    ')',
    '"',
    '\\',
    ' header.d=',
    '; a.example',
    ';',
    '=',
    '.',
    '/1',
    ' reason="x"',
    ' x=y@a.example',
    '\r\n ',
    'compauth=pass',
    'i=1;',
  );
  fc.assert(
    fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1000, max: MAX_AUTHRES_LENGTH }), (pieces, length) => {
      const text = repeatTo('mx.example.org', pieces.join(''), length);
      const { parse } = counted(text);
      expect(typeof parse.ok).toBe('boolean');
    }),
    { numRuns: 60 },
  );
});
