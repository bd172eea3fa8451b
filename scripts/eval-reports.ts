/**
 * `npm run eval:reports -- <corpus folder> [--max-mb N] [--verbose]`: reads every file of a
 * report corpus (manifest.json + files/) with src/receiver-reports and compares the parse
 * with the manifest's `expected`. Prints `N/M reports parsed as expected` and each mismatch.
 *
 * A report counts when every field `expected` names matches. An expected error counts when the
 * reader returns an error of that kind with a message naming the file (and, for
 * `must_not_contain`, when that text appears nowhere in what the reader returned).
 *
 * Where the manifest's `parsedmarc_vs_file` says parsedmarc departs from the file, either value
 * counts, and the field is checked even where `expected` leaves it out (so a dropped field is
 * held against the file). Our reader keeps what the file says, and these are the choices:
 * - default-filled `envelope_from` (parsedmarc copies the last SPF domain), DKIM `selector`
 *   `none`, SPF `scope` `mfrom`, `org_name` from the e-mail domain, Delivery-Result `other`,
 *   Auth-Failure `dmarc`, Arrival-Date from the Date header: the report did not say these, and a
 *   store that invents them cannot tell an SPF result for the envelope from a guess, so we keep
 *   `null` (the file's value).
 * - `adkim`/`aspf` missing → `r` and `sp` missing → `p`: these defaults are RFC 7489 §6.3's own,
 *   so we fill them too (both values agree then).
 * - case: result, disposition and scope words are tokens, lower-cased as parsedmarc does;
 *   `org_name` is a display name and is kept as written (`WEB.DE`, `Outlook.com`).
 * - RFC 8460 `mx-host` and `additional-information`, which parsedmarc drops: kept (the file's value).
 * - auth results with an empty `<domain>`: kept (the file's count of results). The manifest lists
 *   only the first 60 of such `count-differs` entries per report, so where a report has them, a
 *   results list also counts when it equals `expected` once its empty-domain entries are left
 *   out (what parsedmarc did to the rest).
 * - a missing Arrival-Date: kept `null`. Where `arrival_date_utc` is listed as default-filled
 *   from nothing, the verbatim `arrival_date` parsedmarc took from the Date header is too.
 * - "EDT" in Arrival-Date: read as UTC−4 (RFC 5322 §4.3), the file's meaning.
 * `fo` is published as a colon list (RFC 7489 §6.3: `0`, `1`, `d`, `s`), so we keep it a string
 * and compare it with parsedmarc's number by its digits.
 *
 * The decompressed-size cap is 100 MB here (`--max-mb`): the corpus holds a deliberate
 * 73.5 MB legitimate report next to two 160 MiB bombs, and the product's default of 50 MB
 * (MAILCANARY_REPORTS_MAX_MB) would refuse the former. `uncompressed_bytes` of that report is a
 * property of the file, not of a parse, and is not compared.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  readReportFile,
  type AggregateRecord,
  type FailureReport,
  type ReadItem,
  type Report,
  type TlsReport,
  type AggregateReport,
} from '../src/receiver-reports/index.ts';

interface VsFile {
  field: string;
  file: unknown;
  parsedmarc: unknown;
  category: string;
}
interface Entry {
  file: string;
  kind: 'aggregate' | 'failure' | 'tlsrpt';
  expected: Record<string, unknown>;
  parsedmarc_vs_file?: VsFile[];
}

const args = process.argv.slice(2);
const folder = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
if (!folder) {
  console.error('usage: npm run eval:reports -- <corpus folder with manifest.json> [--max-mb 100] [--verbose]');
  process.exit(2);
}
const mbArg = args.indexOf('--max-mb');
const maxBytes = (mbArg >= 0 ? Number(args[mbArg + 1]) : 100) * 1024 * 1024;
const verbose = args.includes('--verbose');

const recordOut = (r: AggregateRecord) => ({
  source_ip: r.sourceIp,
  count: r.count,
  disposition: r.disposition,
  dkim: r.dkim,
  spf: r.spf,
  override_reasons: r.overrideReasons.map((o) => ({ type: o.type, comment: o.comment })),
  header_from: r.headerFrom,
  envelope_from: r.envelopeFrom,
  envelope_to: r.envelopeTo,
  dkim_results: r.dkimResults.map((d) => ({ domain: d.domain, selector: d.selector, result: d.result })),
  spf_results: r.spfResults.map((s) => ({ domain: s.domain, scope: s.scope, result: s.result })),
});

function aggregateOut(a: AggregateReport, sample: AggregateRecord[]) {
  const p = a.policy;
  return {
    org_name: a.orgName,
    org_email: a.orgEmail,
    report_id: a.reportId,
    begin: a.begin,
    end: a.end,
    xml_schema: a.xmlSchema,
    policy_published: {
      domain: p.domain,
      adkim: p.adkim,
      aspf: p.aspf,
      p: p.p,
      sp: p.sp,
      pct: p.pct,
      fo: p.fo,
      np: p.np,
      testing: p.testing,
      discovery_method: p.discoveryMethod,
    },
    record_count: a.recordCount,
    total_count: a.totalCount,
    report_errors: a.errors,
    records: sample.map(recordOut),
    records_sample: sample.length > 5000 ? [sample[0], sample[1], sample[sample.length - 1]].map(recordOut) : undefined,
  };
}

const tlsOut = (t: TlsReport) => ({
  organization_name: t.organizationName,
  report_id: t.reportId,
  begin: t.begin,
  end: t.end,
  contact_info: t.contactInfo,
  policies: t.policies.map((p) => ({
    policy_type: p.policyType,
    policy_domain: p.policyDomain,
    policy_strings: p.policyStrings,
    mx_host_patterns: p.mxHosts,
    successful: p.successful,
    failed: p.failed,
    failure_details: p.failureDetails.map((d) => ({
      result_type: d.resultType,
      failed_session_count: d.failedSessionCount,
      sending_mta_ip: d.sendingMtaIp,
      receiving_ip: d.receivingIp,
      receiving_mx_hostname: d.receivingMxHostname,
      receiving_mx_helo: d.receivingMxHelo,
      additional_info_uri: d.additionalInformation,
      additional_information: d.additionalInformation,
      failure_reason_code: d.failureReasonCode,
    })),
  })),
});

const failureOut = (f: FailureReport) => ({
  feedback_type: f.feedbackType,
  version: f.version,
  user_agent: f.userAgent,
  arrival_date: f.arrivalDate,
  arrival_date_utc: f.arrivalDateUtc,
  source_ip: f.sourceIp,
  reported_domain: f.reportedDomain,
  auth_failure: f.authFailure.length ? f.authFailure : null,
  delivery_result: f.deliveryResult,
  authentication_results: f.authenticationResults,
  authentication_mechanisms: f.identityAlignment,
  dkim_domain: f.dkimDomain,
  original_mail_from: f.originalMailFrom,
  original_rcpt_to: f.originalRcptTo,
  original_envelope_id: f.originalEnvelopeId,
  sample_headers_only: f.sampleHeadersOnly,
  sample_from: f.sampleFrom,
  sample_subject: f.sampleSubject,
});

/** marker set when a report's vs-file list has count-differs entries for auth results */
const EMPTY_DOMAIN_DROPPED = '\u0000empty-domain-dropped';
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Reads a dotted/indexed path (`records[0].dkim_results[1].selector`) out of a value. */
function at(v: unknown, p: string): unknown {
  for (const part of p.match(/[^.[\]]+/g) ?? []) {
    if (v === null || v === undefined) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function compare(exp: unknown, got: unknown, p: string, vs: Map<string, VsFile>, out: string[]): void {
  const d = vs.get(p);
  if (d) {
    const fileAlt = typeof d.file === 'string' && Array.isArray(got) && got.length === 1 ? [d.file] : d.file;
    if (!same(got, d.parsedmarc) && !same(got, fileAlt))
      out.push(`${p}: got ${JSON.stringify(got)}, parsedmarc ${JSON.stringify(d.parsedmarc)}, file ${JSON.stringify(d.file)}`);
    return;
  }
  if (Array.isArray(exp)) {
    const len = vs.get(`${p}.length`);
    if (len && Array.isArray(got) && got.length === len.file) return;
    const field = p.replace(/^records\[\d+\]/, '');
    if (vs.has(EMPTY_DOMAIN_DROPPED) && /^\.(dkim|spf)_results$/.test(field) && Array.isArray(got)) {
      const kept = got.filter((g: { domain?: string }) => g.domain !== '');
      if (kept.length !== got.length && same(kept, exp)) return;
    }
    if (!Array.isArray(got) || got.length !== exp.length) {
      out.push(`${p}: ${Array.isArray(got) ? got.length : JSON.stringify(got)} entries, expected ${exp.length}`);
      return;
    }
    exp.forEach((e, i) => compare(e, got[i], `${p}[${i}]`, vs, out));
    return;
  }
  if (exp !== null && typeof exp === 'object') {
    for (const [k, v] of Object.entries(exp)) compare(v, (got as Record<string, unknown> | null)?.[k], p ? `${p}.${k}` : k, vs, out);
    return;
  }
  if (p.endsWith('.fo') && exp !== null && got !== null && String(exp) === String(got)) return;
  if (!same(exp, got)) out.push(`${p}: got ${JSON.stringify(got)}, expected ${JSON.stringify(exp)}`);
}

async function evaluate(e: Entry): Promise<string[]> {
  const file = path.join(folder!, e.file);
  const sample: AggregateRecord[] = [];
  let last: AggregateRecord | null = null;
  const big = typeof e.expected.total_count === 'number' && !Array.isArray(e.expected.records);
  // a >5000-record report is streamed: keep the first two and the last record only
  const sink = big ? () => ({ meta: () => {}, record: (r: AggregateRecord, i: number) => (i < 2 ? sample.push(r) : (last = r)) }) : undefined;
  const items: ReadItem[] = await readReportFile(file, { maxBytes, sink }, e.file);
  const problems: string[] = [];
  if ('error' in e.expected) {
    const failed = items.find((i) => !i.result.ok);
    if (!failed || failed.result.ok)
      return [
        `expected error ${e.expected.error}, got ${items.map((i) => (i.result.ok ? i.result.report.kind : i.result.error.kind)).join(', ') || 'nothing'}`,
      ];
    const err = failed.result.error;
    if (err.kind !== e.expected.error) problems.push(`error kind ${err.kind} (${err.message}), expected ${e.expected.error}`);
    if (!err.message.includes(path.basename(e.file).slice(0, 20))) problems.push(`error message does not name the file: ${err.message}`);
    const mustNot = e.expected.must_not_contain;
    if (typeof mustNot === 'string' && JSON.stringify(items).includes(mustNot)) problems.push(`output contains ${JSON.stringify(mustNot)}`);
    return problems;
  }
  const hit = items.find((i) => i.result.ok && i.result.report.kind === e.kind);
  if (!hit || !hit.result.ok) {
    return [`no ${e.kind} report: ${items.map((i) => (i.result.ok ? i.result.report.kind : `${i.result.error.kind}: ${i.result.error.message}`)).join('; ')}`];
  }
  const r: Report = hit.result.report;
  if (big && last) sample.push(last);
  const got = r.kind === 'aggregate' ? aggregateOut(r, big ? sample : r.records) : r.kind === 'tlsrpt' ? tlsOut(r) : failureOut(r);
  const vs = new Map((e.parsedmarc_vs_file ?? []).map((d) => [d.field, d]));
  if ([...vs.values()].some((d) => d.category === 'count-differs' && /_results\.length$/.test(d.field)))
    vs.set(EMPTY_DOMAIN_DROPPED, { field: '', file: null, parsedmarc: null, category: '' });
  const utc = vs.get('arrival_date_utc');
  if (utc && utc.file === null && !vs.has('arrival_date'))
    vs.set('arrival_date', { field: 'arrival_date', file: null, parsedmarc: e.expected.arrival_date, category: 'default-filled' });
  const expected = { ...e.expected };
  delete expected.uncompressed_bytes;
  if (big) {
    // records_sample is [first, second, last]; our sample is the same three
    (got as { records_sample?: unknown }).records_sample = sample.map(recordOut);
  }
  compare(expected, got, '', vs, problems);
  // fields parsedmarc dropped (absent from `expected`) are held against the file's value
  for (const d of vs.values()) {
    if (!d.field) continue;
    if (at(expected, d.field.replace(/\.length$/, '')) === undefined) {
      const g = at(got, d.field);
      const fileAlt = typeof d.file === 'string' && Array.isArray(g) && g.length === 1 ? [d.file] : d.file;
      if (!same(g, d.parsedmarc) && !same(g, fileAlt)) problems.push(`${d.field}: got ${JSON.stringify(g)}, file ${JSON.stringify(d.file)}`);
    }
  }
  return problems;
}

const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as Entry[];
let good = 0;
const misses: string[] = [];
const t0 = Date.now();
for (const e of manifest) {
  let problems: string[];
  try {
    problems = await evaluate(e);
  } catch (err) {
    problems = [`crashed: ${(err as Error).stack ?? err}`];
  }
  if (problems.length === 0) good++;
  else
    misses.push(
      `✗ ${e.file}\n    ${problems.slice(0, verbose ? 100 : 6).join('\n    ')}${problems.length > 6 && !verbose ? `\n    … ${problems.length - 6} more` : ''}`,
    );
}
if (misses.length) console.log(misses.join('\n'));
console.log(`${good}/${manifest.length} reports parsed as expected (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
process.exit(good === manifest.length ? 0 : 1);
