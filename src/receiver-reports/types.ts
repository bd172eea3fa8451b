/**
 * Typed records of what receivers report back: DMARC aggregate reports (RFC 7489 appendix C,
 * RFC 9990), SMTP TLS reports (RFC 8460 §4) and DMARC failure reports (RFC 6591 on the ARF of
 * RFC 5965). Values keep what the report says; a field the report leaves out is `null`, except
 * where the RFC itself defines the default (noted on the field).
 */

/** Why a report could not be read. Each kind names one class of problem and what to do about it. */
export type ReportErrorKind =
  | 'empty' // nothing in the file / attachment
  | 'unknown-format' // not XML, JSON or a mail message, or XML/JSON that is not a report
  | 'invalid-xml' // not well-formed XML
  | 'invalid-aggregate' // XML <feedback> missing or malformed required content
  | 'invalid-tlsrpt' // JSON that breaks the RFC 8460 §4 schema (types, required fields)
  | 'invalid-failure-report' // message/feedback-report without the RFC 5965 required fields
  | 'no-report-in-message' // a mail message without a report attachment or feedback part
  | 'xml-entity-expansion' // DOCTYPE declaring entities (billion laughs): refused unexpanded
  | 'xml-external-entity' // DOCTYPE referring to an external DTD/entity (XXE): never fetched
  | 'decompressed-too-large'; // gzip/zip member over the decompressed-size cap (a bomb)

/** Thrown inside the parsers, turned into data (`ReportFailure`) at the module boundary. */
export class ReportError extends Error {
  readonly kind: ReportErrorKind;
  constructor(kind: ReportErrorKind, message: string) {
    super(message);
    this.kind = kind;
    this.name = 'ReportError';
  }
}

export interface ReportFailure {
  kind: ReportErrorKind;
  /** names the report (file, attachment) and what is wrong */
  message: string;
}

export interface PolicyPublished {
  domain: string;
  /** RFC 7489 §6.3: absent means relaxed (`r`) */
  adkim: string;
  /** RFC 7489 §6.3: absent means relaxed (`r`) */
  aspf: string;
  p: string | null;
  /** RFC 7489 §6.3: absent means the `p` policy applies to subdomains */
  sp: string | null;
  /** RFC 7489 only; RFC 9990 dropped it */
  pct: number | null;
  /** failure-reporting options as published (`0`, `1`, `d`, `s`, colon list) */
  fo: string | null;
  /** RFC 9990 §A: non-existent subdomain policy, `t=` testing flag, discovery method */
  np: string | null;
  testing: string | null;
  discoveryMethod: string | null;
}

export interface OverrideReason {
  type: string;
  comment: string | null;
}

export interface DkimAuthResult {
  domain: string;
  selector: string | null;
  result: string;
  humanResult: string | null;
}

export interface SpfAuthResult {
  domain: string;
  /** `mfrom` or `helo`; older drafts omit it */
  scope: string | null;
  result: string;
  humanResult: string | null;
}

export interface AggregateRecord {
  sourceIp: string;
  count: number;
  /** policy_evaluated: what the receiver did and the DMARC-aligned results */
  disposition: string;
  dkim: string | null;
  spf: string | null;
  overrideReasons: OverrideReason[];
  headerFrom: string;
  envelopeFrom: string | null;
  envelopeTo: string | null;
  dkimResults: DkimAuthResult[];
  spfResults: SpfAuthResult[];
}

export interface AggregateMeta {
  orgName: string | null;
  orgEmail: string | null;
  extraContactInfo: string | null;
  reportId: string;
  /** UTC ISO 8601 (the report gives seconds since the epoch, RFC 7489 appendix C `date_range`) */
  begin: string;
  end: string;
  /** `<version>` of the report, or `draft` when it has none (the pre-RFC schemas) */
  xmlSchema: string;
  /** XML namespace of `<feedback>` (`urn:ietf:params:xml:ns:dmarc-2.0` for RFC 9990), if any */
  namespace: string | null;
  generator: string | null;
  errors: string[];
  policy: PolicyPublished;
}

export interface AggregateReport extends AggregateMeta {
  kind: 'aggregate';
  recordCount: number;
  /** sum of `count` over all records: the messages the report covers */
  totalCount: number;
  /** empty when the records went to a streaming sink instead */
  records: AggregateRecord[];
}

export interface TlsFailureDetail {
  resultType: string;
  failedSessionCount: number;
  sendingMtaIp: string | null;
  receivingIp: string | null;
  receivingMxHostname: string | null;
  receivingMxHelo: string | null;
  /** RFC 8460 `additional-information` (drafts: `additional-info-uri`) */
  additionalInformation: string | null;
  failureReasonCode: string | null;
}

export interface TlsPolicy {
  policyType: string;
  policyDomain: string;
  policyStrings: string[] | null;
  /** RFC 8460 `mx-host` (drafts: `mx-host-pattern`) */
  mxHosts: string[] | null;
  successful: number;
  failed: number;
  failureDetails: TlsFailureDetail[];
}

export interface TlsReport {
  kind: 'tlsrpt';
  organizationName: string;
  reportId: string;
  /** RFC 3339 date-times as the report writes them */
  begin: string;
  end: string;
  contactInfo: string | null;
  policies: TlsPolicy[];
}

export interface FailureReport {
  kind: 'failure';
  feedbackType: string;
  version: string | null;
  userAgent: string | null;
  /** as written in the report */
  arrivalDate: string | null;
  /** UTC ISO 8601, null when the date cannot be read */
  arrivalDateUtc: string | null;
  sourceIp: string | null;
  reportedDomain: string | null;
  authFailure: string[];
  deliveryResult: string | null;
  authenticationResults: string | null;
  /** RFC 6591 §3.2 Identity-Alignment: the mechanisms that aligned (`none` gives none) */
  identityAlignment: string[];
  dkimDomain: string | null;
  dkimIdentity: string | null;
  dkimSelector: string | null;
  spfDns: string | null;
  originalMailFrom: string | null;
  originalRcptTo: string | null;
  originalEnvelopeId: string | null;
  reportingMta: string | null;
  /** the reported message: only its header (text/rfc822-headers) or the whole message */
  sampleHeadersOnly: boolean;
  sampleFrom: string | null;
  sampleSubject: string | null;
  sampleMessageId: string | null;
  /** header block of the reported message, kept for inspection (bounded) */
  sampleHeaders: string | null;
}

export type Report = AggregateReport | TlsReport | FailureReport;

/** One report read from a file or one attachment of a report e-mail. */
export interface ReadItem {
  /** file name, plus ` › attachment` for a part of an e-mail */
  source: string;
  /** Message-ID of the report e-mail it came in, when it came in one */
  messageId: string | null;
  result: { ok: true; report: Report } | { ok: false; error: ReportFailure };
}
