import { expect, test } from '@playwright/test';
import { resolveSenders } from '../../src/config/index.ts';
import { senderConfigFromEnv } from '../../src/config/sender.ts';
import { resolveSeeds } from '../../src/config/seeds.ts';
import { sendAll, type TransportFactory } from '../../src/send/submit.ts';
import { submitFailureLines } from '../../src/send/submit-failures.ts';
import { deliveryFrom } from '../../src/run/delivery.ts';

/**
 * The submission server refuses one login (a wrong SMTP_PASS) and takes the other: every message
 * of the refused login says the same thing, one line names the login's variables and its senders,
 * and each placement cell carries the fix.
 */
const env = {
  SMTP_HOST: 'mail.example.org',
  SMTP_USER: 'monitor@canary.example',
  SMTP_PASS: 'wrong-password',
  MAIL_FROM: 'monitor@canary.example',
  FAMILY_USER: 'monitor@family.example',
  FAMILY_PASS: 'right-password',
};

/** refuses AUTH for the canary login as nodemailer reports it (EAUTH, RFC 4954 §6: 535) */
const factory: TransportFactory = (o) =>
  ({
    sendMail: async () => {
      if ((o.auth as { user: string }).user === 'monitor@canary.example')
        throw Object.assign(new Error('Invalid login: 535 5.7.8 Error: authentication failed'), {
          code: 'EAUTH',
          responseCode: 535,
          command: 'AUTH PLAIN',
          response: '535 5.7.8 Error: authentication failed',
        });
      return { response: '250 2.0.0 Ok: queued as 4ABCDEF' };
    },
    close: () => {},
  }) as unknown as ReturnType<TransportFactory>;

test('a refused login: the same words for each of its messages, one line with the variables, the fix in the cell', async () => {
  const { config } = senderConfigFromEnv(env);
  const { senders, problems } = resolveSenders(
    [
      { id: 'canary', from: 'monitor@canary.example' },
      { id: 'system', from: 'root@mail.canary.example', system: true },
      { id: 'family', from: 'monitor@family.example', login: { userEnv: 'FAMILY_USER', passwordEnv: 'FAMILY_PASS' } },
    ],
    env,
    [],
  );
  expect(problems).toEqual([]);
  const plan = senders.flatMap((s, i) => [
    { seedId: 'gmail', to: 'seed@gmail.example', variant: 'plain', sender: s.id, index: 2 * i },
    { seedId: 'gmail', to: 'seed@gmail.example', variant: 'html-with-link', sender: s.id, index: 2 * i + 1 },
  ]);
  const sent = await sendAll({ sender: config, senders, runId: 'mc202601010000abcd', plan, transport: factory, now: () => 1000 });
  const refused = sent.filter((m) => m.submitError);
  expect(refused.map((m) => m.sender)).toEqual(['canary', 'canary', 'system', 'system']);
  for (const m of refused) {
    expect(m.submitError).toMatchObject({
      kind: 'send-failed',
      message: '535 5.7.8 Error: authentication failed',
      login: { user: 'monitor@canary.example', userEnv: 'SMTP_USER', passwordEnv: 'SMTP_PASS' },
    });
  }
  expect(JSON.stringify(sent)).not.toContain('not attempted');
  expect(JSON.stringify(sent)).not.toContain('wrong-password');

  const { lines, loginRefused } = submitFailureLines(sent);
  expect(lines).toEqual([
    'your server refused the login of monitor@canary.example (AUTH PLAIN): 535 5.7.8 Error: authentication failed ' +
      '(senders canary.example, mail.canary.example): 4 of 6 message(s) not sent; fix: check SMTP_USER and SMTP_PASS in .env (or the CI secrets)',
  ]);
  expect(loginRefused).toEqual(lines);

  const [seed] = resolveSeeds(
    [{ id: 'gmail', address: 'seed@gmail.example', provider: 'gmail', imap: { passwordEnv: 'P' } }],
    { P: 'x' },
    { timeoutSeconds: 60, variants: ['plain'] },
  ).seeds;
  const d = deliveryFrom({ seed, sent: refused[2], expected: 'inbox', lab: false });
  expect(d.verdict).toBe('send-failed');
  expect(d.detail).toBe(
    'could not submit: your server refused the login of monitor@canary.example (AUTH PLAIN): 535 5.7.8 Error: authentication failed; fix: check SMTP_USER and SMTP_PASS in .env (or the CI secrets)',
  );
});

test('an outage is grouped too, but is no refused login', () => {
  const base = {
    runId: 'r',
    seedId: 'gmail',
    variant: 'plain',
    to: 'seed@gmail.example',
    from: 'monitor@canary.example',
    envelopeFrom: 'monitor@canary.example',
    messageId: '<m@x>',
    subject: 's',
    submittedAt: 1,
  };
  const down = { kind: 'send-failed' as const, command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:587' };
  const sent = [
    { ...base, tag: 'a', submitError: down },
    { ...base, tag: 'b', submitError: { ...down, message: `not attempted: ${down.message}` } },
    { ...base, tag: 'c' },
  ];
  expect(submitFailureLines(sent)).toEqual({
    lines: ['could not submit 2 of 3 message(s) (sender canary.example; CONN: connect ECONNREFUSED 127.0.0.1:587)'],
    loginRefused: [],
  });
});
