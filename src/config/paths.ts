import { isIP } from 'node:net';
import type { ConfigProblem } from './errors.ts';

/**
 * Submission paths: named endpoints of the user's own server, e.g. the IPv4 and the IPv6
 * address of the same Postfix, so one run compares how each provider treats mail that left over
 * each path. All paths share SMTP_USER / SMTP_PASS / SMTP_TLS: they are one server reached two ways.
 *
 *   SMTP_PATHS=ipv6=[2001:db8::25]:587,ipv4=192.0.2.25:587
 *
 * Without SMTP_PATHS there is one unnamed path, SMTP_HOST:SMTP_PORT, and nothing else changes
 * (test titles, tags, manifests stay as they were).
 */
export interface SmtpPath {
  /** absent for the single default path */
  name?: string;
  host: string;
  port: number;
  /**
   * TLS server name to verify the certificate against when `host` is an address literal:
   * the user's certificate names the server (RFC 6125 §6), not each of its addresses.
   */
  servername?: string;
}

/** lower-case letters, digits and dashes: the name appears in test titles, tags and report columns */
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const EXAMPLE = 'SMTP_PATHS=ipv6=[2001:db8::25]:587,ipv4=192.0.2.25:587';

/** `host`, `host:port`, `[v6]`, `[v6]:port` (RFC 3986 §3.2.2 brackets an IPv6 literal). */
export function parseEndpoint(text: string, defaultPort: number): { host: string; port: number } | { error: string } {
  const t = text.trim();
  let host: string;
  let portText: string | undefined;
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(t);
  if (bracket) {
    host = bracket[1];
    portText = bracket[2];
    if (isIP(host) !== 6) return { error: `[${host}] is not an IPv6 address` };
  } else if ((t.match(/:/g) ?? []).length > 1) {
    return { error: `'${t}' looks like an IPv6 address without brackets: write it as [${t}]:port` };
  } else {
    const i = t.indexOf(':');
    host = i < 0 ? t : t.slice(0, i);
    portText = i < 0 ? undefined : t.slice(i + 1);
    if (!host) return { error: `'${t}' has no host` };
    if (!isIP(host) && !HOSTNAME.test(host)) return { error: `'${host}' is not a host name or IP address` };
  }
  if (portText === undefined) return { host, port: defaultPort };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return { error: `'${portText}' is not a port from 1 to 65535` };
  return { host, port };
}

/**
 * Reads SMTP_PATHS. Pure. `fallback` is SMTP_HOST:SMTP_PORT (the single unnamed path when
 * SMTP_PATHS is unset); `serverName` is SMTP_HOST when it is a name, used to verify TLS on
 * paths given as address literals.
 */
export function smtpPathsFromEnv(raw: string | undefined, fallback: { host: string; port: number }, problems: ConfigProblem[]): SmtpPath[] {
  const serverName = fallback.host && !isIP(fallback.host) ? fallback.host : undefined;
  const text = raw?.trim();
  if (!text) return [{ host: fallback.host, port: fallback.port }];
  const paths: SmtpPath[] = [];
  const before = problems.length;
  for (const item of text.split(',').map((s) => s.trim())) {
    if (!item) {
      problems.push({
        field: 'SMTP_PATHS',
        message: 'has an empty entry (two commas in a row, or a trailing comma)',
        fix: `remove the empty entry, e.g. ${EXAMPLE}`,
      });
      continue;
    }
    const eq = item.indexOf('=');
    if (eq < 0) {
      problems.push({ field: 'SMTP_PATHS', message: `entry '${item}' has no name`, fix: `write each path as name=host:port, e.g. ${EXAMPLE}` });
      continue;
    }
    const name = item.slice(0, eq).trim();
    if (!NAME.test(name)) {
      problems.push({
        field: 'SMTP_PATHS',
        message: `path name '${name}' is not usable`,
        fix: 'use lower-case letters, digits and dashes (at most 32), e.g. ipv4, ipv6, backup-mx',
      });
      continue;
    }
    if (paths.some((p) => p.name === name)) {
      problems.push({ field: 'SMTP_PATHS', message: `path name '${name}' is given twice`, fix: 'give each path its own name' });
      continue;
    }
    const ep = parseEndpoint(item.slice(eq + 1), fallback.port);
    if ('error' in ep) {
      problems.push({ field: 'SMTP_PATHS', message: `path '${name}': ${ep.error}`, fix: `write each path as name=host:port, e.g. ${EXAMPLE}` });
      continue;
    }
    paths.push({ name, host: ep.host, port: ep.port, ...(serverName && isIP(ep.host) ? { servername: serverName } : {}) });
  }
  if (problems.length === before && paths.length === 1) {
    problems.push({
      field: 'SMTP_PATHS',
      message: 'names only one path: there is nothing to compare',
      fix: `name two or more paths (${EXAMPLE}) or unset SMTP_PATHS to send through SMTP_HOST`,
    });
  }
  const seen = new Map<string, string>();
  for (const p of paths) {
    const key = `${p.host.toLowerCase()}:${p.port}`;
    const other = seen.get(key);
    if (other)
      problems.push({
        field: 'SMTP_PATHS',
        message: `paths '${other}' and '${p.name}' are the same endpoint ${p.host}:${p.port}`,
        fix: 'point each path at a different address or port of your server',
      });
    seen.set(key, p.name!);
  }
  return paths.length ? paths : [{ host: fallback.host, port: fallback.port }];
}

/** `plain via ipv6` when the path is named, `plain` for the default path. */
export function variantLabel(variant: string, path: string | undefined): string {
  return path ? `${variant} via ${path}` : variant;
}
