/**
 * SMTP banner and EHLO name: what the MX announces in its greeting (RFC 5321 §4.2) and its EHLO
 * reply, and the name the sending host uses in its EHLO, must be the PTR name of its address,
 * and that name must resolve back to the address (FCrDNS). Receivers score a mismatch as a
 * sign of a compromised or misconfigured host (Gmail, Microsoft and Telekom bulk-sender rules).
 */
import { SmtpProbe, errorKind, errorText } from '../smtp/client.ts';
import { announcedName, replyText } from '../smtp/reply.ts';
import { fcrdns, mxTargets } from '../targets.ts';
import type { Fcrdns } from '../targets.ts';
import type { CheckResult, ServerCheckDeps, ServerConfig } from '../types.ts';
import { isProgrammingError } from '../../shared/internal-error.ts';

/** Names that look like a mail host (`mail.`, `mx1.`, `smtp-out.` …); anything else is only a warning. */
export function looksLikeMailHost(name: string): boolean {
  return (
    /^(mail|mx|smtp|mta|out|outbound|relay|mailout|mailgw|mailhost|postfix|exim|email|mx-?out|smtp-?out)[0-9-]*(\.|$)/i.test(name) ||
    /(^|\.)(mail|mx|smtp)[0-9]*\./i.test(name)
  );
}

export interface NameTarget {
  host?: string;
  ip: string;
  greetingName?: string;
  ehloName?: string;
  /** the configured HELO name (sending host) */
  heloName?: string;
  dns: Fcrdns;
  error?: string;
}

interface Problem {
  text: string;
  fix: string;
}

function nameProblems(t: NameTarget, label: string, name: string | undefined): Problem[] {
  const at = `${label} of ${t.ip}`;
  if (!name)
    return [
      {
        text: `${at} announces no host name`,
        fix: `make the server announce its full host name (Postfix: myhostname = ${t.dns.confirmed[0] ?? 'mail.example.org'})`,
      },
    ];
  if (t.dns.ptr.length === 0) {
    return [
      {
        text: `${t.ip} has no PTR record${t.dns.error ? ` (${t.dns.error})` : ''}, so ${label.toLowerCase()} "${name}" cannot match it`,
        fix: `ask whoever owns ${t.ip} (your hosting provider's panel, "reverse DNS") to set its PTR to ${name}, and give ${name} an A/AAAA record with ${t.ip}`,
      },
    ];
  }
  if (t.dns.confirmed.length === 0) {
    return [
      {
        text: `the PTR of ${t.ip} (${t.dns.ptr.join(', ')}) does not resolve back to it (no forward-confirmed reverse DNS)`,
        fix: `add an ${t.ip.includes(':') ? 'AAAA' : 'A'} record ${t.dns.ptr[0]} → ${t.ip}`,
      },
    ];
  }
  if (!t.dns.confirmed.includes(name)) {
    return [
      {
        text: `${at} is "${name}" but the PTR name is ${t.dns.confirmed.join(', ')}`,
        fix: `announce the PTR name: Postfix \`myhostname = ${t.dns.confirmed[0]}\` and \`smtpd_banner = $myhostname ESMTP\` (Exim: primary_hostname), or change the PTR of ${t.ip} to ${name}`,
      },
    ];
  }
  return [];
}

/** Pure: result from what the targets announced and their DNS. */
export function namesResult(base: { id: string; title: string; target: string }, targets: NameTarget[], unknownReason?: string): CheckResult {
  if (unknownReason) return { ...base, status: 'unknown', summary: unknownReason, details: { targets } };
  const problems: Problem[] = [];
  const warnings: string[] = [];
  let checked = 0;
  for (const t of targets) {
    if (t.heloName !== undefined) {
      problems.push(...nameProblems(t, 'the HELO name', t.heloName));
    } else if (t.error) {
      continue;
    } else {
      problems.push(...nameProblems(t, 'the greeting', t.greetingName));
      problems.push(...nameProblems(t, 'the EHLO name', t.ehloName));
    }
    checked++;
    for (const n of new Set([t.greetingName, t.ehloName, t.heloName].filter((x): x is string => Boolean(x)))) {
      if (!looksLikeMailHost(n)) warnings.push(`"${n}" does not look like a mail host name (mail.…, mx.…, smtp.…); some receivers score generic names lower`);
    }
  }
  if (checked === 0) {
    const e = targets.find((t) => t.error)?.error ?? 'no address to check';
    return {
      ...base,
      status: 'unknown',
      summary: `could not talk to the server: ${e}`,
      fix: 'run the check from a network that reaches port 25 (many ISPs block outgoing port 25)',
      details: { targets },
    };
  }
  const unique = [...new Map(problems.map((p) => [p.text, p])).values()];
  if (unique.length) {
    return {
      ...base,
      status: 'fail',
      summary: unique.map((p) => p.text).join('; '),
      fix: [...new Set(unique.map((p) => p.fix))].join('; '),
      details: { targets },
      ...(warnings.length ? { warnings: [...new Set(warnings)] } : {}),
    };
  }
  const names = [...new Set(targets.flatMap((t) => [t.greetingName, t.ehloName, t.heloName]).filter(Boolean))].join(', ');
  return {
    ...base,
    status: warnings.length ? 'warn' : 'pass',
    summary: `${names} matches the forward-confirmed PTR of ${targets
      .filter((t) => !t.error || t.heloName)
      .map((t) => t.ip)
      .join(', ')}`,
    ...(warnings.length ? { warnings: [...new Set(warnings)], fix: 'use a host name like mail.<your domain> for PTR, greeting and EHLO' } : {}),
    details: { targets },
  };
}

async function greet(host: string | undefined, ip: string, config: ServerConfig, deps: ServerCheckDeps): Promise<NameTarget> {
  const dns = await fcrdns(deps.resolver, ip);
  let probe: SmtpProbe | undefined;
  try {
    const opened = await SmtpProbe.open({ host: ip, port: config.ports.mx, timeouts: config.timeouts, connector: deps.connector });
    probe = opened.probe;
    if (opened.greeting.code !== 220) return { host, ip, dns, error: `greeting ${replyText(opened.greeting)}` };
    const hello = await probe.hello(config.probeHelo);
    return { host, ip, dns, greetingName: announcedName(opened.greeting), ehloName: announcedName(hello.reply) };
  } catch (err) {
    if (isProgrammingError(err)) throw err;
    return { host, ip, dns, error: `${errorKind(err)}: ${errorText(err)}` };
  } finally {
    await probe?.quit();
  }
}

export async function checkMxNames(domain: string, config: ServerConfig, deps: ServerCheckDeps): Promise<CheckResult> {
  const base = { id: 'banner', title: `banner › ${domain} MX greeting and EHLO name match the PTR`, target: domain };
  const mx = await mxTargets(deps.resolver, domain);
  if (mx.error) return namesResult(base, [], `MX lookup failed: ${mx.error}`);
  if (mx.nullMx) return { ...base, status: 'pass', summary: `${domain} publishes a null MX (RFC 7505)` };
  const addrs = mx.hosts.flatMap((h) => h.addresses.map((ip) => ({ host: h.host, ip })));
  if (addrs.length === 0) return namesResult(base, [], `the MX host(s) of ${domain} have no address`);
  const targets: NameTarget[] = [];
  for (const a of addrs) targets.push(await greet(a.host, a.ip, config, deps));
  return namesResult(base, targets);
}

/** The sending host: its configured HELO name (or, unset, what it announces on the MX port) against its PTR. */
export async function checkSendingHostName(ip: string, config: ServerConfig, deps: ServerCheckDeps): Promise<CheckResult> {
  const base = { id: 'banner', title: `banner › sending host ${ip} EHLO name matches the PTR`, target: ip };
  if (config.helo) {
    const dns = await fcrdns(deps.resolver, ip);
    if (dns.error) return namesResult(base, [], `PTR lookup of ${ip} failed: ${dns.error}`);
    return namesResult(base, [{ ip, dns, heloName: config.helo.toLowerCase().replace(/\.$/, '') }]);
  }
  const t = await greet(undefined, ip, config, deps);
  if (t.error)
    return {
      ...base,
      status: 'unknown',
      summary: `MAILCANARY_HELO is not set and ${ip} does not answer on port ${config.ports.mx} (${t.error})`,
      fix: 'set MAILCANARY_HELO to the EHLO name your server sends with (Postfix: smtp_helo_name, default $myhostname)',
      details: { targets: [t] },
    };
  return namesResult(base, [t]);
}
