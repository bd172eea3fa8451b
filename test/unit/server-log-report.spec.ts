import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { FullConfig, FullResult, Suite } from '@playwright/test/reporter';
import PlacementReporter from '../../reporters/placement-reporter.ts';
import { HistoryStore, serverLogReading, SERVER_LOG_ATTACHMENT } from '../../src/record/index.ts';
import type { ResultInput } from '../../src/record/index.ts';
import { untestedRun } from '../../src/run/coverage.ts';
import type { ServerLogReading } from '../../src/server-log/index.ts';
import { fakeCase, withEnvAndLogs } from '../fixtures/record/results.ts';
import { shiftedNow } from './test-clock.ts';

const H = 3_600_000;
const T0 = shiftedNow();
const TITLE = ['', 'server-log', 'server-log.spec.ts', 'rejections of your real mail and outbound volume @server-log'];
const HOSTILE = '550 5.7.1 <img src=x onerror=alert(1)> CYREN IP reputation determined a medium risk \u202Efdp.exe';

function reading(until: number, groups: Array<{ domain: string; reason: string; reply: string }>, extra: Partial<ServerLogReading> = {}): ServerLogReading {
  return {
    source: 'file /var/log/mail.log',
    since: until - 24 * H,
    until,
    basis: 'default',
    stats: { lines: 40, used: 30, ignored: 8, garbage: 2, truncated: 0, tooLong: 0, rotations: 1, evicted: 0 },
    rejections: groups.map((g) => ({
      domain: g.domain,
      reason: g.reason,
      status: 'bounced' as const,
      messages: 2,
      attempts: 3,
      hardBounce: true,
      firstAt: until - 2 * H,
      lastAt: until - H,
      relays: [`mx.${g.domain}`],
      example: `mx.${g.domain} said after RCPT: ${g.reply}`,
      reply: g.reply,
      dsn: '5.7.1',
      replyCode: 550,
      advice: {
        id: 'cyren-ip-reputation',
        provider: 'Cyren',
        reason: 'badreputation',
        meaning: 'A commercial IP reputation service rates the sending IP.',
        action: 'Ask the receiver to check the IP at <b>Cyren</b>.',
        link: 'https://example.invalid',
      } as never,
      recipients: [`***@${g.domain}`],
    })),
    volume: {
      messages: 413,
      recipients: 420,
      bySender: [{ key: 'dmarc-reports@example.org', messages: 302, recipients: 302, selfGenerated: 302 }],
      byDomain: [{ key: 'spammer.example', messages: 200, recipients: 200, selfGenerated: 200 }],
      selfGenerated: { messages: 302, share: 0.7312, byKind: { 'dmarc-report': 302 }, topDomains: [] },
      warning: '302 of 413 outbound messages (73 %) are mail your server wrote itself (302 dmarc-report); blocklists such as Spamhaus CSS …',
    },
    ...extra,
  };
}

function logResult(r: ServerLogReading, status = 'passed'): ResultInput {
  return {
    titlePath: TITLE,
    status,
    annotations: [],
    attachments: [{ name: SERVER_LOG_ATTACHMENT, contentType: 'application/json', body: JSON.stringify(r) }],
  };
}

async function runReporter(results: ResultInput[], env: Record<string, string>, at: number) {
  const { value, logs } = await withEnvAndLogs(env, async () => {
    const rep = new PlacementReporter({ now: () => at });
    rep.onBegin({ shard: null } as FullConfig, { allTests: () => [] } as unknown as Suite);
    results.forEach((r, i) => rep.onTestEnd(...fakeCase(r, i)));
    return rep.onEnd({ status: 'passed' } as FullResult);
  });
  return { out: value, logs };
}

test('the reporter records each reading, gates a domain that newly refuses, and the report shows the section with every log string as text', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-slr-'));
  const env = {
    MAILCANARY_HISTORY: path.join(dir, 'h.sqlite'),
    MAILCANARY_REPORT_DIR: path.join(dir, 'report'),
    MAILCANARY_WEBHOOK_URL: '',
    MAILCANARY_LAB: '',
  };
  const old = { domain: 'old.example', reason: 'blocked', reply: '554 5.7.1 blocked' };
  // a run of only the server-log project is still a run; the first reading has nothing to compare with
  const first = await runReporter([logResult(reading(T0, [old]))], env, T0);
  expect(first.out).toBeUndefined();
  expect(first.logs.join('\n')).toContain('1 rejection group(s) from the server log');

  const second = await runReporter(
    [logResult(reading(T0 + 2 * H, [old, { domain: 'council.lab.test', reason: 'badreputation', reply: HOSTILE }]))],
    env,
    T0 + 2 * H,
  );
  expect(second.out).toEqual({ status: 'failed' });
  expect(second.logs.join('\n')).toContain(
    '✘ server-log: council.lab.test: newly rejects for reputation: 550 5.7.1 <img src=x onerror=alert(1)> CYREN IP reputation',
  );
  expect(second.logs.join('\n')).not.toContain('old.example: newly');

  const store = HistoryStore.open(env.MAILCANARY_HISTORY, { readOnly: true });
  const runs = store.runs();
  expect(runs).toHaveLength(2);
  expect(runs[1].gate?.regressions).toEqual([expect.stringMatching(/^council\.lab\.test: newly rejects for reputation: /)]);
  expect(serverLogReading(store, runs[1].runId)?.rejections.map((g) => g.domain)).toEqual(['council.lab.test', 'old.example'].sort());
  store.close();

  const html = readFileSync(path.join(dir, 'report', 'index.html'), 'utf8');
  const staticPart = html.slice(0, html.indexOf('<script type="application/json"'));
  expect(staticPart).toContain('<h2 id="real-mail-h">Rejections of your real mail</h2>');
  expect(staticPart).toContain('newly rejects for reputation');
  expect(staticPart).toContain('***@council.lab.test');
  expect(staticPart).toContain('Outbound volume');
  expect(staticPart).toContain('blocklists such as Spamhaus CSS');
  // the log's text is text: escaped in the static HTML, \u-escaped in the data block, bidi controls shown
  expect(html).not.toContain('<img src=x');
  expect(html).not.toContain('<b>Cyren</b>');
  expect(staticPart).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(staticPart).toContain('⟨U+202E⟩fdp.exe');
  expect(html).not.toContain('\u202E');
  expect(staticPart).toContain('Ask the receiver to check the IP at &lt;b&gt;Cyren&lt;/b&gt;.');
});

test('a malformed or unreadable reading is a warning, and the run is recorded without it', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-slr-'));
  const env = { MAILCANARY_HISTORY: path.join(dir, 'h.sqlite'), MAILCANARY_REPORT_DIR: path.join(dir, 'report'), MAILCANARY_WEBHOOK_URL: '' };
  const bad: ResultInput = { ...logResult(reading(T0, [])), attachments: [{ name: SERVER_LOG_ATTACHMENT, body: '{"source": 1}' }] };
  const { logs } = await runReporter([bad], env, T0);
  expect(logs.join('\n')).toMatch(/warning: the server-log reading of ".*" is unusable \(source, since or until missing\): not recorded/);
  const store = HistoryStore.open(env.MAILCANARY_HISTORY, { readOnly: true });
  const runs = store.runs();
  expect(runs).toHaveLength(1);
  expect(serverLogReading(store, runs[0].runId)).toBeUndefined();
  store.close();
});

test('a run in which only the skipped server-log test happened is not green', () => {
  const skipped = {
    status: 'skipped',
    annotations: [{ type: 'skip', description: 'no server log configured: set MAILCANARY_LOG_FILE, MAILCANARY_LOG_JOURNAL or MAILCANARY_LOG_SSH in .env' }],
  };
  expect(untestedRun([skipped])).toMatch(/^mailcanary: no test was executed: all 1 test\(s\) were skipped \(no server log configured: set MAILCANARY_LOG_FILE/);
  // next to a test that ran, the skip is only a skip
  expect(untestedRun([skipped, { status: 'passed', annotations: [] }])).toBeUndefined();
});
