import { defineConfig } from '@playwright/test';

/**
 * mailcanary's own test suite (`npm test`): unit tests of every parser and check (offline),
 * then the lab tests that drive the real local mail world in `lab/`.
 */
export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  fullyParallel: true,
  // Every core: the unit tests are CPU-bound and independent of each other (Playwright's default,
  // half the cores, leaves one of two cores idle). The lab project below stays on one worker.
  workers: '100%',
  reporter: [['list'], ['../reporters/summary-reporter.ts']],
  projects: [
    { name: 'unit', testDir: './unit' },
    { name: 'lab-up', testDir: './lab', testMatch: /lab\.setup\.ts/, teardown: 'lab-down' },
    { name: 'lab-down', testDir: './lab', testMatch: /lab\.teardown\.ts/ },
    {
      name: 'lab',
      testDir: './lab',
      testMatch: /.*\.spec\.ts/,
      dependencies: ['lab-up'],
      fullyParallel: false,
      timeout: 180_000,
      // one lab for the whole machine: its specs switch its scenario and read its logs and mailboxes, so they run one at a time
      workers: 1,
    },
  ],
});
