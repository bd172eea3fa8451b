/** The MX simulator process as a lab service. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabContext, LabService, StartInput } from '../services/types.ts';
import { spawnDaemon, readPid, isAlive, stopByPidFile, readGreeting } from '../proc.ts';

function withoutNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _drop, ...rest } = env;
  return rest;
}

const pidFile = (ctx: LabContext) => join(ctx.paths.pids, 'mx.pid');
const serverFile = fileURLToPath(new URL('./server.ts', import.meta.url));

export const mxService: LabService = {
  name: 'provider MX simulators (node lab/mx/server.ts)',
  logFiles: (ctx) => [ctx.paths.mxLog],
  async start(input: StartInput) {
    spawnDaemon({
      name: 'mx',
      command: process.execPath,
      args: [serverFile],
      outFile: input.paths.mxLog,
      pidFile: pidFile(input),
      // without NODE_OPTIONS: a test runner's loader hooks must not leak into the daemon
      env: { ...withoutNodeOptions(process.env), MAILCANARY_LAB_DIR: input.topo.stateDir },
    });
  },
  async ready(ctx) {
    for (const p of ctx.topo.providers) {
      // dual-stack providers answer on 127.0.0.1 too (lab/mx/server.ts)
      for (const host of p.hasAAAA ? [p.listenHost, '127.0.0.1'] : [p.listenHost]) {
        const g = await readGreeting(host, p.port, 1000);
        if (!g?.startsWith('220')) return false;
      }
    }
    return true;
  },
  pid(ctx) {
    const pid = readPid(pidFile(ctx));
    return pid && isAlive(pid) ? pid : undefined;
  },
  async stop(ctx) {
    await stopByPidFile(pidFile(ctx), /mx\/server\.ts/);
  },
};
