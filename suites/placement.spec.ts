import type { MailcanaryConfig } from '../src/config/load.ts';
import { expectedPlacement } from '../src/config/seeds.ts';
import { deliveryFrom } from '../src/run/delivery.ts';
import { findSent } from '../src/run/manifest.ts';
import { pathFamilyWarning } from '../src/run/path-family.ts';
import { buildMatrix, cellLabel, senderLabel, senderTags } from '../src/send/matrix.ts';
import { planKey } from '../src/send/shard-plan.ts';
import { expect } from '../src/assert/matchers.ts';
import { test } from './fixtures.ts';
import { imapTimeouts } from '../src/watch/imap-connect.ts';
import { bounceOffWarning } from '../src/watch/bounce-state.ts';
import type { BounceRecord } from '../src/model.ts';
import { clipWords } from '../src/shared/clip.ts';
import type { WatchResult } from '../src/watch/seed-watcher.ts';
import { describeCleanup } from '../src/watch/cleanup.ts';
import { followServerLog } from './server-log-follow.ts';
import { suiteConfig } from './suite-config.ts';
import { envFileLabel } from '../src/config/env-file.ts';
import { nearSetVariable } from '../src/config/nearest.ts';

/**
 * One test per seed × message variant (× sender, when the senders file names several; × submission
 * path, when SMTP_PATHS names several). The messages were sent by `send.setup.ts`; each test
 * waits for its own message (until its deadline, counted from submission), records the
 * verdict and the received headers on the result, and passes when the placement matches
 * the seed's expectation.
 */
const config = await suiteConfig();
if (config) placementTests(config);

/** `inbox (Gmail Promotions tab), as expected: found in INBOX 3.1s after submission`, cut at a word. */
function readableVerdict(d: { verdict: string; detail?: string; sighting?: { tab?: string } }, expected: string): string {
  const tab = d.verdict === 'inbox' && d.sighting?.tab && d.sighting.tab !== 'primary' ? ` (Gmail ${d.sighting.tab} tab)` : '';
  const match = d.verdict === expected ? 'as expected' : `expected ${expected}`;
  return clipWords(`${d.verdict}${tab}, ${match}${d.detail ? `: ${d.detail}` : ''}`, 200);
}

interface Outcome {
  watch?: WatchResult;
  bounce: BounceRecord | null;
}

function placementTests(config: MailcanaryConfig): void {
  const matrix = buildMatrix(
    config.seeds,
    config.senders,
    config.variants,
    config.sender.paths.map((p) => p.name),
  );
  for (const seed of config.seeds) {
    test.describe(`${seed.id}`, () => {
      for (const { variant, path, sender: senderId } of matrix.filter((c) => c.seedId === seed.id)) {
        const expected = expectedPlacement(seed, variant);
        const sender = config.senders.find((s) => s.id === senderId);
        const label = cellLabel(variant, path, sender && senderLabel(sender, config.senders));
        const title = `${label} ${expected === 'missing' ? 'is missing' : `lands in ${expected}`}`;
        const tags = [`@${seed.provider}`, ...(sender ? senderTags(sender, config.senders) : []), ...(config.sender.lab ? ['@lab'] : [])];
        // static annotation: a sharded or filtered run's reporter reads it in onBegin to plan the sending
        const key = { seedId: seed.id, variant, ...(path ? { path } : {}), ...(senderId ? { sender: senderId } : {}) };
        const annotation = { type: 'mailcanary.plan', description: JSON.stringify(key) };
        test(title, { tag: tags, annotation }, async ({ run, watchers, bounces, mailcanary, serverLog }, testInfo) => {
          testInfo.annotations.push({
            type: 'mailcanary.seed',
            description: JSON.stringify({
              id: seed.id,
              provider: seed.provider,
              address: seed.address,
              lab: run.lab,
              promotions: seed.promotionsRegression ? 'regression' : 'inbox',
            }),
          });
          if (sender)
            testInfo.annotations.push({
              type: 'mailcanary.sender',
              description: JSON.stringify({ id: sender.id, domain: sender.domain, label: senderLabel(sender, config.senders), system: sender.system }),
            });
          // what was not set travels with the result: the reporters fail a run that tested no seed
          if (seed.skipReason)
            testInfo.annotations.push({
              type: 'mailcanary.skip',
              description: JSON.stringify({
                seedId: seed.id,
                missing: seed.missingEnv ?? [],
                requireAllSeeds: mailcanary.sender.requireAllSeeds,
                envFile: envFileLabel(),
                // a set variable under a near name: the likely misspelling (names only)
                near: (seed.missingEnv ?? []).flatMap((m) => {
                  const n = nearSetVariable(
                    m,
                    process.env,
                    config.seeds.map((x) => x.imap.passwordEnv),
                  );
                  return n ? [{ missing: m, set: n }] : [];
                }),
              }),
            });
          testInfo.annotations.push({ type: 'seed', description: `${seed.id}: ${seed.address} at ${seed.providerName}, expected ${expected}` });
          test.skip(!!seed.skipReason, seed.skipReason);
          // the rotation gives this combination to another run of its cycle (src/send/rotation.ts)
          const rotation = run.rotation;
          test.skip(
            !!rotation?.later.includes(planKey(key)),
            rotation &&
              `rotation: sent by another run (this run sends part ${rotation.part + 1} of ${rotation.parts}, to keep every seed within its daily budget)`,
          );
          // the wait ends at the seed's deadline; a mailbox that stalls may take up to three more
          // IMAP timeouts (bounded retries) before it is reported unreachable
          test.setTimeout((seed.timeoutSeconds + (3 * imapTimeouts(process.env).socketMs) / 1000 + 60) * 1000);

          const sent = await test.step('send', async () => {
            const m = findSent(run, seed.id, variant, path, senderId);
            expect(m, `no message for ${seed.id}/${label} in run ${run.runId}: was the seed added after the send step?`).toBeTruthy();
            return m!;
          });

          // Wait for the message in the seed mailbox and, at the same time, for a DSN about it in
          // the bounce mailbox: a rejection ends the test in seconds, not at the timeout.
          const { watch, bounce } = await test.step('wait', async (): Promise<Outcome> => {
            if (sent.submitError || sent.seedUnreadable) return { bounce: null };
            const deadline = sent.submittedAt + seed.timeoutSeconds * 1000;
            const seen: Promise<Outcome> = watchers
              .get(seed)
              .waitFor(sent.tag, deadline, sent.submittedAt)
              .then((w) => ({ watch: w, bounce: null }));
            // the server's log, followed by queue id: a refusal it shows is a line at once; a final one ends the wait.
            // `logged` settles after `seen` (it ends with it), once its last line is out
            const logged = followServerLog(serverLog, { sent, deadline, until: seen, who: `${seed.id} › ${label}` }, testInfo).then((b) =>
              b ? { bounce: b } : seen,
            );
            if (!bounces) return logged;
            const dsn: Promise<Outcome> = bounces
              .waitFor(sent.tag, deadline, sent.submittedAt, (d) => {
                testInfo.annotations.push({ type: 'mailcanary.deferred', description: `${d.status ?? ''} ${d.diagnostic ?? ''}`.trim() });
              })
              .then((b) => (b ? { bounce: b } : logged));
            const first = await Promise.race([dsn, logged]);
            if (first.watch) bounces.forget(sent.tag);
            return first;
          });
          const bounceWarning = bounceOffWarning(await bounces?.settled());
          if (bounceWarning) testInfo.annotations.push({ type: 'warning', description: bounceWarning });

          const delivery = await test.step('verdict', async () => {
            const side = serverLog.side(sent);
            const d = deliveryFrom({ seed, sent, expected, lab: run.lab, watch, bounce, deferrals: bounces?.deferrals(sent.tag), serverLog: side });
            testInfo.annotations.push({ type: 'mailcanary.verdict', description: d.verdict });
            // a mailbox or submission that failed the same way for many tests is one line of the summary
            if ((d.verdict === 'seed-unreachable' || d.verdict === 'send-failed') && d.detail)
              testInfo.annotations.push({ type: 'mailcanary.not-tested', description: JSON.stringify({ seedId: seed.id, detail: d.detail }) });
            const familyWarning = pathFamilyWarning({ path, seen: d.evidence?.received.acceptance?.family, seedId: seed.id });
            if (familyWarning) testInfo.annotations.push({ type: 'warning', description: familyWarning });
            const { sighting, ...rest } = d;
            const stored = sighting ? { ...rest, sighting: { ...sighting, rawHeaders: undefined } } : rest;
            await testInfo.attach('delivery.json', { body: JSON.stringify(stored, null, 2), contentType: 'application/json' });
            if (sighting?.rawHeaders) await testInfo.attach('received-headers.txt', { body: sighting.rawHeaders, contentType: 'text/plain' });
            return d;
          });

          // Optional cleanup (MAILCANARY_CLEANUP), before the verdict is asserted so a message with an
          // unexpected placement is cleaned up too: only this message, re-read and matched by its
          // exact tag, removed by UID EXPUNGE (never on a server without UIDPLUS; the annotation says why).
          if (mailcanary.sender.cleanup && delivery.sighting) {
            await test.step('cleanup', async () => {
              const outcome = await watchers.get(seed).cleanupTagged(sent.tag);
              testInfo.annotations.push({ type: 'mailcanary.cleanup', description: describeCleanup(outcome) });
            });
          }

          // the verdict and its reason in the step title and as a readable annotation (Playwright's HTML report)
          const verdictLine = readableVerdict(delivery, expected);
          testInfo.annotations.push({ type: 'verdict', description: verdictLine });
          await test.step(verdictLine, async () => {
            expect(delivery, `${seed.id} / ${label}: ${delivery.detail ?? delivery.verdict}`).toLandIn(expected);
          });
          // What the receiver concluded: every failing method in one message (soft, so the
          // placement verdict above stays the headline).
          if (delivery.evidence && seed.requireAuth.length) expect.soft(delivery).toPassAuthentication({ methods: seed.requireAuth });
        });
      }
    });
  }
}
