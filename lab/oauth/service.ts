/** The lab OAuth server as a lab service (started before Dovecot, which asks it about tokens). */
import { fileURLToPath } from 'node:url';
import type { LabService, StartInput } from '../services/types.ts';
import { spawnDaemon, readPid, isAlive, stopByPidFile } from '../proc.ts';
import { labOAuthConfig } from './config.ts';

const serverFile = fileURLToPath(new URL('./server.ts', import.meta.url));

export const oauthService: LabService = {
  name: 'oauth (node lab/oauth/server.ts)',
  logFiles: (ctx) => [labOAuthConfig(ctx.topo).logFile],
  async start(input: StartInput) {
    const cfg = labOAuthConfig(input.topo);
    const { NODE_OPTIONS: _drop, ...env } = process.env;
    spawnDaemon({
      name: 'oauth',
      command: process.execPath,
      args: [serverFile],
      outFile: cfg.logFile,
      pidFile: cfg.pidFile,
      env: { ...env, MAILCANARY_LAB_DIR: input.topo.stateDir },
    });
  },
  async ready(ctx) {
    const cfg = labOAuthConfig(ctx.topo);
    try {
      const r = await fetch(`${cfg.baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
      return r.status === 200;
    } catch {
      return false;
    }
  },
  pid(ctx) {
    const pid = readPid(labOAuthConfig(ctx.topo).pidFile);
    return pid && isAlive(pid) ? pid : undefined;
  },
  async stop(ctx) {
    await stopByPidFile(labOAuthConfig(ctx.topo).pidFile, /oauth\/server\.ts/);
  },
};
