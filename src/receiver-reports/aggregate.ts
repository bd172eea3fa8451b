/**
 * DMARC aggregate reports: RFC 7489 appendix C, the pre-RFC drafts (no `<version>`, no SPF
 * `<scope>`, `<identities>` for `<identifiers>`) and RFC 9990 (namespace
 * `urn:ietf:params:xml:ns:dmarc-2.0`, `np`/`testing`/`discovery_method`, no `pct`).
 *
 * XML parser: saxes 6 (maintained, used by jsdom; a strict, non-validating streaming SAX
 * parser). It never loads an external DTD or entity and does not expand DTD-declared entities,
 * and its streaming interface lets a 200,000-record report be read record by record in
 * bounded memory. fast-xml-parser (already in node_modules through mailauth) builds the whole
 * document in memory and has to be told not to expand entities, so it is used for neither.
 * On top of saxes the DOCTYPE itself is refused when it declares entities (`billion laughs`)
 * or points at an external DTD/entity (XXE), before any element is read.
 *
 * Lenient where reporters deviate: result and disposition words are lower-cased, text is
 * trimmed, missing optional elements stay `null`, bad UTF-8 becomes U+FFFD, control characters
 * XML forbids are dropped, the charset of the XML declaration is honoured. A report without
 * the required metadata, or a record without a usable IP or count, is a clear
 * `invalid-aggregate` error naming the report and the element.
 */
import { isIP } from 'node:net';
import { SaxesParser } from 'saxes';
import { ReportError, type AggregateMeta, type AggregateRecord, type AggregateReport, type PolicyPublished } from './types.ts';

/** Gets the metadata once (before the first record) and then every record. */
export interface AggregateSink {
  meta(meta: AggregateMeta): void;
  record(rec: AggregateRecord, index: number): void;
}

/** Bytes a prolog (XML declaration, comments, DOCTYPE) may take before the root element. */
const MAX_PROLOG = 1 << 20;
/** Longest text kept for one element: no field of a report is anywhere near it. */
const MAX_TEXT = 64 * 1024;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const lower = (s: string | null): string | null => (s === null ? null : s.toLowerCase());
const orNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

/** A seconds-since-epoch `date_range` bound (RFC 7489 appendix C `xs:integer`) as UTC ISO 8601. */
function epochToIso(raw: string | undefined, what: string, name: string): string {
  const t = (raw ?? '').trim();
  let ms = Number.NaN;
  if (/^-?\d+(\.\d+)?$/.test(t)) ms = Math.floor(Number(t)) * 1000;
  else if (t) ms = Date.parse(t); // a few reporters write ISO dates; take them as they are
  if (!Number.isFinite(ms) || ms < 0 || ms > 253402300799000) {
    throw new ReportError('invalid-aggregate', `${name}: ${what} ${JSON.stringify(t)} is not a time (seconds since 1970, RFC 7489 appendix C)`);
  }
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Picks the TextDecoder for the charset the XML declaration names (XML 1.0 §4.3.3), UTF-8 otherwise. */
function decoderFor(head: string): TextDecoder {
  const m = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  const label = m ? m[1].toLowerCase() : 'utf-8';
  try {
    return new TextDecoder(label === 'us-ascii' ? 'utf-8' : label, { fatal: false });
  } catch {
    return new TextDecoder('utf-8', { fatal: false });
  }
}

/** Refuses a DOCTYPE that declares entities or refers to anything external (XML 1.0 §2.8, §4.2). */
export function checkDoctype(doctype: string, name: string): void {
  const entity = /<!ENTITY/i.test(doctype);
  const external = /\b(SYSTEM|PUBLIC)\b/.test(doctype);
  if (external) {
    throw new ReportError(
      'xml-external-entity',
      `${name}: the XML refers to an external DTD or entity (XXE); it is refused unread, a DMARC report never needs one`,
    );
  }
  if (entity) {
    throw new ReportError(
      'xml-entity-expansion',
      `${name}: the XML declares entities in its DOCTYPE (an entity-expansion "billion laughs" attack); it is refused without expanding anything, a DMARC report never declares entities`,
    );
  }
}

interface DraftRecord {
  sourceIp?: string;
  count?: string;
  disposition?: string;
  dkim?: string;
  spf?: string;
  reasons: { type?: string; comment?: string }[];
  headerFrom?: string;
  envelopeFrom?: string;
  envelopeTo?: string;
  dkimResults: Record<string, string>[];
  spfResults: Record<string, string>[];
}

const newRecord = (): DraftRecord => ({ reasons: [], dkimResults: [], spfResults: [] });

function finishRecord(d: DraftRecord, index: number, name: string): AggregateRecord {
  const where = `${name}: record ${index + 1}`;
  const ip = (d.sourceIp ?? '').trim();
  if (!isIP(ip)) throw new ReportError('invalid-aggregate', `${where}: <source_ip> ${JSON.stringify(ip)} is not an IP address`);
  const countText = (d.count ?? '').trim();
  if (!/^\d+$/.test(countText)) throw new ReportError('invalid-aggregate', `${where}: <count> ${JSON.stringify(countText)} is not a whole number`);
  const disposition = lower(orNull(d.disposition?.trim()));
  if (!disposition) throw new ReportError('invalid-aggregate', `${where}: <policy_evaluated> has no <disposition>`);
  return {
    sourceIp: ip,
    count: Number(countText),
    disposition,
    dkim: lower(orNull(d.dkim)),
    spf: lower(orNull(d.spf)),
    overrideReasons: d.reasons.filter((r) => r.type).map((r) => ({ type: r.type!.toLowerCase(), comment: orNull(r.comment) })),
    headerFrom: (d.headerFrom ?? '').toLowerCase(),
    envelopeFrom: orNull(d.envelopeFrom),
    envelopeTo: orNull(d.envelopeTo),
    dkimResults: d.dkimResults.map((r) => ({
      domain: r.domain ?? '',
      selector: orNull(r.selector),
      result: (r.result ?? '').toLowerCase(),
      humanResult: orNull(r.human_result),
    })),
    spfResults: d.spfResults.map((r) => ({
      domain: r.domain ?? '',
      scope: lower(orNull(r.scope)),
      result: (r.result ?? '').toLowerCase(),
      humanResult: orNull(r.human_result),
    })),
  };
}

function finishMeta(m: Record<string, string>, errors: string[], pol: Record<string, string>, ns: string | null, name: string): AggregateMeta {
  const reportId = orNull(m.report_id);
  if (!reportId) throw new ReportError('invalid-aggregate', `${name}: <report_metadata> has no <report_id>`);
  const domain = orNull(pol.domain);
  if (!domain) throw new ReportError('invalid-aggregate', `${name}: <policy_published> has no <domain>`);
  const pctText = orNull(pol.pct);
  const pct = pctText === null ? null : Number(pctText);
  if (pct !== null && !(Number.isInteger(pct) && pct >= 0 && pct <= 100))
    throw new ReportError('invalid-aggregate', `${name}: <pct> ${JSON.stringify(pctText)} is not 0–100`);
  const p = lower(orNull(pol.p));
  const policy: PolicyPublished = {
    domain,
    adkim: lower(orNull(pol.adkim)) ?? 'r',
    aspf: lower(orNull(pol.aspf)) ?? 'r',
    p,
    sp: lower(orNull(pol.sp)) ?? p,
    pct,
    fo: orNull(pol.fo),
    np: lower(orNull(pol.np)),
    testing: lower(orNull(pol.testing)),
    discoveryMethod: lower(orNull(pol.discovery_method)),
  };
  return {
    orgName: orNull(m.org_name),
    orgEmail: orNull(m.email),
    extraContactInfo: orNull(m.extra_contact_info),
    reportId,
    begin: epochToIso(m.begin, '<date_range><begin>', name),
    end: epochToIso(m.end, '<date_range><end>', name),
    xmlSchema: orNull(m.version) ?? 'draft',
    namespace: ns,
    generator: orNull(m.generator),
    errors,
    policy,
  };
}

/**
 * Parses an aggregate report from a stream of bytes. With a sink, records go to it one by one
 * and are not kept (the returned report has `records: []`); without one they are collected.
 */
export async function parseAggregate(chunks: AsyncIterable<Buffer>, name: string, sink?: AggregateSink): Promise<AggregateReport> {
  const parser = new SaxesParser({ xmlns: false, position: true, fileName: name });
  const stack: string[] = [];
  let text = '';
  let rootSeen = false;
  let rootClosed = false;
  let ns: string | null = null;
  const meta: Record<string, string> = {};
  const errors: string[] = [];
  const pol: Record<string, string> = {};
  let metaOut: AggregateMeta | null = null;
  let rec: DraftRecord | null = null;
  let auth: Record<string, string> | null = null;
  let reason: { type?: string; comment?: string } | null = null;
  const records: AggregateRecord[] = [];
  let recordCount = 0;
  let totalCount = 0;

  const emitMeta = (): void => {
    if (metaOut) return;
    metaOut = finishMeta(meta, errors, pol, ns, name);
    sink?.meta(metaOut);
  };

  parser.on('error', (err) => {
    throw new ReportError('invalid-xml', `${name}: not well-formed XML (${err.message}); the report is damaged, ask the reporter or skip it`);
  });
  parser.on('doctype', (dt) => checkDoctype(dt, name));
  parser.on('opentag', (tag) => {
    const local = tag.name.slice(tag.name.indexOf(':') + 1);
    if (!rootSeen) {
      rootSeen = true;
      if (local !== 'feedback') throw new ReportError('unknown-format', `${name}: the XML root is <${tag.name}>, not a DMARC aggregate report's <feedback>`);
      const x = tag.attributes.xmlns;
      ns = typeof x === 'string' ? x : null;
    }
    stack.push(local);
    text = '';
    const depth = stack.length;
    if (depth === 2 && local === 'record') {
      emitMeta();
      rec = newRecord();
    } else if (rec) {
      const parent = stack[depth - 2];
      if ((local === 'dkim' || local === 'spf') && parent === 'auth_results') {
        auth = {};
        (local === 'dkim' ? rec.dkimResults : rec.spfResults).push(auth);
      } else if (local === 'reason' && parent === 'policy_evaluated') {
        reason = {};
        rec.reasons.push(reason);
      }
    }
  });
  parser.on('text', (t) => {
    if (text.length < MAX_TEXT) text += t;
  });
  parser.on('cdata', (t) => {
    if (text.length < MAX_TEXT) text += t;
  });
  parser.on('closetag', () => {
    const local = stack.pop()!;
    const depth = stack.length + 1;
    const value = text.trim();
    text = '';
    if (depth === 1) {
      rootClosed = true;
      return;
    }
    const parent = stack[depth - 2];
    if (rec) {
      if (depth === 2) {
        const r = finishRecord(rec, recordCount, name);
        rec = null;
        if (sink) sink.record(r, recordCount);
        else records.push(r);
        recordCount++;
        totalCount += r.count;
      } else if (auth && (parent === 'dkim' || parent === 'spf') && stack[depth - 3] === 'auth_results') {
        auth[local] = value;
      } else if ((local === 'dkim' || local === 'spf') && parent === 'auth_results') {
        auth = null;
      } else if (reason && parent === 'reason') {
        if (local === 'type' || local === 'comment') reason[local] = value;
      } else if (local === 'reason') {
        reason = null;
      } else if (parent === 'policy_evaluated') {
        if (local === 'disposition' || local === 'dkim' || local === 'spf') rec[local] = value;
      } else if (local === 'source_ip') rec.sourceIp = value;
      else if (local === 'count') rec.count = value;
      else if (local === 'header_from') rec.headerFrom = value;
      else if (local === 'envelope_from') rec.envelopeFrom = value;
      else if (local === 'envelope_to') rec.envelopeTo = value;
      return;
    }
    if (depth === 2 && local === 'version') meta.version = value;
    else if (parent === 'report_metadata') {
      if (local === 'error') errors.push(value);
      else meta[local] = value;
    } else if (parent === 'date_range' && (local === 'begin' || local === 'end')) meta[local] = value;
    else if (parent === 'policy_published') pol[local] = value;
  });

  let decoder: TextDecoder | null = null;
  let consumed = 0;
  for await (const chunk of chunks) {
    if (!decoder) decoder = decoderFor(chunk.subarray(0, 200).toString('latin1'));
    let s = decoder.decode(chunk, { stream: true });
    if (consumed === 0) s = s.replace(/^\s+/, '');
    consumed += chunk.length;
    if (!rootSeen && consumed > MAX_PROLOG)
      throw new ReportError('invalid-xml', `${name}: no root element in the first ${MAX_PROLOG} bytes; this is not a DMARC report`);
    FORBIDDEN_CHARS.lastIndex = 0;
    if (FORBIDDEN_CHARS.test(s)) s = s.replace(FORBIDDEN_CHARS, '');
    parser.write(s);
  }
  if (decoder) parser.write(decoder.decode());
  if (consumed === 0) throw new ReportError('empty', `${name}: the report is empty`);
  parser.close();
  if (!rootSeen) throw new ReportError('unknown-format', `${name}: no XML element found; this is not a DMARC aggregate report`);
  if (!rootClosed) throw new ReportError('invalid-xml', `${name}: the XML ends before </feedback> (truncated)`);
  emitMeta();
  return { kind: 'aggregate', ...metaOut!, recordCount, totalCount, records };
}
