/**
 * Types for the mailauth internals the posture checks reuse (deep imports without bundled types).
 * Only what is used here is declared; see node_modules/mailauth/lib for the implementations.
 */
declare module 'mailauth/lib/spf/syntax.js' {
  /** RFC 7208 section 4.6 syntax check of the terms of a record; the first error, or false. */
  export function validateTerms(terms: string[]): string | false;
}

declare module 'mailauth/lib/dmarc/get-dmarc-record.js' {
  type Lookup = (name: string) => Promise<Record<string, unknown> | false>;
  type AnyResolver = (name: string, rrtype: string) => Promise<unknown>;
  export function createRecordLookup(resolver: AnyResolver, opts?: { strict?: boolean }): Lookup;
  /** DMARC policy discovery (tree walk); throws on DNS errors that leave the policy unknown. */
  export function discoverPolicy(
    domain: string,
    lookup: Lookup,
  ): Promise<{
    record: (Record<string, unknown> & { rr: string }) | false;
    recordDomain: string | null;
    orgDomain: string | null;
    orgRecord: unknown;
    error?: unknown;
  }>;
}
