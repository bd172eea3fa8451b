/** Real headless Chromium (Debian's `chromium`) for the report tests. */
import { chromium, test } from '@playwright/test';
import type { Browser } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.MAILCANARY_CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** One Chromium for the tests of a spec file: launched before its first test, closed after its last. */
export function chromiumPerFile(): () => Browser {
  let browser: Browser | undefined;
  test.beforeAll(async () => {
    browser = await launchChromium();
  });
  test.afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}
