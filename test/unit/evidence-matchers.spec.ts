import { test, expect as baseExpect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect } from '../../src/assert/matchers.ts';
import { buildEvidence } from '../../src/evidence/index.ts';
import type { Placement, Verdict } from '../../src/model.ts';
import type { Delivery } from '../../src/run/index.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/evidence/${name}`, import.meta.url), 'utf8');

function delivery(file: string, authservIds: string[], verdict: Verdict = 'inbox', expected: Placement = 'inbox'): Delivery {
  return {
    lab: true,
    runId: 'r1',
    seedId: 'gmail-1',
    provider: 'gmail',
    variant: 'plain',
    tag: 'r1.gmail.plain',
    expected,
    verdict,
    sent: {
      runId: 'r1',
      tag: 'r1.gmail.plain',
      seedId: 'gmail-1',
      variant: 'plain',
      to: 'seed@gmail.test',
      from: 'a@canary.test',
      envelopeFrom: 'b@canary.test',
      messageId: '<x@canary.test>',
      subject: 's',
      submittedAt: 0,
    },
    sighting: { placement: verdict === 'spam' ? 'spam' : 'inbox', folder: verdict === 'spam' ? '[Gmail]/Spam' : 'INBOX', seenAt: 1 },
    evidence: buildEvidence({ rawHeaders: fixture(file), authservIds }),
  };
}

function failureOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the assertion to fail');
}

test('toPassAuthentication passes on the lab delivery', () => {
  expect(delivery('lab-gmail.txt', ['mx.gmail.lab.test'])).toPassAuthentication();
  expect(delivery('lab-gmail.txt', ['mx.gmail.lab.test'])).toPassAuthentication({ methods: ['dkim'], aligned: true });
});

test('toPassAuthentication reports every failing method in one message', () => {
  const d = delivery('forged-below.txt', ['mx.gmail.test']);
  const msg = failureOf(() => expect(d).toPassAuthentication({ methods: ['spf', 'dkim', 'dmarc', 'arc'] }));
  baseExpect(msg).toContain('dkim: fail');
  baseExpect(msg).toContain('body hash did not verify');
  baseExpect(msg).toContain('dmarc: fail');
  baseExpect(msg).toContain('arc: no result');
  baseExpect(msg).not.toContain('spf:');
  expect(d).not.toPassAuthentication();
});

test('toPassAuthentication explains a missing provider header and missing evidence', () => {
  const msg = failureOf(() => expect(delivery('forged-only.txt', ['mx.gmail.test'])).toPassAuthentication());
  baseExpect(msg).toContain('no trusted Authentication-Results');
  const bare = { ...delivery('lab-gmail.txt', ['x']), evidence: undefined, verdict: 'missing' as const };
  baseExpect(failureOf(() => expect(bare).toPassAuthentication())).toContain('no evidence recorded (verdict: missing');
});

test('aligned option catches a pass by an unaligned signer', () => {
  const raw = fixture('lab-gmail.txt').replace('header.i=@canary.test', 'header.d=esp.example header.i=@esp.example');
  const d = delivery('lab-gmail.txt', ['mx.gmail.lab.test']);
  d.evidence = buildEvidence({ rawHeaders: raw, authservIds: ['mx.gmail.lab.test'] });
  expect(d).toPassAuthentication();
  baseExpect(failureOf(() => expect(d).toPassAuthentication({ aligned: true }))).toContain(
    'no passing signature is aligned with the From domain canary.test (signed by esp.example)',
  );
});

test('toLandIn compares the verdict and explains a miss', () => {
  expect(delivery('lab-gmail.txt', ['mx.gmail.lab.test'])).toLandIn('inbox');
  const spam = delivery('outlook.txt', ['mx.microsoft.com'], 'spam');
  expect(spam).toLandIn('spam');
  expect(spam).not.toLandIn('inbox');
  const msg = failureOf(() => expect(spam).toLandIn('inbox'));
  baseExpect(msg).toContain('the verdict is spam');
  baseExpect(msg).toContain('[Gmail]/Spam');
  baseExpect(msg).toContain('X-MS-Exchange-Organization-SCL: SCL 1: not spam');
  expect({ ...spam, verdict: 'other-folder:Promotions' as const }).toLandIn('other-folder');
});
