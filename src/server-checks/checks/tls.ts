/**
 * TLS checks: STARTTLS on the MX port and on submission, implicit TLS on 465 when used, over
 * every address of the host (IPv6 included when it has AAAA records). The probe reads the
 * certificate with verification off and judges it itself (tls-eval.ts), so a broken certificate
 * is reported with what is wrong instead of a bare handshake error.
 */
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { SmtpProbe, errorKind, errorText } from '../smtp/client.ts';
import { authMechanisms, parseEhlo, replyText } from '../smtp/reply.ts';
import { hostAddresses, mxTargets } from '../targets.ts';
import { isProgrammingError } from '../../shared/internal-error.ts';
import { certInfo, tlsResult } from './tls-eval.ts';
import type { TlsMode, TlsObservation } from './tls-eval.ts';
import type { CheckResult, ServerCheckDeps, ServerConfig } from '../types.ts';

export function tlsOptions(config: Pick<ServerConfig, 'extraCa'>, host: string): ConnectionOptions {
  return {
    // SNI only for names (RFC 6066 §3 forbids addresses)
    ...(isIP(host) ? {} : { servername: host }),
    // node:tls `ca` replaces the trust store: add the private CA to the system roots
    ...(config.extraCa ? { ca: [...rootCertificates, config.extraCa] } : {}),
    // the name is judged by tls-eval, so `authorized` means "chains to a trusted CA" only
    checkServerIdentity: () => undefined,
  };
}

function readTls(socket: TLSSocket, o: TlsObservation): void {
  o.protocol = socket.getProtocol() ?? undefined;
  o.cipher = socket.getCipher()?.name;
  o.authorized = socket.authorized;
  if (socket.authorizationError) o.authorizationError = String((socket.authorizationError as unknown as { code?: string })?.code ?? socket.authorizationError);
  const peer = socket.getPeerCertificate();
  if (peer && Object.keys(peer).length) o.cert = certInfo(peer);
}

/** Talks to one address: greeting, EHLO, STARTTLS (or implicit TLS), EHLO again, QUIT. */
export async function observeTls(
  target: { host: string; ip: string; port: number; mode: TlsMode },
  config: ServerConfig,
  deps: ServerCheckDeps,
): Promise<TlsObservation> {
  const o: TlsObservation = { ...target };
  const opts = tlsOptions(config, target.host);
  let probe: SmtpProbe | undefined;
  try {
    const opened = await SmtpProbe.open({
      host: target.ip,
      port: target.port,
      timeouts: config.timeouts,
      connector: deps.connector,
      ...(target.mode === 'implicit' ? { implicitTls: opts } : {}),
    });
    probe = opened.probe;
    if (opened.greeting.code !== 220) {
      o.error = `greeting ${replyText(opened.greeting)}`;
      o.errorKind = 'protocol';
      return o;
    }
    if (target.mode === 'implicit') readTls(probe.socket as TLSSocket, o);
    const first = await probe.hello(config.probeHelo);
    const info = parseEhlo(first.reply);
    if (target.mode === 'starttls') {
      o.authBeforeTls = authMechanisms(info);
      o.starttlsOffered = info.keywords.has('STARTTLS');
      if (!o.starttlsOffered) return o;
      const started = await probe.startTls(opts);
      if (!started.socket) {
        o.starttlsOffered = false;
        o.starttlsRefused = replyText(started.reply);
        return o;
      }
      readTls(started.socket, o);
    }
    // RFC 3207 §4.2: the client forgets what it learnt before TLS and asks again
    const after = await probe.hello(config.probeHelo);
    o.authAfterTls = authMechanisms(parseEhlo(after.reply));
  } catch (err) {
    // a TypeError from our own code is not the server's answer: it becomes the check's `error`
    if (isProgrammingError(err)) throw err;
    const kind = errorKind(err);
    if (kind === 'refused') o.closed = true;
    else {
      o.error = errorText(err);
      o.errorKind = kind;
    }
  } finally {
    await probe?.quit();
  }
  return o;
}

export async function checkMxTls(domain: string, config: ServerConfig, deps: ServerCheckDeps): Promise<CheckResult> {
  const base = { id: 'tls', title: `tls › ${domain} MX offers STARTTLS with a valid certificate`, target: domain };
  const opts = { minDays: config.certMinDays, now: (deps.now ?? (() => new Date()))(), kind: 'mx' as const };
  const mx = await mxTargets(deps.resolver, domain);
  if (mx.error) return tlsResult(base, [], opts, `MX lookup failed: ${mx.error}`);
  if (mx.nullMx) return { ...base, status: 'pass', summary: `${domain} publishes a null MX (RFC 7505)` };
  const addrs = mx.hosts.flatMap((h) => h.addresses.map((ip) => ({ host: h.host, ip })));
  if (addrs.length === 0) return tlsResult(base, [], opts, `the MX host(s) of ${domain} have no address`);
  const obs: TlsObservation[] = [];
  for (const a of addrs) obs.push(await observeTls({ ...a, port: config.ports.mx, mode: 'starttls' }, config, deps));
  return tlsResult(base, obs, opts);
}

/** The submission host: SMTP_HOST, or the first MX host of the first domain when it is unset. */
async function submissionAddresses(config: ServerConfig, deps: ServerCheckDeps): Promise<{ host: string; ips: string[]; problem?: string }> {
  let host = config.submissionHost;
  if (!host) {
    const mx = await mxTargets(deps.resolver, config.domains[0]);
    host = mx.hosts[0]?.host;
    if (!host) return { host: config.domains[0], ips: [], problem: 'SMTP_HOST is not set and the first domain has no MX host' };
  }
  const addrs = await hostAddresses(deps.resolver, host);
  if (addrs.addresses.length === 0) return { host, ips: [], problem: `${host} has no address${addrs.errors.length ? ` (${addrs.errors.join(', ')})` : ''}` };
  return { host, ips: addrs.addresses };
}

export function submissionTitle(config: ServerConfig, kind: 'submission' | 'smtps'): string {
  const host = config.submissionHost ?? `${config.domains[0]} MX host`;
  return kind === 'submission'
    ? `tls › submission ${host} port ${config.ports.submission} requires STARTTLS before AUTH`
    : `tls › smtps ${host} port ${config.ports.smtps} implicit TLS with a valid certificate`;
}

export async function checkSubmissionTls(kind: 'submission' | 'smtps', config: ServerConfig, deps: ServerCheckDeps): Promise<CheckResult> {
  const base = { id: 'tls', title: submissionTitle(config, kind), target: config.submissionHost ?? config.domains[0] };
  const opts = { minDays: config.certMinDays, now: (deps.now ?? (() => new Date()))(), kind };
  const port = kind === 'submission' ? config.ports.submission : config.ports.smtps;
  if (port === null) return { ...base, status: 'pass', summary: 'implicit TLS is not checked (MAILCANARY_SMTP_PORTS has smtps:off)' };
  const sub = await submissionAddresses(config, deps);
  if (sub.problem) return tlsResult(base, [], opts, sub.problem);
  const obs: TlsObservation[] = [];
  for (const ip of sub.ips) obs.push(await observeTls({ host: sub.host, ip, port, mode: kind === 'smtps' ? 'implicit' : 'starttls' }, config, deps));
  return tlsResult(base, obs, opts);
}
