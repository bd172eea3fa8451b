/**
 * Provider MX simulators: one smtp-server per provider in one process (`node lab/mx/server.ts`,
 * started detached by startLab). Each verifies SPF/DKIM/DMARC against the lab DNS, adds its own
 * trace headers, decides by its provider policy and the active scenario, and either files the
 * message into the seed mailbox over IMAP or answers with a reject/tempfail in the SMTP dialogue.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerSession } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { labTopology, labPaths } from '../topology.ts';
import type { LabProvider, LabTopology } from '../topology.ts';
import { parseScenarioFile } from '../scenarios.ts';
import type { Scenario } from '../scenarios.ts';
import { labResolver } from '../dns/resolver.ts';
import { checkAuth } from './auth.ts';
import { decideAtRcpt, decideMessage, CONTENT_FILTERED } from './policies/index.ts';
import { scoreMessage } from '../../src/score/index.ts';
import type { ScoreResult, ScorerSetting } from '../../src/score/index.ts';
import type { Decision, AuthSummary } from './policies/types.ts';
import { appendEvent } from './events.ts';
import { Filer } from './filing.ts';
import { receivedHeader, headerLine, firstHeader, normalizeIp, safeAddress, safeHelo } from './headers.ts';

const NOT_CHECKED: AuthSummary = { spf: 'skipped', dkim: 'skipped', dmarc: 'skipped' };

function smtpError(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function createMx(topo: LabTopology, provider: LabProvider, deps: { filer: Filer; eventsFile: string; scenarioFile: string; log: (s: string) => void }) {
  const resolver = labResolver(topo.dns);
  const attempts = new Map<string, number>();
  const currentScenario = (): Scenario => {
    let text = '{"name":"healthy"}';
    try {
      text = readFileSync(deps.scenarioFile, 'utf8');
    } catch {
      /* not written yet: healthy */
    }
    const { scenario, error } = parseScenarioFile(text);
    if (error) deps.log(`${provider.id}: ${error}; using healthy`);
    return scenario;
  };
  const base = { provider: provider.id };
  const rspamd: ScorerSetting = { kind: 'rspamd', host: topo.rspamd.host, port: topo.rspamd.port, url: `rspamd://${topo.rspamd.host}:${topo.rspamd.port}` };
  /** PTR of an IPv4 client, as the receiver's filter gets it (the `Hostname` of /checkv2). */
  const ptrName = async (ip: string): Promise<string | undefined> => {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return undefined;
    const names = (await resolver(`${ip.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR').catch(() => [])) as string[];
    return names[0]?.replace(/\.$/, '');
  };
  const contentScore = async (raw: Buffer, ip: string, helo: string, mailFrom: string, rcpts: string[], queueId: string): Promise<ScoreResult | undefined> => {
    if (!CONTENT_FILTERED.has(provider.id)) return undefined;
    const r = await scoreMessage(rspamd, raw, { ip, helo, from: mailFrom, rcpt: rcpts, hostname: await ptrName(ip), queueId }, 8000);
    // lab only: a filter that is down leaves the provider's own rule to decide
    if (r.state === 'unknown') deps.log(`${provider.id}: rspamd unknown (${r.reason}); deciding by the provider rule alone`);
    return r;
  };
  const label = `simulated ${provider.id}-like MX`;

  const server = new SMTPServer({
    name: provider.mxHost,
    banner: `${provider.mxHost} ESMTP mailcanary-lab (${label})`,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    size: 50 * 1024 * 1024,
    logger: false,
    onConnect(session, cb) {
      const rule = currentScenario().mx.greetingBlock?.[provider.id];
      if (!rule) return cb();
      const ip = normalizeIp(session.remoteAddress);
      const text = rule.text.replaceAll('{ip}', ip);
      appendEvent(deps.eventsFile, {
        ts: Date.now(),
        ...base,
        event: 'rejected',
        rcpt: provider.seed.address,
        ip,
        auth: NOT_CHECKED,
        code: rule.code,
        text,
        reason: 'greeting block',
      });
      cb(smtpError(rule.code, text));
    },
    onRcptTo(address, session, cb) {
      const ip = normalizeIp(session.remoteAddress);
      const rcpt = address.address.toLowerCase();
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      if (rcpt !== provider.seed.address) {
        appendEvent(deps.eventsFile, {
          ts: Date.now(),
          ...base,
          event: 'rejected',
          rcpt: safeAddress(rcpt),
          mailFrom: safeAddress(mailFrom),
          ip,
          auth: NOT_CHECKED,
          code: 550,
          reason: 'unknown recipient',
        });
        return cb(smtpError(550, `5.1.1 <${safeAddress(rcpt)}>: user unknown at ${provider.mxHost} (lab)`));
      }
      const d = decideAtRcpt({ provider: provider.id, ip, scenario: currentScenario() });
      if (d && (d.action === 'reject' || d.action === 'tempfail')) {
        appendEvent(deps.eventsFile, {
          ts: Date.now(),
          ...base,
          event: d.action === 'reject' ? 'rejected' : 'tempfail',
          rcpt,
          mailFrom: safeAddress(mailFrom),
          ip,
          auth: NOT_CHECKED,
          code: d.code,
          text: d.text,
          reason: d.reason,
        });
        return cb(smtpError(d.code ?? 550, d.text ?? '5.7.1 rejected'));
      }
      cb();
    },
    onData(stream, session, cb) {
      handleData(stream, session).then(
        (err) => cb(err ?? null),
        (err: Error) => {
          deps.log(`${provider.id}: ${err.stack ?? err.message}`);
          // our own failure (IMAP down, ...) is a temporary one for the sender: it will retry
          cb(smtpError(451, '4.3.0 lab MX internal error, try again later'));
        },
      );
    },
  });

  async function handleData(stream: NodeJS.ReadableStream, session: SMTPServerSession): Promise<Error | undefined> {
    const raw = await readStream(stream);
    const ip = normalizeIp(session.remoteAddress);
    const helo = safeHelo(session.hostNameAppearsAs);
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const rcpts = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
    const scenario = currentScenario();
    const messageId = firstHeader(raw, 'Message-ID');
    const tag = firstHeader(raw, 'X-Mailcanary-Tag');
    const key = messageId ?? tag ?? randomBytes(8).toString('hex');
    const previousAttempts = attempts.get(key) ?? 0;
    attempts.set(key, previousAttempts + 1);
    if (attempts.size > 10_000) attempts.delete(attempts.keys().next().value as string);

    const auth = await checkAuth(raw, { ip, helo, sender: mailFrom, mta: provider.mxHost, resolver });
    const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true }).catch(() => undefined);
    const queueId = randomBytes(6).toString('hex');
    const content = await contentScore(raw, ip, helo, mailFrom, rcpts, queueId);
    const decision: Decision = decideMessage({
      provider: provider.id,
      ip,
      scenario,
      auth: auth.summary,
      text: parsed?.text,
      html: typeof parsed?.html === 'string' ? parsed.html : undefined,
      content,
      previousAttempts,
    });
    const common = { ...base, tag, messageId, mailFrom: safeAddress(mailFrom), ip, auth: auth.summary, report: auth.report, reason: decision.reason };

    if (decision.action === 'reject' || decision.action === 'tempfail') {
      for (const rcpt of rcpts)
        appendEvent(deps.eventsFile, {
          ts: Date.now(),
          ...common,
          event: decision.action === 'reject' ? 'rejected' : 'tempfail',
          rcpt,
          code: decision.code,
          text: decision.text,
        });
      return smtpError(decision.code ?? (decision.action === 'reject' ? 550 : 451), decision.text ?? '');
    }
    if (decision.action === 'drop') {
      for (const rcpt of rcpts) appendEvent(deps.eventsFile, { ts: Date.now(), ...common, event: 'dropped', rcpt });
      return undefined;
    }
    const folder = decision.action === 'spam' ? provider.seed.spamFolder : 'INBOX';
    const now = new Date();
    for (const rcpt of rcpts) {
      const id = randomBytes(6).toString('hex');
      // RFC 5321 §4.4: trace fields go on top; Authentication-Results sits above the original
      // headers so readers find the receiver's verdict first (RFC 8601 §5)
      const top =
        headerLine('Return-Path', `<${safeAddress(mailFrom)}>`) +
        receivedHeader({ helo, ip, by: provider.mxHost, id, rcpt, date: now }) +
        headerLine('X-Mailcanary-Lab', label) +
        auth.headers +
        (decision.headers ?? []).map(([n, v]) => headerLine(n, v)).join('');
      await deps.filer.append(rcpt, folder, Buffer.concat([Buffer.from(top), raw]), now);
      appendEvent(deps.eventsFile, { ts: Date.now(), ...common, event: 'filed', folder, rcpt });
    }
    return undefined;
  }

  return server;
}

async function main(): Promise<void> {
  const topo = labTopology(process.env);
  const paths = labPaths(topo.stateDir);
  const log = (s: string) => process.stdout.write(`${new Date().toISOString()} ${s}\n`);
  const filer = new Filer({ host: topo.imap.host, port: topo.imap.port, masterUser: topo.masterUser.name, masterPassword: topo.masterUser.password });
  const deps = { filer, eventsFile: paths.events, scenarioFile: paths.scenario, log };
  // A dual-stack provider (AAAA, like Gmail's MX) also answers on 127.0.0.1 at the same port:
  // the IPv4 path (lab/services/postfix-v4path.ts) reaches it there.
  const listeners = topo.providers.flatMap((p) => [
    { p, host: p.listenHost, s: createMx(topo, p, deps) },
    ...(p.hasAAAA && p.listenHost !== '127.0.0.1' ? [{ p, host: '127.0.0.1', s: createMx(topo, p, deps) }] : []),
  ]);
  const servers = listeners.map(({ p, s }) => ({ p, s }));
  for (const { p, host, s } of listeners) {
    s.on('error', (err) => log(`${p.id}: server error: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      const onErr = (err: Error) => reject(new Error(`${p.id}-like MX cannot listen on [${host}]:${p.port}: ${err.message}`));
      s.server.once('error', onErr);
      s.listen(p.port, host, () => {
        s.server.off('error', onErr);
        resolve();
      });
    });
    log(`${p.id}-like MX listening on [${host}]:${p.port}`);
  }
  const shutdown = async () => {
    log('shutting down');
    await Promise.all(servers.map(({ s }) => new Promise<void>((r) => s.close(() => r()))));
    await filer.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  // a force exit if close hangs on an open client connection
  process.on('SIGTERM', () => setTimeout(() => process.exit(0), 2000).unref());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: Error) => {
    process.stderr.write(`mx simulators failed: ${err.message}\n`);
    process.exit(1);
  });
}
