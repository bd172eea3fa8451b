/**
 * Postfix as the user's own server `mail.canary.test`: authenticated submission, DKIM signing
 * through OpenDKIM, relay of provider domains to the MX simulators, local delivery of canary.test
 * to Dovecot over LMTP, and an inbound MX port. Short queue timers so deferrals and DSNs show
 * within seconds.
 */
import { mkdirSync, writeFileSync, chownSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LabContext, LabService, StartInput } from './types.ts';
import { run, readPid, isAlive, killPid, readGreeting, waitUntil } from '../proc.ts';

const masterPidFile = (ctx: LabContext) => join(ctx.paths.postfixDir, 'spool', 'pid', 'master.pid');

/** transport(5) lines: each provider domain to its simulator; gmail-like goes over IPv6. */
export function renderTransport(ctx: LabContext): string {
  return ctx.topo.providers.map((p) => `${p.domain}\tsmtp:[${p.listenHost}]:${p.port}\n`).join('');
}

export function renderMainCf(ctx: LabContext): string {
  const t = ctx.topo;
  const dir = ctx.paths.postfixDir;
  const milter = `inet:${t.milter.host}:${t.milter.port}`;
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
smtpd_banner = $myhostname ESMTP mailcanary-lab
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
virtual_mailbox_domains = ${t.domain}
virtual_mailbox_maps = texthash:${join(dir, 'vmailbox')}
virtual_alias_maps = texthash:${join(dir, 'valias')}
virtual_transport = lmtp:inet:${t.lmtp.host}:${t.lmtp.port}
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:${t.auth.host}:${t.auth.port}
smtpd_sasl_auth_enable = no
smtpd_tls_security_level = none
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
delay_warning_time = 0
smtp_connect_timeout = 10s
message_size_limit = 52428800
`;
}

export function renderMasterCf(ctx: LabContext): string {
  const t = ctx.topo;
  // chroot column `n` everywhere: the spool is in the lab state dir, not a chroot jail
  return `# mailcanary lab master.cf — generated
${t.submission.host}:${t.submission.port} inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
${t.inbound.host}:${t.inbound.port} inet n - n - - smtpd
  -o syslog_name=postfix/inbound
  -o smtpd_milters=
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

export const postfixService: LabService = {
  name: 'smtp (postfix)',
  logFiles: (ctx) => [ctx.paths.postfixLog, join(ctx.paths.postfixDir, 'postfix.out')],
  async start(input: StartInput) {
    const dir = input.paths.postfixDir;
    const t = input.topo;
    mkdirSync(join(dir, 'spool'), { recursive: true, mode: 0o755 });
    mkdirSync(join(dir, 'data'), { recursive: true, mode: 0o700 });
    const pf = await run('id', ['-u', 'postfix']);
    const pg = await run('id', ['-g', 'postfix']);
    if (pf.code === 0) chownSync(join(dir, 'data'), Number(pf.out.trim()), Number(pg.out.trim()));
    writeFileSync(join(dir, 'main.cf'), renderMainCf(input));
    writeFileSync(join(dir, 'master.cf'), renderMasterCf(input));
    writeFileSync(join(dir, 'transport'), renderTransport(input));
    writeFileSync(join(dir, 'vmailbox'), `${t.sender.address}\tlab\n`);
    // role addresses land with the sender too, so DMARC reports and postmaster mail are visible
    writeFileSync(join(dir, 'valias'), ['postmaster', 'abuse', 'dmarc'].map((l) => `${l}@${t.domain}\t${t.sender.address}\n`).join(''));
    const r = await run('postfix', ['-c', dir, 'start'], { timeoutMs: 30_000 });
    writeFileSync(join(dir, 'postfix.out'), r.out);
    if (r.code !== 0) {
      // before its postlogd runs Postfix logs to syslog only, so the reason may be nowhere we can read
      const why = r.out.trim().split('\n').slice(-5).join(' | ') || 'no output (Postfix reports early errors to syslog only); run `postfix -c ' + dir + ' start` in a terminal to see them';
      throw new Error(`postfix -c ${dir} start failed (exit ${r.code}): ${why}`);
    }
  },
  async ready(ctx) {
    const t = ctx.topo;
    const a = await readGreeting(t.submission.host, t.submission.port, 1000);
    const b = await readGreeting(t.inbound.host, t.inbound.port, 1000);
    return Boolean(a?.startsWith('220') && b?.startsWith('220'));
  },
  pid(ctx) {
    const pid = readPid(masterPidFile(ctx));
    return pid && isAlive(pid) ? pid : undefined;
  },
  async stop(ctx) {
    const pid = this.pid(ctx);
    if (!pid) return;
    if (existsSync(join(ctx.paths.postfixDir, 'main.cf'))) {
      await run('postfix', ['-c', ctx.paths.postfixDir, 'stop'], { timeoutMs: 15_000 });
      await waitUntil(async () => !isAlive(pid), 5000);
    }
    await killPid(pid);
  },
};
