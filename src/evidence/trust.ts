/**
 * Which Authentication-Results to believe (RFC 8601 §5, §7.2): only those the receiving provider
 * added. Everything below the provider's own Received field came with the message, so the sender
 * could have written it ("Authentication-Results: mx.gmail.test; dkim=pass" costs nothing to forge).
 *
 * Order of trust, on the header block top (newest) to bottom:
 * 1. Authentication-Results above the provider's acceptance hop whose authserv-id is the provider's;
 * 2. else ARC-Authentication-Results above that hop with the provider's authserv-id (Gmail puts
 *    its ARC copy there);
 * 3. else, only for providers configured with `trustDirectlyBelowReceived` (Gmail's layout), the
 *    first matching Authentication-Results between the acceptance hop and the next Received field.
 * Anything else is listed as ignored, with the reason.
 */
import type { HeaderField } from '../shared/headers.ts';
import type { ReceivedHop } from './received.ts';
import type { AuthResHeader, AuthResParse, AuthResult } from './authres.ts';
import { parseAuthResults } from './authres.ts';
import { parseArcAuthResults } from './authres-arc.ts';
import type { TrustMatcher } from './trust-matcher.ts';

export interface IgnoredAuthRes {
  /** position of the field in the header block (0 = top) */
  index: number;
  authservId: string | null;
  why: string;
}

export type AuthResEvidence =
  | {
      status: 'found';
      source: 'authentication-results' | 'arc-authentication-results' | 'directly-below-received';
      /** the trusted headers, top first */
      headers: AuthResHeader[];
      /** their results, in order */
      results: AuthResult[];
      ignored: IgnoredAuthRes[];
      note?: string;
    }
  | { status: 'none-from-provider'; note: string; ignored: IgnoredAuthRes[] };

export interface HopRef {
  /** field index of this Received */
  index: number;
  hop?: ReceivedHop;
  error?: string;
}

/**
 * The hop where the provider accepted the message: scanning from the top, the first Received
 * whose `by` is the provider's and whose client (`from` rDNS/HELO) is not; else the lowest
 * Received by the provider (all hops internal). Returns the position in `hops`, or -1.
 */
export function findAcceptanceHop(hops: readonly HopRef[], trust: TrustMatcher): number {
  let lowest = -1;
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i].hop;
    if (!h || !trust.matchesHost(h.by)) continue;
    lowest = i;
    if (!trust.matchesHost(h.rdns) && !trust.matchesHost(h.helo)) return i;
  }
  return lowest;
}

interface Parsed {
  field: HeaderField;
  parse: AuthResParse;
}

function idOf(p: AuthResParse): string | null | undefined {
  return p.header ? p.header.authservId : undefined;
}

export function selectTrustedAuthResults(
  fields: readonly HeaderField[],
  boundary: number,
  nextReceived: number,
  trust: TrustMatcher,
  boundaryNote?: string,
): AuthResEvidence {
  const ignored: IgnoredAuthRes[] = [];
  const ar: Parsed[] = [];
  const arc: Parsed[] = [];
  for (const f of fields) {
    if (f.key === 'authentication-results') ar.push({ field: f, parse: parseAuthResults(f.value) });
    else if (f.key === 'arc-authentication-results' && f.index < boundary) arc.push({ field: f, parse: parseArcAuthResults(f.value) });
  }
  const usable = (p: Parsed, where: string): boolean => {
    const id = idOf(p.parse);
    if (id === undefined) {
      ignored.push({ index: p.field.index, authservId: null, why: `${where}: unreadable (${p.parse.ok ? '' : p.parse.error.message})` });
      return false;
    }
    if (!trust.matchesAuthservId(id)) {
      ignored.push({ index: p.field.index, authservId: id, why: `${where}: authserv-id is not the provider's` });
      return false;
    }
    return true;
  };

  const above: Parsed[] = [];
  const below: Parsed[] = [];
  for (const p of ar) {
    if (p.field.index < boundary) {
      if (usable(p, 'above the provider Received')) above.push(p);
    } else if (
      p.field.index < nextReceived &&
      trust.trustDirectlyBelowReceived &&
      below.length === 0 &&
      idOf(p.parse) !== undefined &&
      trust.matchesAuthservId(idOf(p.parse) ?? null)
    ) {
      below.push(p);
    } else {
      ignored.push({ index: p.field.index, authservId: idOf(p.parse) ?? null, why: 'below the provider Received: the sender could have written it' });
    }
  }
  const found = (source: 'authentication-results' | 'arc-authentication-results' | 'directly-below-received', list: Parsed[]): AuthResEvidence => {
    const headers = list.map((p) => p.parse.header).filter((h): h is AuthResHeader => h !== undefined);
    const notes: string[] = [];
    if (boundaryNote) notes.push(boundaryNote);
    for (const p of list) if (!p.parse.ok) notes.push(`field ${p.field.index}: ${p.parse.error.message}`);
    const ev: AuthResEvidence = { status: 'found', source, headers, results: headers.flatMap((h) => h.results), ignored };
    if (notes.length) ev.note = notes.join('; ');
    return ev;
  };
  if (above.length) {
    for (const p of below)
      ignored.push({ index: p.field.index, authservId: idOf(p.parse) ?? null, why: 'below the provider Received while the provider wrote one above it' });
    return found('authentication-results', above);
  }
  const arcOwn = arc.filter((p) => usable(p, 'ARC-Authentication-Results above the provider Received'));
  if (arcOwn.length) {
    // the newest instance is the provider's own evaluation
    arcOwn.sort((a, b) => (b.parse.header?.instance ?? 0) - (a.parse.header?.instance ?? 0));
    for (const p of below)
      ignored.push({ index: p.field.index, authservId: idOf(p.parse) ?? null, why: 'below the provider Received; ARC copy above it used instead' });
    return found('arc-authentication-results', [arcOwn[0]]);
  }
  if (below.length) return found('directly-below-received', below);
  const wanted = trust.authservIds.length ? trust.authservIds.join(', ') : '(no authserv-id configured)';
  const parts = [
    `no Authentication-Results from ${wanted}${trust.acceptMissingAuthservId ? ' (or without authserv-id)' : ''} above the provider's Received field`,
  ];
  if (ar.length) parts.push(`${ar.length} other Authentication-Results field(s) ignored`);
  if (boundaryNote) parts.push(boundaryNote);
  parts.push("set the seed's authservIds if the provider uses another id");
  return { status: 'none-from-provider', note: parts.join('; '), ignored };
}
