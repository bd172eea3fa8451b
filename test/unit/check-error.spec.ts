import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { fakeResolver } from '../support/fake-resolver.ts';
import { serverConfigFromEnv } from '../../src/server-checks/config.ts';
import { planServerChecks, runServerCheck } from '../../src/server-checks/plan.ts';
import type { Connector } from '../../src/server-checks/smtp/client.ts';
import { internalErrorInfo, internalErrorOutcome, isProgrammingError, shortStack } from '../../src/shared/internal-error.ts';
import type { InternalErrorInfo } from '../../src/shared/internal-error.ts';
import { registerSecret } from '../../src/shared/redact.ts';

const ROOT = '/srv/build/mailcanary';

test.describe('internal error: message, where, short redacted stack', () => {
  test('frames become project-relative; the first frame in our own code is `where`', () => {
    const stack = [
      'TypeError: name.trim is not a function',
      `    at Object.<anonymous> (${ROOT}/node_modules/mailauth/lib/tools.js:10:5)`,
      `    at normalizeDomain (${ROOT}/src/posture/dns/names.ts:47:15)`,
      `    at ${pathToFileURL(`${ROOT}/src/posture/checks/mx.ts`).href}:34:46`,
      '    at async Promise.all (index 0)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
      '    at async worker (/home/alice/other/place.ts:1:2)',
    ].join('\n');
    const s = shortStack(stack, ROOT);
    expect(s.where).toBe('src/posture/dns/names.ts:47:15');
    expect(s.frames).toEqual([
      'Object.<anonymous> (node_modules/mailauth/lib/tools.js:10:5)',
      'normalizeDomain (src/posture/dns/names.ts:47:15)',
      'src/posture/checks/mx.ts:34:46',
      'process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
      'async worker (…/place.ts:1:2)',
    ]);
    expect(s.frames.join('\n')).not.toContain('/home/alice');
  });

  test('at most six frames; without a frame of our own the first frame is `where`', () => {
    const frames = Array.from({ length: 12 }, (_, i) => `    at f${i} (${ROOT}/node_modules/x/i${i}.js:${i + 1}:1)`);
    const s = shortStack(['Error: x', ...frames].join('\n'), ROOT);
    expect(s.frames).toHaveLength(6);
    expect(s.where).toBe('node_modules/x/i0.js:1:1');
    expect(shortStack(undefined, ROOT)).toEqual({ frames: [] });
  });

  test('the message loses known secrets, control characters and the project path', () => {
    registerSecret('s3cr3t-pa55word');
    const err = new TypeError(`cannot read ${ROOT}/seeds/x.ts\r\nwith s3cr3t-pa55word inside`);
    const info = internalErrorInfo('spf', err, ROOT);
    expect(info).toMatchObject({ check: 'spf', name: 'TypeError', message: 'cannot read seeds/x.ts with [redacted] inside' });
    expect(internalErrorInfo('spf', 'a thrown string', ROOT)).toMatchObject({ name: 'string', message: 'a thrown string', stack: [] });
    expect(internalErrorInfo('spf', new Error(`ENOENT ${path.join(os.homedir(), 'mail', 'x.pem')}`), ROOT).message).toBe(
      `ENOENT ${path.join('~', 'mail', 'x.pem')}`,
    );
    expect(internalErrorInfo('spf', new Error('x'.repeat(2000)), ROOT).message.length).toBeLessThanOrEqual(501);
  });

  test('the outcome is `error`, names the check, the exception and where it was thrown', () => {
    const o = internalErrorOutcome('dmarc', new RangeError('Invalid array length'));
    expect(o.status).toBe('error');
    expect(o.summary).toMatch(/^mailcanary bug: the dmarc check threw RangeError: Invalid array length \(at test\/unit\/check-error\.spec\.ts:\d+:\d+\)$/);
    expect(o.details.error.where).toMatch(/^test\/unit\/check-error\.spec\.ts:\d+:\d+$/);
  });

  test('programming errors are told apart from network and DNS errors', () => {
    expect(isProgrammingError(new TypeError('x'))).toBe(true);
    expect(isProgrammingError(new ReferenceError('x'))).toBe(true);
    const net = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(isProgrammingError(net)).toBe(false);
    expect(isProgrammingError('ETIMEOUT')).toBe(false);
  });
});

test.describe('server checks: a bug is `error`, silence stays `unknown`', () => {
  const env = {
    MAIL_FROM: 'me@example.org',
    MAILCANARY_SENDING_IPS: '127.0.0.1',
    MAILCANARY_HELO: 'mx.example.org',
    SMTP_HOST: 'mx.example.org',
    MAILCANARY_SMTP_TIMEOUT: '1',
  };
  const zone = {
    'example.org': { MX: [{ exchange: 'mx.example.org', priority: 10 }], A: ['127.0.0.1'] },
    'mx.example.org': { A: ['127.0.0.1'] },
    '1.0.0.127.in-addr.arpa': { PTR: ['mx.example.org'] },
  };

  async function closedPort(): Promise<number> {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
  }

  test('a probe that throws a TypeError makes the check `error` with message and where; a refused port is `unknown`', async () => {
    const port = await closedPort();
    const config = serverConfigFromEnv({ ...env, MAILCANARY_SMTP_PORTS: `mx:${port},submission:${port},smtps:off` });
    const relay = planServerChecks(config).find((p) => p.id === 'open-relay')!;
    const banner = planServerChecks(config).find((p) => p.id === 'banner' && p.target === 'example.org')!;
    const buggy: Connector = () => {
      throw new TypeError('socket factory returned undefined');
    };
    for (const p of [relay, banner]) {
      const r = await runServerCheck(p, config, { resolver: fakeResolver(zone), connector: buggy });
      expect(r.status, `${p.title}: ${r.summary}`).toBe('error');
      expect(r).toMatchObject({ id: p.id, title: p.title, target: 'example.org' });
      expect(r.summary).toMatch(
        new RegExp(
          `^mailcanary bug: the ${p.id} check threw TypeError: socket factory returned undefined \\(at test/unit/check-error\\.spec\\.ts:\\d+:\\d+\\)$`,
        ),
      );
      const e = r.details?.error as InternalErrorInfo;
      expect(e.stack.some((f) => f.startsWith('SmtpProbe.open') || f.includes('src/server-checks/smtp/client.ts:'))).toBe(true);

      // the same check against a port nobody listens on: the outside did not answer
      const silent = await runServerCheck(p, config, { resolver: fakeResolver(zone) });
      expect(silent.status, `${p.title}: ${silent.summary}`).toBe('unknown');
      expect(silent.details?.error).toBeUndefined();
    }
  });

  test('the MX TLS check: a bug in our probe code is `error`, not "could not reach the server"', async () => {
    const port = await closedPort();
    const config = serverConfigFromEnv({ ...env, MAILCANARY_SMTP_PORTS: `mx:${port},submission:${port},smtps:off` });
    const tls = planServerChecks(config).find((p) => p.id === 'tls' && p.target === 'example.org')!;
    const r = await runServerCheck(tls, config, {
      resolver: fakeResolver(zone),
      connector: () => {
        throw new TypeError('bad socket options');
      },
    });
    expect(r.status).toBe('error');
    expect(r.summary).toContain('TypeError: bad socket options');
  });

  test('a check that throws outright keeps its id, title and target', async () => {
    const config = serverConfigFromEnv(env);
    const p = { id: 'website', title: 'website › example.org serves a page', target: 'example.org', run: async () => JSON.parse('{') as never };
    const r = await runServerCheck(p, config, { resolver: fakeResolver(zone) });
    expect(r).toMatchObject({ id: 'website', title: p.title, target: 'example.org', status: 'error' });
    expect(r.summary).toContain('the website check threw SyntaxError');
    expect(path.isAbsolute((r.details?.error as InternalErrorInfo).where ?? '')).toBe(false);
  });
});
