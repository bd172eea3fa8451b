/**
 * The bounce reason vocabulary (the taxonomy established by the sisimai project) and the
 * data-driven text rules that recognise each reason in a diagnostic message.
 *
 * Rules are lower-case substrings (fast `includes`) plus a few regular expressions for phrases
 * with a variable middle ("mailbox ... full"). Each phrase is an entry with an id
 * (`<reason>:<phrase>`) and a source (see rulebook.ts); keep one reason per entry and add
 * phrases, not code.
 */
import { RECIPIENT_RULES } from './rules-recipient.ts';
import { SENDER_RULES } from './rules-sender.ts';
import { TRANSPORT_RULES } from './rules-transport.ts';
import { REFUSAL_RULES } from './rules-refusal.ts';
import { GENERIC_GROUPS } from './rules-generic.ts';
import { MTA_GROUPS } from './rules-mta.ts';
import { tableEntries } from './lhost.ts';
import { matchEntries, recording, type Entry } from './rulebook.ts';
import { CATALOGUE, type PhraseGroup, type Reason, type ReasonRule } from './vocabulary.ts';

export { REASONS, CATALOGUE } from './vocabulary.ts';
export type { Reason, PhraseGroup, ReasonRule } from './vocabulary.ts';

export const RULES: Partial<Record<Reason, ReasonRule>> = { ...RECIPIENT_RULES, ...SENDER_RULES, ...TRANSPORT_RULES, ...REFUSAL_RULES };

interface CompiledRule {
  unless: Entry[];
  match: Entry[];
  specific: Entry[];
}

function entriesOf(reason: string, groups: PhraseGroup[]): Entry[] {
  const out: Entry[] = [];
  for (const g of groups) {
    for (const p of g.phrases ?? []) out.push({ id: `${reason}:${p}`, source: g.source, phrase: p });
    for (const re of g.patterns ?? []) out.push({ id: `${reason}:/${re.source}/`, source: g.source, re });
  }
  return out;
}

function compile(reason: string, rule: ReasonRule): CompiledRule {
  const src = rule.source ?? CATALOGUE(reason);
  const specific = entriesOf(reason, [
    { source: src, phrases: rule.phrases, patterns: rule.patterns },
    ...(rule.more ?? []),
    ...(MTA_GROUPS[reason as Reason] ?? []),
  ]);
  const generic = entriesOf(reason, GENERIC_GROUPS[reason as Reason] ?? []);
  const unless = (rule.unless ?? []).map((p) => ({ id: `${reason}:unless:${p}`, source: src, phrase: p }));
  return { unless, match: [...specific, ...generic], specific };
}

const COMPILED = new Map<string, CompiledRule>(
  [...new Set([...Object.keys(RULES), ...Object.keys(MTA_GROUPS), ...Object.keys(GENERIC_GROUPS)])].map((r) => [
    r,
    compile(r, RULES[r as Reason] ?? { phrases: [] }),
  ]),
);

/** Every text entry with its id and source (for the evaluation and for documentation). */
export function reasonEntries(): Array<Entry & { reason: string }> {
  return [...COMPILED.entries()].flatMap(([reason, c]) => [...c.match, ...c.unless].map((e) => ({ ...e, reason }))).concat(tableEntries());
}

// RFC 5321 §4.2.1: every line of a multiline reply but the last starts with the reply code and a
// hyphen ("550-5.2.1 "); an MTA that joins the lines into one diagnostic keeps those prefixes, and
// they fall inside the sentences ("at a rate that 550-5.2.1 prevents additional messages").
const CONTINUATION = /(?:^|\s)[245]\d\d-(?:[245]\.\d{1,3}\.\d{1,3}\s+)?/g;
let lastText = '';
let lastJoined: string | null = null;

/** The text with the continuation prefixes of a joined multiline reply removed, or null when it has none. */
function joinedReply(lowerText: string): string | null {
  if (lowerText !== lastText) {
    lastText = lowerText;
    const joined = lowerText.includes('-') ? lowerText.replace(CONTINUATION, ' ') : lowerText;
    lastJoined = joined === lowerText ? null : joined;
  }
  return lastJoined;
}

/**
 * Does the (lower-cased) text contain one of the reason's phrases? `specificOnly` leaves out the
 * generic vocabulary (rules-generic.ts): a registered status code with a specific meaning
 * outranks a vague phrase, but not an MTA's exact sentence. A joined multiline reply is read
 * both as written and without its continuation prefixes.
 */
export function includedIn(reason: Reason, lowerText: string, specificOnly = false): boolean {
  const rule = COMPILED.get(reason);
  if (!rule || !lowerText) return false;
  const joined = joinedReply(lowerText);
  const vetoed = matchEntries(rule.unless, lowerText) || (joined !== null && matchEntries(rule.unless, joined));
  if (vetoed && !recording()) return false;
  const entries = specificOnly ? rule.specific : rule.match;
  const found = matchEntries(entries, lowerText) || (joined !== null && matchEntries(entries, joined));
  return found && !vetoed;
}
