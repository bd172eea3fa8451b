import { expect, test } from '@playwright/test';
import { parseEndpoint, smtpPathsFromEnv, variantLabel } from '../../src/config/paths.ts';
import type { ConfigProblem } from '../../src/config/errors.ts';
import { senderConfigFromEnv } from '../../src/config/sender.ts';
import { pathFor, sendAll, transportOptions } from '../../src/send/submit.ts';
import type { TransportFactory } from '../../src/send/submit.ts';
import { findSent } from '../../src/run/manifest.ts';
import type { RunManifest } from '../../src/run/manifest.ts';
import { familyOfPathName, pathFamilyWarning } from '../../src/run/path-family.ts';
import { planKey, shardPlan } from '../../src/send/shard-plan.ts';
import { collectRun } from '../../src/record/from-results.ts';
import type { ResultInput } from '../../src/record/from-results.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';
import type { Seed } from '../../src/config/seeds.ts';

const good = {
  SMTP_HOST: 'mail.example.org',
  SMTP_PORT: '587',
  SMTP_TLS: 'starttls',
  SMTP_USER: 'monitor@example.org',
  SMTP_PASS: 's3cret-pass',
  MAIL_FROM: 'monitor@example.org',
};

function paths(raw: string | undefined, fallback = { host: 'mail.example.org', port: 587 }) {
  const problems: ConfigProblem[] = [];
  const result = smtpPathsFromEnv(raw, fallback, problems);
  return { result, problems };
}

test.describe('SMTP_PATHS parsing', () => {
  test('without SMTP_PATHS there is exactly one unnamed path: SMTP_HOST:SMTP_PORT', () => {
    const { config, problems } = senderConfigFromEnv(good);
    expect(problems).toEqual([]);
    expect(config.paths).toEqual([{ host: 'mail.example.org', port: 587 }]);
    expect(config.paths[0].name).toBeUndefined();
    // an implicit-TLS server defaults to 465, and the default path follows SMTP_PORT's default
    expect(senderConfigFromEnv({ ...good, SMTP_PORT: '', SMTP_TLS: 'implicit' }).config.paths).toEqual([{ host: 'mail.example.org', port: 465 }]);
  });

  test('named paths: IPv4 literal, bracketed IPv6 literal, host name, default port', () => {
    const { result, problems } = paths('ipv6=[2001:db8::25]:2587, ipv4=192.0.2.25:587,backup=mx2.example.org,v6b=[::1]');
    expect(problems).toEqual([]);
    expect(result).toEqual([
      { name: 'ipv6', host: '2001:db8::25', port: 2587, servername: 'mail.example.org' },
      { name: 'ipv4', host: '192.0.2.25', port: 587, servername: 'mail.example.org' },
      { name: 'backup', host: 'mx2.example.org', port: 587 },
      { name: 'v6b', host: '::1', port: 587, servername: 'mail.example.org' },
    ]);
  });

  test('address literals get no TLS server name when SMTP_HOST is itself an address (the lab)', () => {
    const { result, problems } = paths('ipv6=127.0.0.1:1594,ipv4=127.0.0.1:1604', { host: '127.0.0.1', port: 1587 });
    expect(problems).toEqual([]);
    expect(result).toEqual([
      { name: 'ipv6', host: '127.0.0.1', port: 1594 },
      { name: 'ipv4', host: '127.0.0.1', port: 1604 },
    ]);
  });

  const bad: Array<[string, RegExp]> = [
    ['ipv4=192.0.2.1:587,,ipv6=[::1]:587', /empty entry/],
    ['192.0.2.1:587,ipv6=[::1]:587', /has no name/],
    ['IPv4=192.0.2.1:587,ipv6=[::1]:587', /path name 'IPv4' is not usable/],
    ['ipv4 path=192.0.2.1,ipv6=[::1]', /not usable/],
    ['a=192.0.2.1,a=192.0.2.2', /given twice/],
    ['ipv4=192.0.2.1:0,ipv6=[::1]', /'0' is not a port/],
    ['ipv4=192.0.2.1:99999,ipv6=[::1]', /'99999' is not a port/],
    ['ipv4=192.0.2.1:58x,ipv6=[::1]', /'58x' is not a port/],
    ['ipv4=192.0.2.1,ipv6=2001:db8::1', /without brackets/],
    ['ipv4=192.0.2.1,ipv6=[not-v6]:25', /not an IPv6 address/],
    ['ipv4=bad_host!:25,ipv6=[::1]', /not a host name or IP address/],
    ['ipv4=:25,ipv6=[::1]', /has no host/],
    ['ipv4=192.0.2.1:587', /only one path/],
    ['a=192.0.2.1:587,b=192.0.2.1:587', /same endpoint/],
  ];
  for (const [raw, why] of bad) {
    test(`refused with a clear message: ${raw}`, () => {
      const { problems } = paths(raw);
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) {
        expect(p.field).toBe('SMTP_PATHS');
        expect(p.fix).toBeTruthy();
      }
      expect(problems.map((p) => p.message).join('\n')).toMatch(why);
    });
  }

  test('SMTP_HOST is optional when SMTP_PATHS names the endpoints; errors go through the sender config', () => {
    const { config, problems } = senderConfigFromEnv({ ...good, SMTP_HOST: '', SMTP_PATHS: 'ipv4=192.0.2.25,ipv6=[2001:db8::25]' });
    expect(problems).toEqual([]);
    expect(config.paths.map((p) => p.name)).toEqual(['ipv4', 'ipv6']);
    expect(config.paths[0].servername).toBeUndefined();
    const broken = senderConfigFromEnv({ ...good, SMTP_PATHS: 'ipv4' });
    expect(broken.problems.map((p) => p.field)).toEqual(['SMTP_PATHS']);
    // the password never appears in a path problem
    expect(JSON.stringify(broken.problems)).not.toContain(good.SMTP_PASS);
  });

  test('parseEndpoint keeps the default port and reads brackets', () => {
    expect(parseEndpoint('mail.example.org', 465)).toEqual({ host: 'mail.example.org', port: 465 });
    expect(parseEndpoint('[::1]:25', 587)).toEqual({ host: '::1', port: 25 });
    expect(parseEndpoint('[::1]:', 587)).toMatchObject({ error: expect.stringContaining('not a port') });
  });

  test('variant labels', () => {
    expect(variantLabel('plain', undefined)).toBe('plain');
    expect(variantLabel('plain', 'ipv6')).toBe('plain via ipv6');
  });
});

test.describe('sending through paths', () => {
  const env = { ...good, SMTP_HOST: 'mail.example.org', SMTP_PATHS: 'ipv6=[2001:db8::25]:587,ipv4=192.0.2.25:587' };

  test('transport options aim each path at its endpoint and verify TLS against the server name', () => {
    const { config } = senderConfigFromEnv(env);
    const v6 = transportOptions(config.smtp, config.paths[0]);
    expect(v6).toMatchObject({ host: '2001:db8::25', port: 587, servername: 'mail.example.org', requireTLS: true, pool: true, maxConnections: 1 });
    // without a path: exactly as before paths existed
    const plain = transportOptions(senderConfigFromEnv(good).config.smtp);
    expect(plain).toMatchObject({ host: 'mail.example.org', port: 587 });
    expect(plain).not.toHaveProperty('servername');
  });

  test('one pooled connection per path; every message leaves through its own path with a unique tag', async () => {
    const { config } = senderConfigFromEnv(env);
    const opened: Array<{ host: unknown; mails: string[]; closed: boolean }> = [];
    const factory: TransportFactory = (o) => {
      const t = { host: o.host, mails: [] as string[], closed: false };
      opened.push(t);
      return {
        sendMail: async (m: { to?: unknown }) => {
          t.mails.push(String(m.to));
          return {} as never;
        },
        close: () => {
          t.closed = true;
        },
      } as unknown as ReturnType<TransportFactory>;
    };
    const plan = [
      { seedId: 'gmail', to: 'seed@gmail.example', variant: 'plain', path: 'ipv6', index: 0 },
      { seedId: 'gmail', to: 'seed@gmail.example', variant: 'plain', path: 'ipv4', index: 1 },
      { seedId: 'gmx', to: 'seed@gmx.example', variant: 'plain', path: 'ipv6', index: 2 },
      { seedId: 'gmx', to: 'seed@gmx.example', variant: 'plain', path: 'nope', index: 3 },
    ];
    const sent = await sendAll({ sender: config, runId: 'mc202601010000abcd', plan, transport: factory, now: () => 1000 });
    expect(opened.map((t) => t.host).sort()).toEqual(['192.0.2.25', '2001:db8::25']);
    expect(opened.every((t) => t.closed)).toBe(true);
    expect(opened.find((t) => t.host === '2001:db8::25')!.mails).toEqual(['seed@gmail.example', 'seed@gmx.example']);
    expect(opened.find((t) => t.host === '192.0.2.25')!.mails).toEqual(['seed@gmail.example']);
    expect(sent.map((m) => m.path)).toEqual(['ipv6', 'ipv4', 'ipv6', 'nope']);
    expect(new Set(sent.map((m) => m.tag)).size).toBe(4);
    expect(sent[3].submitError).toMatchObject({ kind: 'send-failed', message: expect.stringContaining("no submission path named 'nope'") });
    // the manifest lookup tells the paths apart
    const manifest: RunManifest = { runId: 'r', startedAt: 0, lab: false, seedsFile: '', messages: sent, skipped: [] };
    expect(findSent(manifest, 'gmail', 'plain', 'ipv4')?.tag).toBe(sent[1].tag);
    expect(findSent(manifest, 'gmail', 'plain', 'ipv6')?.tag).toBe(sent[0].tag);
    expect(findSent(manifest, 'gmail', 'plain')).toBeUndefined();
  });

  test('without paths a plan goes through SMTP_HOST and no path is recorded (manifests unchanged)', async () => {
    const { config } = senderConfigFromEnv(good);
    expect(pathFor(config, undefined)).toEqual({ host: 'mail.example.org', port: 587 });
    const hosts: unknown[] = [];
    const factory: TransportFactory = (o) => {
      hosts.push(o.host);
      return { sendMail: async () => ({}) as never, close: () => {} } as unknown as ReturnType<TransportFactory>;
    };
    const sent = await sendAll({
      sender: config,
      runId: 'mc202601010000abcd',
      plan: [{ seedId: 's', to: 'a@b.example', variant: 'plain' }],
      transport: factory,
    });
    expect(hosts).toEqual(['mail.example.org']);
    expect(sent[0]).not.toHaveProperty('path');
    expect(findSent({ runId: 'r', startedAt: 0, lab: false, seedsFile: '', messages: sent, skipped: [] }, 's', 'plain')).toBe(sent[0]);
  });
});

test.describe('address family of a path', () => {
  test('family promised by a path name', () => {
    expect(familyOfPathName('ipv4')).toBe('ipv4');
    expect(familyOfPathName('out-v6')).toBe('ipv6');
    expect(familyOfPathName('backup')).toBeUndefined();
    expect(familyOfPathName('ipv45')).toBeUndefined();
    expect(familyOfPathName(undefined)).toBeUndefined();
  });

  test('warns only when the provider saw the other family', () => {
    expect(pathFamilyWarning({ path: 'ipv4', seen: 'ipv4', seedId: 'gmail' })).toBeUndefined();
    expect(pathFamilyWarning({ path: 'ipv4', seen: undefined, seedId: 'gmail' })).toBeUndefined();
    expect(pathFamilyWarning({ path: 'backup', seen: 'ipv6', seedId: 'gmail' })).toBeUndefined();
    const w = pathFamilyWarning({ path: 'ipv4', seen: 'ipv6', seedId: 'gmail' });
    expect(w).toContain('path ipv4 reached gmail over IPv6, not IPv4');
    expect(w).toContain('inet_protocols = ipv4');
  });
});

test.describe('paths in records and shards', () => {
  const seed = { id: 'gmail', provider: 'gmail', authservIds: ['mx.google.com'], timeoutSeconds: 30 } as unknown as Seed;

  test('the Delivery carries the path and its detail names it', () => {
    const sent = {
      runId: 'r',
      tag: 'mcx.001',
      seedId: 'gmail',
      variant: 'plain',
      path: 'ipv6',
      to: 'a@b.example',
      from: 'm@c.example',
      envelopeFrom: 'm@c.example',
      messageId: '<x@c.example>',
      subject: 's',
      submittedAt: 1000,
    };
    const d = deliveryFrom({
      seed,
      sent,
      expected: 'inbox',
      lab: true,
      watch: { status: 'found', sighting: { placement: 'inbox', folder: 'INBOX', seenAt: 2000 } } as never,
    });
    expect(d.path).toBe('ipv6');
    expect(d.detail).toContain('via path ipv6');
    const { path: _drop, ...plain } = sent;
    expect(deliveryFrom({ seed, sent: plain, expected: 'inbox', lab: true })).not.toHaveProperty('path');
  });

  test('shard plans keep seed × variant × path apart', () => {
    const ann = (o: object) => [{ type: 'mailcanary.plan', description: JSON.stringify(o) }];
    const plan = shardPlan([
      ann({ seedId: 'g', variant: 'plain', path: 'ipv4' }),
      ann({ seedId: 'g', variant: 'plain', path: 'ipv6' }),
      ann({ seedId: 'g', variant: 'plain', path: 'ipv6' }),
      ann({ seedId: 'g', variant: 'plain' }),
    ]);
    expect(plan).toEqual([
      { seedId: 'g', variant: 'plain', path: 'ipv4' },
      { seedId: 'g', variant: 'plain', path: 'ipv6' },
      { seedId: 'g', variant: 'plain' },
    ]);
    expect(new Set(plan.map(planKey)).size).toBe(3);
  });

  test('the history records each path as its own column: `plain via ipv6` beside `plain via ipv4`', () => {
    const result = (path: string, verdict: string): ResultInput => ({
      titlePath: ['', 'placement', 'placement.spec.ts', 'gmail', `plain via ${path} lands in inbox`],
      status: 'passed',
      annotations: [{ type: 'mailcanary.seed', description: JSON.stringify({ id: 'gmail', provider: 'gmail', address: 'a@b.example', lab: true }) }],
      attachments: [
        {
          name: 'delivery.json',
          contentType: 'application/json',
          body: JSON.stringify({
            runId: 'mc1',
            seedId: 'gmail',
            provider: 'gmail',
            variant: 'plain',
            path,
            verdict,
            lab: true,
            sent: { runId: 'mc1', variant: 'plain', path },
          }),
        },
      ],
    });
    const { bundle } = collectRun([result('ipv6', 'inbox'), result('ipv4', 'spam')], { startedAt: 0, finishedAt: 1, status: 'passed' });
    expect(bundle!.messages.map((m) => [m.variant, m.verdict])).toEqual([
      ['plain via ipv4', 'spam'],
      ['plain via ipv6', 'inbox'],
    ]);
  });
});
