import { test as setup } from '@playwright/test';
import { loadConfig } from '../src/config/load.ts';
import { writeManifest } from '../src/run/manifest.ts';
import { sendAll } from '../src/send/submit.ts';
import { newRunId } from '../src/send/tag.ts';
import { registerSecret } from '../src/util/redact.ts';

/**
 * Sends every test message of the run before any test waits: the run then takes about as
 * long as the slowest delivery, not the sum of all of them (Playwright runs a worker's tests
 * one after another).
 */
setup('send the tagged test messages', async ({}, testInfo) => {
  const config = await loadConfig();
  registerSecret(config.sender.smtp.pass);
  const runId = process.env.MAILCANARY_RUN_ID || newRunId();
  const usable = config.seeds.filter((s) => !s.skipReason);
  const plan = usable.flatMap((seed) => config.variants.map((variant) => ({ seedId: seed.id, to: seed.address, variant })));
  const startedAt = Date.now();
  const messages = plan.length ? await sendAll({ sender: config.sender, runId, plan }) : [];
  const manifest = {
    runId,
    startedAt,
    lab: config.sender.lab,
    seedsFile: config.seedsFile,
    messages,
    skipped: config.seeds.filter((s) => s.skipReason).map((s) => ({ seedId: s.id, reason: s.skipReason! })),
  };
  const file = writeManifest(config.stateDir, manifest);
  testInfo.annotations.push({ type: 'mailcanary.run', description: JSON.stringify({ runId, startedAt, lab: config.sender.lab }) });
  await testInfo.attach('manifest.json', { path: file, contentType: 'application/json' });
  const failed = messages.filter((m) => m.submitError);
  console.log(
    `${config.sender.lab ? '[LAB] ' : ''}run ${runId}: sent ${messages.length - failed.length}/${messages.length} message(s)` +
      (failed.length ? `, ${failed.length} refused or failed at submission` : '') +
      (manifest.skipped.length ? `, ${manifest.skipped.length} seed(s) skipped` : ''),
  );
});
