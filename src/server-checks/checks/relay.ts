/**
 * Open relay check: talk to the domain's MX as an outsider and try to have it relay to an
 * outside address, plainly and with the classic address tricks. Every attempt must be refused
 * before DATA. The probe never sends DATA (the client cannot), resets after each accepted
 * RCPT and ends with QUIT, so nothing is ever delivered, not even by an open relay.
 */
import { isIP } from 'node:net';
import { SmtpProbe, errorKind, errorText } from '../smtp/client.ts';
import type { Connector, Timeouts } from '../smtp/client.ts';
import { replyText, verdictOf } from '../smtp/reply.ts';
import { mxTargets } from '../targets.ts';
import type { CheckResult, ServerCheckDeps, ServerConfig } from '../types.ts';
import { isProgrammingError } from '../../shared/internal-error.ts';

export interface RelayProbe {
  id: string;
  /** what the trick is, for the report */
  description: string;
  from: string;
  rcpt: string;
}

/** RFC 5321 §4.1.3 address literal of an IP */
function literal(ip: string): string {
  return isIP(ip) === 6 ? `[IPv6:${ip}]` : `[${ip}]`;
}

/**
 * The attempts, as data. `domain` is the domain the MX serves, `mxHost` its name, `ip` the
 * address probed; `rcpt` the outside recipient (user@outside), `from` the outside sender.
 */
export function relayProbes(p: { domain: string; mxHost: string; ip: string; rcpt: string; from: string }): RelayProbe[] {
  const [user, outside] = splitAddress(p.rcpt);
  const lit = literal(p.ip);
  return [
    { id: 'plain', description: 'outside sender to outside recipient', from: p.from, rcpt: p.rcpt },
    { id: 'null-sender', description: 'null sender <> (bounce) to outside recipient', from: '', rcpt: p.rcpt },
    { id: 'own-domain-sender', description: `sender in the server's own domain ${p.domain}`, from: `postmaster@${p.domain}`, rcpt: p.rcpt },
    { id: 'own-host-sender', description: `sender at the server's own name ${p.mxHost}`, from: `postmaster@${p.mxHost}`, rcpt: p.rcpt },
    { id: 'literal-sender', description: "sender at the server's own address literal", from: `postmaster@${lit}`, rcpt: p.rcpt },
    // %-hack: user%outside@local is rewritten to user@outside by some MTAs (sendmail heritage)
    { id: 'percent-hack', description: '%-hack user%outside@domain', from: p.from, rcpt: `${user}%${outside}@${p.domain}` },
    { id: 'percent-hack-literal', description: '%-hack to the address literal user%outside@[ip]', from: p.from, rcpt: `${user}%${outside}@${lit}` },
    // UUCP bang path (RFC 976): outside!user@local
    { id: 'bang-path', description: '!-path outside!user@domain', from: p.from, rcpt: `${outside}!${user}@${p.domain}` },
    // quoted local part holding the outside address (RFC 5321 §4.1.2 Quoted-string)
    { id: 'quoted-local-part', description: 'quoted local part "user@outside"@domain', from: p.from, rcpt: `"${user}@${outside}"@${p.domain}` },
    // source route (RFC 5321 §4.1.1.3, appendix C): servers SHOULD ignore the route and deliver to the mailbox
    { id: 'source-route', description: 'source route @domain:user@outside', from: p.from, rcpt: `@${p.domain}:${user}@${outside}` },
    { id: 'double-at', description: 'two @ user@outside@domain', from: p.from, rcpt: `${user}@${outside}@${p.domain}` },
  ];
}

function splitAddress(a: string): [string, string] {
  const i = a.lastIndexOf('@');
  return [a.slice(0, i), a.slice(i + 1)];
}

export interface RelayAttempt {
  probe: string;
  description: string;
  from: string;
  rcpt: string;
  /** where the server said no (or yes) */
  stage: 'MAIL' | 'RCPT' | 'connect';
  verdict: 'accepted' | 'deferred' | 'refused' | 'error';
  reply: string;
}

export interface RelayTarget {
  host: string;
  ip: string;
  port: number;
  attempts: RelayAttempt[];
  error?: string;
}

/**
 * Refusals one connection carries before the probe opens the next. Postfix counts every refused
 * RCPT as a client error and, from smtpd_soft_error_limit (default 10) errors on, delays each
 * further reply by smtpd_error_sleep_time (default 1 s); Sendmail's BadRcptThrottle slows a
 * session the same way. Below that limit every attempt is answered at the server's normal speed.
 */
export const REFUSALS_PER_CONNECTION = 8;

/**
 * Runs the attempts over as few connections as the server's error limits allow, reconnecting
 * when the server hangs up.
 */
export async function probeRelay(
  target: { host: string; ip: string; port: number },
  probes: RelayProbe[],
  opts: { helo: string; timeouts?: Partial<Timeouts>; connector?: Connector },
): Promise<RelayTarget> {
  const attempts: RelayAttempt[] = [];
  let probe: SmtpProbe | undefined;
  let reconnects = 0;
  let refusals = 0;
  try {
    for (const p of probes) {
      const base = { probe: p.id, description: p.description, from: p.from, rcpt: p.rcpt };
      if (probe && !probe.closed && refusals >= REFUSALS_PER_CONNECTION) {
        // a fresh connection, not a lost one: it does not count against the reconnect limit
        await probe.quit();
        probe = undefined;
        reconnects--;
      }
      if (!probe || probe.closed) {
        probe?.destroy();
        probe = undefined;
        refusals = 0;
        if (reconnects++ > 3) {
          attempts.push({ ...base, stage: 'connect', verdict: 'error', reply: 'the server kept closing the connection' });
          continue;
        }
        try {
          const opened = await SmtpProbe.open({ host: target.ip, port: target.port, timeouts: opts.timeouts, connector: opts.connector });
          probe = opened.probe;
          if (opened.greeting.code !== 220) {
            attempts.push({
              ...base,
              stage: 'connect',
              verdict: verdictOf(opened.greeting.code) === 'accepted' ? 'error' : 'refused',
              reply: replyText(opened.greeting),
            });
            probe.destroy();
            probe = undefined;
            continue;
          }
          await probe.hello(opts.helo);
        } catch (err) {
          probe?.destroy();
          probe = undefined;
          // a TypeError from our own code is not the server's answer: it becomes the check's `error`
          if (isProgrammingError(err)) throw err;
          attempts.push({ ...base, stage: 'connect', verdict: 'error', reply: `${errorKind(err)}: ${errorText(err)}` });
          // a server that does not answer at all will not answer the next attempt either
          if (['timeout', 'refused', 'unreachable'].includes(errorKind(err))) break;
          continue;
        }
      }
      try {
        const mail = await probe.command(`MAIL FROM:<${p.from}>`);
        if (mail.code >= 400) {
          attempts.push({ ...base, stage: 'MAIL', verdict: verdictOf(mail.code), reply: replyText(mail) });
          refusals++;
        } else {
          const rcpt = await probe.command(`RCPT TO:<${p.rcpt}>`);
          attempts.push({ ...base, stage: 'RCPT', verdict: verdictOf(rcpt.code), reply: replyText(rcpt) });
          if (rcpt.code >= 400) refusals++;
        }
        // RSET (RFC 5321 §4.1.1.5) drops the transaction: an accepted recipient never gets DATA
        await probe.command('RSET');
      } catch (err) {
        probe.destroy();
        if (isProgrammingError(err)) throw err;
        if (!attempts.some((a) => a.probe === p.id)) attempts.push({ ...base, stage: 'RCPT', verdict: 'error', reply: `${errorKind(err)}: ${errorText(err)}` });
      }
    }
  } finally {
    await probe?.quit();
  }
  return { ...target, attempts };
}

/** Pure: the check result from the attempts on every MX address of a domain. */
export function relayResult(domain: string, targets: RelayTarget[], dnsProblem?: string): CheckResult {
  const title = `open relay › ${domain} MX refuses to relay`;
  const base = { id: 'open-relay', title, target: domain };
  if (dnsProblem) return { ...base, status: 'unknown', summary: dnsProblem, details: { targets } };
  const accepted = targets.flatMap((t) => t.attempts.filter((a) => a.verdict === 'accepted').map((a) => ({ ...a, at: `${t.host} (${t.ip})` })));
  if (accepted.length) {
    const list = accepted.map((a) => `${a.description} <${a.rcpt}> at ${a.at}`);
    return {
      ...base,
      status: 'fail',
      summary: `OPEN RELAY: the MX accepted ${accepted.length} relay attempt(s) at RCPT: ${list.slice(0, 4).join('; ')}${list.length > 4 ? '; …' : ''} (nothing was delivered: the probe stopped at RCPT and reset)`,
      fix: 'only accept mail for your own domains from unauthenticated clients: Postfix `smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination` with a minimal `mynetworks` (127.0.0.0/8 [::1]/128), `allow_percent_hack = no`, `swap_bangpath = no`, `resolve_dequoted_address = no`; Exim: `relay_from_hosts` and `accept domains = +local_domains`. A relay gets your IP on every blocklist within hours.',
      details: { targets },
    };
  }
  const errors = targets.flatMap((t) => t.attempts.filter((a) => a.verdict === 'error'));
  const done = targets.flatMap((t) => t.attempts.filter((a) => a.verdict !== 'error'));
  if (done.length === 0) {
    return {
      ...base,
      status: 'unknown',
      summary: `could not talk to the MX: ${errors[0]?.reply ?? 'no MX address'}`,
      fix: 'run the check from a network that reaches port 25 of your MX (many ISPs block outgoing port 25)',
      details: { targets },
    };
  }
  if (errors.length) {
    return {
      ...base,
      status: 'unknown',
      summary: `${done.length} attempt(s) refused, ${errors.length} could not be completed (${errors[0].reply})`,
      details: { targets },
    };
  }
  const deferred = done.filter((a) => a.verdict === 'deferred');
  const warnings = deferred.length
    ? [
        `${deferred.length} attempt(s) were refused only temporarily (4xx): ${deferred[0].reply}; a permanent 5xx is clearer (Postfix: reject_unauth_destination instead of defer_unauth_destination)`,
      ]
    : undefined;
  return {
    ...base,
    status: 'pass',
    summary: `all ${done.length} relay attempts on ${targets.length} MX address(es) refused before DATA`,
    ...(warnings ? { warnings } : {}),
    details: { targets },
  };
}

export async function checkOpenRelay(domain: string, config: ServerConfig, deps: ServerCheckDeps): Promise<CheckResult> {
  const mx = await mxTargets(deps.resolver, domain);
  if (mx.error) return relayResult(domain, [], `MX lookup failed: ${mx.error}`);
  if (mx.nullMx)
    return {
      id: 'open-relay',
      title: `open relay › ${domain} MX refuses to relay`,
      target: domain,
      status: 'pass',
      summary: `${domain} publishes a null MX (RFC 7505): it receives no mail`,
    };
  const addrs = mx.hosts.flatMap((h) => h.addresses.map((ip) => ({ host: h.host, ip })));
  if (addrs.length === 0)
    return relayResult(
      domain,
      [],
      `the MX host(s) ${mx.hosts.map((h) => h.host).join(', ')} have no address${mx.hosts.some((h) => h.errors.length) ? ` (${mx.hosts.flatMap((h) => h.errors).join(', ')})` : ''}`,
    );
  const targets: RelayTarget[] = [];
  // one address after another: a server that limits connections per client sees one at a time
  for (const a of addrs) {
    const probes = relayProbes({ domain, mxHost: a.host, ip: a.ip, rcpt: config.relayProbeRcpt, from: config.relayProbeFrom });
    targets.push(await probeRelay({ ...a, port: config.ports.mx }, probes, { helo: config.probeHelo, timeouts: config.timeouts, connector: deps.connector }));
  }
  return relayResult(domain, targets);
}
