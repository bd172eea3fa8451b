import { test, expect } from '@playwright/test';
import { adviceFor, KNOWLEDGE_BASE, classifyReason } from '../../src/classify/index.ts';

for (const e of KNOWLEDGE_BASE.filter((x) => !x.generic)) {
  test(`knowledge base entry ${e.id} matches its example`, () => {
    expect(e.example.length).toBeGreaterThan(20);
    expect(e.link).toMatch(/^https:\/\//);
    const ids = adviceFor({ diagnostic: e.example }).map((a) => a.id);
    expect(ids).toContain(e.id);
  });
}

test('unknown text falls back to generic advice for the classified reason', () => {
  const a = adviceFor({ diagnostic: '550 5.1.1 no such user here' });
  expect(a).toHaveLength(1);
  expect(a[0]).toMatchObject({ id: 'generic-userunknown', reason: 'userunknown' });
  expect(classifyReason('550 5.1.1 no such user here').reason).toBe('userunknown');
});

test('submission-time rejection (nodemailer error text) gets provider advice', () => {
  const msg = "Can't send mail - all recipients were rejected: 550-5.7.25 [2001:db8::1] The IP address sending this message does not have a PTR record setup";
  expect(adviceFor({ diagnostic: msg, replyCode: 550 })[0].id).toBe('gmail-5.7.25-ptr');
});

test('empty or hostile input gives no advice and does not throw', () => {
  expect(adviceFor({ diagnostic: '' })).toEqual([]);
  expect(() => adviceFor({ diagnostic: '('.repeat(10000) })).not.toThrow();
});

test("Telekom's NOWL refusal gets its own advice only, not the greeting block's generic reading", () => {
  const nowl =
    '554 5.7.1 IP=127.0.0.1 - None/bad reputation (NOWL) - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.)';
  expect(adviceFor({ diagnostic: nowl, status: '5.7.1', replyCode: 554, remoteMta: 'mx00.t-online.de' }).map((a) => a.id)).toEqual(['telekom-nowl']);
  // the greeting refusal, whose text names no cause, keeps the generic Telekom advice
  const bl = '554 IP=127.0.0.1 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)';
  expect(adviceFor({ diagnostic: bl, replyCode: 554 }).map((a) => a.id)).toEqual(['telekom-problem']);
});

test('advice of different sources that both hold stays: a named block list and block lists in general', () => {
  const ids = adviceFor({ diagnostic: '554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org' }).map((a) => a.id);
  expect(ids.sort()).toEqual(['dnsbl-listed', 'spamhaus-listed']);
});
