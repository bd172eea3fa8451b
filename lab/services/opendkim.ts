/**
 * OpenDKIM as the signing milter of every sending domain, each with its own selector and key
 * (KeyTable/SigningTable, opendkim.conf(5)); the host name's own mail (root@, MAILER-DAEMON@
 * mail.canary.test) is signed as canary.test, which DMARC's relaxed alignment accepts (RFC 7489
 * §3.1.1). It logs to syslog only, which the lab does not run: its stdout/stderr go to opendkim.log.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabContext, LabService, StartInput } from './types.ts';
import type { LabKeys } from '../dkim.ts';
import { connect } from 'node:net';
import { spawnDaemon, readPid, isAlive, stopByPidFile } from '../proc.ts';

function socketOpen(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const pidFile = (ctx: LabContext) => join(ctx.paths.pids, 'opendkim.pid');

/** KeyTable lines: `<selector>._domainkey.<domain> <domain>:<selector>:<key file>`. */
export function renderKeyTable(ctx: LabContext, keys: LabKeys): string {
  return ctx.topo.senderDomains
    .map((d) => {
      const k = keys.byDomain[d.domain];
      if (!k) throw new Error(`no DKIM key pair for ${d.domain}: ensureKeys was called without it`);
      return `${d.selector}._domainkey.${d.domain} ${d.domain}:${d.selector}:${k.signing.privateKeyFile}\n`;
    })
    .join('');
}

/**
 * SigningTable (read as `refile:`, wildcards allowed) by the From address: each domain with its
 * own key, then the main domain's subdomains (the host name) with the main key. First match wins.
 */
export function renderSigningTable(ctx: LabContext): string {
  const t = ctx.topo;
  const key = (d: { domain: string; selector: string }) => `${d.selector}._domainkey.${d.domain}`;
  const main = t.senderDomains.find((d) => d.domain === t.domain);
  if (!main) throw new Error(`lab topology: ${t.domain} is not among its sending domains`);
  return [...t.senderDomains.map((d) => `*@${d.domain} ${key(d)}\n`), `*@*.${t.domain} ${key(main)}\n`].join('');
}

export function renderOpendkimConf(ctx: LabContext): string {
  const dir = ctx.paths.opendkimDir;
  return `# mailcanary lab OpenDKIM — generated
Syslog no
Mode s
KeyTable ${join(dir, 'KeyTable')}
SigningTable refile:${join(dir, 'SigningTable')}
Socket local:${ctx.paths.milterSocket}
PidFile ${join(dir, 'opendkim.pid')}
# the keys live in the lab state dir, not a root-only directory opendkim would insist on
RequireSafeKeys no
InternalHosts 127.0.0.0/8,::1
Canonicalization relaxed/simple
# RFC 6376 §8.15: sign From once more than present so a second From cannot be added unnoticed
OversignHeaders From
# the socket must be writable by Postfix's smtpd (user postfix)
UMask 000
`;
}

export const opendkimService: LabService = {
  name: 'dkim (opendkim)',
  logFiles: (ctx) => [ctx.paths.opendkimLog],
  async start(input: StartInput) {
    mkdirSync(input.paths.opendkimDir, { recursive: true });
    const conf = join(input.paths.opendkimDir, 'opendkim.conf');
    writeFileSync(join(input.paths.opendkimDir, 'KeyTable'), renderKeyTable(input, input.keys));
    writeFileSync(join(input.paths.opendkimDir, 'SigningTable'), renderSigningTable(input));
    writeFileSync(conf, renderOpendkimConf(input));
    spawnDaemon({ name: 'opendkim', command: 'opendkim', args: ['-f', '-x', conf], outFile: input.paths.opendkimLog, pidFile: pidFile(input) });
  },
  async ready(ctx) {
    return socketOpen(ctx.paths.milterSocket);
  },
  pid(ctx) {
    const pid = readPid(pidFile(ctx));
    return pid && isAlive(pid) ? pid : undefined;
  },
  async stop(ctx) {
    await stopByPidFile(pidFile(ctx), /opendkim/);
  },
};
