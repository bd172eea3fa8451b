/**
 * Postfix as the user's own server `mail.canary.test`: authenticated submission (STARTTLS, and
 * implicit TLS on the lab's "465"), DKIM signing through OpenDKIM, relay of provider domains to
 * the MX simulators, local delivery of canary.test to Dovecot over LMTP, and the inbound MX port
 * (the lab's "port 25", STARTTLS with a lab-CA certificate). Short queue timers so deferrals and
 * DSNs show within seconds. The scenario's `server` section (relay policy, certificate, banner,
 * AUTH before TLS) is rendered into main.cf/master.cf and applied live with `postfix reload`.
 */
import { mkdirSync, writeFileSync, chownSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import type { LabContext, LabService, StartInput } from './types.ts';
import type { Scenario } from '../scenarios.ts';
import { getScenario, parseScenarioFile } from '../scenarios.ts';
import { ensureLabCerts } from '../tls/index.ts';
import type { LabCerts } from '../tls/index.ts';
import { run, readPid, isAlive, killPid, readGreeting, waitUntil } from '../proc.ts';

const masterPidFile = (ctx: LabContext) => join(ctx.paths.postfixDir, 'spool', 'pid', 'master.pid');

/** transport(5) lines: each provider domain to its simulator; gmail-like goes over IPv6. */
export function renderTransport(ctx: LabContext): string {
  return ctx.topo.providers.map((p) => `${p.domain}\tsmtp:[${p.listenHost}]:${p.port}\n`).join('');
}

/** Short tag of the scenario's server settings, shown in the greeting so a reload can be confirmed. */
export function serverConfigTag(scenario: Scenario): string {
  return createHash('sha256').update(JSON.stringify(scenario.server)).digest('hex').slice(0, 8);
}

function scenarioOf(ctx: LabContext): Scenario {
  try {
    return parseScenarioFile(readFileSync(ctx.paths.scenario, 'utf8')).scenario;
  } catch {
    return getScenario('healthy');
  }
}

export function renderMainCf(ctx: LabContext, scenario: Scenario = scenarioOf(ctx), certs?: Pick<LabCerts, 'mail' | 'mailExpired' | 'mailWrongName'>): string {
  const t = ctx.topo;
  const srv = scenario.server;
  const cert = certs ? { valid: certs.mail, expired: certs.mailExpired, 'wrong-name': certs.mailWrongName }[srv.cert] : undefined;
  const dir = ctx.paths.postfixDir;
  // a Unix socket: milter talk over loopback TCP waits ~40 ms per message (Nagle + delayed ACK)
  const milter = `unix:${ctx.paths.milterSocket}`;
  return `# mailcanary lab Postfix = the self-hosted server of ${t.domain} (loopback only) — generated
compatibility_level = 3.6
myhostname = ${t.mailHost}
mydomain = ${t.domain}
myorigin = $mydomain
mydestination =
inet_interfaces = loopback-only
inet_protocols = all
# nobody is trusted by address: relaying needs SMTP AUTH (keeps port ${t.inbound.port} a closed relay)
mynetworks =
# the lab marks its greeting with a tag of the scenario's server settings (setScenario waits for it)
smtpd_banner = ${srv.bannerHost ?? '$myhostname'} ESMTP mailcanary-lab ${serverConfigTag(scenario)}
biff = no
append_dot_mydomain = no
queue_directory = ${join(dir, 'spool')}
data_directory = ${join(dir, 'data')}
maillog_file = ${ctx.paths.postfixLog}
maillog_file_prefixes = /var, /dev/stdout, ${ctx.paths.stateDir}
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
smtp_host_lookup = native
recipient_delimiter = -
alias_maps =
alias_database =
local_recipient_maps =
transport_maps = texthash:${join(dir, 'transport')}
# every domain the server sends for receives its bounces and reports here too, and so does its
# host name: the DSNs of its own system mail (root@${t.mailHost}) come back to it
virtual_mailbox_domains = ${[...t.senderDomains.map((d) => d.domain), t.mailHost].join(' ')}
virtual_mailbox_maps = texthash:${join(dir, 'vmailbox')}
virtual_alias_maps = texthash:${join(dir, 'valias')}
virtual_transport = lmtp:inet:${t.lmtp.host}:${t.lmtp.port}
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:${t.auth.host}:${t.auth.port}
smtpd_sasl_auth_enable = no
# STARTTLS offered on every port (RFC 3207), TLS 1.2 or newer only (RFC 8996 deprecates 1.0/1.1)
smtpd_tls_security_level = ${cert ? 'may' : 'none'}
${
  cert
    ? `smtpd_tls_cert_file = ${cert.cert}
smtpd_tls_key_file = ${cert.key}
`
    : ''
}smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_received_header = yes
smtp_tls_security_level = none
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_milters = ${milter}
non_smtpd_milters = ${milter}
# DSNs are signed too (postconf(5): bounces skip milters unless listed here), as a real signing server's are
internal_mail_filter_classes = bounce, notify
milter_default_action = tempfail
milter_protocol = 6
# lab timers (postconf(5)): retries every few seconds, give up after a minute
queue_run_delay = 1s
minimal_backoff_time = 2s
maximal_backoff_time = 4s
maximal_queue_lifetime = 60s
bounce_queue_lifetime = 60s
# a delay DSN (RFC 3464 Action: delayed) as soon as a message waits in the queue for a retry,
# so mailcanary can show "deferred" before the final outcome
delay_warning_time = 1s
smtp_connect_timeout = 10s
message_size_limit = 52428800
`;
}

export function renderMasterCf(ctx: LabContext, scenario: Scenario = scenarioOf(ctx)): string {
  const t = ctx.topo;
  const srv = scenario.server;
  // healthy: TLS required before AUTH (RFC 8314 §3.3 / postconf smtpd_tls_auth_only); the
  // auth-in-clear scenario makes TLS optional and offers AUTH in the clear
  const submissionTls = srv.authInClear
    ? ['smtpd_tls_security_level=may', 'smtpd_tls_auth_only=no']
    : ['smtpd_tls_security_level=encrypt', 'smtpd_tls_auth_only=yes'];
  // Postfix refuses a bare `permit` (fatal: no reject_unauth_destination), so the open relay is
  // the classic real-world mistake instead: mynetworks covering the whole Internet
  const inboundRelay = srv.relay === 'open' ? ['mynetworks=0.0.0.0/0,[::]/0', 'smtpd_relay_restrictions=permit_mynetworks,reject_unauth_destination'] : [];
  const o = (opts: string[]) => opts.map((x) => `  -o ${x}\n`).join('');
  // service names without a host: Postfix listens on every inet_interfaces address (loopback-only:
  // 127.0.0.1 and ::1), so the MX is reachable over IPv6 like mail.canary.test's AAAA says.
  // chroot column `n` everywhere: the spool is in the lab state dir, not a chroot jail
  return `# mailcanary lab master.cf — generated (scenario ${scenario.name})
${t.submission.port} inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
${o(submissionTls)}  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
${t.smtps.port} inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
${t.inbound.port} inet n - n - - smtpd
  -o syslog_name=postfix/inbound
  -o smtpd_milters=
${o(inboundRelay)}tlsmgr    unix  -       -       n       1000?   1       tlsmgr
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;
}

const ROLES = ['postmaster', 'abuse', 'dmarc', 'tls-reports'];

/**
 * virtual(5) aliases: the role addresses of every sending domain and the other domains' senders
 * land in the one sender mailbox, so DSNs to a tagged envelope (monitor-<tag>@family.test), DMARC
 * reports and postmaster mail are all read from the bounce mailbox. The host name's system
 * sender (root) lands there too: its tagged envelope root-<tag>@mail.canary.test finds `root@`
 * through recipient_delimiter and keeps its tag (propagate_unmatched_extensions), so the DSNs of
 * the server's own mail are matched like the domains'.
 */
export function renderVirtualAliases(t: LabContext['topo']): string {
  const lines: string[] = [];
  for (const d of t.senderDomains) {
    if (d.login.address !== t.sender.address) lines.push(`${d.login.address}\t${t.sender.address}\n`);
    // role addresses land with the sender too, so DMARC and TLS reports and postmaster mail are visible
    for (const role of ROLES) lines.push(`${role}@${d.domain}\t${t.sender.address}\n`);
  }
  for (const local of ['root', ...ROLES]) lines.push(`${local}@${t.mailHost}\t${t.sender.address}\n`);
  return lines.join('');
}

/**
 * Writes one Postfix instance's files into `dir` and starts it (`postfix -c dir start`): the data
 * dir owned by postfix, the maps the rendered main.cf names, and the sender's mailbox and role
 * addresses for local delivery (DSNs and postmaster mail go to the same Dovecot).
 */
export async function startPostfixInstance(dir: string, t: LabContext['topo'], files: { mainCf: string; masterCf: string; transport: string }): Promise<void> {
  mkdirSync(join(dir, 'spool'), { recursive: true, mode: 0o755 });
  mkdirSync(join(dir, 'data'), { recursive: true, mode: 0o700 });
  const pf = await run('id', ['-u', 'postfix']);
  const pg = await run('id', ['-g', 'postfix']);
  if (pf.code === 0) chownSync(join(dir, 'data'), Number(pf.out.trim()), Number(pg.out.trim()));
  writeFileSync(join(dir, 'main.cf'), files.mainCf);
  writeFileSync(join(dir, 'master.cf'), files.masterCf);
  writeFileSync(join(dir, 'transport'), files.transport);
  writeFileSync(join(dir, 'vmailbox'), `${t.sender.address}\tlab\n`);
  writeFileSync(join(dir, 'valias'), renderVirtualAliases(t));
  const r = await run('postfix', ['-c', dir, 'start'], { timeoutMs: 30_000 });
  writeFileSync(join(dir, 'postfix.out'), r.out);
  if (r.code !== 0) {
    // before its postlogd runs Postfix logs to syslog only, so the reason may be nowhere we can read
    const why =
      r.out.trim().split('\n').slice(-5).join(' | ') ||
      'no output (Postfix reports early errors to syslog only); run `postfix -c ' + dir + ' start` in a terminal to see them';
    throw new Error(`postfix -c ${dir} start failed (exit ${r.code}): ${why}`);
  }
}

export const postfixService: LabService = {
  name: 'smtp (postfix)',
  logFiles: (ctx) => [ctx.paths.postfixLog, join(ctx.paths.postfixDir, 'postfix.out')],
  async start(input: StartInput) {
    const certs = await ensureLabCerts(input);
    await startPostfixInstance(input.paths.postfixDir, input.topo, {
      mainCf: renderMainCf(input, input.scenario, certs),
      masterCf: renderMasterCf(input, input.scenario),
      transport: renderTransport(input),
    });
  },
  async ready(ctx) {
    const t = ctx.topo;
    const b = await readGreeting(t.inbound.host, t.inbound.port, 1000);
    // STARTTLS on submission: a lab started by an older version (no TLS) counts as not ready and is restarted
    const ehlo = await ehloLines(t.submission.host, t.submission.port, 2000);
    return Boolean(b?.startsWith('220') && ehlo?.some((l) => /^250[ -]STARTTLS\b/i.test(l)));
  },
  pid: (ctx) => postfixMasterPid(masterPidFile(ctx)),
  stop: (ctx) => stopPostfixInstance(ctx.paths.postfixDir, masterPidFile(ctx)),
};

/** The master process of a Postfix instance, from its pid file, if it still runs. */
export function postfixMasterPid(pidFile: string): number | undefined {
  const pid = readPid(pidFile);
  return pid && isAlive(pid) ? pid : undefined;
}

/** `postfix -c dir stop`, then the master is killed if it has not gone within 5 s. */
export async function stopPostfixInstance(dir: string, pidFile: string): Promise<void> {
  const pid = postfixMasterPid(pidFile);
  if (!pid) return;
  if (existsSync(join(dir, 'main.cf'))) {
    await run('postfix', ['-c', dir, 'stop'], { timeoutMs: 15_000 });
    await waitUntil(async () => !isAlive(pid), 5000);
  }
  await killPid(pid);
}

/** Greeting + EHLO reply lines of an SMTP port (readiness probe); undefined when it does not answer in time. */
export function ehloLines(host: string, port: number, timeoutMs: number): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    let buf = '';
    let sentEhlo = false;
    const done = (v: string[] | undefined) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const lines = buf.split('\r\n');
      if (!sentEhlo && /^220 /m.test(buf)) {
        sentEhlo = true;
        buf = '';
        sock.write('EHLO lab-probe.canary.test\r\n');
        return;
      }
      if (sentEhlo && lines.some((l) => /^250 /.test(l))) {
        sock.write('QUIT\r\n');
        done(lines.filter(Boolean));
      }
    });
    sock.once('error', () => done(undefined));
    sock.once('close', () => done(undefined));
  });
}

/**
 * Applies a scenario's server settings to the running Postfix: re-renders main.cf/master.cf and,
 * when they changed, reloads (postfix(1) `reload`: running smtpd processes finish their session
 * and exit, new connections get the new settings). Returns once the MX greeting carries the new tag.
 */
export async function applyPostfixScenario(ctx: LabContext, scenario: Scenario): Promise<void> {
  const dir = ctx.paths.postfixDir;
  if (!postfixService.pid(ctx)) throw new Error(`the lab's Postfix is not running (see ${ctx.paths.postfixLog}): run \`node lab/cli.ts start\``);
  const certs = await ensureLabCerts(ctx);
  const main = renderMainCf(ctx, scenario, certs);
  const master = renderMasterCf(ctx, scenario);
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
  if (read('main.cf') === main && read('master.cf') === master) return;
  writeFileSync(join(dir, 'main.cf'), main);
  writeFileSync(join(dir, 'master.cf'), master);
  const r = await run('postfix', ['-c', dir, 'reload'], { timeoutMs: 15_000 });
  if (r.code !== 0) throw new Error(`postfix -c ${dir} reload failed (exit ${r.code}): ${r.out.trim().split('\n').slice(-3).join(' | ')}`);
  const tag = serverConfigTag(scenario);
  const t = ctx.topo;
  const ok = await waitUntil(
    async () => {
      const a = await readGreeting(t.inbound.host, t.inbound.port, 1000);
      const b = await readGreeting(t.submission.host, t.submission.port, 1000);
      return Boolean(a?.endsWith(` ${tag}`) && b?.endsWith(` ${tag}`));
    },
    20_000,
    250,
  );
  if (!ok) throw new Error(`the lab's Postfix did not take scenario ${scenario.name} within 20 s; see ${ctx.paths.postfixLog}`);
}
