import { expect, test } from '@playwright/test';
import { SERVER_LOG_ATTACHMENT } from '../src/record/index.ts';
import { serverLogConfigFromEnv } from '../src/server-log/index.ts';
import { formatRejections, formatVolume } from '../src/server-log/index.ts';
import { serverLogStep } from './server-log-step.ts';

/**
 * What your own server saw of your real mail: its mail log (MAILCANARY_LOG_FILE, _JOURNAL or
 * _SSH) over the window since the previous run's reading (the last MAILCANARY_LOG_WINDOW_HOURS
 * when there is none). Every bounced, deferred or expired delivery to any remote domain,
 * grouped by domain and reason with advice (recipients' local parts masked unless
 * MAILCANARY_LOG_SHOW_LOCAL_PARTS=true), and the outbound volume per sender identity and remote
 * domain with the share the server writes itself. The reading travels with the result (an
 * attachment and annotations), so the reporters record the same on a plain run and on
 * merge-reports. Fails when the log cannot be read (the error names the fix) and when a remote
 * domain newly refuses for reputation, authentication or policy; skipped, with the reason, when
 * no log source is configured.
 */
const { config, problems } = serverLogConfigFromEnv(process.env);
const lab = process.env.MAILCANARY_LAB === '1' || process.env.MAILCANARY_LAB === 'true';

test('rejections of your real mail and outbound volume @server-log', async ({}, testInfo) => {
  if (problems.length) throw new Error(problems.map((p) => `${p.field}: ${p.message}${p.fix ? ` (fix: ${p.fix})` : ''}`).join('\n'));
  test.skip(!config, 'no server log configured: set MAILCANARY_LOG_FILE, MAILCANARY_LOG_JOURNAL or MAILCANARY_LOG_SSH in .env (README, "Your server\'s log")');
  // a log of a busy server streams at ~200,000 lines/s: a gigabyte takes well under a minute
  test.setTimeout(10 * 60_000);
  const step = await serverLogStep(config!, { env: process.env, now: Date.now(), lab });
  const { reading, newly } = step;
  await testInfo.attach(SERVER_LOG_ATTACHMENT, { body: JSON.stringify(reading), contentType: 'application/json' });
  testInfo.annotations.push({ type: 'server-log', description: step.summary });
  for (const g of reading.rejections.slice(0, 20)) {
    testInfo.annotations.push({
      type: 'rejection',
      description: formatRejections([g])
        .map((l) => l.trim())
        .join(' — '),
    });
  }
  if (reading.rejections.length > 20)
    testInfo.annotations.push({ type: 'rejection', description: `… and ${reading.rejections.length - 20} more group(s) in the report` });
  testInfo.annotations.push({ type: 'outbound', description: formatVolume({ ...reading.volume, warning: undefined })[0] });
  if (reading.volume.warning) testInfo.annotations.push({ type: 'warning', description: reading.volume.warning });
  if (!step.baseline)
    testInfo.annotations.push({
      type: 'server-log',
      description: step.previous
        ? 'no earlier reading saw outbound mail: this one is what the next run compares with'
        : 'no previous reading: this one is what the next run compares with',
    });
  for (const n of newly) testInfo.annotations.push({ type: 'newly-rejecting', description: n.line });
  expect(
    newly.map((n) => n.line),
    `remote domains that newly refuse your mail (compared with each domain's answer when an earlier reading last saw mail to it${step.previous ? `; previous reading in run ${step.previous.runId}` : ''})`,
  ).toEqual([]);
});
