import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { test, expect } from '@playwright/test';
import { SmtpProbe, ProbeError } from '../../src/server-checks/smtp/client.ts';
import { probeRelay, REFUSALS_PER_CONNECTION, relayProbes, relayResult } from '../../src/server-checks/checks/relay.ts';
import { observeTls } from '../../src/server-checks/checks/tls.ts';
import { parseEhlo, authMechanisms, announcedName, makeReply } from '../../src/server-checks/smtp/reply.ts';
import { fakeResolver } from '../support/fake-resolver.ts';
import type { ServerConfig } from '../../src/server-checks/types.ts';

/** A scripted SMTP server on an ephemeral loopback port: `answer` maps a command to a reply (undefined = silence). */
async function fakeSmtp(opts: {
  greeting?: string | null;
  answer?: (cmd: string) => string | undefined;
}): Promise<{ port: number; server: Server; commands: string[]; close(): Promise<void> }> {
  const commands: string[] = [];
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    if (opts.greeting !== null) s.write(`${opts.greeting ?? '220 mx.example.org ESMTP'}\r\n`);
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        commands.push(line);
        const a = opts.answer?.(line);
        if (a !== undefined) s.write(`${a}\r\n`);
        if (/^QUIT/i.test(line)) s.end();
      }
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    server,
    commands,
    close: () =>
      new Promise((r) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  };
}

const fast = { connectMs: 1000, greetingMs: 300, commandMs: 300, tlsMs: 300 };

test('a server that accepts the connection and never greets costs one greeting timeout', async () => {
  const srv = await fakeSmtp({ greeting: null });
  const t0 = performance.now();
  const err = await SmtpProbe.open({ host: '127.0.0.1', port: srv.port, timeouts: fast }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProbeError);
  expect((err as ProbeError).kind).toBe('timeout');
  expect(performance.now() - t0).toBeLessThan(3000);
  await srv.close();
});

test('relay probing stops on a silent server instead of waiting per attempt', async () => {
  const srv = await fakeSmtp({ greeting: null });
  const probes = relayProbes({ domain: 'example.org', mxHost: 'mx.example.org', ip: '127.0.0.1', rcpt: 'x@example.net', from: 'p@example.com' });
  const t0 = performance.now();
  const target = await probeRelay({ host: 'mx.example.org', ip: '127.0.0.1', port: srv.port }, probes, { helo: 'probe.test', timeouts: fast });
  expect(performance.now() - t0).toBeLessThan(3000);
  expect(target.attempts).toHaveLength(1);
  expect(relayResult('example.org', [target]).status).toBe('unknown');
  await srv.close();
});

test('a server that answers EHLO and then goes silent makes the TLS check unknown/fail quickly, not hang', async () => {
  const srv = await fakeSmtp({ answer: (c) => (/^EHLO/i.test(c) ? '250-mx.example.org\r\n250 STARTTLS' : undefined) });
  const config = { probeHelo: 'probe.test', timeouts: fast, extraCa: undefined } as unknown as ServerConfig;
  const t0 = performance.now();
  const o = await observeTls({ host: 'mx.example.org', ip: '127.0.0.1', port: srv.port, mode: 'starttls' }, config, { resolver: fakeResolver({}) });
  expect(performance.now() - t0).toBeLessThan(3000);
  expect(o.errorKind).toBe('timeout');
  await srv.close();
});

test('an open relay is found at RCPT, and the probe never sends DATA', async () => {
  const srv = await fakeSmtp({
    answer: (c) =>
      /^EHLO/i.test(c)
        ? '250-mx.example.org\r\n250 8BITMIME'
        : /^(MAIL|RCPT|RSET|QUIT)/i.test(c)
          ? c.startsWith('QUIT')
            ? '221 bye'
            : '250 2.1.0 Ok'
          : '502 no',
  });
  const probes = relayProbes({ domain: 'example.org', mxHost: 'mx.example.org', ip: '127.0.0.1', rcpt: 'x@example.net', from: 'p@example.com' });
  const target = await probeRelay({ host: 'mx.example.org', ip: '127.0.0.1', port: srv.port }, probes, { helo: 'probe.test', timeouts: fast });
  const r = relayResult('example.org', [target]);
  expect(r.status).toBe('fail');
  expect(r.summary).toContain('OPEN RELAY');
  expect(r.fix).toContain('reject_unauth_destination');
  expect(srv.commands.some((c) => /^(DATA|BDAT)/i.test(c))).toBe(false);
  expect(srv.commands.filter((c) => /^RSET/i.test(c)).length).toBe(probes.length);
  expect(srv.commands.at(-1)).toBe('QUIT');
  await srv.close();
});

test('a closed relay refusing every trick passes; 4xx refusals pass with a warning', async () => {
  const srv = await fakeSmtp({
    answer: (c) =>
      /^EHLO/i.test(c)
        ? '250 mx.example.org'
        : /^RCPT/i.test(c)
          ? c.includes('%')
            ? '450 4.7.1 try later'
            : '554 5.7.1 Relay access denied'
          : c.startsWith('QUIT')
            ? '221 bye'
            : '250 Ok',
  });
  const probes = relayProbes({ domain: 'example.org', mxHost: 'mx.example.org', ip: '127.0.0.1', rcpt: 'x@example.net', from: 'p@example.com' });
  const target = await probeRelay({ host: 'mx.example.org', ip: '127.0.0.1', port: srv.port }, probes, { helo: 'probe.test', timeouts: fast });
  const r = relayResult('example.org', [target]);
  expect(r.status).toBe('pass');
  expect(r.warnings?.[0]).toContain('temporarily');
  await srv.close();
});

test("a closed relay's refusals are spread over connections below Postfix's soft error limit (10), every trick still tried", async () => {
  const srv = await fakeSmtp({
    answer: (c) => (/^EHLO/i.test(c) ? '250 mx.example.org' : /^RCPT/i.test(c) ? '554 5.7.1 Relay access denied' : c.startsWith('QUIT') ? '221 bye' : '250 Ok'),
  });
  const probes = relayProbes({ domain: 'example.org', mxHost: 'mx.example.org', ip: '127.0.0.1', rcpt: 'x@example.net', from: 'p@example.com' });
  const target = await probeRelay({ host: 'mx.example.org', ip: '127.0.0.1', port: srv.port }, probes, { helo: 'probe.test', timeouts: fast });
  expect(relayResult('example.org', [target]).status).toBe('pass');
  expect(target.attempts.map((a) => `${a.probe} ${a.verdict}`)).toEqual(probes.map((p) => `${p.id} refused`));
  // one session per EHLO … QUIT: each stays below the limit, and the attempts are all made
  const sessions = srv.commands
    .join('\n')
    .split(/^QUIT$/m)
    .filter((s) => /EHLO/.test(s));
  const refusedPerSession = sessions.map((s) => (s.match(/^RCPT/gm) ?? []).length);
  expect(REFUSALS_PER_CONNECTION).toBeLessThan(10);
  expect(refusedPerSession).toEqual([REFUSALS_PER_CONNECTION, probes.length - REFUSALS_PER_CONNECTION]);
  expect(srv.commands.some((c) => /^(DATA|BDAT)/i.test(c))).toBe(false);
  await srv.close();
});

test('relay probes cover the classic tricks', () => {
  const p = relayProbes({ domain: 'example.org', mxHost: 'mx.example.org', ip: '192.0.2.1', rcpt: 'x@example.net', from: 'p@example.com' });
  const rcpts = p.map((x) => x.rcpt);
  expect(rcpts).toContain('x%example.net@example.org');
  expect(rcpts).toContain('example.net!x@example.org');
  expect(rcpts).toContain('"x@example.net"@example.org');
  expect(rcpts).toContain('@example.org:x@example.net');
  expect(rcpts).toContain('x%example.net@[192.0.2.1]');
  expect(p.map((x) => x.from)).toEqual(expect.arrayContaining(['', 'postmaster@example.org', 'postmaster@mx.example.org']));
});

test('EHLO parsing reads the name, STARTTLS and AUTH in both forms; garbage names are dropped', () => {
  const info = parseEhlo(makeReply(250, ['mail.example.org Hello', 'STARTTLS', 'AUTH PLAIN LOGIN', 'AUTH=CRAM-MD5']));
  expect(info.name).toBe('mail.example.org');
  expect(info.keywords.has('STARTTLS')).toBe(true);
  expect(authMechanisms(info)).toEqual(expect.arrayContaining(['PLAIN', 'LOGIN']));
  expect(announcedName(makeReply(220, ['<script>x ESMTP']))).toBeUndefined();
});
