/**
 * Clocks for the watcher's tests and the INTERNALDATEs of the scripted IMAP servers. Every date a
 * fake server sends derives from the clock of the code under test: a fixed date would drop out
 * of the watcher's window (it looks back a fixed time from its own clock) as the calendar moves on.
 */

/**
 * How far the tests' clocks run ahead of the real one (1000 days): code that reads the real clock
 * where it should use the injected one then stands out at once instead of in some later year.
 */
export const CLOCK_OFFSET_MS = 1000 * 86_400_000;

/** The real clock moved by CLOCK_OFFSET_MS: time still flows, for tests that wait on real timers. */
export const shiftedNow = (): number => Date.now() + CLOCK_OFFSET_MS;

/** A clock that moves only when `sleep` is called: backoffs and polls cost no real time. */
export function steppedClock(start = shiftedNow()) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** RFC 3501 §9 `date-time` (`"27-Nov-2026 10:00:00 +0000"`, quotes included), in UTC whatever the local time zone. */
export function imapInternalDate(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new Error(`imapInternalDate: ${ms} is not a time`);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `"${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${time} +0000"`;
}
