import { test, expect } from '@playwright/test';
import { labPaths, labTopology, readEvents, setScenario } from '../../lab/index.ts';
import { placeOnce } from './support.ts';

/**
 * A provider MX that tempfails (scenario `outlook-tempfail`: 451 4.7.500 to the first two attempts
 * per message). The user's Postfix keeps the message queued and retries; the watcher keeps
 * waiting until the seed's deadline, so a tempfail is never reported as `missing` while a retry
 * can still deliver, and nothing crashes.
 *
 * The `deferred` verdict itself needs a delay DSN from the user's server (RFC 3464
 * `Action: delayed`); the lab's Postfix runs with `delay_warning_time = 0` (no delay DSNs), so
 * that verdict is covered by the bounce tests on recorded DSNs (test/unit/classify-*.spec.ts) and
 * by deliveryFrom's rule (see RELIABILITY.md), not here.
 */
test('provider tempfails twice: Postfix retries, the watcher waits, verdict inbox after the retries', async () => {
  test.setTimeout(120_000);
  await setScenario('outlook-tempfail');
  try {
    const started = Date.now();
    const out = await placeOnce(['lab-outlook'], 60);
    const d = out['lab-outlook'];
    expect(d.verdict, d.detail).toBe('inbox');
    const events = readEvents(labPaths(labTopology().stateDir).events).filter((e) => e.tag === d.tag || e.messageId === d.sent.messageId);
    const tempfails = events.filter((e) => e.event === 'tempfail' && e.ts >= started);
    // 2 × 451 answered by the MX, then filed
    expect(tempfails.length, JSON.stringify(events)).toBe(2);
    expect(events.some((e) => e.event === 'filed')).toBe(true);
  } finally {
    await setScenario('healthy');
  }
});
