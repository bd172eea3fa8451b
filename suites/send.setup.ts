import { test as setup } from '@playwright/test';
import { loadConfig } from '../src/config/load.ts';
import { writeManifest } from '../src/run/manifest.ts';
import { sendAll } from '../src/send/submit.ts';
import { gapMs, sendOffsets } from '../src/send/pacing.ts';
import { buildMatrix, senderTags } from '../src/send/matrix.ts';
import { describeRotation, planRotation } from '../src/send/rotation.ts';
import { loadSenders } from '../src/config/index.ts';
import { newRunId, runIdTime } from '../src/send/tag.ts';
import { registerSecret } from '../src/shared/redact.ts';
import { isSelected, selectedProviders } from '../src/config/select.ts';
import { labFromEnv } from '../src/config/sender.ts';
import { PROVIDER_IDS } from '../src/knowledge/providers.ts';
import { planKey, shardPlanFromEnv } from '../src/send/shard-plan.ts';
import { scoreVariants } from './score-step.ts';
import { submitFailureLines } from '../src/send/submit-failures.ts';
import { probeSeeds } from '../src/watch/seed-probe.ts';

/**
 * Sends every test message of the run before any test waits: the run then takes about as
 * long as the slowest delivery, not the sum of all of them (Playwright runs a worker's tests
 * one after another).
 */
// tagged with every provider and sender domain so that `--grep @gmail` or `--grep @family.example`
// keeps the send step (it then sends only the selected tests' messages); `@lab` only on a lab run,
// so a real run's report never carries it. A bad senders file is reported by loadConfig in the step.
const senders = await loadSenders().catch(() => []);
const senderTagList = [...new Set(senders.flatMap((s) => senderTags(s, senders)))];
setup(
  'send the tagged test messages',
  { tag: ['@send', ...(labFromEnv() ? ['@lab'] : []), ...PROVIDER_IDS.map((p) => `@${p}`), ...senderTagList] },
  async ({}, testInfo) => {
    const config = await loadConfig();
    registerSecret(config.sender.smtp.pass);
    for (const s of config.senders) registerSecret(s.login.pass);
    const runId = process.env.MAILCANARY_RUN_ID || newRunId();
    const selection = selectedProviders(process.env);
    const usable = config.seeds.filter((s) => !s.skipReason && isSelected(s.provider, selection));
    // a shard (--shard=i/n) sends only the messages of its own placement tests (src/send/shard-plan.ts)
    const shard = shardPlanFromEnv();
    const inShard = shard ? new Set(shard.map(planKey)) : undefined;
    // The index in the full seeds × senders × variants × paths matrix names the tag, so shards never
    // share one. With one sender and the default path the indexes are those of seeds × variants.
    const pathNames = config.sender.paths.map((p) => p.name);
    const usableMatrix = buildMatrix(config.seeds, config.senders, config.variants, pathNames).filter((p) => usable.some((s) => s.id === p.seedId));
    // every sender's mail counts against a seed's daily budget: rotate when the whole matrix would go over it
    const runsPerDay = Number(process.env.MAILCANARY_RUNS_PER_DAY || 1);
    const rotation = config.sender.lab
      ? undefined
      : planRotation(usableMatrix, {
          budgetOf: (id) => config.seeds.find((s) => s.id === id)?.politeness?.maxMessagesPerDay,
          runsPerDay: Number.isInteger(runsPerDay) && runsPerDay > 0 ? runsPerDay : 1,
          // the run's own minute, from its id: shards sharing MAILCANARY_RUN_ID send the same part
          now: runIdTime(runId) ?? Date.now(),
        });
    for (const line of rotation ? describeRotation(rotation, runsPerDay) : []) {
      console.log(`mailcanary: ${line}`);
      testInfo.annotations.push({ type: 'mailcanary.rotation', description: line });
    }
    const selected = (rotation?.cells ?? usableMatrix).filter((p) => !inShard || inShard.has(planKey(p)));
    const offsets = sendOffsets(selected, (id) =>
      gapMs(
        config.seeds.find((s) => s.id === id)!,
        config.sender.lab,
      ),
    );
    // one IMAP login per seed account before anything is sent to it: a mailbox that cannot be read
    // is not mailed, and its placement tests fail as seed-unreachable with the fix (src/watch/seed-probe.ts)
    const unreadable = new Map((await probeSeeds(usable.filter((s) => selected.some((p) => p.seedId === s.id)))).map((u) => [u.seedId, u.error]));
    const plan = selected.map((p, i) => ({ ...p, notBefore: offsets[i], ...(unreadable.has(p.seedId) ? { unreadable: unreadable.get(p.seedId) } : {}) }));
    // each variant scored by the local content scorer (MAILCANARY_SCORER) before anything leaves
    if (config.scorer) await scoreVariants({ config, runId, plan, testInfo });
    const startedAt = Date.now();
    const messages = plan.length ? await sendAll({ sender: config.sender, senders: config.senders, runId, plan }) : [];
    const manifest = {
      runId,
      startedAt,
      lab: config.sender.lab,
      seedsFile: config.seedsFile,
      ...(config.senders.length > 1 ? { senders: config.senders.map((s) => ({ id: s.id, domain: s.domain, address: s.address, system: s.system })) } : {}),
      ...(rotation && rotation.parts > 1 ? { rotation: { part: rotation.part, parts: rotation.parts, later: rotation.later.map(planKey) } } : {}),
      messages,
      skipped: config.seeds.filter((s) => s.skipReason).map((s) => ({ seedId: s.id, reason: s.skipReason! })),
    };
    const file = writeManifest(config.stateDir, manifest);
    testInfo.annotations.push({ type: 'mailcanary.run', description: JSON.stringify({ runId, startedAt, lab: config.sender.lab }) });
    await testInfo.attach('manifest.json', { path: file, contentType: 'application/json' });
    const failed = messages.filter((m) => m.submitError);
    const held = messages.filter((m) => m.seedUnreadable).length;
    const lab = config.sender.lab ? '[LAB] ' : '';
    console.log(
      `${lab}run ${runId}: sent ${messages.length - held - failed.length}/${messages.length - held} message(s)` +
        (failed.length ? `, ${failed.length} refused or failed at submission` : '') +
        (unreadable.size ? `, ${unreadable.size} seed(s) not mailed: mailbox could not be read` : '') +
        (manifest.skipped.length ? `, ${manifest.skipped.length} seed(s) skipped` : ''),
    );
    for (const [seedId, error] of unreadable) {
      const line = `seed ${seedId} not mailed: its mailbox could not be read: ${error}`;
      console.log(`mailcanary: ${lab}${line}`);
      testInfo.annotations.push({ type: 'warning', description: line });
    }
    // one line per cause, not per message; each also on the step for the reports
    const failures = submitFailureLines(messages);
    for (const line of failures.lines) {
      console.log(`mailcanary: ${lab}${line}`);
      testInfo.annotations.push({ type: 'warning', description: line });
    }
    // A refused login is a wrong setting: when it left nothing to watch, the step fails with the
    // variables to fix (Playwright then runs no placement test: a project whose dependency failed
    // is skipped). When other logins got their mail out, the step names the refusal and the
    // placement tests run: the other senders are measured, the refused ones fail as send-failed
    // with the same fix. An outage or a refused message stays a verdict of each placement test.
    if (failures.loginRefused.length && failed.length === messages.length - held) {
      const error = new Error(failures.loginRefused.join('\n'));
      error.stack = error.message;
      throw error;
    }
  },
);
