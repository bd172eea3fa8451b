/**
 * Submission paths named after an address family (SMTP_PATHS=ipv4=…,ipv6=…) promise which
 * family the provider sees. The user's server picks the outbound family itself (Postfix:
 * inet_protocols, smtp_address_preference, smtp_bind_address{,6}), so a path named ipv4 can still
 * reach a dual-stack provider over IPv6, and the comparison would then be a comparison of nothing.
 * This says so. Pure.
 */
export type IpFamily = 'ipv4' | 'ipv6';

/** The family a path name promises: `ipv4`, `v6`, `ipv6-backup`, `out-v4` …; undefined for other names. */
export function familyOfPathName(name: string | undefined): IpFamily | undefined {
  if (!name) return undefined;
  const tokens = name.toLowerCase().split('-');
  if (tokens.some((t) => t === 'ipv4' || t === 'v4' || t === 'inet4')) return 'ipv4';
  if (tokens.some((t) => t === 'ipv6' || t === 'v6' || t === 'inet6')) return 'ipv6';
  return undefined;
}

export function familyName(f: IpFamily): string {
  return f === 'ipv6' ? 'IPv6' : 'IPv4';
}

/**
 * A warning when the family the provider saw (its acceptance Received line, RFC 5321 §4.4) is not
 * the one the path's name promises; undefined when they agree or either is unknown.
 */
export function pathFamilyWarning(input: { path?: string; seen?: IpFamily; seedId: string }): string | undefined {
  const promised = familyOfPathName(input.path);
  if (!promised || !input.seen || promised === input.seen) return undefined;
  const key = promised === 'ipv4' ? 'smtp_bind_address / inet_protocols = ipv4' : 'smtp_bind_address6 / inet_protocols = ipv6';
  const cause =
    promised === 'ipv6'
      ? `either the provider's MX has no IPv6 address (no AAAA record: there is no IPv6 path to it) or your server fell back to IPv4`
      : `your server preferred IPv6 for it`;
  return (
    `path ${input.path} reached ${input.seedId} over ${familyName(input.seen)}, not ${familyName(promised)}: ${cause}, ` +
    `so this is not a ${familyName(promised)} result; to compare the families, let the server instance behind this path send over ${familyName(promised)} only (Postfix: ${key})`
  );
}
