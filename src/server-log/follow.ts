/**
 * Follows the server's mail log while placement tests wait, one follower per worker: it
 * starts at the run's first submission (a file is entered by bisection, the journal and SSH
 * by `--since`/`{since}`), reads new lines as they are written, and ties them to the run's
 * queue ids. Memory stays bounded: only the run's own trails are kept, other messages' trails
 * are dropped when they leave the queue (at most `maxOpen` open at once).
 *
 * A file and the journal are followed live (`-f`). Over SSH one streaming command runs for the
 * whole run (`tail -F`, `journalctl -f`; the source's `follow`) and is stopped at the end; when
 * it exits (a dropped connection) it is started again after a growing pause, re-reads from the
 * same `{since}` into a fresh set of trails and takes over once it has read what was there. An
 * SSH command without a streaming form is run again every `sshPollMs` instead. A source that
 * cannot be read at the first attempt ends the follower with its error; every waiting message is told.
 */
import { DEFAULT_MAX_LINE_BYTES } from './lines.ts';
import type { LogSource, ServerLogConfig } from './config.ts';
import { Correlator } from './correlate.ts';
import { fileLines, sleep } from './file-source.ts';
import { offsetAtTime } from './file-seek.ts';
import { parseLogLine } from './parse-line.ts';
import { senderSide, sourceLines, type SenderSide } from './read.ts';
import type { SpawnFn } from './command-source.ts';
import { emptyStats, type ParseStats } from './types.ts';

export interface FollowerOptions {
  /** the injected clock (ms since epoch): year inference of syslog times */
  now?: () => number;
  /** read from here (ms): the run's first submission, less a margin for clock skew */
  since: () => number;
  /** the run's queue ids, whose trails are kept */
  keep: () => Iterable<string>;
  pollMs?: number;
  sshPollMs?: number;
  /** a streaming command has read what the log held once it is quiet this long after a line (ms) */
  quietMs?: number;
  /** the first and the longest pause before a streaming command that exited is started again (ms) */
  reconnectMs?: { first: number; max: number };
  maxOpen?: number;
  spawn?: SpawnFn;
}

type Listener = () => void;

export class LogFollower {
  readonly stats: ParseStats = emptyStats();
  /** why the log could not be read (the follower has stopped), if it could not */
  failure?: unknown;
  private readonly config: ServerLogConfig;
  private readonly opts: FollowerOptions;
  private readonly now: () => number;
  private readonly abort = new AbortController();
  private readonly listeners = new Map<string, Set<Listener>>();
  private correlator?: Correlator;
  private running?: Promise<void>;
  private caughtUpNow!: () => void;
  /** how often a streaming SSH command exited and was started again */
  reconnects = 0;
  /**
   * Settles once the follower has read what the log held when it started (a file's end, an SSH
   * command's first pass or its stream's first quiet moment; the journal at once), or has failed:
   * a wait that ends then has seen it all.
   */
  readonly caughtUp: Promise<void> = new Promise((resolve) => (this.caughtUpNow = resolve));

  constructor(config: ServerLogConfig, opts: FollowerOptions) {
    this.config = config;
    this.opts = opts;
    this.now = opts.now ?? Date.now;
  }

  /** The message's side so far (undefined while the log has no line of it). */
  side(queueId: string): SenderSide | undefined {
    const t = this.correlator?.get(queueId);
    return t ? senderSide(t) : undefined;
  }

  /** Calls `fn` after each new log line of `queueId` and when the follower fails; returns the unsubscribe. */
  subscribe(queueId: string, fn: Listener): () => void {
    this.start();
    let set = this.listeners.get(queueId);
    if (!set) this.listeners.set(queueId, (set = new Set()));
    set.add(fn);
    if (this.failure !== undefined || this.side(queueId)) queueMicrotask(fn);
    return () => {
      set.delete(fn);
      if (!set.size) this.listeners.delete(queueId);
    };
  }

  async close(): Promise<void> {
    this.abort.abort();
    this.caughtUpNow();
    await this.running;
  }

  private start(): void {
    this.running ??= this.loop().catch((err: unknown) => {
      this.failure = err;
      this.caughtUpNow();
      for (const set of this.listeners.values()) for (const fn of set) fn();
    });
  }

  private newCorrelator(): Correlator {
    return new Correlator({ keep: this.opts.keep(), maxOpen: this.opts.maxOpen ?? 20_000 });
  }

  private feed(correlator: Correlator, line: string): void {
    this.stats.lines++;
    const r = parseLogLine(line, { now: this.now(), utcOffsetMinutes: this.config.utcOffsetMinutes });
    if (r.kind === 'garbage') this.stats.garbage++;
    else if (r.kind === 'ignored') this.stats.ignored++;
    else {
      this.stats.used++;
      for (const ev of r.events) {
        correlator.add(ev);
        const set = this.listeners.get(ev.queueId);
        if (set) for (const fn of set) fn();
      }
    }
  }

  private async loop(): Promise<void> {
    const source: LogSource = this.config.source;
    const since = this.opts.since();
    const signal = this.abort.signal;
    const common = { stats: this.stats, maxLineBytes: DEFAULT_MAX_LINE_BYTES, signal };
    if (source.kind === 'ssh' && source.follow) return this.stream({ ...source, command: source.follow }, since, common);
    if (source.kind === 'ssh') {
      while (!signal.aborted) {
        const next = this.newCorrelator();
        for await (const line of sourceLines(source, { ...common, since, spawn: this.opts.spawn })) this.feed(next, line);
        if (signal.aborted) return;
        this.correlator = next;
        this.caughtUpNow();
        for (const set of this.listeners.values()) for (const fn of set) fn();
        await sleep(this.opts.sshPollMs ?? 10_000, signal);
      }
      return;
    }
    const correlator = (this.correlator = this.newCorrelator());
    // journalctl -f gives no mark where the old lines end
    if (source.kind === 'journal') this.caughtUpNow();
    const lines =
      source.kind === 'file'
        ? fileLines(source.path, {
            ...common,
            follow: true,
            pollMs: this.opts.pollMs ?? 250,
            onEnd: this.caughtUpNow,
            start: await offsetAtTime(source.path, since, { now: this.now(), utcOffsetMinutes: this.config.utcOffsetMinutes }),
          })
        : sourceLines(source, { ...common, since, follow: true, spawn: this.opts.spawn });
    for await (const line of lines) this.feed(correlator, line);
  }

  private notifyAll(): void {
    for (const set of this.listeners.values()) for (const fn of set) fn();
  }

  /**
   * One streaming SSH command at a time until close(). Each start re-reads from `since` into a
   * fresh correlator, which serves the waits once the stream has gone quiet after its first lines
   * (the old lines are read); the first start's correlator serves at once, as there is no other.
   */
  private async stream(source: Extract<LogSource, { kind: 'ssh' }>, since: number, common: { stats: ParseStats; maxLineBytes: number; signal: AbortSignal }) {
    const signal = common.signal;
    const quietMs = this.opts.quietMs ?? 1000;
    const { first, max } = this.opts.reconnectMs ?? { first: 1000, max: 60_000 };
    let pause = first;
    for (let attempt = 0; !signal.aborted; attempt++) {
      const next = this.newCorrelator();
      this.correlator ??= next;
      let lines = 0;
      let quiet: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        if (this.correlator !== next) {
          this.correlator = next;
          this.notifyAll();
        }
        this.caughtUpNow();
      };
      try {
        for await (const line of sourceLines(source, { ...common, since, spawn: this.opts.spawn })) {
          lines++;
          this.feed(next, line);
          clearTimeout(quiet);
          quiet = setTimeout(settle, quietMs);
          // a stream that delivers is healthy again: the next drop waits the shortest pause
          pause = first;
        }
      } catch (err) {
        // nothing ever came through: the setting or the server is wrong, not the connection
        if (attempt === 0 && lines === 0) throw err;
      } finally {
        clearTimeout(quiet);
      }
      if (signal.aborted) return;
      // the first stream ended before a quiet moment: what it read is all the log held
      if (this.correlator === next) this.caughtUpNow();
      this.reconnects++;
      await sleep(pause, signal);
      pause = Math.min(pause * 2, max);
    }
  }
}
