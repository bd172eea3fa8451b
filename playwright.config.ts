import { defineConfig } from '@playwright/test';
import { loadEnvFile } from './src/config/load.ts';

// `.env` (or MAILCANARY_ENV_FILE) is read once here; workers inherit the environment.
loadEnvFile();

/**
 * The suites users run: `npx playwright test`.
 * - `send`: sends every tagged message of the run (one SMTP connection);
 * - `placement`: one test per seed × variant, waiting for its message;
 * - `dns`: the DNS posture checks of the sending domains and IPs.
 */
export default defineConfig({
  testDir: './suites',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['./reporters/summary-reporter.ts']],
  outputDir: process.env.MAILCANARY_OUTPUT_DIR || 'test-results',
  use: { trace: 'off' },
  projects: [
    { name: 'send', testMatch: /send\.setup\.ts/ },
    { name: 'placement', testMatch: /placement\.spec\.ts/, dependencies: ['send'] },
    { name: 'dns', testMatch: /dns\.spec\.ts/ },
  ],
});
