/**
 * Peak resident memory of a process tree (the Playwright runner and its workers), sampled from
 * /proc (Linux only). RSS is summed over every live process of the tree at each sample; the peak
 * is the highest sum seen. Sampling every 100 ms misses spikes shorter than that: a lower bound.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** pid → parent pid for every process visible in /proc. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid ..." — comm may hold spaces and parentheses
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), Number(rest[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

export function descendants(root: number): number[] {
  const pp = parents();
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of pp) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

export interface RssSampler {
  stop(): { peakBytes: number; peakProcesses: number; samples: number };
}

/**
 * Samples the tree under each child of `parent` whose command line matches `match` (the
 * Playwright CLI), so daemons the same parent started (the lab) are not counted.
 */
export function sampleRss(parent: number, match: RegExp, everyMs = 100): RssSampler {
  let peakBytes = 0;
  let peakProcesses = 0;
  let samples = 0;
  const tick = () => {
    const pp = parents();
    const roots = [...pp].filter(([pid, ppid]) => ppid === parent && match.test(cmdline(pid))).map(([pid]) => pid);
    let sum = 0;
    let n = 0;
    for (const r of roots) {
      for (const pid of descendants(r)) {
        sum += rssBytes(pid);
        n++;
      }
    }
    samples++;
    if (sum > peakBytes) [peakBytes, peakProcesses] = [sum, n];
  };
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { peakBytes, peakProcesses, samples };
    },
  };
}
