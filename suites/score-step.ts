import type { TestInfo } from '@playwright/test';
import type { MailcanaryConfig } from '../src/config/load.ts';
import { composeMessage, rawMessage, senderView } from '../src/send/index.ts';
import { messageTag } from '../src/send/tag.ts';
import { scoreMessage, scoreLine, type ScoreResult } from '../src/score/index.ts';

/** The annotation type that carries one variant's content score to reporters and the history. */
export const SCORE_ANNOTATION = 'mailcanary.score';

/**
 * Scores one message of every variant of the run with the local scorer: the first planned
 * message of the variant, composed exactly as it is sent, with the sending IP and HELO the
 * receivers see (MAILCANARY_SENDING_IPS, MAILCANARY_HELO) so rspamd computes their score. A
 * scorer that is down or slow gives `unknown` with its reason; the run goes on.
 */
export async function scoreVariants(o: {
  config: MailcanaryConfig;
  runId: string;
  plan: Array<{ to: string; variant: string; index: number; sender?: string }>;
  testInfo: TestInfo;
}): Promise<Record<string, ScoreResult>> {
  const { config, runId, plan, testInfo } = o;
  const scorer = config.scorer!;
  const ip = (process.env.MAILCANARY_SENDING_IPS ?? '')
    .split(',')
    .map((s) => s.trim())
    .find(Boolean);
  const helo = process.env.MAILCANARY_HELO?.trim() || undefined;
  const results: Record<string, ScoreResult> = {};
  for (const variant of config.variants) {
    const p = plan.find((x) => x.variant === variant);
    if (!p) continue;
    // composed as its sender sends it (From, envelope, link domain)
    const sender = senderView(config.sender, config.senders.find((s) => s.id === p.sender) ?? config.senders[0]);
    const composed = composeMessage(sender, { tag: messageTag(runId, p.index), to: p.to, variant, date: new Date() });
    const raw = await rawMessage(composed.mail);
    const result = await scoreMessage(scorer, raw, { ip, helo, hostname: helo, from: composed.envelopeFrom, rcpt: [p.to] });
    results[variant] = result;
    testInfo.annotations.push({ type: SCORE_ANNOTATION, description: JSON.stringify({ variant, ...result }) });
    console.log(`mailcanary: ${variant}: ${scoreLine(result)}`);
  }
  await testInfo.attach('content-score.json', { body: JSON.stringify(results, null, 2), contentType: 'application/json' });
  return results;
}
