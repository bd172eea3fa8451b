/**
 * The bounce reason vocabulary (the taxonomy established by the sisimai project) and the shape
 * of the phrase rules that recognise each reason; the rules themselves live in `rules-*.ts`.
 */
export const REASONS = [
  'userunknown',
  'mailboxfull',
  'blocked',
  'rejected',
  'spamdetected',
  'policyviolation',
  'authfailure',
  'requireptr',
  'securityerror',
  'badreputation',
  'toomanyconn',
  'speeding',
  'expired',
  'hostunknown',
  'networkerror',
  'filtered',
  'suspend',
  'notaccept',
  'systemerror',
  'mesgtoobig',
  'contenterror',
  'virusdetected',
  'norelaying',
  'syntaxerror',
  'exceedlimit',
  'hasmoved',
  'onhold',
  'mailererror',
  'notcompliantrfc',
  'failedstarttls',
  'systemfull',
  'delivered',
  'vacation',
  'feedback',
  'undefined',
] as const;

export type Reason = (typeof REASONS)[number];

/** Phrases of one documented source. */
export interface PhraseGroup {
  /** where the wording is documented (RFC section, vendor page, catalogue file) */
  source: string;
  phrases?: string[];
  patterns?: RegExp[];
}

export interface ReasonRule {
  phrases: string[];
  patterns?: RegExp[];
  /** phrases that veto a match (e.g. "recipient address rejected" is not a sender rejection) */
  unless?: string[];
  /** source of `phrases`/`patterns`; default: the catalogue of the reason (see CATALOGUE) */
  source?: string;
  /** further phrases, each group with its own source */
  more?: PhraseGroup[];
}

/**
 * The catalogue most phrases were collected from: sisimai's per-reason phrase lists
 * (https://github.com/sisimai/rb-sisimai, lib/sisimai/reason/<reason>.rb, BSD-2-Clause), which
 * record what real MTAs write. The wording is data about MTAs; the code here is our own.
 */
export const CATALOGUE = (reason: string): string => `sisimai lib/sisimai/reason/${reason}.rb`;
