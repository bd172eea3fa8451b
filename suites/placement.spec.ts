import { loadConfig } from '../src/config/load.ts';
import { expectedPlacement } from '../src/config/seeds.ts';
import { deliveryFrom } from '../src/run/delivery.ts';
import { findSent } from '../src/run/manifest.ts';
import { expect, test } from './fixtures.ts';

/**
 * One test per seed × message variant. The messages were sent by `send.setup.ts`; each test
 * waits for its own message (until its deadline, counted from submission), records the
 * verdict and the received headers on the result, and passes when the placement matches
 * the seed's expectation.
 */
const config = await loadConfig();

for (const seed of config.seeds) {
  test.describe(`${seed.id}`, () => {
    for (const variant of config.variants) {
      const expected = expectedPlacement(seed, variant);
      const title = `${variant} ${expected === 'missing' ? 'is missing' : `lands in ${expected}`}`;
      const tags = [`@${seed.provider}`, ...(config.sender.lab ? ['@lab'] : [])];
      test(title, { tag: tags }, async ({ run, watchers }, testInfo) => {
        testInfo.annotations.push({ type: 'mailcanary.seed', description: JSON.stringify({ id: seed.id, provider: seed.provider, address: seed.address, lab: run.lab }) });
        test.skip(!!seed.skipReason, seed.skipReason);
        test.setTimeout((seed.timeoutSeconds + 90) * 1000);

        const sent = await test.step('send', async () => {
          const m = findSent(run, seed.id, variant);
          expect(m, `no message for ${seed.id}/${variant} in run ${run.runId}: was the seed added after the send step?`).toBeTruthy();
          return m!;
        });

        const watch = await test.step('wait', async () => {
          if (sent.submitError) return undefined;
          return watchers.get(seed).waitFor(sent.tag, sent.submittedAt + seed.timeoutSeconds * 1000, sent.submittedAt);
        });

        const delivery = await test.step('verdict', async () => {
          const d = deliveryFrom({ seed, sent, expected, lab: run.lab, watch });
          testInfo.annotations.push({ type: 'mailcanary.verdict', description: d.verdict });
          const { sighting, ...rest } = d;
          const stored = sighting ? { ...rest, sighting: { ...sighting, rawHeaders: undefined } } : rest;
          await testInfo.attach('delivery.json', { body: JSON.stringify(stored, null, 2), contentType: 'application/json' });
          if (sighting?.rawHeaders) await testInfo.attach('received-headers.txt', { body: sighting.rawHeaders, contentType: 'text/plain' });
          return d;
        });

        expect(delivery.verdict, `${seed.id} / ${variant}: ${delivery.detail ?? delivery.verdict}`).toBe(expected);
      });
    }
  });
}
