import { expect, test } from '@playwright/test';
import { buildMatrix, cellLabel, senderLabel, senderTags } from '../../src/send/matrix.ts';
import { sendAll, type TransportFactory } from '../../src/send/submit.ts';
import { senderConfigFromEnv } from '../../src/config/sender.ts';
import { resolveSenders } from '../../src/config/index.ts';

const seeds = [
  { id: 'gmail', address: 'g@gmail.example' },
  { id: 'gmx', address: 'x@gmx.example' },
];
const env = {
  SMTP_HOST: 'mail.example.org',
  SMTP_USER: 'main',
  SMTP_PASS: 'main-pass',
  FAMILY_USER: 'family-login',
  FAMILY_PASS: 'family-pass',
  MAIL_FROM: 'monitor@example.org',
};
const { senders } = resolveSenders(
  [
    { id: 'family', from: 'Family <monitor@family.example>', login: { userEnv: 'FAMILY_USER', passwordEnv: 'FAMILY_PASS' } },
    { id: 'club', from: 'monitor@club.example', paths: ['ipv4'] },
    { id: 'club-news', from: 'news@club.example' },
    { id: 'system', from: 'root@mail.example.org', system: true },
  ],
  env,
  ['ipv4', 'ipv6'],
);

test('with one sender the matrix, its indexes and titles are those of seeds × variants', () => {
  const cells = buildMatrix(seeds, [senders[0]], ['plain', 'html-with-link'], [undefined]);
  expect(cells).toEqual([
    { seedId: 'gmail', to: 'g@gmail.example', variant: 'plain', index: 0 },
    { seedId: 'gmail', to: 'g@gmail.example', variant: 'html-with-link', index: 1 },
    { seedId: 'gmx', to: 'x@gmx.example', variant: 'plain', index: 2 },
    { seedId: 'gmx', to: 'x@gmx.example', variant: 'html-with-link', index: 3 },
  ]);
  expect(senderTags(senders[0], [senders[0]])).toEqual([]);
  expect(cellLabel('plain', undefined, undefined)).toBe('plain');
  expect(cellLabel('plain', 'ipv6', undefined)).toBe('plain via ipv6');
});

test('several senders: each cell names its sender, a sender limited to some paths skips the others', () => {
  const cells = buildMatrix([seeds[0]], senders, ['plain'], ['ipv4', 'ipv6']);
  expect(cells.map((c) => `${c.sender}/${c.path}/${c.index}`)).toEqual([
    'family/ipv4/0',
    'family/ipv6/1',
    'club/ipv4/2',
    'club-news/ipv4/4',
    'club-news/ipv6/5',
    'system/ipv4/6',
    'system/ipv6/7',
  ]);
});

test('titles and tags name the sender domain; a shared domain names the address; system mail says so', () => {
  const labels = senders.map((s) => senderLabel(s, senders));
  expect(labels).toEqual(['family.example', 'monitor@club.example', 'news@club.example', 'mail.example.org (system mail)']);
  expect(`gmail › ${cellLabel('plain', undefined, labels[0])} lands in inbox`).toBe('gmail › plain from family.example lands in inbox');
  expect(cellLabel('plain', 'ipv6', labels[3])).toBe('plain from mail.example.org (system mail) via ipv6');
  expect(senders.map((s) => senderTags(s, senders))).toEqual([['@family.example'], ['@club.example'], ['@club.example'], ['@mail.example.org', '@system']]);
});

test('one pooled connection per submission login; each message leaves as its sender', async () => {
  const { config } = senderConfigFromEnv(env);
  const opened: Array<{ user?: string }> = [];
  const sentMail: Array<{ from: string; envelope: { from: string }; messageId: string }> = [];
  const factory: TransportFactory = (o) => {
    opened.push({ user: (o.auth as { user?: string } | undefined)?.user });
    return { sendMail: async (m: never) => (sentMail.push(m), { response: '250 ok' }) as never, close: () => {} } as unknown as ReturnType<TransportFactory>;
  };
  const plan = buildMatrix(seeds, senders, ['plain'], [undefined]);
  const sent = await sendAll({ sender: config, senders, runId: 'mc203105170000abcd', plan, transport: factory, now: () => 1000 });
  // family logs in as itself; club, club-news and system share SMTP_USER
  expect(opened.map((o) => o.user).sort()).toEqual(['family-login', 'main']);
  expect(sent.map((m) => [m.sender, m.senderDomain, m.system ?? false])).toEqual([
    ['family', 'family.example', false],
    ['club', 'club.example', false],
    ['club-news', 'club.example', false],
    ['system', 'mail.example.org', true],
    ['family', 'family.example', false],
    ['club', 'club.example', false],
    ['club-news', 'club.example', false],
    ['system', 'mail.example.org', true],
  ]);
  expect(sentMail[0].from).toBe('Family <monitor@family.example>');
  expect(sentMail[0].envelope.from).toBe('monitor-mc203105170000abcd.000@family.example');
  expect(sentMail[0].messageId).toBe('<mc203105170000abcd.000@family.example>');
  expect(sentMail.find((m) => m.messageId.includes('.003'))?.envelope.from).toBe('root-mc203105170000abcd.003@mail.example.org');
  // no login or password travels with a sent message
  expect(JSON.stringify(sent)).not.toMatch(/family-pass|main-pass|family-login/);
});

test('a senders file with one sender: titles stay without it, but the message leaves as that sender', async () => {
  const { config } = senderConfigFromEnv({ ...env, MAIL_FROM: '' });
  const mail: Array<{ from: string; auth?: unknown }> = [];
  const users: unknown[] = [];
  const factory: TransportFactory = (o) => {
    users.push((o.auth as { user?: string } | undefined)?.user);
    return { sendMail: async (m: never) => (mail.push(m), { response: '250 ok' }) as never, close: () => {} } as unknown as ReturnType<TransportFactory>;
  };
  const plan = buildMatrix([seeds[0]], [senders[0]], ['plain'], [undefined]);
  expect(plan[0]).not.toHaveProperty('sender');
  const sent = await sendAll({ sender: config, senders: [senders[0]], runId: 'mc203105170000abcd', plan, transport: factory, now: () => 1000 });
  expect(mail[0].from).toBe('Family <monitor@family.example>');
  expect(users).toEqual(['family-login']);
  expect(sent[0]).not.toHaveProperty('sender');
});
