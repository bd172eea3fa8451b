#!/usr/bin/env bash
# The unit project once more with the system clock moved MAILCANARY_CLOCK_SHIFT_DAYS (default 400)
# days ahead by libfaketime: a test that compares a fixed date with the real clock, or code that
# reads the real clock where it should use the injected one, fails here instead of on some later
# day. The pass also runs in a time zone far from UTC (TZ, default Asia/Kolkata, UTC+05:30), so a
# test that passes only in UTC fails here too.
# Installs Debian's faketime when it is missing (as root; otherwise prints the command).
# Extra arguments go to `playwright test` (e.g. a spec file).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
SHIFT_DAYS="${MAILCANARY_CLOCK_SHIFT_DAYS:-400}"

if ! command -v faketime >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "faketime is not installed: run 'sudo apt-get install -y faketime' (Debian/Ubuntu) and try again" >&2
    exit 1
  fi
  echo "installing faketime (libfaketime)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y faketime >/dev/null 2>&1 ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y faketime >/dev/null; }
fi

# Only the wall clock moves: timers and durations (the monotonic clock) stay real, so timeouts mean
# what they say and Node's threads are not disturbed.
export FAKETIME_DONT_FAKE_MONOTONIC=1
export TZ="${MAILCANARY_TEST_TZ:-Asia/Kolkata}"
real_ms=$(node -e 'process.stdout.write(String(Date.now()))')
expect_after=$((real_ms + (SHIFT_DAYS - 1) * 86400000))
shifted_ms=$(faketime "+${SHIFT_DAYS} days" node -e 'process.stdout.write(String(Date.now()))')
real_year=$(node -e 'process.stdout.write(String(new Date().getUTCFullYear()))')
shifted_year=$(faketime "+${SHIFT_DAYS} days" node -e 'process.stdout.write(String(new Date().getUTCFullYear()))')
if [ "$shifted_ms" -lt "$expect_after" ] || [ "$shifted_year" -le "$real_year" ]; then
  echo "faketime did not move Node's clock: it reads $(node -e "console.log(new Date($shifted_ms).toISOString())") (year $shifted_year) under faketime +${SHIFT_DAYS} days; the clock-shifted pass would test nothing" >&2
  exit 1
fi
echo "unit tests with the clock at $(node -e "console.log(new Date($shifted_ms).toISOString())") (+${SHIFT_DAYS} days, year $shifted_year), TZ=$TZ"
# test/unit/clock-shift.spec.ts asserts inside the test workers that their clock is past this, at that UTC offset
tz_offset=$(faketime "+${SHIFT_DAYS} days" node -e 'process.stdout.write(String(new Date().getTimezoneOffset()))')
export MAILCANARY_EXPECT_CLOCK_AFTER="$expect_after" MAILCANARY_EXPECT_TZ_OFFSET="$tz_offset"
exec faketime "+${SHIFT_DAYS} days" playwright test -c test/playwright.config.ts --project=unit "$@"
