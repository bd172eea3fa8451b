import { expect, test } from '@playwright/test';
import { findTag, messageTag, newRunId, runIdOfTag, taggedAddress } from '../../src/send/tag.ts';
import { submitErrorFrom } from '../../src/send/submit.ts';

test('run ids and tags are fixed-width and findable again', () => {
  const runId = newRunId(new Date('2026-11-27T20:10:00Z'), () => 0.5);
  expect(runId).toBe('mc202611272010iiii');
  const tag = messageTag(runId, 37);
  expect(tag).toBe('mc202611272010iiii.011');
  expect(runIdOfTag(tag)).toBe(runId);
  expect(findTag(`To: <monitor-${tag}@example.org>`)).toBe(tag);
  expect(findTag('nothing here')).toBeNull();
});

test('the envelope sender carries the tag as a subaddress', () => {
  expect(taggedAddress('monitor@example.org', 'mc202611272010abcd.000', '-')).toBe('monitor-mc202611272010abcd.000@example.org');
  expect(taggedAddress('monitor@example.org', 'mc202611272010abcd.000', '+')).toBe('monitor+mc202611272010abcd.000@example.org');
  expect(taggedAddress('monitor@example.org', 'mc202611272010abcd.000', null)).toBe('monitor@example.org');
});

test('a 5xx to RCPT is a rejection; a connection failure or a failed login is send-failed', () => {
  const rejected = submitErrorFrom({ code: 'EENVELOPE', responseCode: 554, command: 'RCPT TO', response: '554 5.7.1 <x@y>: Relay access denied' });
  expect(rejected).toMatchObject({ kind: 'rejected', responseCode: 554, enhancedStatus: '5.7.1', command: 'RCPT TO' });
  expect(submitErrorFrom({ code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:1' }).kind).toBe('send-failed');
  expect(submitErrorFrom({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', response: '535 5.7.8 Authentication failed' }).kind).toBe('send-failed');
});
