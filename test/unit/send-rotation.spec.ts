import { expect, test } from '@playwright/test';
import { describeRotation, planRotation, runNumber } from '../../src/send/rotation.ts';
import { buildMatrix } from '../../src/send/matrix.ts';
import { newRunId, runIdTime } from '../../src/send/tag.ts';

const DAY = 86_400_000;
// a fixed instant: the planner reads no clock of its own
const start = Date.UTC(2031, 4, 17, 0, 0, 0);

const seeds = [
  { id: 'gmail', address: 'g@gmail.example' },
  { id: 'tonline', address: 't@t-online.example' },
  { id: 'lab', address: 'l@lab.example' },
];
const senders = ['family', 'club', 'friends', 'chess', 'system'].map((id) => ({ id, paths: null }));
const cells = buildMatrix(seeds, senders, ['plain', 'html-with-link'], [undefined]);
// gmail: 5 a day, t-online: 3 a day, lab: no limit
const budgets: Record<string, number | undefined> = { gmail: 5, tonline: 3, lab: undefined };
const key = (c: { seedId: string; variant: string; sender?: string }) => `${c.seedId}/${c.sender}/${c.variant}`;

for (const runsPerDay of [1, 2, 4]) {
  test(`over 30 planned days at ${runsPerDay} run(s) a day no seed goes over its budget and every combination is sent`, () => {
    const perDay = new Map<string, number>();
    const covered = new Set<string>();
    let parts = 0;
    for (let day = 0; day < 30; day++)
      for (let slot = 0; slot < runsPerDay; slot++) {
        const now = start + day * DAY + Math.floor(((slot + 0.5) * DAY) / runsPerDay);
        const plan = planRotation(cells, { budgetOf: (s) => budgets[s], runsPerDay, now });
        parts = plan.parts;
        expect(plan.cells.length + plan.later.length).toBe(cells.length);
        for (const c of plan.cells) {
          covered.add(key(c));
          const k = `${day}/${c.seedId}`;
          perDay.set(k, (perDay.get(k) ?? 0) + 1);
        }
      }
    for (const [k, n] of perDay) {
      const budget = budgets[k.split('/')[1]];
      if (budget !== undefined) expect(n, k).toBeLessThanOrEqual(budget);
    }
    expect(covered.size).toBe(cells.length);
    // 10 messages to t-online at 3 a day need 10/3 days of runs at least: the cycle is no longer than that
    expect(parts).toBe(Math.ceil((10 * runsPerDay) / 3));
  });
}

test('the plan follows the date and the slot, so shards and reruns agree', () => {
  const o = { budgetOf: (s: string) => budgets[s], runsPerDay: 2 };
  const a = planRotation(cells, { ...o, now: start + 1000 });
  const b = planRotation(cells, { ...o, now: start + 11 * 3_600_000 });
  expect(b.cells).toEqual(a.cells);
  const next = planRotation(cells, { ...o, now: start + 13 * 3_600_000 });
  expect(next.part).toBe((a.part + 1) % a.parts);
  expect(next.cells).not.toEqual(a.cells);
  expect(runNumber(start + DAY - 1, 2)).toBe(runNumber(start, 2) + 1);
});

test('a matrix within every budget is not rotated and prints nothing', () => {
  const plan = planRotation(cells, { budgetOf: () => 100, runsPerDay: 4, now: start });
  expect(plan.parts).toBe(1);
  expect(plan.later).toEqual([]);
  expect(describeRotation(plan, 4)).toEqual([]);
});

test('the printed plan names the cycle and this run’s part', () => {
  const plan = planRotation(cells, { budgetOf: (s) => budgets[s], runsPerDay: 1, now: start });
  const lines = describeRotation(plan, 1);
  expect(lines[0]).toContain('sent in 4 parts, one per run (every combination once in 4 day(s))');
  expect(lines[1]).toMatch(
    new RegExp(`^rotation: this run sends part ${plan.part + 1} of 4: ${plan.cells.length} message\\(s\\) \\(gmail \\d, tonline \\d, lab \\d+\\)$`),
  );
});

test('a budget below one message a day is refused', () => {
  expect(() => planRotation(cells, { budgetOf: () => 0, runsPerDay: 1, now: start })).toThrow(/gmail has a daily budget of 0/);
});

test('shards sharing a run id plan the same part even when they start on either side of a slot boundary', () => {
  const o = { budgetOf: (s: string) => budgets[s], runsPerDay: 2 };
  // the run was created a minute before noon; a shard starts a few minutes after, in the next slot
  const created = start + 12 * 3_600_000 - 60_000;
  const runId = newRunId(new Date(created), () => 0.5);
  expect(runIdTime(runId)).toBe(created);
  const late = start + 12 * 3_600_000 + 5 * 60_000;
  expect(planRotation(cells, { ...o, now: late }).part).not.toBe(planRotation(cells, { ...o, now: created }).part);
  expect(planRotation(cells, { ...o, now: runIdTime(runId) ?? late }).cells).toEqual(planRotation(cells, { ...o, now: created }).cells);
  // an id given some other way has no time: the shard's own clock decides
  expect(runIdTime('nightly-42')).toBeUndefined();
  expect(runIdTime('mc203113450000abcd')).toBeUndefined();
});
