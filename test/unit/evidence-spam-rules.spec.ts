import { test, expect } from '@playwright/test';
import { parseSpamVerdicts, splitHeaderBlock } from '../../src/evidence/index.ts';

const verdicts = (raw: string) => parseSpamVerdicts(splitHeaderBlock(raw).fields);

test('rspamd X-Spamd-Result: every symbol with its points and options', () => {
  const [v] = verdicts(
    'X-Spamd-Result: default: True [12.35 / 15.00];\r\n\tDBL_SPAM(6.50)[prize-claims.test:url];\r\n\tSUBJ_ALL_CAPS(2.70)[36]; PHISHING(2.00)[paypal.com->prize-claims.test];\r\n\tMIME_GOOD(-0.10)[multipart/alternative,text/plain]; ARC_NA(0.00)\r\n',
  );
  expect(v).toMatchObject({ vendor: 'rspamd', spam: true, score: 12.35, threshold: 15 });
  expect(v.rules).toEqual([
    { name: 'DBL_SPAM', score: 6.5, options: ['prize-claims.test:url'] },
    { name: 'SUBJ_ALL_CAPS', score: 2.7, options: ['36'] },
    { name: 'PHISHING', score: 2, options: ['paypal.com->prize-claims.test'] },
    { name: 'MIME_GOOD', score: -0.1, options: ['multipart/alternative', 'text/plain'] },
    { name: 'ARC_NA', score: 0, options: [] },
  ]);
});

test('SpamAssassin X-Spam-Report: tests with points, description and the details lines', () => {
  const raw =
    'X-Spam-Report:\r\n' +
    '\t*  0.0 URIBL_BLOCKED ADMINISTRATOR NOTICE: The query to URIBL was blocked.\r\n' +
    '\t*      See http://wiki.apache.org/spamassassin/DnsBlocklists#dnsbl-block\r\n' +
    '\t*      for more information.\r\n' +
    '\t*      [URIs: prize-claims.test]\r\n' +
    '\t*  1.6 SUBJ_ALL_CAPS Subject is all capitals\r\n' +
    '\t* -0.0 SPF_PASS SPF: sender matches SPF record\r\n';
  const [v] = verdicts(raw);
  expect(v.vendor).toBe('spamassassin');
  expect(v.rules).toEqual([
    {
      name: 'URIBL_BLOCKED',
      score: 0,
      description:
        'ADMINISTRATOR NOTICE: The query to URIBL was blocked. See http://wiki.apache.org/spamassassin/DnsBlocklists#dnsbl-block for more information.',
      options: ['URIs: prize-claims.test'],
    },
    { name: 'SUBJ_ALL_CAPS', score: 1.6, description: 'Subject is all capitals', options: [] },
    { name: 'SPF_PASS', score: -0, description: 'SPF: sender matches SPF record', options: [] },
  ]);
  expect(v.tests).toEqual(['URIBL_BLOCKED', 'SUBJ_ALL_CAPS', 'SPF_PASS']);
});

test('a report without a table gives no rules, and garbage in the symbol list is skipped', () => {
  expect(verdicts('X-Spam-Report: nothing to see\r\n')[0].rules).toBeUndefined();
  const [v] = verdicts('X-Spamd-Result: default: False [0.00 / 15.00]; (broken; FOO(x); BAR(1.00)\r\n');
  expect(v.rules).toEqual([{ name: 'BAR', score: 1, options: [] }]);
});
