import { test } from '@playwright/test';
import type { MailcanaryConfig } from '../src/config/load.ts';
import { PRESETS, isPresetId } from '../src/knowledge/providers.ts';
import { composeMessage, rawMessage, senderView } from '../src/send/index.ts';
import { postureConfigFromEnv } from '../src/posture/config.ts';
import { createResolver } from '../src/shared/dns/resolver.ts';
import {
  checkDate,
  checkLinkLists,
  checkMessageId,
  checkRemoteImages,
  checkSize,
  checkTextHtmlBalance,
  checkUnsubscribe,
  messageFacts,
  type ContentCheck,
  type MessageFacts,
} from '../src/content/index.ts';
import { reportCheck } from './check-result.ts';
import { suiteConfig } from './suite-config.ts';

/**
 * Pre-send checks of every message variant of the run, composed exactly as the send step sends
 * it (nothing is sent here): size against Gmail's clipping, one-click unsubscribe where a seed's
 * provider demands it of bulk senders, link domains against the domain blocklists (through
 * MAILCANARY_DNS_SERVERS), remote images, text/HTML balance, Message-ID and Date.
 */
const config = await suiteConfig();
if (config) contentTests(config);

function contentTests(config: MailcanaryConfig): void {
  const demandedBy = [
    ...new Set(
      config.seeds
        .map((s) => (isPresetId(s.provider) ? (PRESETS[s.provider] as { name: string; bulkSenders?: { oneClickUnsubscribe: boolean } }) : undefined))
        .filter((p) => p?.bulkSenders?.oneClickUnsubscribe)
        .map((p) => p!.name),
    ),
  ];

  for (const variant of config.variants) {
    test.describe(`content @content ${variant}`, () => {
      test.describe.configure({ mode: 'default' });
      let facts: MessageFacts;
      let sentAt: number;
      test.beforeAll(async () => {
        sentAt = Date.now();
        // the first sender's message: with a senders file MAIL_FROM may be unset
        const sender = senderView(config.sender, config.senders[0]);
        const to = config.seeds[0]?.address ?? `postmaster@${config.senders[0]?.domain ?? 'example.org'}`;
        const { mail } = composeMessage(sender, { tag: `mc-content-${variant}`, to, variant, date: new Date(sentAt) });
        facts = await messageFacts(await rawMessage(mail));
      });
      const checks: Array<[string, () => Promise<ContentCheck> | ContentCheck]> = [
        ['size', () => checkSize(variant, facts)],
        ['unsubscribe', () => checkUnsubscribe(variant, facts, demandedBy)],
        [
          'link-lists',
          () => {
            const posture = postureConfigFromEnv(process.env);
            const resolver = createResolver({ servers: posture.dnsServers.length ? posture.dnsServers : undefined, timeoutMs: 3000, tries: 2 });
            return checkLinkLists(variant, facts.linkHosts, posture.lists, resolver);
          },
        ],
        ['remote-images', () => checkRemoteImages(variant, facts)],
        ['text-html', () => checkTextHtmlBalance(variant, facts)],
        ['message-id', () => checkMessageId(variant, facts)],
        ['date', () => checkDate(variant, facts, sentAt)],
      ];
      for (const [id, run] of checks) {
        test(`${variant} ${id}`, async ({}, testInfo) => {
          await reportCheck({ ...(await run()) }, testInfo);
        });
      }
    });
  }
}
