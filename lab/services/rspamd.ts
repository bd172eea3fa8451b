/**
 * rspamd (Debian's package) as the content filter of the gmx-like and outlook-like MXs. It runs
 * Debian's stock rule set from /etc/rspamd with the lab's own local.d/override.d under the state
 * dir: one normal worker on loopback, no controller or proxy, no Redis (the modules that need it
 * switch themselves off), DNS only from the lab NSD, and the public block lists replaced by the
 * lab's own (bl.lab.test answers like Spamhaus ZEN, dbl.lab.test like Spamhaus DBL), so no query
 * leaves the machine.
 *
 * Compiling the Hyperscan patterns (the public-suffix list, the regexp rules) takes ~40 s on a
 * small machine; rspamd caches them in `hs_cache_dir`, which the lab keeps across starts, so
 * every start after the first takes about 2–5 s.
 */
import { mkdirSync, writeFileSync, readFileSync, chownSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LabContext, LabService, StartInput } from './types.ts';
import { spawnDaemon, readPid, isAlive, stopByPidFile } from '../proc.ts';
import { LAB_LISTS } from '../dns/posture-records.ts';

const pidFile = (ctx: LabContext) => join(ctx.paths.pids, 'rspamd.pid');
const STOCK_CONFIG = '/etc/rspamd/rspamd.conf';
const RSPAMD_USER = '_rspamd';

/** Modules that would ask the Internet (fuzzy storage, public maps and lists) or are not wanted in the lab. */
const DISABLED_MODULES = ['fuzzy_check', 'surbl', 'emails', 'multimap', 'asn', 'rspamd_update', 'url_redirector', 'dcc', 'external_services', 'antivirus'];

/** The lab's files for rspamd, keyed by path below the rspamd dir. Pure. */
export function renderRspamdConfig(ctx: LabContext): Record<string, string> {
  const t = ctx.topo;
  const files: Record<string, string> = {
    'override.d/worker-normal.inc': `bind_socket = "${t.rspamd.host}:${t.rspamd.port}";\ncount = 1;\n`,
    'override.d/worker-controller.inc': 'enabled = false;\n',
    'override.d/worker-proxy.inc': 'enabled = false;\n',
    'override.d/worker-fuzzy.inc': 'enabled = false;\n',
    'override.d/logging.inc': `type = "file";\nfilename = "${ctx.paths.rspamdLog}";\nlevel = "notice";\n`,
    // loopback is the lab's "Internet": no address is local, so rspamd applies every check to lab mail
    'local.d/options.inc': [
      `dns { nameserver = ["${t.dns.host}:${t.dns.port}"]; timeout = 1s; retransmits = 2; }`,
      'local_addrs = [];',
      `hs_cache_dir = "${ctx.paths.rspamdCache}/";`,
      '',
    ].join('\n'),
    // RFC 5782 lists: the lab's own, with the return codes of the public lists they stand in for
    'override.d/rbl.conf': `rbls {
  spamhaus {
    symbol = "RBL_SPAMHAUS";
    rbl = "${LAB_LISTS.ip}";
    ipv6 = true;
    returncodes {
      RBL_SPAMHAUS_SBL = "127.0.0.2";
      RBL_SPAMHAUS_CSS = "127.0.0.3";
      RBL_SPAMHAUS_XBL = ["127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"];
      RBL_SPAMHAUS_PBL = ["127.0.0.10", "127.0.0.11"];
    }
  }
  spamhaus_dbl {
    symbol = "DBL";
    rbl = "${LAB_LISTS.domain}";
    no_ip = true;
    checks = ["emails", "urls", "dkim"];
    ignore_whitelist = true;
    # the lab's mail comes from loopback, which rspamd's lists skip by default
    exclude_local = false;
    exclude_private_ips = false;
    exclude_users = false;
    returncodes {
      DBL_SPAM = "127.0.1.2";
      DBL_PHISH = "127.0.1.4";
      DBL_MALWARE = "127.0.1.5";
      DBL_BOTNET = "127.0.1.6";
    }
  }
}
`,
  };
  for (const m of DISABLED_MODULES) files[`override.d/${m}.conf`] = 'enabled = false;\n';
  return files;
}

function userIds(name: string): { uid: number; gid: number } | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    const f = line?.split(':');
    return f ? { uid: Number(f[2]), gid: Number(f[3]) } : undefined;
  } catch {
    return undefined;
  }
}

function chownTree(dir: string, ids: { uid: number; gid: number }): void {
  chownSync(dir, ids.uid, ids.gid);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) chownTree(p, ids);
    else chownSync(p, ids.uid, ids.gid);
  }
}

/** rspamd's `/ping` answers `pong` once the normal worker takes tasks. */
async function ping(ctx: LabContext): Promise<boolean> {
  try {
    const res = await fetch(`http://${ctx.topo.rspamd.host}:${ctx.topo.rspamd.port}/ping`, { signal: AbortSignal.timeout(1000) });
    return res.ok && (await res.text()).trim() === 'pong';
  } catch {
    return false;
  }
}

export const rspamdService: LabService = {
  name: 'content filter (rspamd)',
  logFiles: (ctx) => [ctx.paths.rspamdLog, join(ctx.paths.rspamdDir, 'rspamd.out')],
  // the first start compiles the Hyperscan cache
  readyTimeoutMs: 150_000,
  async start(input: StartInput) {
    const dir = input.paths.rspamdDir;
    for (const d of [dir, join(dir, 'local.d'), join(dir, 'override.d'), join(dir, 'db'), join(dir, 'run'), input.paths.rspamdCache])
      mkdirSync(d, { recursive: true });
    for (const [file, text] of Object.entries(renderRspamdConfig(input))) writeFileSync(join(dir, file), text);
    writeFileSync(input.paths.rspamdLog, '');
    const args = [
      '-f',
      '-c',
      STOCK_CONFIG,
      `--var=LOCAL_CONFDIR=${dir}`,
      `--var=DBDIR=${join(dir, 'db')}`,
      `--var=RUNDIR=${join(dir, 'run')}`,
      `--var=LOGDIR=${dir}`,
    ];
    // as root, rspamd's workers run as Debian's _rspamd user (it refuses root workers)
    const ids = process.getuid?.() === 0 ? userIds(RSPAMD_USER) : undefined;
    if (ids) {
      chownTree(dir, ids);
      chownTree(input.paths.rspamdCache, ids);
      chownSync(input.paths.rspamdLog, ids.uid, ids.gid);
      args.push('-u', RSPAMD_USER, '-g', RSPAMD_USER);
    }
    spawnDaemon({ name: 'rspamd', command: 'rspamd', args, outFile: join(dir, 'rspamd.out'), pidFile: pidFile(input) });
  },
  ready: ping,
  pid(ctx) {
    const pid = readPid(pidFile(ctx));
    return pid && isAlive(pid) ? pid : undefined;
  },
  async stop(ctx) {
    await stopByPidFile(pidFile(ctx), /^rspamd/);
  },
};
