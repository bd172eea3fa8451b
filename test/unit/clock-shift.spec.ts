import { expect, test } from '@playwright/test';

/**
 * scripts/unit-future.sh runs the unit project with the system clock moved more than a year ahead
 * and says where the clock must be (MAILCANARY_EXPECT_CLOCK_AFTER, ms since the epoch) and at which
 * UTC offset (MAILCANARY_EXPECT_TZ_OFFSET, minutes as getTimezoneOffset gives them): this checks that the test workers themselves see that clock,
 * so the shifted pass cannot silently run on today's date.
 */
test('in the clock-shifted pass, the test workers run on the shifted clock', () => {
  const after = process.env.MAILCANARY_EXPECT_CLOCK_AFTER;
  test.skip(!after, 'only in the clock-shifted pass (npm run test:unit:future)');
  expect(Number(after), `MAILCANARY_EXPECT_CLOCK_AFTER=${after} is not a time`).toBeGreaterThan(0);
  expect(
    new Date().getTime(),
    `the worker's clock reads ${new Date().toISOString()}, expected after ${new Date(Number(after)).toISOString()}`,
  ).toBeGreaterThanOrEqual(Number(after));
  const offset = process.env.MAILCANARY_EXPECT_TZ_OFFSET;
  if (offset) expect(new Date().getTimezoneOffset(), `the UTC offset of the test workers (TZ=${process.env.TZ})`).toBe(Number(offset));
});
