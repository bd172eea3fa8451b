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
