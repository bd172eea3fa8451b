/**
 * Types of the server posture checks: what a receiving provider sees when it talks to
 * the user's server. Results use the DNS posture suite's `CheckResult` shape, so both suites
 * report alike (pass / warn / fail with a fix / unknown when the network did not answer / error
 * when the check itself threw).
 */
import type { ConnectionOptions } from 'node:tls';
import type { Resolver } from '../shared/dns/resolver.ts';
import type { DnsList } from '../posture/index.ts';
import type { Connector, Timeouts } from './smtp/client.ts';
import type { PageFetcher } from './web/fetch.ts';

export type { CheckResult, CheckStatus } from '../posture/index.ts';

export interface ServerPorts {
  /** the MX port receivers connect to (25) */
  mx: number;
  /** submission with STARTTLS (587, RFC 6409) */
  submission: number;
  /** submission with implicit TLS (465, RFC 8314 §3.3); null: not checked */
  smtps: number | null;
}

export interface ServerConfig {
  /** sending domains; their MX hosts are probed and their websites visited */
  domains: string[];
  /** addresses the server sends from */
  sendingIps: string[];
  /** the EHLO name the server sends with */
  helo?: string;
  /** the submission host (SMTP_HOST): a name or an address */
  submissionHost?: string;
  ports: ServerPorts;
  /** HTTPS port of the websites (443) */
  webPort: number;
  /** `ip[:port]` resolvers; empty = system resolver */
  dnsServers: string[];
  /** extra CA (PEM text) to trust besides the system roots, e.g. a private or lab CA */
  extraCa?: string;
  /** recipient the relay probes name as the outside address (never delivered: the probe stops at RCPT) */
  relayProbeRcpt: string;
  /** outside sender of the relay probes */
  relayProbeFrom: string;
  /** EHLO name of the probes */
  probeHelo: string;
  /** certificates expiring within this many days fail */
  certMinDays: number;
  timeouts: Timeouts;
  /** DNS block lists joined into the reputation result (from the DNS posture configuration) */
  lists: DnsList[];
}

/** Everything the checks touch outside themselves, injected. */
export interface ServerCheckDeps {
  resolver: Resolver;
  connector?: Connector;
  fetchPage?: PageFetcher;
  now?: () => Date;
}

/** TLS options every probe uses: the configured extra CA on top of the system roots. */
export type TlsOptionsFor = (servername: string | undefined) => ConnectionOptions;
