/** NSD, authoritative for the lab zones on 127.0.0.1:<dns port> (UDP and TCP). */
import { mkdirSync, writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { LabContext, LabService, StartInput } from './types.ts';
import type { Zone } from '../dns/zones.ts';
import { labZones } from '../dns/zones.ts';
import { renderZone } from '../dns/render.ts';
import { labResolver } from '../dns/resolver.ts';
import { spawnDaemon, readPid, isAlive, stopByPidFile } from '../proc.ts';
import type { LabKeys } from '../dkim.ts';
import type { Scenario } from '../scenarios.ts';

const pidFile = (ctx: LabContext) => join(ctx.paths.pids, 'nsd.pid');

export function renderNsdConf(ctx: LabContext, zones: Zone[]): string {
  const d = ctx.paths.nsdDir;
  const lines = [
    '# mailcanary lab NSD (loopback only) — generated',
    'server:',
    `  ip-address: ${ctx.topo.dns.host}@${ctx.topo.dns.port}`,
    `  port: ${ctx.topo.dns.port}`,
    '  username: ""',
    '  chroot: ""',
    `  zonesdir: "${d}"`,
    `  pidfile: "${join(d, 'nsd.pid')}"`,
    '  database: ""',
    `  xfrdfile: "${join(d, 'xfrd.state')}"`,
    `  xfrdir: "${d}"`,
    `  zonelistfile: "${join(d, 'zone.list')}"`,
    `  logfile: "${ctx.paths.nsdLog}"`,
    '  server-count: 1',
    '  verbosity: 1',
    '  hide-version: yes',
    '  refuse-any: yes',
    'remote-control:',
    '  control-enable: no',
  ];
  for (const z of zones) lines.push('zone:', `  name: "${z.origin}"`, `  zonefile: "${z.origin}.zone"`);
  return lines.join('\n') + '\n';
}

/** Writes every zone file; returns the zones written. Bumps mtime so NSD's SIGHUP rescan sees a change. */
export function writeZones(ctx: LabContext, keys: LabKeys, scenario: Scenario): Zone[] {
  mkdirSync(ctx.paths.nsdDir, { recursive: true });
  const zones = labZones(ctx.topo, scenario, keys);
  // SOA serial: seconds since epoch, so each render is newer than the last (RFC 1982)
  const serial = Math.floor(Date.now() / 1000);
  const future = new Date(Date.now() + 1000);
  for (const z of zones) {
    const file = join(ctx.paths.nsdDir, `${z.origin}.zone`);
    writeFileSync(file, renderZone(z, serial));
    // NSD compares mtimes; two renders within one clock tick must still look changed
    utimesSync(file, future, future);
  }
  return zones;
}

export const nsdService: LabService = {
  name: 'dns (nsd)',
  logFiles: (ctx) => [ctx.paths.nsdLog, join(ctx.paths.nsdDir, 'nsd.out')],
  async start(input: StartInput) {
    const zones = writeZones(input, input.keys, input.scenario);
    const conf = join(input.paths.nsdDir, 'nsd.conf');
    writeFileSync(conf, renderNsdConf(input, zones));
    spawnDaemon({ name: 'nsd', command: 'nsd', args: ['-d', '-c', conf], outFile: join(input.paths.nsdDir, 'nsd.out'), pidFile: pidFile(input) });
  },
  async ready(ctx) {
    const resolve = labResolver(ctx.topo.dns, 500);
    const soa = await resolve(ctx.topo.domain, 'SOA');
    return Boolean(soa);
  },
  pid(ctx) {
    const pid = readPid(pidFile(ctx));
    return pid && isAlive(pid) ? pid : undefined;
  },
  async stop(ctx) {
    await stopByPidFile(pidFile(ctx), /\bnsd\b/);
  },
};

/** Asks the running NSD to re-read changed zone files (nsd(8): SIGHUP rescans zone file mtimes). */
export function reloadNsd(ctx: LabContext): void {
  const pid = nsdService.pid(ctx);
  if (!pid) throw new Error(`lab DNS (nsd) is not running: run \`node lab/cli.ts start\` (log: ${ctx.paths.nsdLog})`);
  process.kill(pid, 'SIGHUP');
}
