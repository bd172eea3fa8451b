import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, renameSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { commandLines, journalCommand, sshCommand, type SpawnFn } from '../../src/server-log/command-source.ts';
import { fileLines } from '../../src/server-log/file-source.ts';
import { LogSourceError } from '../../src/server-log/errors.ts';
import { readServerLog } from '../../src/server-log/index.ts';
import { emptyStats } from '../../src/server-log/types.ts';
import { postfix } from './server-log-fixtures.ts';

const NOW = Date.UTC(2026, 11, 1, 20, 0, 0);
const line = (i: number) => postfix(NOW - 600_000 + i * 1000, 'qmgr', 100, `${(0x3f1a22c000 + i).toString(16).toUpperCase()}: removed`);

async function collect(it: AsyncIterable<string>, each?: (n: number) => void | Promise<void>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) {
    out.push(l);
    await each?.(out.length);
  }
  return out;
}

test.describe('file source', () => {
  test('rotation by rename + create mid-read: the old file to its end, then the new one', async ({}, testInfo) => {
    const file = testInfo.outputPath('mail.log');
    mkdirSync(testInfo.outputDir, { recursive: true });
    writeFileSync(file, [0, 1, 2, 3].map(line).join('\n') + '\n');
    const stats = emptyStats();
    const got = await collect(fileLines(file, { stats, chunkBytes: 64 }), (n) => {
      if (n !== 1) return;
      // logrotate: the writer appended one more line before the rename, then a new file starts
      appendFileSync(file, line(4) + '\n');
      renameSync(file, `${file}.1`);
      writeFileSync(file, [5, 6].map(line).join('\n') + '\n');
    });
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6].map(line));
    expect(stats.rotations).toBe(1);
  });

  test('truncation under the reader (copytruncate): starts over, counted', async ({}, testInfo) => {
    const file = testInfo.outputPath('mail.log');
    mkdirSync(testInfo.outputDir, { recursive: true });
    writeFileSync(file, [0, 1, 2, 3, 4, 5].map(line).join('\n') + '\n');
    const stats = emptyStats();
    let cut = false;
    const got = await collect(fileLines(file, { stats, chunkBytes: 1 << 16 }), (n) => {
      if (n !== 6 || cut) return;
      cut = true;
      truncateSync(file, 0);
      writeFileSync(file, line(9) + '\n');
    });
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 9].map(line));
    expect(stats.rotations).toBe(1);
  });

  test('an over-long line is skipped and counted, a partial last line is read and counted', async ({}, testInfo) => {
    const file = testInfo.outputPath('mail.log');
    mkdirSync(testInfo.outputDir, { recursive: true });
    writeFileSync(file, `${line(0)}\n${'x'.repeat(5000)}\n${line(1)}\n${line(2).slice(0, 30)}`);
    const stats = emptyStats();
    const got = await collect(fileLines(file, { stats, maxLineBytes: 1024, chunkBytes: 700 }));
    expect(got).toEqual([line(0), line(1), line(2).slice(0, 30)]);
    expect(stats).toMatchObject({ tooLong: 1, truncated: 1 });
    const r = await readServerLog({ kind: 'file', path: file }, { now: NOW, since: NOW - 3_600_000, utcOffsetMinutes: 0, maxLineBytes: 1024 });
    expect(r.stats).toMatchObject({ lines: 3, used: 2, garbage: 1, tooLong: 1, truncated: 1 });
  });

  test('follow mode picks up lines written later and stops when aborted', async ({}, testInfo) => {
    const file = testInfo.outputPath('mail.log');
    mkdirSync(testInfo.outputDir, { recursive: true });
    writeFileSync(file, line(0) + '\n');
    const ac = new AbortController();
    setTimeout(() => appendFileSync(file, line(1) + '\n'), 150);
    const got = await collect(fileLines(file, { stats: emptyStats(), follow: true, signal: ac.signal, pollMs: 20 }), (n) => {
      if (n === 2) ac.abort();
    });
    expect(got).toEqual([line(0), line(1)]);
  });

  test('a missing file and a directory are their own errors with the fix', async ({}, testInfo) => {
    const missing = testInfo.outputPath('nope.log');
    const err = await collect(fileLines(missing, { stats: emptyStats() })).catch((e) => e);
    expect(err).toBeInstanceOf(LogSourceError);
    expect(err.message).toContain(`server log file ${missing}: no such file`);
    expect(err.fix).toContain('MAILCANARY_LOG_FILE');
    mkdirSync(testInfo.outputDir, { recursive: true });
    const dir = await collect(fileLines(testInfo.outputDir, { stats: emptyStats() })).catch((e) => e);
    expect(dir).toMatchObject({ name: 'LogSourceError', problem: 'is a directory' });
  });

  test('a file the user may not read: permission denied, with group adm as the fix', async ({}, testInfo) => {
    const file = testInfo.outputPath('mail.log');
    mkdirSync(testInfo.outputDir, { recursive: true });
    writeFileSync(file, line(0) + '\n');
    chmodSync(file, 0o600);
    // root reads anything: the reader then runs as nobody, so the kernel really says EACCES
    const asOther = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (!asOther.uid) chmodSync(file, 0o000);
    const r = spawnSync(process.execPath, [new URL('./server-log-read-file.ts', import.meta.url).pathname, file], { encoding: 'utf8', ...asOther });
    const out = JSON.parse(r.stdout || '{}');
    expect(out.error, r.stderr).toMatchObject({ name: 'LogSourceError', problem: 'permission denied' });
    expect(out.error.fix).toContain('group adm');
    expect(out.error.fix).toContain('MAILCANARY_LOG_FILE to a readable copy');
  });
});

/** A stand-in for ssh/journalctl: a real child process that prints `stdout`, `stderr` and exits `code`. */
function fakeCommand(stdout: string, stderr: string, code: number, calls: Array<{ file: string; args: string[] }>): SpawnFn {
  return (file, args, options) => {
    calls.push({ file, args });
    const script = `process.stdout.write(${JSON.stringify(stdout)}); process.stderr.write(${JSON.stringify(stderr)}); process.exitCode = ${code};`;
    return spawn(process.execPath, ['-e', script], options);
  };
}

test.describe('command sources', () => {
  test('ssh runs with BatchMode (never a password) and `{since}` filled in; lines stream out', async () => {
    const spec = sshCommand('mailcanary@mail.example.org', 'journalctl -u postfix@- -o json --since @{since}', NOW - 3_600_000);
    expect(spec.file).toBe('ssh');
    expect(spec.args).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=15',
      '-o',
      'ServerAliveInterval=15',
      '--',
      'mailcanary@mail.example.org',
      `journalctl -u postfix@- -o json --since @${(NOW - 3_600_000) / 1000}`,
    ]);
    const calls: Array<{ file: string; args: string[] }> = [];
    const got = await collect(commandLines(spec, { stats: emptyStats(), spawn: fakeCommand(`${line(0)}\n${line(1)}\n`, '', 0, calls) }));
    expect(got).toEqual([line(0), line(1)]);
    expect(calls[0].args).toContain('BatchMode=yes');
  });

  test('ssh exit 255 is an error naming key auth, after the lines that did arrive', async () => {
    const spec = sshCommand('mailcanary@mail.example.org', 'cat /var/log/mail.log', NOW);
    const got: string[] = [];
    const err = await (async () => {
      for await (const l of commandLines(spec, {
        stats: emptyStats(),
        spawn: fakeCommand(`${line(0)}\n`, 'mailcanary@mail.example.org: Permission denied (publickey).\n', 255, []),
      }))
        got.push(l);
    })().catch((e) => e);
    expect(err).toBeInstanceOf(LogSourceError);
    expect(err.problem).toBe('ssh could not log in: mailcanary@mail.example.org: Permission denied (publickey).');
    expect(err.fix).toContain('check key auth: `ssh -o BatchMode=yes mailcanary@mail.example.org true`');
    expect(got).toEqual([line(0)]);
  });

  test('a remote command that may not read the log, and one that does not exist', async () => {
    const spec = sshCommand('mc@mail.example.org', 'cat /var/log/mail.log', NOW);
    const denied = await collect(
      commandLines(spec, { stats: emptyStats(), spawn: fakeCommand('', 'cat: /var/log/mail.log: Permission denied\n', 1, []) }),
    ).catch((e) => e);
    expect(denied.fix).toContain('group adm on mail.example.org');
    const missing = await collect(commandLines(spec, { stats: emptyStats(), spawn: fakeCommand('', 'bash: line 1: cta: command not found\n', 127, []) })).catch(
      (e) => e,
    );
    expect(missing.problem).toContain('not found on the server');
  });

  test('journalctl: JSON lines parse; a journal the user may not see is an error, not an empty log', async () => {
    const spec = journalCommand('postfix@-', NOW - 3_600_000);
    expect(spec.args).toEqual(['-u', 'postfix@-', '-o', 'json', '--no-pager', '--since', `@${(NOW - 3_600_000) / 1000}`]);
    const entry = JSON.stringify({
      __REALTIME_TIMESTAMP: String((NOW - 60_000) * 1000),
      SYSLOG_IDENTIFIER: 'postfix/qmgr',
      _PID: '9',
      MESSAGE: '3F1A22C0B9: from=<a@example.org>, size=10, nrcpt=1 (queue active)',
    });
    const r = await readServerLog(
      { kind: 'journal', unit: 'postfix@-' },
      { now: NOW, since: NOW - 3_600_000, spawn: fakeCommand(entry + '\n', '', 0, []), keep: ['3F1A22C0B9'] },
    );
    expect(r.trails.get('3F1A22C0B9')).toMatchObject({ from: 'a@example.org', firstAt: NOW - 60_000 });
    const hint =
      "Hint: You are currently not seeing messages from other users and the system.\n      Users in groups 'adm', 'systemd-journal' can see all messages.\n";
    const err = await collect(commandLines(spec, { stats: emptyStats(), spawn: fakeCommand('', hint, 0, []) })).catch((e) => e);
    expect(err).toBeInstanceOf(LogSourceError);
    expect(err.fix).toContain('group systemd-journal or adm');
    const gone = await collect(
      commandLines(spec, { stats: emptyStats(), spawn: () => spawn('/nonexistent/journalctl', [], { stdio: ['ignore', 'pipe', 'pipe'] }) }),
    ).catch((e) => e);
    expect(gone.problem).toBe('journalctl is not installed on this machine');
  });

  test('an aborted following command is stopped and ends without an error', async () => {
    const ac = new AbortController();
    const spawnFn: SpawnFn = (_f, _a, options) =>
      spawn(process.execPath, ['-e', `console.log(${JSON.stringify(line(0))}); setInterval(() => {}, 1000)`], options);
    const got = await collect(
      commandLines(sshCommand('mc@mail.example.org', 'tail -n +1 -F /var/log/mail.log', NOW), { stats: emptyStats(), spawn: spawnFn, signal: ac.signal }),
      () => ac.abort(),
    );
    expect(got).toEqual([line(0)]);
  });
});
