/** The data an Authentication-Results parse returns (./authres.ts). */

export interface AuthResult {
  /** method name, lower-cased (`spf`, `dkim`, `x-tls`...) */
  method: string;
  /** `method/1` version when written */
  methodVersion?: string;
  /** result keyword, lower-cased */
  result: string;
  /** `reason=` value (RFC 8601 §2.2 reasonspec) */
  reason?: string;
  /** `ptype.property` → value; keys lower-cased, values verbatim (quotes removed). Properties
   *  written without a ptype (vendor extensions such as `action=none`) are keyed by their name. */
  props: Record<string, string>;
  /** comments that followed this result, verbatim; the only place some receivers put detail
   *  (Gmail's `(p=REJECT sp=REJECT dis=NONE)`, Microsoft's `(sender IP is ...)`). */
  comments: string[];
  /** false when the result keyword is not registered for this (registered) method */
  registered: boolean;
}

export interface AuthResHeader {
  /** the receiver that wrote it; null for Microsoft's header without authserv-id */
  authservId: string | null;
  version?: string;
  /** ARC-Authentication-Results instance (`i=`) */
  instance?: number;
  results: AuthResult[];
  /** tolerated deviations from RFC 8601, for the record */
  warnings: string[];
  /** deviations the RFC 8601 §2.2 grammar does not allow, each a syntax error the lenient reading tolerated */
  violations: AuthResError[];
  /** true when the header conforms to the RFC 8601 grammar */
  strict: boolean;
  /** methods, ptypes and properties no IANA registry defines (RFC 8601 §2.7, §6): read, and listed */
  unregistered: AuthResError[];
}

export interface AuthResError {
  kind: 'syntax' | 'semantic';
  message: string;
  /** offset in the header value where the problem was found */
  offset?: number;
}

export type AuthResParse = { ok: true; header: AuthResHeader } | { ok: false; error: AuthResError; header?: AuthResHeader };
