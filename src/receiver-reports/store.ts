/**
 * Receiver reports in the history store (tables of migration 2 in src/record/schema.ts).
 *
 * Each report is stored once: aggregate and TLS reports by reporter and report id (RFC 7489
 * §7.2.1.1 and RFC 8460 §4.4 make the report id unique per reporter), failure reports by the
 * Message-ID of the report e-mail, else by a digest of their content; report e-mails already
 * read are remembered by Message-ID, so an e-mail seen twice (another shard, a second import,
 * a copy in another folder) is skipped whole. An aggregate report streams into its tables in
 * one transaction: records are written as the parser hands them over, and a report that turns
 * out broken halfway is rolled back, leaving nothing of it.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { HistoryStore } from '../record/index.ts';
import type { AggregateSink } from './aggregate.ts';
import type { AggregateMeta, AggregateRecord, AggregateReport, FailureReport, PolicyPublished, TlsPolicy, TlsReport } from './types.ts';

type Row = Record<string, unknown>;

export type StoreStatus = 'stored' | 'duplicate' | 'expired';

export interface StoreOutcome {
  status: StoreStatus;
  /** why it was skipped, or what was stored */
  detail: string;
}

/** The reporter key of dedupe: the lower-cased org name, else the domain of its contact address. */
export function orgKey(name: string | null, email: string | null): string {
  const n = name?.trim().toLowerCase();
  if (n) return n;
  const d = email?.split('@').pop()?.trim().toLowerCase();
  return d || '(unnamed reporter)';
}

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : null);

/** A streaming writer of one aggregate report; `finish` commits, `abort` rolls back. */
export interface AggregateWriter extends AggregateSink {
  finish(recordCount: number, totalCount: number): StoreOutcome;
  abort(): void;
}

export class ReportStore {
  readonly history: HistoryStore;
  /** the clock stored times and retention are read from (injected in tests) */
  readonly now: () => number;

  constructor(history: HistoryStore, now: () => number = Date.now) {
    this.history = history;
    this.now = now;
  }

  private get db() {
    return this.history.db;
  }

  messageSeen(messageId: string | null): boolean {
    if (!messageId) return false;
    return !!this.db.prepare('SELECT 1 FROM report_messages WHERE message_id = ?').get(messageId);
  }

  markMessage(messageId: string | null, outcome: string): void {
    if (!messageId) return;
    this.db
      .prepare('INSERT INTO report_messages (message_id, seen_at, outcome) VALUES (?, ?, ?) ON CONFLICT(message_id) DO UPDATE SET outcome = excluded.outcome')
      .run(messageId, this.now(), outcome);
  }

  /**
   * A sink for one aggregate report. `retentionCutoff` (ms): reports that ended before it are not
   * stored (they would be pruned on the next run anyway, and re-imported from a mailbox each time).
   */
  aggregateWriter(source: string, messageId: string | null, retentionCutoff = 0): AggregateWriter {
    const db = this.db;
    let outcome: StoreOutcome | null = null;
    let reportRow: number | null = null;
    const insert = db.prepare(
      `INSERT INTO aggregate_records (report, idx, source_ip, count, disposition, dkim, spf, header_from, envelope_from, envelope_to, override_reasons, dkim_results, spf_results)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let meta: AggregateMeta | null = null;
    const rollback = () => {
      if (reportRow !== null && db.isTransaction) db.exec('ROLLBACK');
      reportRow = null;
    };
    return {
      meta: (m: AggregateMeta) => {
        meta = m;
        const key = orgKey(m.orgName, m.orgEmail);
        const end = Date.parse(m.end);
        if (end < retentionCutoff) {
          outcome = { status: 'expired', detail: `report ${m.reportId} of ${key} ended ${m.end}, before the retention window (MAILCANARY_RETENTION_DAYS)` };
          return;
        }
        const dup = db.prepare('SELECT source FROM aggregate_reports WHERE org_key = ? AND report_id = ?').get(key, m.reportId) as Row | undefined;
        if (dup) {
          outcome = { status: 'duplicate', detail: `report ${m.reportId} of ${key} is already stored (from ${String(dup.source)})` };
          return;
        }
        db.exec('BEGIN IMMEDIATE');
        const r = db
          .prepare(
            `INSERT INTO aggregate_reports (org_key, report_id, org_name, org_email, extra_contact, begin_at, end_at, domain, policy, xml_schema, errors, record_count, total_count, message_id, source, imported_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`,
          )
          .run(
            key,
            m.reportId,
            m.orgName,
            m.orgEmail,
            m.extraContactInfo,
            Date.parse(m.begin),
            end,
            m.policy.domain.toLowerCase(),
            JSON.stringify(m.policy),
            m.xmlSchema,
            json(m.errors.length ? m.errors : null),
            messageId,
            source,
            this.now(),
          );
        reportRow = Number(r.lastInsertRowid);
      },
      record: (rec: AggregateRecord, i: number) => {
        if (reportRow === null) return;
        insert.run(
          reportRow,
          i,
          rec.sourceIp,
          rec.count,
          rec.disposition,
          rec.dkim,
          rec.spf,
          rec.headerFrom,
          rec.envelopeFrom,
          rec.envelopeTo,
          json(rec.overrideReasons.length ? rec.overrideReasons : null),
          json(rec.dkimResults),
          json(rec.spfResults),
        );
      },
      finish: (recordCount: number, totalCount: number) => {
        if (outcome) return outcome;
        if (reportRow === null || !meta) throw new Error(`${source}: the aggregate report ended without metadata`);
        db.prepare('UPDATE aggregate_reports SET record_count = ?, total_count = ? WHERE id = ?').run(recordCount, totalCount, reportRow);
        db.exec('COMMIT');
        reportRow = null;
        const m: AggregateMeta = meta;
        return {
          status: 'stored',
          detail: `aggregate report ${m.reportId} of ${orgKey(m.orgName, m.orgEmail)} for ${m.policy.domain}, ${m.begin} – ${m.end}: ${recordCount} record(s), ${totalCount} message(s)`,
        };
      },
      abort: rollback,
    };
  }

  writeTls(t: TlsReport, source: string, messageId: string | null, retentionCutoff = 0): StoreOutcome {
    const key = orgKey(t.organizationName, t.contactInfo);
    const end = Date.parse(t.end);
    if (end < retentionCutoff) return { status: 'expired', detail: `TLS report ${t.reportId} of ${key} ended ${t.end}, before the retention window` };
    const dup = this.db.prepare('SELECT source FROM tls_reports WHERE org_key = ? AND report_id = ?').get(key, t.reportId) as Row | undefined;
    if (dup) return { status: 'duplicate', detail: `TLS report ${t.reportId} of ${key} is already stored (from ${String(dup.source)})` };
    this.history.tx(() => {
      const r = this.db
        .prepare(
          'INSERT INTO tls_reports (org_key, report_id, organization, contact_info, begin_text, end_text, begin_at, end_at, message_id, source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(key, t.reportId, t.organizationName, t.contactInfo, t.begin, t.end, Date.parse(t.begin), end, messageId, source, this.now());
      const id = Number(r.lastInsertRowid);
      const pol = this.db.prepare(
        'INSERT INTO tls_policies (report, idx, policy_type, policy_domain, policy_strings, mx_hosts, successful, failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const fail = this.db.prepare(
        `INSERT INTO tls_failures (report, policy_idx, idx, result_type, failed_session_count, sending_mta_ip, receiving_ip, receiving_mx_hostname, receiving_mx_helo, additional_information, failure_reason_code)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      t.policies.forEach((p, i) => {
        pol.run(id, i, p.policyType, p.policyDomain, json(p.policyStrings), json(p.mxHosts), p.successful, p.failed);
        p.failureDetails.forEach((d, j) =>
          fail.run(
            id,
            i,
            j,
            d.resultType,
            d.failedSessionCount,
            d.sendingMtaIp,
            d.receivingIp,
            d.receivingMxHostname,
            d.receivingMxHelo,
            d.additionalInformation,
            d.failureReasonCode,
          ),
        );
      });
    });
    const failed = t.policies.reduce((n, p) => n + p.failed, 0);
    return {
      status: 'stored',
      detail: `TLS report ${t.reportId} of ${key}, ${t.begin} – ${t.end}: ${t.policies.length} polic(ies), ${failed} failed session(s)`,
    };
  }

  writeFailure(f: FailureReport, source: string, messageId: string | null, retentionCutoff = 0): StoreOutcome {
    const arrival = f.arrivalDateUtc ? Date.parse(f.arrivalDateUtc) : null;
    if (arrival !== null && arrival < retentionCutoff)
      return { status: 'expired', detail: `failure report of ${f.arrivalDate} is before the retention window` };
    const key = messageId ?? 'sha256:' + createHash('sha256').update(JSON.stringify(f)).digest('hex');
    const dup = this.db.prepare('SELECT source FROM failure_reports WHERE dedupe_key = ?').get(key) as Row | undefined;
    if (dup) return { status: 'duplicate', detail: `failure report ${messageId ?? ''} is already stored (from ${String(dup.source)})`.replace('  ', ' ') };
    this.db
      .prepare(
        'INSERT INTO failure_reports (dedupe_key, feedback_type, reported_domain, source_ip, arrival_at, message_id, source, imported_at, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(key, f.feedbackType, f.reportedDomain, f.sourceIp, arrival, messageId, source, this.now(), JSON.stringify(f));
    return { status: 'stored', detail: `failure report (${f.feedbackType}) for ${f.reportedDomain ?? '?'} from ${f.sourceIp ?? '?'}` };
  }

  /** Deletes reports that ended (failure reports: arrived) more than `days` before now. */
  prune(days: number, now = this.now()): { aggregate: number; tls: number; failure: number; messages: number } {
    const cutoff = now - days * 86_400_000;
    return this.history.tx(() => ({
      aggregate: Number(this.db.prepare('DELETE FROM aggregate_reports WHERE end_at < ?').run(cutoff).changes),
      tls: Number(this.db.prepare('DELETE FROM tls_reports WHERE end_at < ?').run(cutoff).changes),
      failure: Number(this.db.prepare('DELETE FROM failure_reports WHERE coalesce(arrival_at, imported_at) < ?').run(cutoff).changes),
      messages: Number(this.db.prepare('DELETE FROM report_messages WHERE seen_at < ?').run(cutoff).changes),
    }));
  }

  counts(): Record<string, number> {
    const c = (t: string) => Number((this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as Row).n);
    return {
      aggregate: c('aggregate_reports'),
      records: c('aggregate_records'),
      tls: c('tls_reports'),
      failure: c('failure_reports'),
      messages: c('report_messages'),
    };
  }

  /** Stored aggregate reports whose window overlaps [from, to] (ms), with their records, oldest first. */
  aggregateReports(window: { from?: number; to?: number } = {}): AggregateReport[] {
    return [...this.aggregateRows(window)].map((r) => r.report);
  }

  private *aggregateRows(window: { from?: number; to?: number } = {}): Generator<{ report: AggregateReport; messageId: string | null; source: string }> {
    const recs = this.db.prepare('SELECT * FROM aggregate_records WHERE report = ? ORDER BY idx');
    const rows = this.db
      .prepare('SELECT * FROM aggregate_reports WHERE end_at >= ? AND begin_at <= ? ORDER BY end_at, id')
      .all(window.from ?? 0, window.to ?? Number.MAX_SAFE_INTEGER) as Row[];
    for (const r of rows) {
      const records = (recs.all(r.id as number) as Row[]).map((x): AggregateRecord => ({
        sourceIp: String(x.source_ip),
        count: Number(x.count),
        disposition: String(x.disposition),
        dkim: x.dkim as string | null,
        spf: x.spf as string | null,
        overrideReasons: (parse(x.override_reasons) as AggregateRecord['overrideReasons'] | null) ?? [],
        headerFrom: String(x.header_from),
        envelopeFrom: x.envelope_from as string | null,
        envelopeTo: x.envelope_to as string | null,
        dkimResults: (parse(x.dkim_results) as AggregateRecord['dkimResults'] | null) ?? [],
        spfResults: (parse(x.spf_results) as AggregateRecord['spfResults'] | null) ?? [],
      }));
      const iso = (ms: unknown) => new Date(Number(ms)).toISOString().replace('.000Z', 'Z');
      const report: AggregateReport = {
        kind: 'aggregate',
        orgName: r.org_name as string | null,
        orgEmail: r.org_email as string | null,
        extraContactInfo: r.extra_contact as string | null,
        reportId: String(r.report_id),
        begin: iso(r.begin_at),
        end: iso(r.end_at),
        xmlSchema: String(r.xml_schema),
        namespace: null,
        generator: null,
        errors: (parse(r.errors) as string[] | null) ?? [],
        policy: parse(r.policy) as PolicyPublished,
        recordCount: Number(r.record_count),
        totalCount: Number(r.total_count),
        records,
      };
      yield { report, messageId: r.message_id as string | null, source: String(r.source) };
    }
  }

  /** Stored TLS reports whose window overlaps [from, to] (ms), oldest first. */
  tlsReports(window: { from?: number; to?: number } = {}): TlsReport[] {
    return [...this.tlsRows(window)].map((r) => r.report);
  }

  private *tlsRows(window: { from?: number; to?: number } = {}): Generator<{ report: TlsReport; messageId: string | null; source: string }> {
    const pols = this.db.prepare('SELECT * FROM tls_policies WHERE report = ? ORDER BY idx');
    const fails = this.db.prepare('SELECT * FROM tls_failures WHERE report = ? AND policy_idx = ? ORDER BY idx');
    const rows = this.db
      .prepare('SELECT * FROM tls_reports WHERE end_at >= ? AND begin_at <= ? ORDER BY end_at, id')
      .all(window.from ?? 0, window.to ?? Number.MAX_SAFE_INTEGER) as Row[];
    for (const r of rows) {
      const policies = (pols.all(r.id as number) as Row[]).map((p): TlsPolicy => ({
        policyType: String(p.policy_type),
        policyDomain: String(p.policy_domain),
        policyStrings: parse(p.policy_strings) as string[] | null,
        mxHosts: parse(p.mx_hosts) as string[] | null,
        successful: Number(p.successful),
        failed: Number(p.failed),
        failureDetails: (fails.all(r.id as number, p.idx as number) as Row[]).map((d) => ({
          resultType: String(d.result_type),
          failedSessionCount: Number(d.failed_session_count),
          sendingMtaIp: d.sending_mta_ip as string | null,
          receivingIp: d.receiving_ip as string | null,
          receivingMxHostname: d.receiving_mx_hostname as string | null,
          receivingMxHelo: d.receiving_mx_helo as string | null,
          additionalInformation: d.additional_information as string | null,
          failureReasonCode: d.failure_reason_code as string | null,
        })),
      }));
      const report: TlsReport = {
        kind: 'tlsrpt',
        organizationName: String(r.organization),
        reportId: String(r.report_id),
        begin: String(r.begin_text),
        end: String(r.end_text),
        contactInfo: r.contact_info as string | null,
        policies,
      };
      yield { report, messageId: r.message_id as string | null, source: String(r.source) };
    }
  }

  /** Writes every stored report as one JSON line (oldest first); returns the number of lines. */
  async exportJsonl(file: string): Promise<number> {
    const out = createWriteStream(file);
    let n = 0;
    const write = async (obj: unknown) => {
      if (!out.write(JSON.stringify(obj) + '\n')) await once(out, 'drain');
      n++;
    };
    for (const { report, messageId, source } of this.aggregateRows()) {
      const { kind: _kind, namespace: _ns, generator: _gen, ...rest } = report;
      await write({ type: 'aggregate', ...rest, messageId, source });
    }
    for (const { report, messageId, source } of this.tlsRows()) {
      const { kind: _kind, ...rest } = report;
      await write({ type: 'tlsrpt', ...rest, messageId, source });
    }
    for (const r of this.db.prepare('SELECT * FROM failure_reports ORDER BY coalesce(arrival_at, imported_at), id').all() as Row[]) {
      await write({ type: 'failure', messageId: r.message_id, source: r.source, ...(parse(r.report) as object) });
    }
    out.end();
    await once(out, 'finish');
    return n;
  }
}
