/**
 * The website of the lab's sending domain canary.test (the lab's "port 443"): an HTTPS server
 * with a lab-CA certificate for canary.test and www.canary.test, on 127.0.0.1 and ::1. Receivers
 * such as Telekom want a website with an imprint/contact page before they allowlist a server; the
 * `website-no-contact` scenario takes it away. The scenario is re-read per request, like the MX sims.
 *
 * The same server is the MTA-STS policy host of every lab sending domain (`mta-sts.<domain>`, the
 * `mta-sts` A record of lab/dns/posture-records.ts): by Host header it serves the RFC 8461
 * section 3.2 policy naming the lab MX. The posture suite reaches it through MAILCANARY_MTA_STS_PORT,
 * the lab's stand-in for the policy host's port 443.
 *
 * Runs as its own process: `node lab/services/web.ts` (MAILCANARY_LAB_DIR and the port vars in env).
 */
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabContext, LabService, StartInput } from './types.ts';
import { ensureLabCerts } from '../tls/index.ts';
import { parseScenarioFile } from '../scenarios.ts';
import { labTopology, labPaths } from '../topology.ts';
import { spawnDaemon, readPid, isAlive, stopByPidFile, waitUntil } from '../proc.ts';
import { request } from 'node:https';

const pidFile = (ctx: LabContext) => join(ctx.paths.pids, 'web.pid');
const selfFile = fileURLToPath(import.meta.url);

function withoutNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _drop, ...rest } = env;
  return rest;
}

/** The pages of the site for one scenario: path → HTML. Pure. */
export function sitePages(domain: string, contactPage: boolean): Record<string, string> {
  const page = (title: string, body: string) =>
    `<!doctype html>\n<html lang="de"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>\n`;
  const home = contactPage
    ? page(
        domain,
        `<h1>${domain}</h1><p>Self-hosted mail for the canary project.</p><footer><a href="/impressum">Impressum</a> · <a href="/kontakt">Kontakt</a></footer>`,
      )
    : page(domain, `<h1>${domain}</h1><p>Coming soon.</p>`);
  const pages: Record<string, string> = { '/': home };
  if (contactPage) {
    const imprint = page(
      `Impressum – ${domain}`,
      `<h1>Impressum</h1><p>Angaben gemäß § 5 DDG</p><p>Canary Lab GmbH<br>Teststraße 1<br>12345 Beispielstadt</p><p>Kontakt: E-Mail <a href="mailto:postmaster@${domain}">postmaster@${domain}</a>, Telefon +49 30 1234567</p>`,
    );
    pages['/impressum'] = imprint;
    pages['/kontakt'] = page(`Kontakt – ${domain}`, `<h1>Kontakt</h1><p><a href="mailto:postmaster@${domain}">postmaster@${domain}</a></p>`);
  }
  return pages;
}

/** RFC 8461 section 3.2 policy of a lab sending domain: enforced, its one MX (the lab server), a week. Pure. */
export function mtaStsPolicyFile(mailHost: string): string {
  // CRLF line endings: sts-policy-term of the section 3.2 ABNF
  return ['version: STSv1', 'mode: enforce', `mx: ${mailHost}`, 'max_age: 604800', ''].join('\r\n');
}

/** The policy host names the server answers for (`mta-sts.<domain>` of every lab sending domain). */
export function mtaStsHosts(domains: readonly string[]): string[] {
  return domains.map((d) => `mta-sts.${d}`);
}

/** Starts the site in this process (the daemon side). */
export async function serveSite(ctx: LabContext): Promise<Server[]> {
  const certs = await ensureLabCerts(ctx);
  const options = { cert: readFileSync(certs.web.cert), key: readFileSync(certs.web.key) };
  const log = (line: string) => appendFileSync(ctx.paths.webLog, `${new Date().toISOString()} ${line}\n`);
  const handler: Parameters<typeof createServer>[1] = (req, res) => {
    let contactPage = true;
    try {
      contactPage = parseScenarioFile(readFileSync(ctx.paths.scenario, 'utf8')).scenario.web.contactPage;
    } catch {
      /* no scenario file yet: healthy */
    }
    const path = (req.url ?? '/').split('?')[0];
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (mtaStsHosts(ctx.topo.senderDomains.map((d) => d.domain)).includes(host)) {
      const found = path === '/.well-known/mta-sts.txt';
      log(`${req.socket.remoteAddress} ${host} ${req.method} ${path.slice(0, 100)} ${found ? 200 : 404}`);
      res.writeHead(found ? 200 : 404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(found ? mtaStsPolicyFile(ctx.topo.mailHost) : 'not found\n');
      return;
    }
    const body = sitePages(ctx.topo.domain, contactPage)[path];
    log(`${req.socket.remoteAddress} ${req.headers.host ?? '-'} ${req.method} ${path.slice(0, 100)} ${body ? 200 : 404}`);
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body ?? '<!doctype html><title>404</title><h1>Not found</h1>\n');
  };
  const servers: Server[] = [];
  for (const host of [ctx.topo.web.host, ctx.topo.web.host6]) {
    const server = createServer(options, handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ctx.topo.web.port, host, () => resolve());
    });
    servers.push(server);
  }
  log(`listening on ${ctx.topo.web.host} and [${ctx.topo.web.host6}] port ${ctx.topo.web.port}`);
  return servers;
}

function probe(ctx: LabContext, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: ctx.topo.web.host, port: ctx.topo.web.port, path: '/', servername: ctx.topo.domain, rejectUnauthorized: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export const webService: LabService = {
  name: 'website (node lab/services/web.ts)',
  logFiles: (ctx) => [ctx.paths.webLog],
  async start(input: StartInput) {
    await ensureLabCerts(input);
    spawnDaemon({
      name: 'web',
      command: process.execPath,
      args: [selfFile],
      outFile: input.paths.webLog,
      pidFile: pidFile(input),
      // without NODE_OPTIONS: a test runner's loader hooks must not leak into the daemon
      env: { ...withoutNodeOptions(process.env), MAILCANARY_LAB_DIR: input.topo.stateDir },
    });
  },
  ready: (ctx) => probe(ctx, 1000),
  pid(ctx) {
    const pid = readPid(pidFile(ctx));
    return pid && isAlive(pid) ? pid : undefined;
  },
  async stop(ctx) {
    await stopByPidFile(pidFile(ctx), /services\/web\.ts/);
    await waitUntil(async () => !(await probe(ctx, 300)), 2000, 100);
  },
};

if (import.meta.main) {
  const topo = labTopology();
  serveSite({ topo, paths: labPaths(topo.stateDir) }).catch((err: Error) => {
    console.error(`lab website failed to start: ${err.message}`);
    process.exit(1);
  });
}
