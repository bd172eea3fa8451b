import type { ProviderId } from '../../topology.ts';
import type { Decision, MessageFacts, ProviderPolicy, ConnectionFacts } from './types.ts';
import { gmailPolicy } from './gmail.ts';
import { tonlinePolicy } from './tonline.ts';
import { gmxPolicy } from './gmx.ts';
import { outlookPolicy } from './outlook.ts';
import { blackholePolicy } from './blackhole.ts';
import { councilPolicy } from './council.ts';

export const POLICIES: Record<ProviderId, ProviderPolicy> = {
  gmail: gmailPolicy,
  't-online': tonlinePolicy,
  gmx: gmxPolicy,
  outlook: outlookPolicy,
  blackhole: blackholePolicy,
  council: councilPolicy,
};

/** Providers whose lab MX asks rspamd about every message before its own rule. */
export const CONTENT_FILTERED: ReadonlySet<ProviderId> = new Set<ProviderId>(['gmx', 'outlook']);

export function decideAtRcpt(facts: ConnectionFacts): Decision | null {
  return POLICIES[facts.provider].onRcpt?.(facts) ?? null;
}

/** Scenario tempfail rules come first (they model a busy server, before any filtering), then the provider policy. */
export function decideMessage(facts: MessageFacts): Decision {
  const rule = facts.scenario.mx.tempfail[facts.provider];
  if (rule && facts.previousAttempts < rule.attempts) {
    return {
      action: 'tempfail',
      code: rule.code,
      text: rule.text,
      reason: `scenario ${facts.scenario.name}: attempt ${facts.previousAttempts + 1} of ${rule.attempts} refused`,
    };
  }
  return POLICIES[facts.provider].onMessage(facts);
}
