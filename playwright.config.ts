import { defineConfig } from '@playwright/test';
import { loadEnvFile } from './src/config/load.ts';
import { providerProjectIds, providersFromArgv } from './src/config/select.ts';

// `.env` (or MAILCANARY_ENV_FILE) is read once here; workers inherit the environment.
loadEnvFile();

// `--project=gmail` / `--grep @gmail` select providers; the send step reads the selection from
// MAILCANARY_PROVIDERS (workers inherit it) and sends only to those seeds (src/config/select.ts).
const selectedProviders = providersFromArgv(process.argv);
if (selectedProviders.length && !process.env.MAILCANARY_PROVIDERS) process.env.MAILCANARY_PROVIDERS = selectedProviders.join(',');
// a per-provider project exists only when named with --project; the runner decides and hands the
// list to the workers, which see no --project (src/config/select.ts)
const providerIds = providerProjectIds(process.argv, process.env);
if (process.env.TEST_WORKER_INDEX === undefined) process.env.MAILCANARY_PROVIDER_PROJECTS = providerIds.join(',');
const providerProjects = providerIds.map((id) => ({ name: id, testMatch: /placement\.spec\.ts/, grep: new RegExp(`@${id}\\b`), dependencies: ['send'] }));

/**
 * The suites users run: `npx playwright test`.
 * - `send`: sends every tagged message of the run (one SMTP connection);
 * - `placement`: one test per seed × variant, waiting for its message;
 * - `dns`: the DNS posture checks of the sending domains and IPs;
 * - `server`: what receivers see of your server (open relay, banner, TLS, website, reputation);
 * - `content`: pre-send checks of each message variant (size, unsubscribe, link lists, images, parts, Message-ID, Date);
 * - `server-log`: your server's mail log since the previous run: the rejections of your real mail
 *   and the outbound volume (skipped, with the reason, when no log source is set).
 * - `reports`: DMARC aggregate and TLS-RPT reports from the report mailbox (REPORTS_IMAP_*), held against the test mail.
 */
export default defineConfig({
  testDir: './suites',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Playwright's HTML report (playwright-report/index.html, `npx playwright show-report`): every
  // test with its verdict and reason in the step titles and annotations; never opened by itself
  reporter: [
    ['./reporters/placement-reporter.ts'],
    ['list'],
    ['./reporters/summary-reporter.ts'],
    ['html', { open: 'never' }],
    // `npm run demo` reads the results back to set them against what the lab scenario shows
    ...(process.env.MAILCANARY_RESULTS_JSON ? [['json', { outputFile: process.env.MAILCANARY_RESULTS_JSON }] as ['json', { outputFile: string }]] : []),
    ...(process.argv.some((a) => a === '--shard' || a.startsWith('--shard=')) ? [['blob'] as ['blob']] : []),
  ],
  outputDir: process.env.MAILCANARY_OUTPUT_DIR || 'test-results',
  use: { trace: 'off' },
  projects: [
    { name: 'send', testMatch: /send\.setup\.ts/ },
    { name: 'placement', testMatch: /placement\.spec\.ts/, dependencies: ['send'] },
    { name: 'dns', testMatch: /dns\.spec\.ts/ },
    { name: 'server', testMatch: /server\.spec\.ts/ },
    { name: 'content', testMatch: /content\.spec\.ts/ },
    { name: 'server-log', testMatch: /server-log\.spec\.ts/ },
    { name: 'reports', testMatch: /reports\.spec\.ts/ },
    ...providerProjects,
  ],
});
