import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { bufferSource, readReports } from '../../src/receiver-reports/index.ts';
import { aggregateXml, failureMail, gzip, reportMail, tlsReport, zipOf } from '../fixtures/receiver-reports/build.ts';

const seeds = [
  Buffer.from(aggregateXml({ records: [{}, { ip: '2001:db8::1', count: 9, reason: { type: 'forwarded' } }] })),
  Buffer.from(JSON.stringify(tlsReport())),
  Buffer.from(failureMail('Feedback-Type: auth-failure\r\nVersion: 1\r\nSource-IP: 192.0.2.1')),
];

/** Every input gives data: one item or more, each a report or an error with a kind and a message. */
async function holds(bytes: Buffer): Promise<void> {
  const t0 = performance.now();
  const items = await readReports(bufferSource('fuzz.bin', bytes), { maxBytes: 4 * 1024 * 1024 });
  expect(items.length).toBeGreaterThan(0);
  for (const i of items) if (!i.result.ok) expect(i.result.error.message).toContain('fuzz.bin');
  expect(performance.now() - t0).toBeLessThan(1000);
}

test('random bytes and mutated reports, plain or wrapped, always come back as data', async () => {
  const mutated = fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
      fc.constantFrom('plain', 'gzip', 'zip', 'mail', 'truncate'),
    )
    .map(([seed, edits, wrap]) => {
      const b = Buffer.from(seed);
      for (const [pos, len, byte] of edits) b.fill(byte, pos % b.length, Math.min(b.length, (pos % b.length) + (len % 4) + 1));
      if (wrap === 'gzip') return gzip(b);
      if (wrap === 'zip') return zipOf('r.xml', b);
      if (wrap === 'mail') return Buffer.from(reportMail(b, 'application/octet-stream', 'r.xml'));
      if (wrap === 'truncate') return b.subarray(0, edits[0][0] % b.length);
      return b;
    });
  await fc.assert(fc.asyncProperty(mutated, holds), { numRuns: 200 });
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
      holds,
    ),
    { numRuns: 100 },
  );
});
