/**
 * The IPv4 path of the user's server (to compare the IPv4 and IPv6 paths to a provider).
 *
 * A second Postfix instance (`postfix -c <state>/postfix4`, own queue and data dirs) stands for
 * the same server `mail.canary.test` reached on another submission port, the way a real server
 * runs one instance per outbound address (postmulti(1)). It shares Dovecot SASL, the OpenDKIM
 * milter and LMTP with the main instance, but speaks IPv4 only (`inet_protocols = ipv4`,
 * `smtp_bind_address = 127.0.0.1`) and relays every provider domain to 127.0.0.1: the gmail-like
 * MX, which the main instance reaches over ::1, sees this path's mail arrive over IPv4.
 *
 * main.cf and master.cf are the main instance's (lab/services/postfix.ts renders them) with this
 * instance's dirs and port and the IPv4 settings applied, so the two never drift apart. Scenario
 * changes after start (setScenario) reload the main instance only.
 */
import { join } from 'node:path';
import type { LabContext, LabService, StartInput } from './types.ts';
import type { Scenario } from '../scenarios.ts';
import { renderMainCf, renderMasterCf, ehloLines, postfixMasterPid, startPostfixInstance, stopPostfixInstance } from './postfix.ts';
import { ensureLabCerts } from '../tls/index.ts';
import type { LabCerts } from '../tls/index.ts';

const masterPidFile = (ctx: LabContext) => join(ctx.paths.postfix4Dir, 'spool', 'pid', 'master.pid');

/** The context the main instance's renderers see: this instance's dirs, log and submission port. */
export function v4PathContext(ctx: LabContext): LabContext {
  return {
    topo: { ...ctx.topo, submission: ctx.topo.submission4 },
    paths: { ...ctx.paths, postfixDir: ctx.paths.postfix4Dir, postfixLog: ctx.paths.postfix4Log },
  };
}

/**
 * Sets `key = value` in a rendered main.cf: replaces the key's line, or appends it (postconf(5):
 * a later definition would win too, but Postfix warns about it on every start).
 */
export function setMainCf(text: string, settings: Record<string, string>): string {
  let out = text;
  for (const [key, value] of Object.entries(settings)) {
    const line = new RegExp(`^${key}\\s*=.*$`, 'm');
    out = line.test(out) ? out.replace(line, `${key} = ${value}`) : `${out.replace(/\n?$/, '\n')}${key} = ${value}\n`;
  }
  return out;
}

export function renderV4MainCf(ctx: LabContext, scenario?: Scenario, certs?: Pick<LabCerts, 'mail' | 'mailExpired' | 'mailWrongName'>): string {
  const base = renderMainCf(v4PathContext(ctx), scenario, certs);
  return setMainCf(base, {
    // one address family for every socket of this instance: listeners and outbound SMTP
    inet_protocols: 'ipv4',
    smtp_bind_address: ctx.topo.submission4.host,
    syslog_name: 'postfix-v4path',
  });
}

/**
 * master.cf(5) of the main instance without its smtps and inbound MX listeners: this instance
 * only takes submissions. An entry is its first line plus the indented `-o` lines under it.
 */
export function renderV4MasterCf(ctx: LabContext, scenario?: Scenario): string {
  const drop = new Set([String(ctx.topo.smtps.port), String(ctx.topo.inbound.port)]);
  const out: string[] = [];
  let keep = true;
  for (const line of renderMasterCf(v4PathContext(ctx), scenario).split('\n')) {
    if (line && !/^\s/.test(line) && !line.startsWith('#')) keep = !drop.has(line.split(/\s+/)[0]);
    if (keep) out.push(line);
  }
  const text = out.join('\n');
  if (!text.includes(`${ctx.topo.submission4.port} inet`))
    throw new Error('lab Postfix master.cf has no submission listener to reuse for the IPv4 path (lab/services/postfix.ts changed its layout)');
  return text;
}

/** transport(5): every provider domain to its simulator on 127.0.0.1 (dual-stack ones answer there too). */
export function renderV4Transport(ctx: LabContext): string {
  return ctx.topo.providers.map((p) => `${p.domain}\tsmtp:[${ctx.topo.submission4.host}]:${p.port}\n`).join('');
}

export const postfixV4PathService: LabService = {
  name: 'smtp IPv4 path (postfix -c postfix4)',
  logFiles: (ctx) => [ctx.paths.postfix4Log, join(ctx.paths.postfix4Dir, 'postfix.out')],
  async start(input: StartInput) {
    const certs = await ensureLabCerts(input);
    await startPostfixInstance(input.paths.postfix4Dir, input.topo, {
      mainCf: renderV4MainCf(input, input.scenario, certs),
      masterCf: renderV4MasterCf(input, input.scenario),
      transport: renderV4Transport(input),
    });
  },
  async ready(ctx) {
    const s = ctx.topo.submission4;
    const ehlo = await ehloLines(s.host, s.port, 2000);
    return Boolean(ehlo?.some((l) => /^250[ -]STARTTLS\b/i.test(l)));
  },
  pid: (ctx) => postfixMasterPid(masterPidFile(ctx)),
  stop: (ctx) => stopPostfixInstance(ctx.paths.postfix4Dir, masterPidFile(ctx)),
};
