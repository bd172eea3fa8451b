/**
 * OpenDKIM as a signing milter for canary.test (selector from the topology). It logs to syslog
 * only, which the lab does not run: its stdout/stderr (startup errors) go to opendkim.log.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabContext, LabService, StartInput } from './types.ts';
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

export function renderOpendkimConf(ctx: LabContext, keyFile: string): string {
  const t = ctx.topo;
  return `# mailcanary lab OpenDKIM — generated
Syslog no
Mode s
Domain ${t.domain}
SubDomains yes
Selector ${t.dkimSelector}
KeyFile ${keyFile}
Socket local:${ctx.paths.milterSocket}
PidFile ${join(ctx.paths.opendkimDir, 'opendkim.pid')}
# the key lives in the lab state dir, not a root-only directory opendkim would insist on
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
    writeFileSync(conf, renderOpendkimConf(input, input.keys.signing.privateKeyFile));
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
