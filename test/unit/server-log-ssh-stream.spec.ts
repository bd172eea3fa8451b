import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { followingCommand, serverLogConfigFromEnv } from '../../src/server-log/config.ts';
import { LogFollower, LogSourceError, type ServerLogConfig } from '../../src/server-log/index.ts';
import type { SpawnFn } from '../../src/server-log/command-source.ts';
import { postfix, TELEKOM_BL, telekomBlock } from './server-log-fixtures.ts';
import { shiftedNow } from './test-clock.ts';

/**
 * Following the server's log over SSH during a run: one streaming command (`tail -F`,
 * `journalctl -f`) for the whole run, stopped at the end, started again after a growing pause
 * when it exits. The stand-in for `ssh` is a real child process that prints the lines it is given.
 */
const offset = shiftedNow() - Date.now();
const clock = () => Date.now() + offset;
const QID = '4ZkQ7w1Lh2z9sRH';

interface Behaviour {
  stdout: string;
  /** exit with this code (and stderr) after printing; undefined: stay running until killed */
  exit?: { code: number; stderr?: string };
}

/** A fake `ssh` whose n-th start behaves as `behaviours[n]` (the last one repeats). */
function fakeSsh(behaviours: Behaviour[]) {
  const calls: Array<{ file: string; args: string[]; at: number; child: ChildProcess }> = [];
  const fn: SpawnFn = (file, args, options) => {
    const b = behaviours[Math.min(calls.length, behaviours.length - 1)];
    const end = b.exit ? `process.stderr.write(${JSON.stringify(b.exit.stderr ?? '')}); process.exitCode = ${b.exit.code};` : 'setInterval(() => {}, 1000);';
    const child = spawn(process.execPath, ['-e', `process.stdout.write(${JSON.stringify(b.stdout)}); ${end}`], options);
    calls.push({ file, args, at: Date.now(), child });
    return child;
  };
  return { fn, calls };
}

const sshConfig = (env: Record<string, string>): ServerLogConfig => {
  const { config, problems } = serverLogConfigFromEnv({ MAILCANARY_LOG_SSH: 'mailcanary@mail.example.org', MAILCANARY_LOG_TIMEZONE: 'UTC', ...env });
  expect(problems).toEqual([]);
  return config!;
};

const bounced = (at: number) =>
  postfix(
    at,
    'smtp',
    2104,
    `${QID}: to=<jane.seed@t-online.de>, relay=mx00.t-online.de[194.25.134.8]:25, delay=300, delays=0/290/10/0, dsn=5.0.0, status=bounced (host mx00.t-online.de[194.25.134.8] refused to talk to me: ${TELEKOM_BL})`,
  );

test('the streaming form of the SSH command: tail -F for cat, -f for journalctl, the own setting first, none for another command', () => {
  expect(followingCommand('cat /var/log/mail.log')).toBe('tail -n +1 -F /var/log/mail.log');
  expect(followingCommand('journalctl -u postfix@- -o json --since @{since}')).toBe('journalctl -u postfix@- -o json --since @{since} -f');
  expect(followingCommand('journalctl -u postfix@- -f')).toBe('journalctl -u postfix@- -f');
  expect(followingCommand('tail -n +1 -F /var/log/mail.log')).toBe('tail -n +1 -F /var/log/mail.log');
  expect(followingCommand('tail -n 100 /var/log/mail.log')).toBeUndefined();
  expect(followingCommand('zcat /var/log/mail.log.1.gz')).toBeUndefined();
  expect(sshConfig({}).source).toEqual({
    kind: 'ssh',
    target: 'mailcanary@mail.example.org',
    command: 'cat /var/log/mail.log',
    follow: 'tail -n +1 -F /var/log/mail.log',
  });
  expect(sshConfig({ MAILCANARY_LOG_SSH_FOLLOW_COMMAND: 'sudo tail -F /var/log/maillog' }).source).toMatchObject({ follow: 'sudo tail -F /var/log/maillog' });
  expect(sshConfig({ MAILCANARY_LOG_SSH_COMMAND: 'grep postfix /var/log/syslog' }).source).not.toHaveProperty('follow');
  const { problems } = serverLogConfigFromEnv({ MAILCANARY_LOG_SSH_FOLLOW_COMMAND: 'tail -F /var/log/mail.log' });
  expect(problems).toEqual([expect.objectContaining({ field: 'MAILCANARY_LOG_SSH_FOLLOW_COMMAND', message: 'is set but MAILCANARY_LOG_SSH is not' })]);
});

test('one ssh stream serves the whole run: lines show up as they come, the process is stopped at the end', async () => {
  const start = clock();
  const ssh = fakeSsh([{ stdout: telekomBlock(start).join('\n') + '\n' }]);
  const follower = new LogFollower(sshConfig({}), { now: clock, since: () => start - 1000, keep: () => [QID], spawn: ssh.fn, quietMs: 100 });
  const seen: number[] = [];
  const off = follower.subscribe(QID, () => seen.push(Date.now()));
  await follower.caughtUp;
  expect(follower.side(QID)?.outcomes[0]?.status).toBe('deferred');
  // more time than the old 10 s poll would leave between two runs of the command: still one process
  await new Promise((r) => setTimeout(r, 300));
  expect(ssh.calls).toHaveLength(1);
  expect(ssh.calls[0].file).toBe('ssh');
  // key authentication only, nothing secret in argv: the options, the target, the remote command
  expect(ssh.calls[0].args).toEqual([
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=15',
    '-o',
    'ServerAliveInterval=15',
    '--',
    'mailcanary@mail.example.org',
    'tail -n +1 -F /var/log/mail.log',
  ]);
  const child = ssh.calls[0].child;
  expect(child.exitCode).toBeNull();
  off();
  await follower.close();
  await expect.poll(() => child.signalCode ?? child.exitCode, { timeout: 5_000 }).toBe('SIGTERM');
  expect(follower.reconnects).toBe(0);
  expect(seen.length).toBeGreaterThan(0);
});

test('a dropped stream is started again after a growing pause and its fresh reading takes over', async () => {
  const start = clock();
  const block = telekomBlock(start).join('\n') + '\n';
  const dropped = { code: 255, stderr: 'Connection to mail.example.org closed by remote host.\n' };
  const ssh = fakeSsh([
    { stdout: block, exit: dropped },
    { stdout: '', exit: dropped },
    { stdout: '', exit: dropped },
    { stdout: '', exit: dropped },
    { stdout: block + bounced(start + 2_000) + '\n' },
  ]);
  const follower = new LogFollower(sshConfig({}), {
    now: clock,
    since: () => start - 1000,
    keep: () => [QID],
    spawn: ssh.fn,
    quietMs: 100,
    reconnectMs: { first: 100, max: 300 },
  });
  follower.subscribe(QID, () => {});
  await expect.poll(() => follower.side(QID)?.outcomes[0]?.status, { timeout: 10_000 }).toBe('bounced');
  expect(follower.failure).toBeUndefined();
  expect(ssh.calls).toHaveLength(5);
  expect(follower.reconnects).toBe(4);
  // pauses of 100, 200, 300 (the longest) and 300 ms, measured from one start to the next
  const gaps = ssh.calls.slice(1).map((c, i) => c.at - ssh.calls[i].at);
  expect(gaps[0]).toBeGreaterThanOrEqual(95);
  expect(gaps[1]).toBeGreaterThanOrEqual(195);
  expect(gaps[2]).toBeGreaterThanOrEqual(295);
  expect(gaps[3]).toBeGreaterThanOrEqual(295);
  expect(gaps[3]).toBeLessThan(2_000);
  await follower.close();
});

test('an ssh login that fails at the first start ends the follower with the fix, and is not retried', async () => {
  const ssh = fakeSsh([{ stdout: '', exit: { code: 255, stderr: 'mailcanary@mail.example.org: Permission denied (publickey).\n' } }]);
  const follower = new LogFollower(sshConfig({}), {
    now: clock,
    since: () => clock(),
    keep: () => [QID],
    spawn: ssh.fn,
    reconnectMs: { first: 50, max: 50 },
  });
  follower.subscribe(QID, () => {});
  await follower.caughtUp;
  await expect.poll(() => follower.failure, { timeout: 5_000 }).toBeInstanceOf(LogSourceError);
  expect((follower.failure as LogSourceError).problem).toBe('ssh could not log in: mailcanary@mail.example.org: Permission denied (publickey).');
  await new Promise((r) => setTimeout(r, 200));
  expect(ssh.calls).toHaveLength(1);
  await follower.close();
});
