/**
 * The gate's view of the server's log: a remote domain that refuses the user's real mail for
 * its reputation, its authentication or a receiver's policy now, and did not in the previous
 * run's window. A refusal for a full mailbox or an unknown user is about one recipient, not
 * about the sender, and is not flagged. Compared per domain and kind of refusal, so a domain
 * that moved from `blocked` to `badreputation` is not new; with no previous reading there is
 * nothing to compare with (the first reading becomes the baseline of the next). Pure.
 */
import { clipWords } from '../shared/clip.ts';
import { sortRegressions, type GateResult, type Regression } from './compare.ts';

export type RejectionCategory = 'reputation' | 'authentication' | 'policy';

/** Classifier reasons (src/classify vocabulary) by what they say about the sender. */
const CATEGORY: Record<string, RejectionCategory> = {
  badreputation: 'reputation',
  blocked: 'reputation',
  spamdetected: 'reputation',
  speeding: 'reputation',
  toomanyconn: 'reputation',
  authfailure: 'authentication',
  requireptr: 'authentication',
  securityerror: 'authentication',
  policyviolation: 'policy',
  rejected: 'policy',
  filtered: 'policy',
  contenterror: 'policy',
};

export function rejectionCategory(reason: string): RejectionCategory | undefined {
  return Object.prototype.hasOwnProperty.call(CATEGORY, reason) ? CATEGORY[reason] : undefined;
}

/** The fields of a rejection group (src/server-log RejectionGroup, or its history row) the gate reads. */
export interface RejectionLike {
  domain: string;
  reason: string;
  status: string;
  messages: number;
  example: string;
  reply?: string;
}

export interface NewRejection {
  domain: string;
  category: RejectionCategory;
  reason: string;
  status: string;
  messages: number;
  /** `council.example: newly rejects for reputation: 550 5.7.1 … CYREN IP reputation …` */
  line: string;
}

const keyOf = (domain: string, c: RejectionCategory) => `${domain.toLowerCase()}\u0000${c}`;

/** Domains and kinds of refusal in `current` that `previous` did not have; none without a previous reading. */
export function newlyRejecting(current: readonly RejectionLike[], previous: readonly RejectionLike[] | undefined): NewRejection[] {
  if (!previous) return [];
  const before = new Set<string>();
  for (const g of previous) {
    const c = rejectionCategory(g.reason);
    if (c) before.add(keyOf(g.domain, c));
  }
  const seen = new Map<string, NewRejection>();
  for (const g of current) {
    const c = rejectionCategory(g.reason);
    if (!c || before.has(keyOf(g.domain, c))) continue;
    const k = keyOf(g.domain, c);
    const was = seen.get(k);
    // groups arrive most affected first: the first group of a domain and kind names it
    if (was) {
      was.messages += g.messages;
      continue;
    }
    const said = clipWords((g.reply || g.example || g.status).replace(/\s+/g, ' ').trim(), 300);
    seen.set(k, {
      domain: g.domain,
      category: c,
      reason: g.reason,
      status: g.status,
      messages: g.messages,
      line: `${g.domain}: newly rejects for ${c}: ${said}`,
    });
  }
  return [...seen.values()].sort((a, b) => a.domain.localeCompare(b.domain) || a.category.localeCompare(b.category));
}

/** The gate's regressions for the domains that newly reject, added to a gate result (sorted again). */
export function addServerLogFindings(gate: GateResult, current: readonly RejectionLike[], previous: readonly RejectionLike[] | undefined): NewRejection[] {
  const found = newlyRejecting(current, previous);
  for (const f of found) {
    const r: Regression = { kind: 'server-log', subject: f.domain, before: 'none', after: `${f.status} (${f.reason})`, line: f.line };
    gate.regressions.push(r);
  }
  if (previous) {
    // every domain the log shows refusing is a compared item (JUnit), failed when it is new
    const compared = new Map<string, string | undefined>();
    for (const g of current) if (rejectionCategory(g.reason)) compared.set(g.domain, compared.get(g.domain));
    for (const f of found) compared.set(f.domain, f.line);
    for (const [domain, failure] of compared) gate.compared.push({ kind: 'server-log', name: `server log ${domain}`, failure });
  }
  sortRegressions(gate.regressions);
  return found;
}
