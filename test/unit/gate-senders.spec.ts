import { expect, test } from '@playwright/test';
import { compareRuns } from '../../src/gate/compare.ts';
import { collectRun, type ResultInput } from '../../src/record/from-results.ts';
import { HistoryStore } from '../../src/record/store.ts';
import type { RunBundle } from '../../src/record/types.ts';
import { HEADERS_DKIM_FAIL, placementResult, sendResult } from '../fixtures/record/results.ts';
import { SENDERS, senderResult } from '../fixtures/record/senders.ts';

const T0 = Date.parse('2026-01-14T10:00:00Z');
function run(runId: string, results: ResultInput[]): RunBundle {
  return collectRun([sendResult(runId, T0), ...results], { startedAt: T0, finishedAt: T0, status: 'passed' }).bundle!;
}

const before = run('mc202601141000aaaa', [
  senderResult('mc202601141000aaaa', 'family', 'inbox'),
  senderResult('mc202601141000aaaa', 'club', 'inbox'),
  senderResult('mc202601141000aaaa', 'system', 'inbox'),
]);

test('each sender is its own column of the history, with its domain', () => {
  expect(before.messages.map((m) => [m.variant, m.sender?.domain, m.sender?.system])).toEqual([
    ['plain from club.example', 'club.example', false],
    ['plain from family.example', 'family.example', false],
    ['plain from mail.example.org (system mail)', 'mail.example.org', true],
  ]);
  const store = HistoryStore.open(':memory:');
  store.writeRun(before);
  expect(store.bundle(before.run.runId)!.messages.map((m) => m.sender)).toEqual([SENDERS.club, SENDERS.family, SENDERS.system]);
  expect(
    store
      .messageSummaries()
      .map((m) => m.sender?.domain)
      .sort(),
  ).toEqual(['club.example', 'family.example', 'mail.example.org']);
  store.close();
});

test('a regression names the domain first: only the sender that got worse', () => {
  const after = run('mc202601151000bbbb', [
    senderResult('mc202601151000bbbb', 'family', 'spam'),
    senderResult('mc202601151000bbbb', 'club', 'inbox'),
    senderResult('mc202601151000bbbb', 'system', 'inbox', HEADERS_DKIM_FAIL),
  ]);
  const gate = compareRuns(after, before);
  expect(gate.regressions.map((r) => r.line.replace(/ \(verdict spam\)$/, ''))).toEqual([
    'family.example: gmail / plain: inbox → spam',
    'mail.example.org (system mail): gmail: dkim pass → fail (plain)',
    'mail.example.org (system mail): gmail: dmarc pass → fail (plain)',
  ]);
  expect(gate.regressions.map((r) => r.senderDomain)).toEqual(['family.example', 'mail.example.org', 'mail.example.org']);
  expect(gate.compared.some((c) => c.name === 'placement club.example: gmail / plain' && !c.failure)).toBe(true);
});

test('a run with one sender keeps its lines as before', () => {
  const one = (id: string, verdict: string) => run(id, [placementResult(id, { seedId: 'gmail', variant: 'plain', verdict })]);
  const gate = compareRuns(one('mc202601151000cccc', 'spam'), one('mc202601141000dddd', 'inbox'));
  expect(gate.regressions[0].line).toBe('gmail / plain: inbox → spam (verdict spam)');
  expect(gate.regressions[0]).not.toHaveProperty('senderDomain');
});
