import { expect, test } from '@playwright/test';
import { gapMs, sendOffsets } from '../../src/send/pacing.ts';

const polite = { politeness: { maxMessagesPerMinute: 10, maxMessagesPerDay: 6 } };

test('messages to one seed are spaced by the preset limit; other seeds are not held back', () => {
  expect(gapMs(polite, false)).toBe(6000);
  expect(gapMs(polite, true)).toBe(0);
  expect(gapMs({}, false)).toBe(0);
  const plan = [{ seedId: 'a' }, { seedId: 'a' }, { seedId: 'b' }, { seedId: 'a' }, { seedId: 'b' }];
  expect(sendOffsets(plan, (id) => (id === 'a' ? 6000 : 2000))).toEqual([0, 6000, 0, 12000, 2000]);
});
