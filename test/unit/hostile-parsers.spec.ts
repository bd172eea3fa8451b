import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { parseBounce } from '../../src/classify/index.ts';
import { parseDeliveryStatus } from '../../src/classify/rfc3464.ts';
import { parseMime } from '../../src/classify/mime.ts';
import { matchBounce } from '../../src/watch/bounce-match.ts';
import { buildEvidence, parseAuthResults, parseReceived, splitHeaderBlock } from '../../src/evidence/index.ts';
import { resolveSeeds } from '../../src/config/seeds.ts';
import { senderConfigFromEnv } from '../../src/config/sender.ts';
import { imapTimeouts } from '../../src/watch/imap-connect.ts';
import { redact } from '../../src/shared/redact.ts';
import { VARIANT_NAMES } from '../../src/send/variants.ts';
import { cpuTimed } from './cpu-time.ts';

/**
 * Strings from received messages are hostile. Every parser gets generated junk and near-valid
 * input (fast-check), must return data (never throw) and finish each input within a time bound;
 * the large cases (20 MB attachment, 10,000 header fields, broken MIME) must not exhaust memory.
 * Bounds are generous (CI machines are slow); what they catch is a quadratic or exponential blow-up.
 */
const PER_INPUT_MS = 1_000;

function within<T>(ms: number, fn: () => T): T {
  const { value, ms: took } = cpuTimed(fn, ms);
  if (took > ms) throw new Error(`took ${Math.round(took)} ms of CPU (bound ${ms} ms)`);
  return value;
}

const token = fc.constantFrom(
  'Reporting-MTA: dns; mx.example.org',
  'Final-Recipient: rfc822; a@b.example',
  'Action: failed',
  'Action: delayed',
  'Status: 5.1.1',
  'Status: 4.7.500',
  'Diagnostic-Code: smtp; 550 5.1.1 no such user',
  'Remote-MTA: dns; [127.0.0.1]',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
  'Content-Type: message/delivery-status',
  'Content-Type: message/rfc822',
  'Content-Type: text/rfc822-headers',
  '--b',
  '--b--',
  'X-Mailcanary-Tag: mc202601011200abcd.x1y',
  'Content-Transfer-Encoding: base64',
  '=?utf-8?B?Zm9v?=',
  'From: MAILER-DAEMON@example.org',
  'Subject: Undelivered Mail Returned to Sender',
  '',
  ' folded',
  '\t',
  ';',
  ':',
  '"',
  '(',
  ')',
);
const junk = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.string({ unit: 'binary', maxLength: 1000 }),
  fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.array(token, { maxLength: 120 }).map((a) => a.join('\r\n')),
  fc.array(fc.oneof(token, fc.string({ maxLength: 30 })), { maxLength: 80 }).map((a) => a.join(fc.sample(fc.constantFrom('\r\n', '\n', '\r', ' '), 1)[0])),
);

test('DSN parsers (parseBounce, parseDeliveryStatus, parseMime, matchBounce) return data on any input, in bounded time', () => {
  fc.assert(
    fc.property(junk, (s) => {
      within(PER_INPUT_MS, () => {
        const r = parseBounce(s);
        expect(Array.isArray(r.recipients)).toBe(true);
        parseBounce(Buffer.from(s, 'latin1'));
        parseDeliveryStatus(s);
        parseMime(s);
        matchBounce(s, () => 'seed@example.org', 0);
      });
    }),
    { numRuns: 400 },
  );
});

test('Authentication-Results, Received and header splitting return data on any input, in bounded time', () => {
  fc.assert(
    fc.property(junk, fc.array(junk, { maxLength: 8 }), (s, lines) => {
      within(PER_INPUT_MS, () => {
        parseAuthResults(s);
        parseReceived(s);
        splitHeaderBlock(s);
        const raw = lines.map((l, i) => `${['Received', 'Authentication-Results', 'X-Spam-Status', 'DKIM-Signature', 'From'][i % 5]}: ${l}`).join('\r\n');
        buildEvidence({ rawHeaders: raw, authservIds: ['mx.example.org'], fromDomain: 'example.org', submittedAt: 0 });
      });
    }),
    { numRuns: 300 },
  );
});

test('config: the seeds file validator and the env reader report problems for any value, never throw', () => {
  const env = fc.dictionary(
    fc.constantFrom(
      'SMTP_HOST',
      'SMTP_PORT',
      'SMTP_TLS',
      'SMTP_USER',
      'SMTP_PASS',
      'MAIL_FROM',
      'ENVELOPE_FROM',
      'ENVELOPE_TAG_SEPARATOR',
      'MAILCANARY_TIMEOUT',
      'MAILCANARY_LINK_URL',
      'SMTP_TLS_VERIFY',
      'MAILCANARY_LAB',
      'X',
    ),
    fc.string({ maxLength: 60 }),
  );
  fc.assert(
    fc.property(fc.anything({ maxDepth: 4 }), env, (seeds, e) => {
      within(PER_INPUT_MS, () => {
        const r = resolveSeeds(seeds, e, { timeoutSeconds: 60, variants: [...VARIANT_NAMES] });
        expect(r.seeds.length + r.problems.length).toBeGreaterThan(0);
        for (const p of r.problems) expect(typeof p.fix).toBe('string');
        const s = senderConfigFromEnv(e);
        for (const p of s.problems) expect(p.fix?.length).toBeGreaterThan(0);
      });
    }),
    { numRuns: 400 },
  );
  // near-valid seeds with junk in every field
  const seed = fc.record(
    {
      id: fc.string({ maxLength: 50 }),
      address: fc.string({ maxLength: 50 }),
      provider: fc.constantFrom('gmail', 'gmx', 'custom', 'nope'),
      imap: fc.record(
        { host: fc.string(), port: fc.oneof(fc.integer(), fc.double()), passwordEnv: fc.string(), oauth2: fc.anything({ maxDepth: 2 }) },
        { requiredKeys: [] },
      ),
      expect: fc.anything({ maxDepth: 2 }),
      timeoutSeconds: fc.oneof(fc.double(), fc.integer()),
      folders: fc.anything({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(
      fc.array(seed, { maxLength: 5 }),
      (arr) => void within(PER_INPUT_MS, () => resolveSeeds(arr, {}, { timeoutSeconds: 60, variants: [...VARIANT_NAMES] })),
    ),
    { numRuns: 300 },
  );
});

test('MAILCANARY_IMAP_TIMEOUT: junk gets an error naming the variable and the fix', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 20 }), (v) => {
      try {
        const t = imapTimeouts({ MAILCANARY_IMAP_TIMEOUT: v });
        expect(t.socketMs).toBeGreaterThanOrEqual(1000);
        expect(t.greetingMs).toBeLessThanOrEqual(t.socketMs);
      } catch (err) {
        expect((err as Error).message).toMatch(/^MAILCANARY_IMAP_TIMEOUT=.* set it like MAILCANARY_IMAP_TIMEOUT=60/);
      }
    }),
  );
});

test('redact: a secret never survives, in clear, in base64, or inside a SASL PLAIN response', () => {
  const secret = fc.string({ minLength: 4, maxLength: 40 }).filter((s) => !s.includes('[redacted]'));
  fc.assert(
    fc.property(secret, fc.string({ maxLength: 30 }), fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (s, user, before, after) => {
      const plain = Buffer.from(`\0${user}\0${s}`).toString('base64');
      const text = `${before} ${s} ${Buffer.from(s).toString('base64')} 535 (you sent ${plain}) ${after}`;
      const out = redact(text, [s]);
      expect(out.includes(s)).toBe(false);
      for (const run of out.match(/[A-Za-z0-9+/]{8,}={0,2}/g) ?? [])
        expect(Buffer.from(run, 'base64').toString('latin1').includes(Buffer.from(s).toString('latin1'))).toBe(false);
    }),
    { numRuns: 500 },
  );
});

/** A DSN (RFC 3464) that returns the full original message, with `attachment` inside it. */
function dsnWith(original: string): string {
  return [
    'From: MAILER-DAEMON@mail.canary.test',
    'To: monitor-mc202601011200abcd.x1y@canary.test',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
    '',
    '--B1',
    'Content-Type: text/plain',
    '',
    'I am sorry to have to inform you that your message could not be delivered.',
    '',
    '--B1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mail.canary.test',
    '',
    'Final-Recipient: rfc822; seed@gmx.lab.test',
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 <seed@gmx.lab.test>: Recipient address rejected',
    '',
    '--B1',
    'Content-Type: message/rfc822',
    '',
    original,
    '--B1--',
    '',
  ].join('\r\n');
}

function heapMb(): number {
  return process.memoryUsage().heapUsed / 1048576;
}

test('a DSN returning a 20 MB attachment is parsed without running out of memory', () => {
  const b64 = Buffer.alloc(15 * 1024 * 1024, 7)
    .toString('base64')
    .replace(/.{76}/g, '$&\r\n'); // ~20 MB encoded
  const original = [
    'X-Mailcanary-Tag: mc202601011200abcd.x1y',
    'Subject: big',
    'Content-Type: multipart/mixed; boundary="I"',
    '',
    '--I',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    '--I--',
  ].join('\r\n');
  const raw = dsnWith(original);
  expect(raw.length).toBeGreaterThan(20 * 1024 * 1024);
  const before = heapMb();
  const r = within(20_000, () => parseBounce(raw));
  expect(r.recipients[0]?.status).toBe('5.1.1');
  // the report keeps what matters, not a copy of the attachment
  expect(JSON.stringify(r).length).toBeLessThan(2 * 1024 * 1024);
  expect(heapMb() - before).toBeLessThan(600);
});

test('10,000 header fields: evidence and DSN parsing stay bounded', () => {
  const many = Array.from({ length: 10_000 }, (_, i) =>
    i % 3 === 0 ? `Received: from h${i}.example by h${i + 1}.example with ESMTP id ${i}; Thu, 1 Jan 2026 00:00:00 +0000` : `X-Junk-${i}: ${'v'.repeat(i % 50)}`,
  ).join('\r\n');
  const ev = within(10_000, () =>
    buildEvidence({
      rawHeaders: `${many}\r\nAuthentication-Results: mx.example.org; spf=pass\r\n`,
      authservIds: ['mx.example.org'],
      fromDomain: 'example.org',
      submittedAt: 0,
    }),
  );
  expect(ev).toBeTruthy();
  const block = within(10_000, () => splitHeaderBlock(many));
  expect(block.fields.length).toBeLessThanOrEqual(10_000);
  const r = within(10_000, () => parseBounce(dsnWith(`${many}\r\n\r\nbody`)));
  expect(r.recipients.length).toBe(1);
});

test('broken MIME: unterminated parts, missing boundaries, deep nesting, bad base64 are data', () => {
  const cases = [
    dsnWith('Content-Type: multipart/mixed; boundary="never-closed"\r\n\r\n--never-closed\r\nContent-Type: text/plain\r\n\r\nno end'),
    'Content-Type: multipart/report; boundary=""\r\n\r\n--\r\n--\r\n',
    'Content-Type: multipart/report; report-type=delivery-status\r\n\r\nno boundary parameter at all',
    'Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64***\r\n',
    `${'Content-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\n'.repeat(2000)}`,
    `Content-Type: multipart/report; boundary="${'b'.repeat(100_000)}"\r\n\r\n--${'b'.repeat(100_000)}\r\n`,
    'Content-Type: text/plain; charset="unknown-8bit"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n=',
    '\r\n\r\n\r\n',
    '',
  ];
  for (const c of cases) {
    const r = within(5_000, () => parseBounce(c));
    expect(Array.isArray(r.recipients)).toBe(true);
    within(5_000, () => matchBounce(c, () => undefined, 0));
  }
});
