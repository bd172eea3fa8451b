/** Data types of the DNS posture checks. Everything is plain JSON, like src/model.ts. */
import type { Resolver } from '../shared/dns/resolver.ts';
import type { DnsList } from './lists/list-data.ts';

/**
 * `unknown`: the outside did not answer (resolver timeout or SERVFAIL, a port that cannot be
 * reached), so nothing can be said; `error`: the check itself threw (a bug of mailcanary or a
 * condition it does not handle), so the run must not read as green.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown' | 'error';

/** The outcome of one check on one target. Protocol outcomes (no record, temperror) are data. */
export interface CheckResult {
  /** check id: `rdns`, `helo`, `mx`, `spf-record`, `spf`, `dkim`, `dmarc`, `mta-sts`, `tls-rpt`, `bimi`, `blocklist`, `allowlist`, `tld` */
  id: string;
  /** test title, e.g. `spf › canary.test sending IPs pass` */
  title: string;
  /** domain, IP, selector name, `list zone › IP`: what was checked */
  target: string;
  status: CheckStatus;
  /** one line saying what was found (or what is wrong) */
  summary: string;
  /** how to fix it, present when status is `fail` or `warn` (and what to do about an `error`) */
  fix?: string;
  details?: Record<string, unknown>;
  /** legal but risky findings; a `pass` with warnings is reported as `warn` */
  warnings?: string[];
}

export interface PostureConfig {
  /** sending domains (RFC5321.MailFrom and RFC5322.From domains) */
  domains: string[];
  /** addresses the user's server sends from, IPv4 and IPv6 */
  sendingIps: string[];
  /** the HELO/EHLO name of the sending server */
  helo?: string;
  /** DKIM selectors, checked under every sending domain that `domainSelectors` does not list */
  dkimSelectors: string[];
  /** DKIM selectors per sending domain (from the senders file): each domain's own signing selectors */
  domainSelectors?: Record<string, string[]>;
  /**
   * host names the server's own mail comes from (root@, MAILER-DAEMON@ the host name): receivers
   * judge it by the host name's SPF and DMARC, so those are checked for it
   */
  systemHosts?: string[];
  /** `ip[:port]` of the recursive resolver to use; empty = system resolver */
  dnsServers: string[];
  /** block- and allow-lists to query: the defaults plus the configured extra lists */
  lists: DnsList[];
  /** links used in message variants: their hosts get the TLD and domain-list checks */
  linkUrls: string[];
  /**
   * HTTPS port of the MTA-STS policy hosts (MAILCANARY_MTA_STS_PORT): senders always use 443
   * (RFC 8461 section 3.3); another port only for the lab's or a test's stand-in
   */
  mtaStsPort?: number;
  /** PEM of a private CA trusted besides the system CAs (SMTP_TLS_CA_FILE) */
  extraCa?: string;
}

/** Fetches the MTA-STS policy of a domain (RFC 8461 section 3.3); `false` when the policy host has no address. */
export type MtaStsFetcher = (domain: string, resolver: Resolver) => Promise<MtaStsPolicy | false>;

export interface MtaStsPolicy {
  mode: 'enforce' | 'testing' | 'none';
  mx: string[];
  maxAge: number;
  id?: string | false;
}

export interface CheckContext {
  resolver: Resolver;
  config: PostureConfig;
  /** overall limit for one SPF evaluation, ms */
  spfTimeLimitMs: number;
  fetchMtaSts?: MtaStsFetcher;
}
