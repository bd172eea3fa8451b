/**
 * The matrix columns of the report: one per variant column name (`plain`, `plain from
 * family.example`, `plain from family.example via ipv6`), grouped by sending domain, in the order
 * the run sent them, and the heading each column carries under its domain's group heading.
 */
import type { MessageRecord } from '../record/index.ts';
import { TAG_PATTERN } from '../send/index.ts';

export interface Columns {
  variants: string[];
  /** sending domains of runs with several senders, sorted; empty otherwise */
  domains: string[];
  /** per variant: index into `domains`, -1 for a variant without a sender */
  variantDomain: number[];
  /** per variant: its column heading, without the sending domain its group heading names */
  heads: string[];
}

const WHOLE_TAG = new RegExp(`^${TAG_PATTERN.source}$`);

/**
 * The place of a message in its run's matrix (seed, then sender, then variant, then path, as
 * src/send/matrix.ts numbers them): the last three characters of its tag, base 36.
 */
function matrixIndex(tag: string | undefined): number | undefined {
  return tag && WHOLE_TAG.test(tag) ? parseInt(tag.slice(-3), 36) : undefined;
}

/**
 * The heading of a column under its domain group: `plain from family.example` → `plain`,
 * `plain from mail.example.org (system mail) via ipv6` → `plain (system mail) via ipv6`; a
 * sender named by its address (two senders share the domain) keeps it, since the group heading
 * names only the domain.
 */
function head(variant: string, sender: MessageRecord['sender']): string {
  if (!sender || !sender.label.startsWith(sender.domain)) return variant;
  const named = ` from ${sender.domain}`;
  const at = variant.indexOf(named);
  return at < 0 ? variant : variant.slice(0, at) + variant.slice(at + named.length);
}

/**
 * `all` is every message in range, `sent` the messages of the run shown, with their tags: a
 * domain's columns come in the order that run sent them (the order of the console's lines and
 * of MAILCANARY_VARIANTS), columns it did not send after them by name.
 */
export function columnsOf(all: readonly MessageRecord[], sent: readonly MessageRecord[]): Columns {
  const senderOf = new Map<string, NonNullable<MessageRecord['sender']>>();
  for (const m of all) if (m.sender) senderOf.set(m.variant, m.sender);
  const sentAt = new Map<string, number>();
  for (const m of sent) {
    const i = matrixIndex(m.tag);
    const first = sentAt.get(m.variant);
    if (i !== undefined && (first === undefined || i < first)) sentAt.set(m.variant, i);
  }
  const domains = [...new Set([...senderOf.values()].map((s) => s.domain))].sort();
  const domainIdx = new Map(domains.map((d, i) => [d, i]));
  const rank = (v: string) => sentAt.get(v) ?? Number.MAX_SAFE_INTEGER;
  const variants = [...new Set(all.map((m) => m.variant))].sort(
    (a, b) => (senderOf.get(a)?.domain ?? '').localeCompare(senderOf.get(b)?.domain ?? '') || rank(a) - rank(b) || a.localeCompare(b),
  );
  return {
    variants,
    domains,
    variantDomain: variants.map((v) => (senderOf.has(v) ? domainIdx.get(senderOf.get(v)!.domain)! : -1)),
    heads: variants.map((v) => head(v, senderOf.get(v))),
  };
}
