/**
 * History export/import and the store keep every string exactly: U+2028/U+2029 (valid raw in
 * JSON, line ends for node:readline), lone surrogates (not encodable in UTF-8), NUL, CR, mixed
 * newlines, megabyte fields. A property over arbitrary strings in every text field of a run bundle,
 * plus the named cases and files written before U+2028/U+2029 were escaped.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { collectRun } from '../../src/record/from-results.ts';
import { exportJsonl, importJsonl } from '../../src/record/jsonl.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { fromColumn, toColumn } from '../../src/record/text-column.ts';
import type { CheckRecord, MessageRecord, RunBundle } from '../../src/record/types.ts';
import { linesOf } from '../../src/shared/lines.ts';
import { checkResult, placementResult, sendResult } from '../fixtures/record/results.ts';

const T0 = Date.parse('2026-01-14T10:00:00Z');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mc-jsonl-'));

/** A real run (collected from fixture results) with one field replaced. */
function realBundle(runId: string, edit: (b: RunBundle) => void = () => {}): RunBundle {
  const results = [
    sendResult(runId, T0),
    placementResult(runId, { seedId: 'lab-gmail', variant: 'plain', verdict: 'inbox' }),
    placementResult(runId, { seedId: 'lab-gmx', variant: 'plain', verdict: 'spam' }),
    checkResult('spf › canary.test', 'pass'),
  ];
  const b = collectRun(results, { startedAt: T0, finishedAt: T0 + 60_000, status: 'passed' }).bundle!;
  edit(b);
  return b;
}

/** write → export → import into a fresh store; returns the bundle the fresh store holds, and the file. */
async function roundTrip(
  b: RunBundle,
  where: 'file' | 'memory' = 'file',
): Promise<{ back: RunBundle | undefined; stored: RunBundle | undefined; file: string }> {
  const dir = tmp();
  const a = HistoryStore.open(where === 'file' ? path.join(dir, 'a.sqlite') : ':memory:');
  const fresh = HistoryStore.open(where === 'file' ? path.join(dir, 'b.sqlite') : ':memory:');
  try {
    a.writeRun(b);
    const file = path.join(dir, 'h.jsonl');
    await exportJsonl(a, file);
    await importJsonl(fresh, file);
    return { back: fresh.bundle(b.run.runId), stored: a.bundle(b.run.runId), file };
  } finally {
    a.close();
    fresh.close();
  }
}

/** The store returns messages and checks in its own key order; compare as sets keyed by their ids. */
function canonical(b: RunBundle | undefined): unknown {
  if (!b) return b;
  const key = (...k: string[]) => JSON.stringify(k);
  const sortBy = <T>(xs: T[], k: (x: T) => string) => [...xs].sort((x, y) => (k(x) < k(y) ? -1 : k(x) > k(y) ? 1 : 0));
  return { run: b.run, messages: sortBy(b.messages, (m) => key(m.seedId, m.variant)), checks: sortBy(b.checks, (c) => key(c.title)) };
}

// Code units of every kind: any code point, any single UTF-16 unit (lone surrogates among them),
// and the characters that broke or could break a line-based format.
const unit = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '\u2028',
      '\u2029',
      '\u0000',
      '\r',
      '\n',
      '\r\n',
      '\n\r',
      '\uD800',
      '\uDBFF',
      '\uDC00',
      '\uDFFF',
      '\uFEFF',
      '\u0085',
      '"',
      '\\',
      '\u007f',
    ),
  },
);
const text = fc.string({ unit, maxLength: 24 });
// evidence, bounce and details arrive as parsed JSON attachments: numbers as JSON has them (no -0)
const json = fc.jsonValue({ stringUnit: unit, maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const time = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

const bundleArb: fc.Arbitrary<RunBundle> = fc
  .record({
    run: fc.record(
      {
        runId: text,
        startedAt: time,
        finishedAt: time,
        lab: fc.boolean(),
        status: text,
        aliases: fc.array(text, { maxLength: 3 }),
        gate: fc.record({ baselineRunId: text, regressions: fc.array(text, { maxLength: 3 }) }, { requiredKeys: ['regressions'] }),
      },
      { requiredKeys: ['runId', 'startedAt', 'finishedAt', 'lab', 'status'] },
    ),
    messages: fc.uniqueArray(
      fc.record(
        {
          seedId: text,
          provider: text,
          variant: text,
          expected: text,
          verdict: text,
          testStatus: text,
          address: text,
          tag: text,
          subject: text,
          submittedAt: time,
          auth: fc.dictionary(text, text, { maxKeys: 4, noNullPrototype: true }),
          detail: text,
          evidence: json,
          bounce: json,
          rawHeaders: text,
        },
        { requiredKeys: ['seedId', 'provider', 'variant', 'verdict', 'testStatus', 'auth'] },
      ),
      { maxLength: 4, selector: (m) => JSON.stringify([m.seedId, m.variant]) },
    ),
    checks: fc.uniqueArray(
      fc.record(
        { checkId: text, title: text, target: text, status: text, summary: text, fix: text, details: json },
        { requiredKeys: ['checkId', 'title', 'target', 'status', 'summary'] },
      ),
      { maxLength: 4, selector: (c) => c.title },
    ),
  })
  .map(({ run, messages, checks }) => ({
    run,
    messages: messages.map((m) => ({ runId: run.runId, ...m }) as MessageRecord),
    checks: checks.map((c) => ({ runId: run.runId, ...c }) as CheckRecord),
  }));

test('property: any strings in every text field of a run survive store → export → import into a fresh store', async () => {
  test.setTimeout(120_000);
  await fc.assert(
    fc.asyncProperty(bundleArb, async (b) => {
      // in-memory stores: SQLite treats text the same as in a file, and hundreds of runs stay fast
      const { back, stored } = await roundTrip(b, 'memory');
      // the store keeps what was written, and the fresh store holds exactly what the first one holds
      expect(canonical(stored)).toEqual(canonical(b));
      expect(back).toEqual(stored);
    }),
    { numRuns: 300 },
  );
});

for (const [name, s] of [
  ['U+2028 (LINE SEPARATOR)', 'Gewinn\u2028jetzt abholen'],
  ['U+2029 (PARAGRAPH SEPARATOR)', 'para\u2029graph'],
  ['NUL', 'nul\u0000inside'],
  ['a lone high surrogate', 'cut emoji \uD83D'],
  ['a lone low surrogate', '\uDE00 trailing half'],
  ['CR and mixed newlines', 'a\rb\nc\r\nd\n\re'],
] as const) {
  test(`a Subject with ${name} round-trips through the store and export/import`, async () => {
    const b = realBundle('mc1', (x) => {
      x.messages[0].subject = s;
      x.messages[1].detail = s;
      x.checks[0].summary = s;
    });
    const { back, stored, file } = await roundTrip(b);
    expect(stored!.messages[0].subject).toBe(s);
    expect(back).toEqual(stored);
    expect(back!.messages[0].subject).toBe(s);
    expect(back!.messages[1].detail).toBe(s);
    expect(back!.checks[0].summary).toBe(s);
    // every record is one line, whatever its strings hold
    const raw = readFileSync(file, 'utf8');
    expect(raw.split('\n').filter(Boolean)).toHaveLength(1 + 1 + 2 + 1);
    expect(raw).not.toMatch(/[\u2028\u2029\r]/);
  });
}

test('a 1 MB Subject, raw headers and evidence string round-trip', async () => {
  // 1 KB of ordinary text with every troublesome character in it, 1024 times
  const block = `Subject line ü 😀 \u2028 \u2029 \u0000 \r\n \uD800 \uDFFF `.padEnd(1024, 'x');
  const mb = block.repeat(1024);
  const b = realBundle('mcbig', (x) => {
    x.messages[0].subject = mb;
    x.messages[0].rawHeaders = `Subject: ${mb}\r\n`;
    x.messages[1].evidence = { note: mb };
  });
  expect(mb.length).toBe(1024 * 1024);
  const { back } = await roundTrip(b);
  expect(back!.messages[0].subject === mb).toBe(true);
  expect(back!.messages[0].rawHeaders === `Subject: ${mb}\r\n`).toBe(true);
  expect((back!.messages[1].evidence as { note: string }).note === mb).toBe(true);
});

test('files written before U+2028/U+2029 were escaped import, also with CRLF and mixed line ends', async () => {
  const b = realBundle('mcold', (x) => {
    x.messages[0].subject = 'old\u2028export\u2029';
  });
  const lines = [
    { type: 'header', format: 'mailcanary-history', version: 1, exportedAt: '2026-01-14T10:00:00.000Z' },
    { type: 'run', ...b.run },
    ...b.messages.map((m) => ({ type: 'message', ...m })),
    ...b.checks.map((c) => ({ type: 'check', ...c })),
  ].map((o) => JSON.stringify(o));
  expect(lines[2]).toContain('\u2028');
  const dir = tmp();
  const file = path.join(dir, 'old.jsonl');
  // a BOM, CRLF and LF endings, a blank line, no final line end
  writeFileSync(file, `\uFEFF${lines[0]}\r\n${lines[1]}\n\r\n${lines[2]}\r\n${lines.slice(3).join('\n')}`);
  const store = HistoryStore.open(path.join(dir, 'h.sqlite'));
  expect(await importJsonl(store, file)).toEqual({ runs: 1 });
  expect(store.bundle('mcold')!.messages.find((m) => m.seedId === 'lab-gmail')!.subject).toBe('old\u2028export\u2029');
  store.close();
});

test('import names the line of an overlong line and of bytes that are not UTF-8', async () => {
  const dir = tmp();
  const a = HistoryStore.open(path.join(dir, 'a.sqlite'));
  a.writeRun(realBundle('mc1'));
  const file = path.join(dir, 'h.jsonl');
  await exportJsonl(a, file);
  a.close();
  const lines = readFileSync(file, 'utf8').split('\n');
  const longest = Math.max(...lines.map((l) => Buffer.byteLength(l)));
  const longestAt = lines.findIndex((l) => Buffer.byteLength(l) === longest) + 1;
  const b = HistoryStore.open(path.join(dir, 'b.sqlite'));
  await expect(importJsonl(b, file, { maxLineBytes: longest - 1 })).rejects.toThrow(
    new RegExp(`h\\.jsonl:${longestAt}: line is longer than ${longest - 1} bytes`),
  );
  expect(await importJsonl(b, file, { maxLineBytes: longest })).toEqual({ runs: 1 });

  const broken = Buffer.concat([Buffer.from(`${lines[0]}\n${lines[1]}\n`), Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d, 0x0a])]);
  writeFileSync(path.join(dir, 'latin.jsonl'), broken);
  await expect(importJsonl(b, path.join(dir, 'latin.jsonl'))).rejects.toThrow(/latin\.jsonl:3: not valid UTF-8/);
  b.close();
});

test('export refuses a record longer than import reads, and leaves no partial file', async () => {
  const dir = tmp();
  const a = HistoryStore.open(path.join(dir, 'a.sqlite'));
  a.writeRun(realBundle('mc1', (x) => (x.messages[1].subject = 'x'.repeat(5000))));
  const file = path.join(dir, 'h.jsonl');
  await expect(exportJsonl(a, file, { maxLineBytes: 4000 })).rejects.toThrow(
    /message "lab-gmx\/plain" of run "mc1" is \d+ bytes as a JSON line, more than the 4000 an import reads/,
  );
  expect(() => readFileSync(file)).toThrow(/ENOENT/);
  a.close();
});

test('line splitter: LF only, CRLF trimmed, a line cut across chunks and multibyte characters split between chunks', async () => {
  const bytes = Buffer.from('a\u2028b\r\nc\rd\n\n\u00fc\uD83D\uDE00\nlast', 'utf8');
  // one byte per chunk: every boundary, inside every multibyte sequence too
  const chunks = [...bytes].map((x) => Buffer.from([x]));
  const out: Array<[number, string]> = [];
  for await (const l of linesOf(Readable.from(chunks), { maxBytes: 100, error: (n, w) => new Error(`${n}: ${w}`) })) out.push([l.n, l.text]);
  expect(out).toEqual([
    [1, 'a\u2028b'],
    [2, 'c\rd'],
    [3, ''],
    [4, '\u00fc\uD83D\uDE00'],
    [5, 'last'],
  ]);
  const tooLong = linesOf(Readable.from([Buffer.from('ok\n'), Buffer.from('x'.repeat(60)), Buffer.from('x'.repeat(60))]), {
    maxBytes: 100,
    error: (n, w) => new Error(`${n}: ${w}`),
  });
  await expect(
    (async () => {
      for await (const _ of tooLong) void _;
    })(),
  ).rejects.toThrow('2: line is longer than 100 bytes');
});

test('store text columns: well-formed text stays TEXT, a lone surrogate is kept as WTF-8 and found by key', () => {
  expect(toColumn('plain ü \u2028 \u0000 😀')).toBe('plain ü \u2028 \u0000 😀');
  const lone = toColumn('a\uD800b\uDC00😀\uDBFF');
  expect(Buffer.from(lone as Uint8Array).toString('hex')).toBe('61eda08062edb080f09f9880edafbf');
  expect(fromColumn(lone)).toBe('a\uD800b\uDC00😀\uDBFF');
  expect(() => fromColumn(new Uint8Array([0x61, 0xff]))).toThrow(/not WTF-8/);

  const store = HistoryStore.open(path.join(tmp(), 'h.sqlite'));
  const id = 'mc\uDC00lone';
  const b = realBundle(id, (x) => (x.messages[0].subject = 'half \uD83D'));
  store.writeRun(b);
  store.writeRun(b);
  expect(store.counts()).toEqual({ runs: 1, messages: 2, checks: 1 });
  expect(store.run(id)!.runId).toBe(id);
  expect(store.run('mc\uFFFDlone')).toBeUndefined();
  expect(store.bundle(id)!.messages.map((m) => m.subject)).toContain('half \uD83D');
  const types = store.db.prepare('SELECT typeof(subject) AS t FROM messages ORDER BY seed_id').all() as Array<{ t: string }>;
  expect(types.map((r) => r.t).sort()).toEqual(['blob', 'text']);
  store.pinBaseline(id);
  expect(store.pinnedBaseline()).toBe(id);
  // the pinned run survives retention however its id is stored
  expect(store.prune(1, T0 + 10 * 86_400_000)).toBe(0);
  expect(store.runs().map((r) => r.runId)).toEqual([id]);
  store.close();
});
