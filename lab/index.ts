/**
 * The lab's programmatic API: start/stop the local mail world, switch scenarios, report status.
 *
 *   startLab()        idempotent: returns at once when the lab already runs healthy
 *   stopLab()         stops every lab process (pid files, then anything of ours still on a lab port)
 *   setScenario(n)    applies live; returns when DNS serves the scenario's records
 *   labStatus()       per-service pid/readiness and the active scenario
 *   labTopology()     names, users and ports (env overrides applied)
 *   labReports(now)   the gmail-like and outlook-like MXs mail their DMARC aggregate and TLS reports
 */
import { sendLabReports, type SentReport } from './mx/reports.ts';
import { sendSpoof } from './spoofer.ts';
import { ensureLabCerts } from './tls/index.ts';
import { mkdirSync, rmSync, readdirSync, writeFileSync, renameSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { labTopology, labPaths } from './topology.ts';
import type { LabTopology } from './topology.ts';
import type { LabContext, LabService } from './services/types.ts';
import { nsdService, writeZones, reloadNsd } from './services/nsd.ts';
import { dovecotService, createFolders } from './services/dovecot.ts';
import { opendkimService } from './services/opendkim.ts';
import { postfixService, applyPostfixScenario } from './services/postfix.ts';
import { postfixV4PathService } from './services/postfix-v4path.ts';
import { webService } from './services/web.ts';
import { rspamdService } from './services/rspamd.ts';
import { mxService } from './mx/service.ts';
import { oauthService } from './oauth/service.ts';
import { ensureInstalled } from './install.ts';
import { ensureKeys } from './dkim.ts';
import { getScenario, parseScenarioFile } from './scenarios.ts';
import type { Scenario } from './scenarios.ts';
import { labResolver } from './dns/resolver.ts';
import { SCENARIO_MARKER } from './dns/zones.ts';
import { publishedDkim } from './dns/sender-domains.ts';
import { waitUntil, tail, listenersOn, cmdline, killPid } from './proc.ts';

export { labTopology, labPaths } from './topology.ts';
export type { LabTopology, LabProvider, LabUser, ProviderId } from './topology.ts';
export { SCENARIOS, scenarioNames, getScenario } from './scenarios.ts';
export type { Scenario } from './scenarios.ts';
export { readEvents } from './mx/events.ts';
export type { SentReport } from './mx/reports.ts';
export { sendSpoof } from './spoofer.ts';
export type { MxEvent } from './mx/events.ts';

/** start order; stop runs in reverse */
export const SERVICES: LabService[] = [
  nsdService,
  oauthService,
  dovecotService,
  opendkimService,
  rspamdService,
  mxService,
  postfixService,
  postfixV4PathService,
  webService,
];

/** Programs we may stop when they squat on a lab port (left over from an earlier lab run). */
const OUR_DAEMONS =
  /(^|\/)(nsd|dovecot|opendkim)\b|^rspamd: |dovecot\/|postfix\/sbin\/master|^smtpd -n|^(pickup|qmgr|tlsmgr|anvil|proxymap|postlogd|scache|trivial-rewrite|cleanup|bounce|smtp|lmtp|showq) -|lab\/mx\/server\.ts|lab\/services\/web\.ts/;

export interface StartOptions {
  /** scenario to start in (default healthy) */
  scenario?: string;
  /** per-service readiness timeout, ms (default 30 s; a service may ask for more, see LabService.readyTimeoutMs) */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface ServiceStatus {
  name: string;
  pid?: number;
  ready: boolean;
  logFiles: string[];
}

export interface LabStatus {
  stateDir: string;
  running: boolean;
  healthy: boolean;
  scenario?: string;
  services: ServiceStatus[];
}

function context(topo: LabTopology = labTopology()): LabContext {
  return { topo, paths: labPaths(topo.stateDir) };
}

function labPorts(topo: LabTopology): number[] {
  return [
    topo.imap.port,
    topo.lmtp.port,
    topo.auth.port,
    topo.submission.port,
    topo.submission4.port,
    topo.inbound.port,
    topo.milter.port,
    topo.rspamd.port,
    topo.smtps.port,
    topo.web.port,
    ...topo.providers.map((p) => p.port),
  ];
}

function currentScenarioName(ctx: LabContext): string | undefined {
  try {
    return parseScenarioFile(readFileSync(ctx.paths.scenario, 'utf8')).scenario.name;
  } catch {
    return undefined;
  }
}

export async function labStatus(): Promise<LabStatus> {
  const ctx = context();
  const services = await Promise.all(
    SERVICES.map(async (s) => {
      const pid = s.pid(ctx);
      const ready = pid ? await s.ready(ctx).catch(() => false) : false;
      return { name: s.name, pid, ready, logFiles: s.logFiles(ctx) };
    }),
  );
  return {
    stateDir: ctx.paths.stateDir,
    running: services.some((s) => s.pid),
    healthy: services.every((s) => s.pid && s.ready),
    scenario: currentScenarioName(ctx),
    services,
  };
}

/** Kills leftovers of ours holding lab ports; a foreign program on a lab port is an error. */
async function freePorts(ctx: LabContext): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const busy = [
      ...labPorts(ctx.topo).flatMap((port) => listenersOn(port, 'tcp').map((pid) => ({ port, pid }))),
      ...listenersOn(ctx.topo.dns.port, 'udp').map((pid) => ({ port: ctx.topo.dns.port, pid })),
      ...listenersOn(ctx.topo.dns.port, 'tcp').map((pid) => ({ port: ctx.topo.dns.port, pid })),
    ];
    if (busy.length === 0) return;
    const foreign = busy.filter((b) => !OUR_DAEMONS.test(cmdline(b.pid)));
    if (foreign.length) {
      const f = foreign[0];
      throw new Error(
        `lab port ${f.port} is in use by pid ${f.pid} (${cmdline(f.pid).replace(/\s+/g, ' ').slice(0, 80) || 'unknown'}), which is not a lab daemon: stop it or move the lab with MAILCANARY_LAB_* port variables (see lab/topology.ts)`,
      );
    }
    await Promise.all([...new Set(busy.map((b) => b.pid))].map((pid) => killPid(pid, 3000)));
  }
  throw new Error('lab ports still busy after stopping old lab daemons 5 times');
}

async function stopServices(ctx: LabContext): Promise<void> {
  for (const s of [...SERVICES].reverse()) await s.stop(ctx).catch(() => undefined);
}

export async function stopLab(): Promise<void> {
  const ctx = context();
  if (existsSync(ctx.paths.pids) || existsSync(ctx.paths.postfixDir)) await stopServices(ctx);
  await freePorts(ctx);
}

/** Empties the state dir but keeps the DKIM keys (generated once, reused across restarts). */
function resetStateDir(ctx: LabContext): void {
  const dir = ctx.paths.stateDir;
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const entry of readdirSync(dir)) {
    if (join(dir, entry) === ctx.paths.keys || join(dir, entry) === ctx.paths.rspamdCache) continue;
    rmSync(join(dir, entry), { recursive: true, force: true });
  }
  mkdirSync(ctx.paths.pids, { recursive: true });
  writeFileSync(ctx.paths.events, '');
}

function writeScenarioFile(ctx: LabContext, scenario: Scenario): void {
  const tmp = `${ctx.paths.scenario}.tmp`;
  writeFileSync(tmp, JSON.stringify({ name: scenario.name, setAt: new Date().toISOString() }) + '\n');
  renameSync(tmp, ctx.paths.scenario); // atomic: the MX sims never read half a file
}

function failure(ctx: LabContext, s: LabService, what: string): Error {
  const logs = s.logFiles(ctx);
  return new Error(`lab service ${s.name} ${what}; see ${logs.join(' and ')}\n--- last lines of ${logs[0]} ---\n${tail(logs[0])}`);
}

export async function startLab(opts: StartOptions = {}): Promise<LabStatus> {
  const log = opts.log ?? (() => {});
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const ctx = context();
  // unix socket paths are limited to 107 bytes (sun_path); Dovecot and Postfix put theirs under the state dir
  if (Buffer.byteLength(ctx.paths.stateDir) > 60) {
    throw new Error(
      `MAILCANARY_LAB_DIR is too long (${Buffer.byteLength(ctx.paths.stateDir)} bytes, max 60): the daemons' unix sockets would not fit; use a shorter path such as /tmp/mailcanary-lab`,
    );
  }
  await ensureInstalled(log);

  const before = await labStatus();
  if (before.healthy) {
    if (opts.scenario && opts.scenario !== before.scenario) await setScenario(opts.scenario);
    return labStatus();
  }
  if (before.running) log('lab partly running: restarting it');
  await stopServices(ctx);
  await freePorts(ctx);

  resetStateDir(ctx);
  const keys = ensureKeys(ctx.paths.keys, ctx.topo.senderDomains);
  const scenario = getScenario(opts.scenario ?? 'healthy');
  writeScenarioFile(ctx, scenario);
  const input = { ...ctx, keys, scenario };

  const started: LabService[] = [];
  const startedAt = new Map<LabService, number>();
  try {
    for (const s of SERVICES) {
      log(`starting ${s.name}`);
      startedAt.set(s, Date.now());
      await s.start(input).catch((err: Error) => {
        throw failure(ctx, s, `did not start: ${err.message}`);
      });
      started.push(s);
    }
    await Promise.all(
      SERVICES.map(async (s) => {
        const ok = await waitUntil(
          async () => {
            if (!s.pid(ctx)) throw failure(ctx, s, 'exited during start');
            return s.ready(ctx);
          },
          Math.max(timeoutMs, s.readyTimeoutMs ?? 0),
          150,
        ).catch((err: Error) => {
          if (err.message.includes('exited during start')) throw err;
          return false;
        });
        if (!ok) throw failure(ctx, s, `did not answer within ${Math.round(Math.max(timeoutMs, s.readyTimeoutMs ?? 0) / 1000)} s`);
        log(`${s.name} ready after ${Date.now() - (startedAt.get(s) ?? Date.now())} ms`);
      }),
    );
    await createFolders(ctx);
  } catch (err) {
    await stopServices(ctx);
    throw err;
  }
  return labStatus();
}

export async function restartLab(opts: StartOptions = {}): Promise<LabStatus> {
  await stopLab();
  return startLab(opts);
}

/** Applies a scenario to the running lab and returns once the DNS serves it. */
export async function setScenario(name: string): Promise<Scenario> {
  const scenario = getScenario(name);
  const ctx = context();
  if (!nsdService.pid(ctx)) throw new Error(`the lab is not running (state dir ${ctx.paths.stateDir}): run \`node lab/cli.ts start\` first`);
  const keys = ensureKeys(ctx.paths.keys, ctx.topo.senderDomains);
  writeZones(ctx, keys, scenario);
  reloadNsd(ctx);
  // every sending domain's zone is its own file: each must serve the scenario's key
  const expected = publishedDkim(ctx.topo, scenario, keys);
  const resolve = labResolver(ctx.topo.dns, 500);
  const serves = async (k: (typeof expected)[number]) =>
    ((await resolve(k.name, 'TXT').catch(() => [])) as string[][]).some((parts) => parts.join('') === k.value);
  let lastHup = Date.now();
  const served = await waitUntil(
    async () => {
      const keysServed = (await Promise.all(expected.map(serves))).every(Boolean);
      const marker = ((await resolve(`${SCENARIO_MARKER}.${ctx.topo.domain}`, 'TXT').catch(() => [])) as string[][]).map((p) => p.join(''));
      if (keysServed && marker.includes(scenario.name)) return true;
      if (Date.now() - lastHup > 1000) {
        // the rescan may have raced the write (same mtime tick): render again and re-signal
        writeZones(ctx, keys, scenario);
        reloadNsd(ctx);
        lastHup = Date.now();
      }
      return false;
    },
    10_000,
    50,
  );
  if (!served) throw new Error(`lab DNS did not serve scenario ${name} within 10 s; see ${ctx.paths.nsdLog}`);
  writeScenarioFile(ctx, scenario);
  // the server's own settings (relay, certificate, banner, AUTH): a Postfix reload when they changed
  await applyPostfixScenario(ctx, scenario);
  if (scenario.spoof) await sendSpoof(ctx.topo, scenario.spoof, Date.now());
  return scenario;
}

/**
 * The gmail-like and outlook-like MXs write their DMARC aggregate and TLS reports of what they
 * received since their previous report and mail them to the lab's rua= addresses (lab/mx/reports.ts).
 * `now` (ms) is the clock the report periods are stated in.
 */
export async function labReports(now: number = Date.now()): Promise<SentReport[]> {
  const ctx = context();
  if (!nsdService.pid(ctx)) throw new Error(`the lab is not running (state dir ${ctx.paths.stateDir}): run \`node lab/cli.ts start\` first`);
  return sendLabReports(ctx.topo, { eventsFile: ctx.paths.events, stateDir: ctx.paths.stateDir, now, caFile: (await ensureLabCerts(ctx)).ca });
}
