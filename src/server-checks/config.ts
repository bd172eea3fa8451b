/**
 * Server posture configuration from environment variables. Shares MAILCANARY_DOMAINS,
 * MAILCANARY_SENDING_IPS, MAILCANARY_HELO, MAILCANARY_DNS_SERVERS and the block lists with the DNS
 * posture suite; adds the ports, probe addresses and timeouts. Throws one clear error naming
 * the variable and the expected form.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { portNumber, postureConfigFromEnv } from '../posture/index.ts';
import type { Env } from '../posture/index.ts';
import { DEFAULT_TIMEOUTS } from './smtp/client.ts';
import type { ServerConfig, ServerPorts } from './types.ts';

const ADDRESS = /^[^\s@<>()",;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** `mx:25,submission:587,smtps:465` (any subset; `smtps:off` skips implicit TLS). */
export function parseSmtpPorts(raw: string | undefined): ServerPorts {
  const ports: ServerPorts = { mx: 25, submission: 587, smtps: 465 };
  for (const part of (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(mx|submission|smtps)\s*[:=]\s*(\S+)$/i.exec(part);
    if (!m)
      throw new Error(
        `MAILCANARY_SMTP_PORTS: "${part}" is not role:port; write e.g. MAILCANARY_SMTP_PORTS=mx:25,submission:587,smtps:465 (smtps:off when you don't use port 465)`,
      );
    const role = m[1].toLowerCase() as keyof ServerPorts;
    if (role === 'smtps' && /^(off|none|no)$/i.test(m[2])) ports.smtps = null;
    else ports[role] = portNumber('MAILCANARY_SMTP_PORTS', m[2]);
  }
  return ports;
}

function positive(env: Env, name: string, dflt: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return dflt;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`${name}: "${raw}" is not a number from 1 to ${max}; write e.g. ${name}=${dflt}`);
  return n;
}

export function serverConfigFromEnv(env: Env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): ServerConfig {
  const posture = postureConfigFromEnv(env, undefined, readFile);
  const webPort = env.MAILCANARY_WEB_PORT?.trim() ? portNumber('MAILCANARY_WEB_PORT', env.MAILCANARY_WEB_PORT.trim()) : 443;
  const extraCa = posture.extraCa;
  const addr = (name: string, dflt: string): string => {
    const v = env[name]?.trim() || dflt;
    if (!ADDRESS.test(v)) throw new Error(`${name}: "${v.slice(0, 80)}" is not an e-mail address; write e.g. ${name}=${dflt}`);
    return v;
  };
  const probeHelo = env.MAILCANARY_PROBE_HELO?.trim() || 'probe.mailcanary.invalid';
  if (!/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/i.test(probeHelo)) throw new Error(`MAILCANARY_PROBE_HELO: "${probeHelo.slice(0, 80)}" is not a host name`);
  const stepSeconds = positive(env, 'MAILCANARY_SMTP_TIMEOUT', DEFAULT_TIMEOUTS.commandMs / 1000, 600);
  const host = env.SMTP_HOST?.trim() || undefined;
  if (host && !isIP(host) && !/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/i.test(host))
    throw new Error(`SMTP_HOST: "${host.slice(0, 80)}" is neither a host name nor an IP address`);
  return {
    domains: posture.domains,
    sendingIps: posture.sendingIps,
    helo: posture.helo,
    submissionHost: host,
    ports: parseSmtpPorts(env.MAILCANARY_SMTP_PORTS),
    webPort,
    dnsServers: posture.dnsServers,
    extraCa,
    // RFC 2606 reserved domains: nothing exists there, and the probe never gets past RCPT anyway
    relayProbeRcpt: addr('MAILCANARY_RELAY_PROBE_RCPT', 'mailcanary-relay-probe@example.net'),
    relayProbeFrom: addr('MAILCANARY_RELAY_PROBE_FROM', 'mailcanary-probe@example.com'),
    probeHelo,
    certMinDays: positive(env, 'MAILCANARY_CERT_MIN_DAYS', 21, 365),
    timeouts: {
      connectMs: Math.min(stepSeconds * 1000, DEFAULT_TIMEOUTS.connectMs),
      greetingMs: stepSeconds * 1000,
      commandMs: stepSeconds * 1000,
      tlsMs: stepSeconds * 1000,
    },
    lists: posture.lists,
  };
}
