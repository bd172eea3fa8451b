/**
 * buildEvidence: from the raw header block of a delivered message to the Evidence record.
 * Pure (clock and mailbox facts come in as arguments) and total: hostile input becomes notes and
 * warnings in the record, never an exception.
 */
import { splitHeaderBlock } from '../shared/headers.ts';
import type { HeaderField } from '../shared/headers.ts';
import { parseReceived } from './received.ts';
import type { HopRef } from './trust.ts';
import { findAcceptanceHop, selectTrustedAuthResults } from './trust.ts';
import type { AuthResult } from './authres.ts';
import { trustMatcher } from './trust-matcher.ts';
import type { ProviderTrust } from './trust-matcher.ts';
import { bimiDetail, dkimSignatures, dmarcDetail, spfDetail } from './dkim-dmarc.ts';
import { parseSpamVerdicts, providerSpamVerdict } from './spam/index.ts';
import type { Acceptance, Delays, Evidence, HopRecord } from './types.ts';

export interface EvidenceInput {
  /** the received header block, CRLF or LF lines */
  rawHeaders: string;
  /** authserv-ids of the seed's provider (see PROVIDER_PRESETS) */
  authservIds: string[];
  /** From domain of the test message, for alignment; read from the From field when absent */
  fromDomain?: string;
  /** ms since epoch the submission server accepted the message */
  submittedAt?: number;
  /** IMAP INTERNALDATE, ms since epoch */
  internalDate?: number;
  /** more trust settings: receiving host domains, Microsoft's missing authserv-id, Gmail's layout */
  trust?: Omit<ProviderTrust, 'authservIds'>;
}

const MAX_HOPS = 50;

/** Results of one method folded to one keyword: `pass` if any passed, else the first. */
export function summarise(results: readonly AuthResult[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of results) {
    if (!r.registered) continue; // an unregistered keyword is not a verdict
    if (!(r.method in out) || r.result === 'pass') out[r.method] = r.result;
  }
  return out;
}

function fromDomainOf(fields: readonly HeaderField[]): string | undefined {
  const from = fields.find((f) => f.key === 'from');
  if (!from) return undefined;
  const v = from.value.slice(0, 1000);
  const m = /@([A-Za-z0-9.-]+)\s*>?\s*$/.exec(v.replace(/\([^()]*\)/g, '').trim()) ?? /@([A-Za-z0-9.-]+)/.exec(v);
  return m ? m[1].toLowerCase().replace(/\.$/, '') : undefined;
}

function emptyEvidence(note: string): Evidence {
  return {
    authResults: { status: 'none-from-provider', note, ignored: [] },
    auth: {},
    dkim: [],
    received: { hops: [] },
    delays: {},
    spam: { verdicts: [] },
    warnings: [note],
  };
}

export function buildEvidence(input: EvidenceInput): Evidence {
  try {
    return build(input);
  } catch (err) {
    // a bug here must not lose the delivery record: report it as data
    return emptyEvidence(`evidence could not be built: ${(err as Error)?.message ?? String(err)}`);
  }
}

function build(input: EvidenceInput): Evidence {
  if (!input || typeof input.rawHeaders !== 'string') return emptyEvidence('no header block given (rawHeaders must be the message header as a string)');
  const block = splitHeaderBlock(input.rawHeaders);
  const fields = block.fields;
  const warnings = [...block.warnings];
  const trust = trustMatcher({ ...(input.trust ?? {}), authservIds: Array.isArray(input.authservIds) ? input.authservIds : [] });
  const fromDomain = input.fromDomain?.toLowerCase() ?? fromDomainOf(fields);

  const hops: HopRef[] = [];
  for (const f of fields) {
    if (f.key !== 'received' || hops.length >= MAX_HOPS) continue;
    const p = parseReceived(f.value);
    hops.push(p.ok ? { index: f.index, hop: p.hop } : { index: f.index, error: p.error });
  }

  // the boundary between what the provider wrote (above) and what came with the message
  let boundary: number;
  let boundaryNote: string | undefined;
  const acceptIdx = findAcceptanceHop(hops, trust);
  if (acceptIdx >= 0) {
    boundary = hops[acceptIdx].index;
  } else if (hops.length > 0) {
    boundary = hops[0].index;
    boundaryNote = "the provider's Received hop was not recognised; the topmost Received was used as the boundary";
  } else {
    boundary = 0;
    boundaryNote = 'no Received field: nothing can be attributed to the provider';
  }
  if (boundaryNote) warnings.push(boundaryNote);
  const next = hops.find((h) => h.index > boundary);
  const authResults = selectTrustedAuthResults(fields, boundary, next ? next.index : fields.length, trust, boundaryNote);
  const results = authResults.status === 'found' ? authResults.results : [];

  const hopRecords: HopRecord[] = hops.map((h) => {
    const r: HopRecord = { index: h.index };
    if (h.error) r.error = h.error;
    const p = h.hop;
    if (p) {
      if (p.helo) r.from = p.helo;
      if (p.rdns) r.rdns = p.rdns;
      if (p.ip) r.ip = p.ip;
      if (p.by) r.by = p.by;
      if (p.with) r.with = p.with;
      if (p.id) r.id = p.id;
      if (p.for) r.for = p.for;
      if (p.date !== undefined) r.date = p.date;
      if (p.tls) r.tls = p.tls;
    }
    return r;
  });

  let acceptance: Acceptance | undefined;
  const received: Evidence['received'] = { hops: hopRecords };
  if (acceptIdx >= 0) {
    const h = hops[acceptIdx].hop;
    acceptance = { hop: acceptIdx };
    if (h?.by) acceptance.by = h.by;
    if (h?.ip) {
      acceptance.ip = h.ip;
      acceptance.family = h.ip.family;
    }
    if (h?.tls) acceptance.tls = h.tls;
    if (h?.date !== undefined) acceptance.at = h.date;
    received.acceptance = acceptance;
    if (!h?.ip) received.note = 'the acceptance hop does not state the sending IP';
  } else {
    received.note = hops.length ? "no Received field by the provider's hosts" : 'no Received field';
  }

  const delays: Delays = {};
  const sub = Number.isFinite(input.submittedAt) ? input.submittedAt : undefined;
  const box = Number.isFinite(input.internalDate) ? input.internalDate : undefined;
  const acc = acceptance?.at;
  // Received dates and INTERNALDATE have 1 s resolution (RFC 5322 §3.3, RFC 3501 §2.3.3), the
  // submission time has ms: a gap just below zero is rounding, not a clock problem.
  const span = (from: number, to: number) => (to - from < 0 && to - from > -1000 ? 0 : to - from);
  if (sub !== undefined && acc !== undefined) delays.submissionToAcceptanceMs = span(sub, acc);
  if (acc !== undefined && box !== undefined) delays.acceptanceToMailboxMs = span(acc, box);
  if (sub !== undefined && box !== undefined) delays.submissionToMailboxMs = span(sub, box);
  if (Object.values(delays).some((d) => typeof d === 'number' && d < -1000)) {
    delays.note = 'negative delay: the clocks of the sender, the provider and the mailbox disagree';
  } else if (acc !== undefined) {
    delays.note = 'Received dates have 1 s resolution';
  }

  // the provider's own block below its Received counts only when its hop was recognised
  const verdicts = parseSpamVerdicts(fields, boundary, acceptIdx >= 0 && next ? next.index : boundary);
  const spam: Evidence['spam'] = { verdicts };
  const says = providerSpamVerdict(verdicts);
  if (says !== undefined) spam.providerSaysSpam = says;

  const ev: Evidence = {
    authResults,
    auth: summarise(results),
    dkim: dkimSignatures(results, fromDomain),
    received,
    delays,
    spam,
    warnings,
  };
  if (fromDomain) ev.fromDomain = fromDomain;
  const spf = spfDetail(results, fromDomain);
  if (spf) ev.spf = spf;
  const dmarc = dmarcDetail(results);
  if (dmarc) ev.dmarc = dmarc;
  const bimi = bimiDetail(results);
  if (bimi) ev.bimi = bimi;
  return ev;
}
