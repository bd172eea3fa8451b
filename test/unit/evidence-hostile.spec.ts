import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { buildEvidence, parseAuthResults, parseArcAuthResults, parseReceived } from '../../src/evidence/index.ts';
import { cpuTimed } from './cpu-time.ts';

/** Hang guard, not a speed target: each parse must finish well inside this (CPU time, see cpu-time.ts). */
const BOUND_MS = 50;

const timed = <T>(f: () => T, bound = BOUND_MS) => cpuTimed(f, bound);

const junk = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc
    .array(fc.constantFrom('(', ')', '"', '\\', ';', '=', '/', ' ', '\r\n ', 'a', 'spf', 'pass', '.', '@', '[', ']'), { maxLength: 300 })
    .map((a) => a.join('')),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
);

test('AR / ARC / Received parsers never throw and finish quickly on junk', () => {
  fc.assert(
    fc.property(junk, (s) => {
      for (const f of [parseAuthResults, parseArcAuthResults, parseReceived]) {
        const { value, ms } = timed(() => f(s));
        expect(typeof value.ok).toBe('boolean');
        expect(ms).toBeLessThan(BOUND_MS);
      }
    }),
    { numRuns: 500 },
  );
});

test('buildEvidence never throws on a junk header block', () => {
  fc.assert(
    fc.property(fc.array(junk, { maxLength: 20 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), (lines, ids) => {
      const raw = lines.map((l, i) => (i % 3 === 0 ? `Authentication-Results: ${l}` : i % 3 === 1 ? `Received: ${l}` : l)).join('\r\n');
      const { value, ms } = timed(() => buildEvidence({ rawHeaders: raw, authservIds: ids }));
      expect(value.authResults.status === 'found' || value.authResults.status === 'none-from-provider').toBe(true);
      expect(ms).toBeLessThan(BOUND_MS);
    }),
    { numRuns: 300 },
  );
});

test('pathological inputs return parse errors', () => {
  const cases = [
    'mx.example; spf=pass (' + '('.repeat(100_000),
    'mx.example; spf=pass ' + '('.repeat(5000) + ')'.repeat(5000),
    'mx.example; spf=pass smtp.mailfrom="' + 'a'.repeat(50_000),
    'x'.repeat(1_000_000),
    '\u0000\u0001\uffff\ud800;;==//',
  ];
  for (const c of cases) {
    const { value, ms } = timed(() => parseAuthResults(c));
    expect(value.ok).toBe(false);
    expect(ms).toBeLessThan(BOUND_MS);
  }
  const { value: r, ms } = timed(() => parseReceived('from a (' + '('.repeat(8000)));
  expect(r.ok).toBe(false);
  expect(ms).toBeLessThan(BOUND_MS);
});

test('a 1 MB header block is handled as data', () => {
  const big = 'Authentication-Results: mx.example; spf=pass ' + 'x=y '.repeat(260_000);
  const raw = `${big}\r\nX-Spam-Status: ${'Yes '.repeat(100_000)}\r\nReceived: from a (a [192.0.2.1]) by mx.example with ESMTP; Wed, 14 Jan 2026 10:00:00 +0000\r\n`;
  expect(raw.length).toBeGreaterThan(1_000_000);
  const { value, ms } = timed(() => buildEvidence({ rawHeaders: raw, authservIds: ['mx.example'] }), BOUND_MS * 4);
  expect(value.authResults.status).toBe('none-from-provider');
  expect(value.authResults.ignored[0].why).toContain('over the');
  expect(value.spam.verdicts[0].raw.length).toBeLessThanOrEqual(512);
  expect(ms).toBeLessThan(BOUND_MS * 4);
  // hostile input must not make buildEvidence throw even with a wrong type
  expect(buildEvidence({ rawHeaders: undefined as unknown as string, authservIds: [] }).warnings[0]).toContain('rawHeaders');
});
