import { expect, test } from '@playwright/test';
import { chooseBaseline, compareRuns } from '../../src/gate/compare.ts';
import { gateJUnit, xmlEscape } from '../../src/gate/junit.ts';
import { notifyWebhook, safeTarget, webhookPayload } from '../../src/notify/webhook.ts';
import type { FetchLike } from '../../src/notify/webhook.ts';
import { collectRun } from '../../src/record/from-results.ts';
import type { RunBundle } from '../../src/record/types.ts';
import { HEADERS_DKIM_FAIL, checkResult, placementResult, sendResult } from '../fixtures/record/results.ts';
import type { MsgSpec } from '../fixtures/record/results.ts';

const T0 = Date.parse('2026-01-14T10:00:00Z');
function run(runId: string, msgs: MsgSpec[], checks: Array<[string, string]> = []): RunBundle {
  return collectRun([sendResult(runId, T0), ...msgs.map((m) => placementResult(runId, m)), ...checks.map(([t, s]) => checkResult(t, s))], {
    startedAt: T0,
    finishedAt: T0,
    status: 'passed',
  }).bundle!;
}
const healthy = (id: string) =>
  run(
    id,
    [
      { seedId: 'lab-gmail', variant: 'plain', verdict: 'inbox' },
      { seedId: 'lab-gmail', variant: 'html', verdict: 'inbox' },
      { seedId: 'lab-gmx', variant: 'html', verdict: 'spam', expected: 'spam' },
      { seedId: 'lab-out', variant: 'plain', verdict: 'inbox' },
    ],
    [
      ['spf › canary.test', 'pass'],
      ['dkim › mc2026', 'pass'],
      ['blocklist › zen › 192.0.2.1', 'unknown'],
    ],
  );

test('no baseline: no regression, and a note saying why', () => {
  const g = compareRuns(healthy('mc2'), undefined);
  expect(g.regressions).toEqual([]);
  expect(g.note).toMatch(/no baseline/);
});

test('same results: nothing regressed, every item compared', () => {
  const g = compareRuns(healthy('mc2'), healthy('mc1'));
  expect(g.regressions).toEqual([]);
  expect(g.baselineRunId).toBe('mc1');
  expect(g.compared.filter((c) => c.kind === 'placement')).toHaveLength(4);
  expect(g.compared.filter((c) => c.kind === 'auth').length).toBeGreaterThanOrEqual(9);
  expect(g.unknown).toEqual([expect.stringMatching(/blocklist .* unknown → unknown/)]);
});

test('DKIM broken: one line per seed and method, naming both, variants grouped', () => {
  const now = run('mc2', [
    { seedId: 'lab-gmail', variant: 'plain', verdict: 'inbox', headers: HEADERS_DKIM_FAIL },
    { seedId: 'lab-gmail', variant: 'html', verdict: 'inbox', headers: HEADERS_DKIM_FAIL },
    { seedId: 'lab-gmx', variant: 'html', verdict: 'spam', expected: 'spam' },
    { seedId: 'lab-out', variant: 'plain', verdict: 'inbox' },
  ]);
  const g = compareRuns(now, healthy('mc1'));
  expect(g.regressions.map((r) => r.line)).toEqual(['lab-gmail: dkim pass → fail (html, plain)', 'lab-gmail: dmarc pass → fail (html, plain)']);
  expect(g.regressions[0]).toMatchObject({ kind: 'auth', seedId: 'lab-gmail', method: 'dkim', before: 'pass', after: 'fail' });
});

test('placement: inbox → spam / bounced / missing / other folder regress; spam → spam and improvements do not', () => {
  const now = run('mc2', [
    { seedId: 'lab-gmail', variant: 'plain', verdict: 'spam' },
    { seedId: 'lab-gmail', variant: 'html', verdict: 'other-folder:Promotions' },
    { seedId: 'lab-gmx', variant: 'html', verdict: 'inbox', expected: 'spam' },
    { seedId: 'lab-out', variant: 'plain', verdict: 'bounced' },
  ]);
  const g = compareRuns(now, healthy('mc1'));
  const placement = g.regressions.filter((r) => r.kind === 'placement').map((r) => r.line.replace(/ \(.*$/, ''));
  expect(placement).toEqual(['lab-gmail / html: inbox → other-folder:Promotions', 'lab-gmail / plain: inbox → spam', 'lab-out / plain: inbox → bounced']);
  // a bounced message has no auth results: that is the placement regression, not also an auth one
  expect(g.regressions.filter((r) => r.kind === 'auth')).toEqual([]);
});

test('seed unreachable or skipped is not a regression but is listed as not comparable', () => {
  const now = run('mc2', [{ seedId: 'lab-gmail', variant: 'plain', verdict: 'seed-unreachable' }]);
  const g = compareRuns(now, healthy('mc1'));
  expect(g.regressions).toEqual([]);
  expect(g.unknown).toEqual([expect.stringContaining('lab-gmail / plain: inbox → seed-unreachable')]);
});

test('DNS: pass → fail regresses, fail → fail and unknown do not', () => {
  const now = run(
    'mc2',
    [],
    [
      ['spf › canary.test', 'fail'],
      ['dkim › mc2026', 'pass'],
      ['blocklist › zen › 192.0.2.1', 'fail'],
    ],
  );
  const g = compareRuns(now, healthy('mc1'));
  expect(g.regressions.map((r) => r.line)).toEqual(['dns spf › canary.test: pass → fail: spf › canary.test is fail']);
});

test('a check that threw is a check-error finding whatever the baseline was, and without one', () => {
  const bug = 'mailcanary bug: the spf check threw TypeError: x is undefined (at src/posture/checks/spf.ts:12:3)';
  const now = collectRun([sendResult('mc2', T0), checkResult('spf › canary.test', 'error', bug), checkResult('dkim › mc2026', 'pass')], {
    startedAt: T0,
    finishedAt: T0,
    status: 'failed',
  }).bundle!;
  expect(now.checks.find((c) => c.title === 'spf › canary.test')?.status).toBe('error');
  const line = `check spf › canary.test: error: ${bug}`;

  const first = compareRuns(now, undefined);
  expect(first.note).toMatch(/no baseline/);
  expect(first.regressions).toEqual([{ kind: 'check-error', subject: 'spf › canary.test', before: 'none', after: 'error', line }]);
  expect(first.compared).toEqual([{ kind: 'check-error', name: 'check spf › canary.test', failure: line }]);

  // pass → error, and error → error: both found; not listed as "not comparable", not as a dns regression
  for (const before of ['pass', 'error']) {
    const g = compareRuns(
      now,
      run(
        'mc1',
        [],
        [
          ['spf › canary.test', before],
          ['dkim › mc2026', 'pass'],
        ],
      ),
    );
    expect(g.regressions.map((r) => [r.kind, r.before, r.line])).toEqual([['check-error', before, line]]);
    expect(g.unknown.filter((u) => u.includes('spf'))).toEqual([]);
  }
  // a baseline that threw tested nothing: error → pass is not compared, and not a finding
  const fixed = compareRuns(run('mc3', [], [['spf › canary.test', 'pass']]), now);
  expect(fixed.regressions).toEqual([]);
  expect(fixed.unknown).toEqual(['dns spf › canary.test: error → pass (not comparable)']);
});

test('check errors come first, in the JUnit file as their own failure type and in the webhook text', async () => {
  const now = collectRun(
    [
      sendResult('mc2', T0),
      placementResult('mc2', { seedId: 'lab-gmail', variant: 'plain', verdict: 'spam' }),
      checkResult('mx › canary.test', 'error', 'mailcanary bug: the mx check threw TypeError: <b>&"x"</b>'),
    ],
    { startedAt: T0, finishedAt: T0, status: 'failed' },
  ).bundle!;
  const g = compareRuns(now, healthy('mc1'));
  expect(g.regressions.map((r) => r.kind)).toEqual(['check-error', 'placement']);
  const xml = gateJUnit(g, { timestamp: new Date(T0) });
  expect(xml).toContain('failures="2"');
  expect(xml).toContain('<testcase classname="mailcanary.gate.check-error" name="check mx › canary.test">');
  expect(xml).toContain(
    'type="check-error">check mx › canary.test: error: mailcanary bug: the mx check threw TypeError: &lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;</failure>',
  );
  expect(xml).toContain('type="regression">lab-gmail / plain: inbox → spam');
  expect(webhookPayload(g, { lab: false }).text).toMatch(/^mailcanary: 1 regression\(s\) and 1 check error\(s\) in run mc2/);
  const onlyError = compareRuns(now, undefined);
  expect(webhookPayload(onlyError, { lab: false }).text).toMatch(
    /^mailcanary: 1 check error\(s\) in run mc2 \(baseline none\)\n- check mx › canary\.test: error: /,
  );
  let posted = 0;
  await notifyWebhook('https://hooks.example/x', onlyError, {
    lab: false,
    fetch: async () => {
      posted++;
      return { status: 200, text: async () => '' };
    },
  });
  expect(posted).toBe(1);
});

test('baseline choice: pinned run wins unless it is this run or gone', () => {
  const cur = { runId: 'mc9', startedAt: T0, lab: false };
  expect(chooseBaseline({ current: cur, pinned: 'mc1', exists: () => true, previous: () => 'mc8' })).toEqual({ runId: 'mc1', how: 'pinned' });
  expect(chooseBaseline({ current: cur, pinned: 'mc9', exists: () => true, previous: () => 'mc8' })).toEqual({ runId: 'mc8', how: 'previous' });
  expect(chooseBaseline({ current: cur, pinned: 'mc1', exists: () => false, previous: () => undefined })).toEqual({ how: 'none' });
});

test('JUnit: one testcase per compared item, failures escaped and counted', () => {
  const now = run('mc2', [{ seedId: 'lab-gmail', variant: 'plain', verdict: 'spam' }]);
  now.messages[0].detail = 'found in Junk <script>alert(1)</script> & "more"\u0001';
  const xml = gateJUnit(compareRuns(now, healthy('mc1')), { timestamp: new Date(T0) });
  expect(xml).toContain('failures="1"');
  expect(xml).toContain(
    '<failure message="lab-gmail / plain: inbox → spam (found in Junk &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;)" type="regression">',
  );
  expect(xml).not.toContain('<script>');
  expect(xml).not.toContain('\u0001');
  expect(xmlEscape("a'b")).toBe('a&apos;b');
});

test('webhook: off without URL, posts JSON with the regressions, never leaks the URL secret', async () => {
  const now = run('mc2', [{ seedId: 'lab-gmail', variant: 'plain', verdict: 'spam' }]);
  const g = compareRuns(now, healthy('mc1'));
  const calls: Array<{ url: string; init: Parameters<FetchLike>[1] }> = [];
  const ok: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return { status: 200, text: async () => '' };
  };
  expect(await notifyWebhook(undefined, g, { lab: true, fetch: ok })).toBeUndefined();
  expect(await notifyWebhook('https://ntfy.example/topic-s3cret', compareRuns(healthy('mc2'), healthy('mc1')), { lab: true, fetch: ok })).toBeUndefined();
  const out = await notifyWebhook('https://user:p4ss@hooks.example/services/T0/B0/s3cret', g, { lab: true, fetch: ok });
  expect(out).toEqual({ sent: true, target: 'https://hooks.example/…', status: 200 });
  expect(calls[0].url).toBe('https://hooks.example/services/T0/B0/s3cret');
  expect(calls[0].init.headers.authorization).toBe(`Basic ${Buffer.from('user:p4ss').toString('base64')}`);
  const body = JSON.parse(calls[0].init.body);
  expect(body.text).toMatch(/^\[LAB\] mailcanary: 1 regression\(s\) in run mc2/);
  expect(body.regressions).toEqual([{ kind: 'placement', line: expect.stringContaining('inbox → spam') }]);
  const failing: FetchLike = async (url) => {
    throw new TypeError(`fetch failed for ${url}`, { cause: { code: 'ECONNREFUSED' } });
  };
  const bad = await notifyWebhook('https://hooks.example/s3cret', g, { lab: false, fetch: failing });
  expect(bad).toEqual({ sent: false, target: 'https://hooks.example/…', error: 'webhook could not be reached (ECONNREFUSED)' });
  expect(JSON.stringify(bad)).not.toContain('s3cret');
  expect((await notifyWebhook('ftp://x/y', g, { lab: false, fetch: ok }))?.error).toMatch(/must be http/);
  expect(safeTarget('not a url s3cret')).toBe('(invalid URL)');
  expect(webhookPayload(g, { lab: false }).text).not.toMatch(/LAB/);
});
