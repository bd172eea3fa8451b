/**
 * Dovecot: the seed mailboxes (IMAP, Maildir), LMTP for Postfix's local delivery of canary.test
 * and the auth socket Postfix uses for SMTP AUTH. No TLS yet: plaintext login is allowed on loopback.
 */
import { mkdirSync, writeFileSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import type { LabContext, LabService, StartInput } from './types.ts';
import type { LabUser } from '../topology.ts';
import { labOAuthConfig } from '../oauth/config.ts';
import { spawnDaemon, readPid, isAlive, stopByPidFile, readGreeting, portOpen, run } from '../proc.ts';

const pidFile = (ctx: LabContext) => join(ctx.paths.pids, 'dovecot.pid');

/** uid/gid of the dedicated system user that owns the mail; created when missing. */
export async function ensureSystemUser(name: string): Promise<{ uid: number; gid: number }> {
  let r = await run('id', ['-u', name]);
  if (r.code !== 0) {
    const add = await run('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name]);
    if (add.code !== 0) throw new Error(`could not create system user ${name} (needed for the lab mail store): ${add.out.trim()}`);
    r = await run('id', ['-u', name]);
  }
  const g = await run('id', ['-g', name]);
  return { uid: Number(r.out.trim()), gid: Number(g.out.trim()) };
}

function specialUseBlocks(users: LabUser[]): string {
  // Special-use flags (RFC 6154) are per mailbox name in one shared namespace; real GMX and
  // Outlook announce none on their spam folders, so those names get no block.
  const names = new Map<string, string>();
  for (const u of users) if (u.spamSpecialUse) names.set(u.spamFolder, u.spamSpecialUse);
  return [...names].map(([name, flag]) => `  mailbox "${name}" {\n    special_use = ${flag}\n  }`).join('\n');
}

/** What the listener without UIDPLUS announces: Dovecot's own list minus UIDPLUS and the extensions built on it. */
export const NO_UIDPLUS_CAPABILITY = 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE UNSELECT CHILDREN SPECIAL-USE LIST-EXTENDED';

export function renderDovecotConf(ctx: LabContext, ids: { uid: number; gid: number }): string {
  const t = ctx.topo;
  const d = ctx.paths.dovecotDir;
  return `# mailcanary lab Dovecot (loopback only, simulated seed mailboxes) — generated
base_dir = ${join(d, 'run')}
state_dir = ${join(d, 'state')}
instance_name = mailcanary-lab
protocols = imap lmtp
listen = ${t.imap.host}, ${t.imap.host6}
log_path = ${ctx.paths.dovecotLog}
info_log_path = ${ctx.paths.dovecotLog}
auth_verbose = yes
# the lab wants fast negative answers (default 2 s per failed login)
auth_failure_delay = 1s
login_log_format_elements = user=<%u> auth_user=<%{auth_user}> method=%m rip=%r lip=%l mpid=%e %c session=<%{session}>
ssl = no
login_greeting = mailcanary lab IMAP (simulated seed mailboxes) ready.
disable_plaintext_auth = no
# OAUTHBEARER (RFC 7628) and XOAUTH2 are checked by the oauth2 passdb against the lab OAuth server
auth_mechanisms = plain login oauthbearer xoauth2
auth_master_user_separator = *
recipient_delimiter = -
lmtp_save_to_detail_mailbox = no
postmaster_address = postmaster@${t.domain}
hostname = ${t.mailHost}
mail_location = maildir:${ctx.paths.mailDir}/%d/%n/Maildir
mail_uid = ${ids.uid}
mail_gid = ${ids.gid}
first_valid_uid = ${ids.uid}
last_valid_uid = ${ids.uid}
first_valid_gid = ${ids.gid}
last_valid_gid = ${ids.gid}
mail_access_groups =
default_vsz_limit = 512M

namespace inbox {
  inbox = yes
  separator = /
${specialUseBlocks(t.users)}
}

passdb {
  driver = passwd-file
  master = yes
  args = scheme=PLAIN ${join(d, 'master-users')}
  pass = yes
}
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u ${join(d, 'users')}
}
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${join(d, 'dovecot-oauth2.conf.ext')}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${join(d, 'users')}
  default_fields = uid=${ids.uid} gid=${ids.gid} home=${ctx.paths.mailDir}/%d/%n
}

service imap-login {
  inet_listener imap {
    port = ${t.imap.port}
  }
  inet_listener imap_no_uidplus {
    address = ${t.imapNoUidplus.host}
    port = ${t.imapNoUidplus.port}
  }
  inet_listener imaps {
    port = 0
  }
}
# a server without UIDPLUS (RFC 4315), as Cyrus and others are: same mailboxes, the capability
# list without it, so a client can only remove messages with a plain EXPUNGE there
local ${t.imapNoUidplus.host} {
  protocol imap {
    imap_capability = ${NO_UIDPLUS_CAPABILITY}
  }
}
service lmtp {
  inet_listener lmtp {
    address = ${t.lmtp.host}
    port = ${t.lmtp.port}
  }
  unix_listener lmtp {
    mode = 0600
  }
}
service auth {
  inet_listener postfix-auth {
    address = ${t.auth.host}
    port = ${t.auth.port}
  }
}
service anvil {
  # many logins from one loopback address are the lab's normal case
  client_limit = 1000
}
mail_max_userip_connections = 200
`;
}

/**
 * Dovecot oauth2 passdb settings (https://doc.dovecot.org/2.3/configuration_manual/authentication/oauth2/):
 * every token is introspected (RFC 7662) at the lab OAuth server, which knows its expiry; the
 * token's `email` must be the login name.
 */
export function renderOAuth2Conf(introspectUrl: string): string {
  return `# mailcanary lab: oauth2 passdb — generated
introspection_mode = post
introspection_url = ${introspectUrl}
force_introspection = yes
username_attribute = email
active_attribute = active
active_value = true
`;
}

/** passwd-file lines: `user:{PLAIN}password::::::` (Dovecot passwd-file format). */
export function renderPasswdFile(users: { address: string; password: string }[]): string {
  return users.map((u) => `${u.address}:{PLAIN}${u.password}::::::\n`).join('');
}

export const dovecotService: LabService = {
  name: 'imap (dovecot)',
  logFiles: (ctx) => [ctx.paths.dovecotLog, join(ctx.paths.dovecotDir, 'dovecot.out')],
  async start(input: StartInput) {
    const ids = await ensureSystemUser(input.topo.systemUser);
    const d = input.paths.dovecotDir;
    mkdirSync(d, { recursive: true, mode: 0o755 });
    mkdirSync(input.paths.mailDir, { recursive: true, mode: 0o755 });
    chownSync(input.paths.mailDir, ids.uid, ids.gid);
    // the other sending domains' submission logins (Postfix asks Dovecot over SASL); their mail goes to the sender's mailbox
    const logins = input.topo.senderDomains.map((s) => s.login).filter((l) => !input.topo.users.some((u) => u.address === l.address));
    writeFileSync(join(d, 'users'), renderPasswdFile([...input.topo.users, ...logins]), { mode: 0o644 });
    writeFileSync(join(d, 'master-users'), renderPasswdFile([{ address: input.topo.masterUser.name, password: input.topo.masterUser.password }]), {
      mode: 0o644,
    });
    writeFileSync(join(d, 'dovecot-oauth2.conf.ext'), renderOAuth2Conf(labOAuthConfig(input.topo).introspectUrl), { mode: 0o644 });
    const conf = join(d, 'dovecot.conf');
    writeFileSync(conf, renderDovecotConf(input, ids), { mode: 0o644 });
    spawnDaemon({ name: 'dovecot', command: 'dovecot', args: ['-F', '-c', conf], outFile: join(d, 'dovecot.out'), pidFile: pidFile(input) });
  },
  async ready(ctx) {
    const t = ctx.topo;
    const greet = await readGreeting(t.imap.host, t.imap.port, 1000);
    if (!greet?.startsWith('* OK')) return false;
    if (!(await readGreeting(t.imapNoUidplus.host, t.imapNoUidplus.port, 1000))?.startsWith('* OK')) return false;
    return (await portOpen(t.lmtp.host, t.lmtp.port)) && (await portOpen(t.auth.host, t.auth.port));
  },
  pid(ctx) {
    const pid = readPid(pidFile(ctx));
    return pid && isAlive(pid) ? pid : undefined;
  },
  async stop(ctx) {
    await stopByPidFile(pidFile(ctx), /\bdovecot\b/, 8000);
  },
};

/** Creates and subscribes every user's folders over IMAP as the master user (idempotent). */
export async function createFolders(ctx: LabContext): Promise<void> {
  const t = ctx.topo;
  await Promise.all(
    t.users.map(async (u) => {
      const client = new ImapFlow({
        host: t.imap.host,
        port: t.imap.port,
        secure: false,
        auth: { user: `${u.address}*${t.masterUser.name}`, pass: t.masterUser.password },
        logger: false,
      });
      await client.connect();
      try {
        for (const f of u.folders) {
          await client.mailboxCreate(f);
          await client.mailboxSubscribe(f);
        }
      } finally {
        await client.logout().catch(() => client.close());
      }
    }),
  );
}
