/**
 * The bounce reason vocabulary (the taxonomy established by the sisimai project) and the
 * data-driven text rules that recognise each reason in a diagnostic message.
 *
 * Rules are lower-case substrings (fast `includes`) plus a few regular expressions for phrases
 * with a variable middle ("mailbox ... full"). The phrase vocabulary was collected from real MTA
 * and provider messages; keep one reason per entry and add phrases, not code.
 */
import { RECIPIENT_RULES } from './rules-recipient.ts';
import { TRANSPORT_RULES } from './rules-transport.ts';

export const REASONS = [
  'userunknown', 'mailboxfull', 'blocked', 'rejected', 'spamdetected', 'policyviolation', 'authfailure',
  'requireptr', 'securityerror', 'badreputation', 'toomanyconn', 'speeding', 'expired', 'hostunknown',
  'networkerror', 'filtered', 'suspend', 'notaccept', 'systemerror', 'mesgtoobig', 'contenterror',
  'virusdetected', 'norelaying', 'syntaxerror', 'exceedlimit', 'hasmoved', 'onhold', 'mailererror',
  'notcompliantrfc', 'failedstarttls', 'systemfull', 'delivered', 'vacation', 'feedback', 'undefined',
] as const;

export type Reason = (typeof REASONS)[number];

export interface ReasonRule {
  phrases: string[];
  patterns?: RegExp[];
  /** phrases that veto a match (e.g. "recipient address rejected" is not a sender rejection) */
  unless?: string[];
}

export const RULES: Partial<Record<Reason, ReasonRule>> = { ...RECIPIENT_RULES, ...TRANSPORT_RULES };

/** Does the (lower-cased) text contain one of the reason's phrases? */
export function includedIn(reason: Reason, lowerText: string): boolean {
  const rule = RULES[reason];
  if (!rule || !lowerText) return false;
  if (rule.unless && rule.unless.some((p) => lowerText.includes(p))) return false;
  for (const p of rule.phrases) if (lowerText.includes(p)) return true;
  if (rule.patterns) for (const re of rule.patterns) if (re.test(lowerText)) return true;
  return false;
}
