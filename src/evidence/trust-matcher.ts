/**
 * Which headers count as "written by the receiving provider": its authserv-ids (RFC 8601 §2.5)
 * and the host names its MX uses in Received `by` clauses. The values for the big mailbox
 * providers are part of their presets (src/knowledge/providers.ts); every value is overridable
 * per seed, and unknown providers just name their own ids.
 */

export interface ProviderTrust {
  /** authserv-ids the provider writes; `*` matches any run of characters (`atlas*.yahoo.com`) */
  readonly authservIds: readonly string[];
  /** domains of the provider's receiving hosts (`by` clause); derived from authservIds when absent */
  readonly receivedBy?: readonly string[];
  /** Microsoft 365 / Outlook.com write Authentication-Results with no authserv-id */
  readonly acceptMissingAuthservId?: boolean;
  /** Gmail writes its Authentication-Results directly below its own Received field */
  readonly trustDirectlyBelowReceived?: boolean;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .toLowerCase()
    .split('*')
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^\\s;]*');
  return new RegExp(`^${body}$`);
}

export interface TrustMatcher {
  authservIds: string[];
  matchesAuthservId(id: string | null): boolean;
  matchesHost(host: string | undefined): boolean;
  acceptMissingAuthservId: boolean;
  trustDirectlyBelowReceived: boolean;
}

/** Receiving-host domains implied by an authserv-id: `mx.google.com` → `mx.google.com`, `google.com`. */
function impliedDomains(id: string): string[] {
  const star = id.lastIndexOf('*');
  const base = (star >= 0 ? id.slice(star + 1) : id).replace(/^\./, '').toLowerCase();
  if (!base.includes('.')) return [];
  const labels = base.split('.');
  return labels.length >= 3 ? [base, labels.slice(1).join('.')] : [base];
}

export function trustMatcher(trust: ProviderTrust): TrustMatcher {
  const ids = trust.authservIds.filter((x) => typeof x === 'string' && x.length > 0);
  const patterns = ids.map(globToRegExp);
  const domains = (trust.receivedBy && trust.receivedBy.length ? trust.receivedBy : ids.flatMap(impliedDomains)).map((d) =>
    d.toLowerCase().replace(/^\.+/, ''),
  );
  return {
    authservIds: ids,
    acceptMissingAuthservId: trust.acceptMissingAuthservId === true,
    trustDirectlyBelowReceived: trust.trustDirectlyBelowReceived === true,
    matchesAuthservId(id) {
      if (id === null) return trust.acceptMissingAuthservId === true;
      const l = id.toLowerCase();
      return patterns.some((p) => p.test(l));
    },
    matchesHost(host) {
      if (!host) return false;
      const h = host.toLowerCase().replace(/\.$/, '');
      return domains.some((d) => h === d || h.endsWith('.' + d));
    },
  };
}
