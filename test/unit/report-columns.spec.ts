import { expect, test } from '@playwright/test';
import type { MessageRecord } from '../../src/record/index.ts';
import { buildReportData } from '../../src/report/data.ts';
import { columnsOf } from '../../src/report/columns.ts';
import { renderStatic } from '../../src/report/static.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { messageTag } from '../../src/send/tag.ts';

const T0 = Date.parse('2031-05-05T00:00:00Z');
const RUN = 'mc203105050000cccc';
const FAMILY = { id: 'family', domain: 'family.example', label: 'family.example', system: false };
const SYSTEM = { id: 'system', domain: 'mail.example.org', label: 'mail.example.org (system mail)', system: true };
// two senders sharing a domain are named by their address
const SALES = { id: 'sales', domain: 'shop.example', label: 'sales@shop.example', system: false };
const NEWS = { id: 'news', domain: 'shop.example', label: 'news@shop.example', system: false };

/** The messages of one seed as src/send/matrix.ts numbers them: sender, then variant, then path. */
function sent(senders: Array<typeof FAMILY>, variants: string[], paths: Array<string | undefined> = [undefined], runId = RUN): MessageRecord[] {
  const out: MessageRecord[] = [];
  for (const s of senders)
    for (const v of variants)
      for (const p of paths)
        out.push({
          runId,
          seedId: 'gmail',
          provider: 'gmail',
          variant: `${v} from ${s.label}${p ? ` via ${p}` : ''}`,
          verdict: 'inbox',
          testStatus: 'passed',
          auth: {},
          tag: messageTag(runId, out.length),
          sender: s,
        });
  return out;
}

test('columns come in the order the run sent them, grouped by domain, headed without the domain', () => {
  const msgs = sent([FAMILY, SYSTEM], ['plain', 'html-with-link'], [undefined, 'ipv6']);
  const c = columnsOf(msgs, msgs);
  expect(c.domains).toEqual(['family.example', 'mail.example.org']);
  expect(c.variants).toEqual([
    'plain from family.example',
    'plain from family.example via ipv6',
    'html-with-link from family.example',
    'html-with-link from family.example via ipv6',
    'plain from mail.example.org (system mail)',
    'plain from mail.example.org (system mail) via ipv6',
    'html-with-link from mail.example.org (system mail)',
    'html-with-link from mail.example.org (system mail) via ipv6',
  ]);
  expect(c.variantDomain).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  expect(c.heads).toEqual([
    'plain',
    'plain via ipv6',
    'html-with-link',
    'html-with-link via ipv6',
    'plain (system mail)',
    'plain (system mail) via ipv6',
    'html-with-link (system mail)',
    'html-with-link (system mail) via ipv6',
  ]);
});

test('MAILCANARY_VARIANTS=html-with-link,plain: the columns follow that order; senders of one domain keep their address', () => {
  const msgs = sent([SALES, NEWS], ['html-with-link', 'plain']);
  const c = columnsOf(msgs, msgs);
  expect(c.variants).toEqual([
    'html-with-link from sales@shop.example',
    'plain from sales@shop.example',
    'html-with-link from news@shop.example',
    'plain from news@shop.example',
  ]);
  expect(c.heads).toEqual(c.variants);
  expect(c.variantDomain).toEqual([0, 0, 0, 0]);
});

test('columns the run shown did not send, and messages without our tag, follow by name', () => {
  const older = sent([FAMILY], ['spammy'], [undefined], 'mc203105040000dddd');
  const shown = sent([FAMILY], ['plain', 'html-with-link']);
  const untagged = shown.map((m) => ({ ...m, tag: `${m.seedId}.${m.variant}` }));
  expect(columnsOf([...older, ...shown], shown).variants).toEqual([
    'plain from family.example',
    'html-with-link from family.example',
    'spammy from family.example',
  ]);
  expect(columnsOf([...older, ...untagged], untagged).variants).toEqual([
    'html-with-link from family.example',
    'plain from family.example',
    'spammy from family.example',
  ]);
  // one sender: no groups, each column its whole name
  const one = shown.map(({ sender: _s, ...m }) => ({ ...m, variant: m.variant.replace(' from family.example', '') }));
  expect(columnsOf(one, one)).toEqual({ variants: ['plain', 'html-with-link'], domains: [], variantDomain: [-1, -1], heads: ['plain', 'html-with-link'] });
});

test('the static matrix heads each domain group once and its columns by variant, plain first', () => {
  const s = HistoryStore.open(':memory:');
  s.writeRun({
    run: { runId: RUN, startedAt: T0, finishedAt: T0, lab: false, status: 'passed' },
    messages: sent([FAMILY, SYSTEM], ['plain', 'html-with-link']),
    checks: [],
  });
  const html = renderStatic(buildReportData(s, { now: T0 })).sections;
  expect(html).toContain(
    '<th scope="colgroup" colspan="2">family.example</th><th scope="colgroup" colspan="2">mail.example.org</th></tr><tr><th scope="col">seed</th><th scope="col">provider</th>' +
      '<th scope="col">plain</th><th scope="col">html-with-link</th><th scope="col">plain (system mail)</th><th scope="col">html-with-link (system mail)</th></tr>',
  );
  // the cells keep the whole column name: deep links and filters name it
  expect(html).toContain('data-variant="plain from family.example"');
  s.close();
});
