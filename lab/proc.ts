/**
 * Process plumbing for the lab daemons: detached spawn with pid files, stop with escalation,
 * who listens on a port (from /proc, no external tools), and readiness probes.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync, readdirSync, readlinkSync, existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// The daemons (nsd, dovecot, postfix, opendkim) live in the sbin folders, which a non-login
// shell or a CI runner may leave out of PATH.
for (const dir of ['/usr/local/sbin', '/usr/sbin', '/sbin']) {
  const parts = (process.env.PATH ?? '').split(':');
  if (!parts.includes(dir)) process.env.PATH = [...parts.filter(Boolean), dir].join(':');
}

export interface DaemonSpec {
  name: string;
  command: string;
  args: string[];
  /** stdout+stderr of the process (the daemon's own log is separate where it has one) */
  outFile: string;
  pidFile?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts a long-running process detached from us (own process group), so it outlives the CLI. */
export function spawnDaemon(spec: DaemonSpec): number {
  const fd = openSync(spec.outFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: spec.env ?? process.env,
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command}): see ${spec.outFile}`);
    child.unref();
    if (spec.pidFile) writeFileSync(spec.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function readPid(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 1 ? n : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // a zombie still "exists" for kill(0): treat it as gone
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL. Resolves when the process is gone. */
export async function killPid(pid: number, graceMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = performance.now() + graceMs;
  while (performance.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  for (let i = 0; i < 40 && isAlive(pid); i++) await sleep(50);
}

/** Stops the process named by a pid file if it still runs the expected program; removes the file. */
export async function stopByPidFile(pidFile: string, expect: RegExp, graceMs?: number): Promise<boolean> {
  const pid = readPid(pidFile);
  let stopped = false;
  if (pid && isAlive(pid) && expect.test(cmdline(pid))) {
    await killPid(pid, graceMs);
    stopped = true;
  }
  if (existsSync(pidFile)) rmSync(pidFile, { force: true });
  return stopped;
}

function socketInodes(port: number, proto: 'tcp' | 'udp'): Set<string> {
  const inodes = new Set<string>();
  const want = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of [`/proc/net/${proto}`, `/proc/net/${proto}6`]) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const localPort = f[1].split(':')[1];
      // TCP: only LISTEN (0A); UDP: bound sockets show state 07
      const listening = proto === 'tcp' ? f[3] === '0A' : f[3] === '07';
      if (localPort === want && listening) inodes.add(f[9]);
    }
  }
  inodes.delete('0');
  return inodes;
}

/** Pids holding a listening socket on `port` (TCP, or UDP when asked). Reads /proc only. */
export function listenersOn(port: number, proto: 'tcp' | 'udp' = 'tcp'): number[] {
  const inodes = socketInodes(port, proto);
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1])) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

/** True when a TCP connect to host:port succeeds. */
export function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Connects and reads the first line the server sends (SMTP 220 / IMAP * OK greeting). */
export function readGreeting(host: string, port: number, timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    let buf = '';
    const done = (line: string | undefined) => {
      sock.destroy();
      resolve(line);
    };
    sock.setTimeout(timeoutMs, () => done(undefined));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const i = buf.indexOf('\n');
      if (i >= 0) done(buf.slice(0, i).replace(/\r$/, ''));
    });
    sock.once('error', () => done(undefined));
    sock.once('end', () => done(buf || undefined));
  });
}

/** Polls `probe` until it returns true or `timeoutMs` passes; returns whether it succeeded. */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  // durations on the monotonic clock: a wall clock stepped meanwhile (NTP) changes nothing
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return true;
    } catch {
      /* not yet */
    }
    if (performance.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/** Runs a command to completion, collecting output; never throws for a non-zero exit. */
export function run(
  command: string,
  args: string[],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, out: out + String(err) });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Last `n` lines of a log file, for error messages. */
export function tail(file: string, n = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}
