/**
 * Log lines from a command's standard output: `journalctl -o json` on this machine, or a
 * command run on the server over the system `ssh` client (key authentication only:
 * BatchMode=yes never asks for a password). The command runs to its end, or until `signal`
 * aborts it (a following command such as `tail -F`). A failure is a LogSourceError with its fix.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { journalError, sshError, type LogSourceError } from './errors.ts';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './lines.ts';
import type { ParseStats } from './types.ts';

export type SpawnFn = (file: string, args: string[], options: SpawnOptions) => ChildProcess;

export interface CommandSpec {
  file: string;
  args: string[];
  /** turns the exit into the source's own error (null: success) */
  failure: (code: number | null, stderr: string, spawnError?: unknown) => LogSourceError | null;
}

export interface CommandReadOptions {
  stats: ParseStats;
  maxLineBytes?: number;
  signal?: AbortSignal;
  spawn?: SpawnFn;
}

const epochSeconds = (ms: number) => String(Math.floor(ms / 1000));

/** `journalctl -u UNIT -o json --since @EPOCH` (systemd.time(7): `@` + seconds since the epoch). */
export function journalCommand(unit: string, since: number, follow = false): CommandSpec {
  const args = ['-u', unit, '-o', 'json', '--no-pager', '--since', `@${epochSeconds(since)}`, ...(follow ? ['-f'] : [])];
  return {
    file: 'journalctl',
    args,
    failure: (code, stderr, spawnError) => {
      // exit 0 with this hint means the journal showed only the user's own entries: nothing of Postfix's
      if (spawnError || code !== 0 || /not seeing messages from other users/i.test(stderr)) return journalError(unit, code, stderr, spawnError);
      return null;
    },
  };
}

/** `ssh -o BatchMode=yes -- user@host COMMAND`; `{since}` in the command becomes epoch seconds. */
export function sshCommand(target: string, command: string, since: number): CommandSpec {
  const remote = command.replaceAll('{since}', epochSeconds(since));
  return {
    file: 'ssh',
    args: ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15', '-o', 'ServerAliveInterval=15', '--', target, remote],
    failure: (code, stderr, spawnError) => (spawnError || code !== 0 ? sshError(target, remote, code, stderr, spawnError) : null),
  };
}

export async function* commandLines(spec: CommandSpec, opts: CommandReadOptions): AsyncGenerator<string> {
  const splitter = new LineSplitter(opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, opts.stats);
  const child = (opts.spawn ?? (nodeSpawn as SpawnFn))(spec.file, spec.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let spawnError: unknown;
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 8192) stderr += d.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (err) => {
      spawnError = err;
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  });
  const stop = () => child.kill('SIGTERM');
  opts.signal?.addEventListener('abort', stop, { once: true });
  try {
    if (child.stdout) {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        yield* splitter.push(chunk);
        if (opts.signal?.aborted) break;
      }
    }
    yield* splitter.end();
    if (opts.signal?.aborted) return;
    const code = await exited;
    const failure = spec.failure(code, stderr, spawnError);
    if (failure) throw failure;
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}
