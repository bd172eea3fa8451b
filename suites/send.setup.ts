import { test as setup } from '@playwright/test';
import { loadConfig } from '../src/config/load.ts';
import { writeManifest } from '../src/run/manifest.ts';
import { sendAll } from '../src/send/submit.ts';
import { gapMs, scheduleWarnings, sendOffsets } from '../src/send/pacing.ts';
import { newRunId } from '../src/send/tag.ts';
import { registerSecret } from '../src/shared/redact.ts';
import { isSelected, selectedProviders } from '../src/config/select.ts';
import { labFromEnv } from '../src/config/sender.ts';
import { PROVIDER_IDS } from '../src/knowledge/providers.ts';
import { planKey, shardPlanFromEnv } from '../src/send/shard-plan.ts';
import { scoreVariants } from './score-step.ts';

/**
 * Sends every test message of the run before any test waits: the run then takes about as
 * long as the slowest delivery, not the sum of all of them (Playwright runs a worker's tests
 * one after another).
 */
// tagged with every provider so that `--grep @gmail` keeps the send step (it then sends to Gmail
// seeds only); `@lab` only on a lab run, so a real run's report never carries it
setup('send the tagged test messages', { tag: ['@send', ...(labFromEnv() ? ['@lab'] : []), ...PROVIDER_IDS.map((p) => `@${p}`)] }, async ({}, testInfo) => {
  const config = await loadConfig();
  registerSecret(config.sender.smtp.pass);
  const runId = process.env.MAILCANARY_RUN_ID || newRunId();
  const selection = selectedProviders(process.env);
  const usable = config.seeds.filter((s) => !s.skipReason && isSelected(s.provider, selection));
  // a shard (--shard=i/n) sends only the messages of its own placement tests (src/send/shard-plan.ts)
  const shard = shardPlanFromEnv();
  const inShard = shard ? new Set(shard.map(planKey)) : undefined;
  // The index in the full seeds × variants × paths matrix names the tag, so shards never share
  // one. With the single default path (no SMTP_PATHS) the indexes are those of seeds × variants.
  const pathNames = config.sender.paths.map((p) => p.name);
  const matrix = config.seeds.flatMap((seed) =>
    config.variants.flatMap((variant) => pathNames.map((path) => ({ seedId: seed.id, to: seed.address, variant, ...(path ? { path } : {}) }))),
  );
  const selected = matrix
    .map((p, index) => ({ ...p, index }))
    .filter((p) => usable.some((s) => s.id === p.seedId))
    .filter((p) => !inShard || inShard.has(planKey(p)));
  const offsets = sendOffsets(selected, (id) =>
    gapMs(
      config.seeds.find((s) => s.id === id)!,
      config.sender.lab,
    ),
  );
  const plan = selected.map((p, i) => ({ ...p, notBefore: offsets[i] }));
  const runsPerDay = Number(process.env.MAILCANARY_RUNS_PER_DAY || 1);
  // every path sends its own copy of each variant: the provider counts them all
  for (const warning of config.sender.lab ? [] : scheduleWarnings(usable, config.variants.length * pathNames.length, runsPerDay)) {
    testInfo.annotations.push({ type: 'warning', description: warning });
    console.warn(`mailcanary: warning: ${warning}`);
  }
  // each variant scored by the local content scorer (MAILCANARY_SCORER) before anything leaves
  if (config.scorer) await scoreVariants({ config, runId, plan, testInfo });
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
