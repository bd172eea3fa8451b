/**
 * SMTP TLS reports (RFC 8460 §4, JSON per §4.4). JSON.parse is enough: a TLS report is a few
 * kB (its size is capped by the decompressor anyway) and JSON has no entities to expand.
 *
 * Every field is type-checked against §4.4: a report whose organisation, dates, counts or
 * result types have the wrong JSON type is refused with `invalid-tlsrpt` naming the field,
 * rather than stored half-read. Lenient only where reporters really deviate: the draft names
 * `mx-host-pattern` and `additional-info-uri` are read as `mx-host` and
 * `additional-information`, a single string where a list belongs is taken as a one-element
 * list, result words are lower-cased, and a missing `contact-info` is `null`.
 */
import { ReportError, type TlsFailureDetail, type TlsPolicy, type TlsReport } from './types.ts';

type Obj = Record<string, unknown>;

/** RFC 3339 §5.6 date-time; a missing zone (some reporters write one) is accepted as written. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;
/** RFC 8460 §4.3 result types plus the policy-type words; other words must still be tokens. */
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

class Checker {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  fail(field: string, what: string): never {
    throw new ReportError('invalid-tlsrpt', `${this.name}: "${field}" ${what} (RFC 8460 §4.4); the report is refused, not stored`);
  }
  obj(v: unknown, field: string): Obj {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(field, `must be a JSON object, is ${describe(v)}`);
    return v as Obj;
  }
  /** A non-empty string, kept as written (free text such as additional-information may end in a space). */
  str(v: unknown, field: string): string {
    if (typeof v !== 'string' || !v.trim()) this.fail(field, `must be a non-empty string, is ${describe(v)}`);
    return v;
  }
  optStr(v: unknown, field: string): string | null {
    return v === undefined || v === null ? null : this.str(v, field);
  }
  count(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) this.fail(field, `must be a whole number ≥ 0, is ${describe(v)}`);
    return v;
  }
  strList(v: unknown, field: string): string[] | null {
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v)) this.fail(field, `must be a list of strings, is ${describe(v)}`);
    return v.map((s, i) => {
      if (typeof s !== 'string') this.fail(`${field}[${i}]`, `must be a string, is ${describe(s)}`);
      return s;
    });
  }
  dateTime(v: unknown, field: string): string {
    const s = this.str(v, field).trim();
    if (!DATE_TIME.test(s) || Number.isNaN(Date.parse(s))) this.fail(field, `must be an RFC 3339 date-time, is ${JSON.stringify(s)}`);
    return s;
  }
  token(v: unknown, field: string): string {
    const s = this.str(v, field).trim();
    if (!TOKEN.test(s)) this.fail(field, `must be a result word such as "validation-failure", is ${JSON.stringify(s)}`);
    return s.toLowerCase();
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  return `a ${typeof v}`;
}

function failureDetail(c: Checker, d: Obj, at: string): TlsFailureDetail {
  return {
    resultType: c.token(d['result-type'], `${at}.result-type`),
    failedSessionCount: c.count(d['failed-session-count'], `${at}.failed-session-count`),
    sendingMtaIp: c.optStr(d['sending-mta-ip'], `${at}.sending-mta-ip`),
    receivingIp: c.optStr(d['receiving-ip'], `${at}.receiving-ip`),
    receivingMxHostname: c.optStr(d['receiving-mx-hostname'], `${at}.receiving-mx-hostname`),
    receivingMxHelo: c.optStr(d['receiving-mx-helo'], `${at}.receiving-mx-helo`),
    additionalInformation: c.optStr(d['additional-information'] ?? d['additional-info-uri'], `${at}.additional-information`),
    failureReasonCode: c.optStr(d['failure-reason-code'], `${at}.failure-reason-code`),
  };
}

function policy(c: Checker, entry: Obj, at: string): TlsPolicy {
  const p = c.obj(entry.policy, `${at}.policy`);
  const summary = c.obj(entry.summary, `${at}.summary`);
  const details = entry['failure-details'];
  if (details !== undefined && details !== null && !Array.isArray(details)) c.fail(`${at}.failure-details`, `must be a list, is ${describe(details)}`);
  return {
    policyType: c.token(p['policy-type'], `${at}.policy.policy-type`),
    policyDomain: c.str(p['policy-domain'], `${at}.policy.policy-domain`).trim().toLowerCase(),
    policyStrings: c.strList(p['policy-string'], `${at}.policy.policy-string`),
    mxHosts: c.strList(p['mx-host'] ?? p['mx-host-pattern'], `${at}.policy.mx-host`),
    successful: c.count(summary['total-successful-session-count'], `${at}.summary.total-successful-session-count`),
    failed: c.count(summary['total-failure-session-count'], `${at}.summary.total-failure-session-count`),
    failureDetails: ((details as unknown[] | undefined) ?? []).map((d, i) =>
      failureDetail(c, c.obj(d, `${at}.failure-details[${i}]`), `${at}.failure-details[${i}]`),
    ),
  };
}

/** Parses the JSON text of a TLS report. */
export function parseTlsReport(json: string, name: string): TlsReport {
  const c = new Checker(name);
  let doc: unknown;
  try {
    doc = JSON.parse(json.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ReportError('invalid-tlsrpt', `${name}: not valid JSON (${(err as Error).message}); the report is damaged`);
  }
  const top = c.obj(doc, '(report)');
  if (!('organization-name' in top) && !('policies' in top)) {
    throw new ReportError('unknown-format', `${name}: JSON without "organization-name" or "policies": not an SMTP TLS report (RFC 8460 §4.4)`);
  }
  const range = c.obj(top['date-range'], 'date-range');
  const policies = top.policies;
  if (!Array.isArray(policies)) c.fail('policies', `must be a list, is ${describe(policies)}`);
  const list = policies as unknown[];
  return {
    kind: 'tlsrpt',
    organizationName: c.str(top['organization-name'], 'organization-name').trim(),
    reportId: c.str(top['report-id'], 'report-id').trim(),
    begin: c.dateTime(range['start-datetime'], 'date-range.start-datetime'),
    end: c.dateTime(range['end-datetime'], 'date-range.end-datetime'),
    contactInfo: c.optStr(top['contact-info'], 'contact-info'),
    policies: list.map((p, i) => policy(c, c.obj(p, `policies[${i}]`), `policies[${i}]`)),
  };
}
