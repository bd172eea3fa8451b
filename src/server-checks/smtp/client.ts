/**
 * A minimal SMTP client for probing (RFC 5321), on node:net/node:tls. It only ever sends
 * EHLO/HELO, STARTTLS, MAIL, RCPT, RSET and QUIT: there is no DATA command at all, so a probe
 * cannot deliver a message even against an open relay. Every step has its own timeout, so a
 * server that accepts the connection and never answers costs at most one step's time.
 */
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { classifyLine, clean, makeReply, replyText } from './reply.ts';
import type { SmtpReply } from './reply.ts';
import { isProgrammingError } from '../../shared/internal-error.ts';
import { withTimeout } from '../../shared/timeout.ts';

/** Raised for infrastructure failures: no connection, timeout, connection lost, protocol garbage. */
export class ProbeError extends Error {
  /** `timeout`, `refused`, `unreachable`, `closed`, `protocol`, `tls` */
  readonly kind: string;
  constructor(kind: string, message: string) {
    super(message);
    this.name = 'ProbeError';
    this.kind = kind;
  }
}

export interface Timeouts {
  /** TCP connect */
  connectMs: number;
  /** the 220 greeting (RFC 5321 §4.5.3.2 allows minutes; a probe waits less) */
  greetingMs: number;
  /** each command's reply */
  commandMs: number;
  /** TLS handshake */
  tlsMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, greetingMs: 30_000, commandMs: 20_000, tlsMs: 15_000 };

/** How to open a TCP connection; injected so tests and other transports can replace it. */
export type Connector = (host: string, port: number) => Socket;
export const tcpConnector: Connector = (host, port) => netConnect({ host, port });

/** What a connection failure means for a report. */
export function errorKind(err: unknown): string {
  if (err instanceof ProbeError) return err.kind;
  const code = (err as { code?: string })?.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'EHOSTDOWN'].includes(code)) return 'unreachable';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'closed';
  return 'error';
}

export function errorText(err: unknown): string {
  return clean(err instanceof Error ? err.message : String(err), 200);
}

export interface TranscriptLine {
  dir: 'C' | 'S';
  line: string;
}

const MAX_REPLY_BYTES = 64 * 1024;

export class SmtpProbe {
  socket: Socket | TLSSocket;
  readonly timeouts: Timeouts;
  readonly transcript: TranscriptLine[] = [];
  closed = false;
  tls = false;
  private buf = '';
  private lines: string[] = [];
  private code = 0;
  private waiter: { resolve: (r: SmtpReply) => void; reject: (e: Error) => void } | undefined;
  private ready: SmtpReply[] = [];
  private failure: Error | undefined;
  private readonly onData = (d: Buffer) => this.feed(d.toString('latin1'));
  private readonly onClose = () => this.fail(new ProbeError('closed', 'the server closed the connection'));
  private readonly onError = (e: Error) => this.fail(new ProbeError(errorKind(e), errorText(e)));

  private constructor(socket: Socket, timeouts: Timeouts) {
    this.socket = socket;
    this.timeouts = timeouts;
    this.attach(socket);
  }

  /** Connects and reads the greeting; `implicitTls` wraps the connection in TLS first (port 465, RFC 8314 §3.3). */
  static async open(opts: {
    host: string;
    port: number;
    timeouts?: Partial<Timeouts>;
    connector?: Connector;
    implicitTls?: ConnectionOptions;
  }): Promise<{ probe: SmtpProbe; greeting: SmtpReply }> {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    const raw = (opts.connector ?? tcpConnector)(opts.host, opts.port);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        raw.once('connect', () => resolve());
        raw.once('error', reject);
      }),
      timeouts.connectMs,
      () => {
        raw.destroy();
        return new ProbeError('timeout', `no TCP connection to ${opts.host} port ${opts.port} within ${timeouts.connectMs} ms`);
      },
    ).catch((err: unknown) => {
      raw.destroy?.();
      // a TypeError is our own code failing, not the network: it must not read as "cannot connect"
      throw err instanceof ProbeError || isProgrammingError(err)
        ? err
        : new ProbeError(errorKind(err), `cannot connect to ${opts.host} port ${opts.port}: ${errorText(err)}`);
    });
    raw.removeAllListeners('error');
    raw.on('error', () => undefined); // later errors surface through the probe's own listeners
    let socket: Socket = raw;
    if (opts.implicitTls) socket = await handshake(raw, opts.implicitTls, timeouts.tlsMs);
    const probe = new SmtpProbe(socket, timeouts);
    probe.tls = Boolean(opts.implicitTls);
    try {
      const greeting = await probe.read(timeouts.greetingMs, 'the greeting');
      return { probe, greeting };
    } catch (err) {
      probe.destroy();
      throw err;
    }
  }

  private attach(s: Socket): void {
    s.on('data', this.onData);
    s.on('close', this.onClose);
    s.on('error', this.onError);
  }

  private detach(s: Socket): void {
    s.off('data', this.onData);
    s.off('close', this.onClose);
    s.off('error', this.onError);
  }

  private feed(text: string): void {
    this.buf += text;
    if (this.buf.length > MAX_REPLY_BYTES)
      return this.fail(new ProbeError('protocol', `the server sent more than ${MAX_REPLY_BYTES} bytes without completing a reply`));
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i).replace(/\r$/, '');
      this.buf = this.buf.slice(i + 1);
      this.transcript.push({ dir: 'S', line: clean(line, 200) });
      const c = classifyLine(line);
      if (c.kind === 'bad' || (this.lines.length > 0 && c.code !== this.code)) {
        return this.fail(new ProbeError('protocol', `not an SMTP reply: ${clean(line, 80)}`));
      }
      this.code = c.code!;
      this.lines.push(c.text);
      if (c.kind === 'done') {
        const reply = makeReply(this.code, this.lines);
        this.lines = [];
        if (this.waiter) {
          const w = this.waiter;
          this.waiter = undefined;
          w.resolve(reply);
        } else this.ready.push(reply);
      }
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.closed = true;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(err);
    }
  }

  /** The next reply, within `timeoutMs`. */
  read(timeoutMs: number, what: string): Promise<SmtpReply> {
    const queued = this.ready.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    const p = new Promise<SmtpReply>((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
    return withTimeout(p, timeoutMs, () => {
      const err = new ProbeError('timeout', `no reply to ${what} within ${timeoutMs} ms`);
      this.waiter = undefined;
      this.fail(err);
      this.destroy();
      return err;
    });
  }

  /** Sends one command line and reads its reply. */
  async command(line: string, timeoutMs = this.timeouts.commandMs): Promise<SmtpReply> {
    if (/[\r\n]/.test(line)) throw new ProbeError('protocol', 'a command must be one line');
    if (/^DATA\b|^BDAT\b/i.test(line)) throw new ProbeError('protocol', 'the probe never sends message content');
    if (this.failure) throw this.failure;
    this.transcript.push({ dir: 'C', line: clean(line, 200) });
    this.socket.write(`${line}\r\n`);
    return this.read(timeoutMs, line.split(/[\s:]/)[0].toUpperCase());
  }

  /** EHLO, falling back to HELO when EHLO is refused (RFC 5321 §4.1.4). */
  async hello(name: string): Promise<{ reply: SmtpReply; esmtp: boolean }> {
    const r = await this.command(`EHLO ${name}`);
    if (r.code === 250) return { reply: r, esmtp: true };
    if (r.code >= 500 && r.code !== 554) {
      const h = await this.command(`HELO ${name}`);
      return { reply: h, esmtp: false };
    }
    throw new ProbeError('protocol', `EHLO refused: ${replyText(r)}`);
  }

  /** STARTTLS (RFC 3207 §4) and the TLS handshake; the caller inspects the returned socket. */
  async startTls(options: ConnectionOptions): Promise<{ reply: SmtpReply; socket?: TLSSocket }> {
    const r = await this.command('STARTTLS');
    if (r.code !== 220) return { reply: r };
    const raw = this.socket as Socket;
    this.detach(raw);
    const socket = await handshake(raw, options, this.timeouts.tlsMs).catch((err: unknown) => {
      this.closed = true;
      raw.destroy();
      throw err;
    });
    this.socket = socket;
    this.tls = true;
    this.attach(socket);
    return { reply: r, socket };
  }

  /** QUIT (best effort, short wait), then closes the socket. Never throws. */
  async quit(): Promise<void> {
    if (!this.failure) {
      try {
        await this.command('QUIT', Math.min(this.timeouts.commandMs, 5000));
      } catch {
        /* the server may drop the connection first */
      }
    }
    this.destroy();
  }

  destroy(): void {
    this.closed = true;
    this.detach(this.socket as Socket);
    this.socket.on('error', () => undefined);
    this.socket.destroy();
  }
}

function handshake(raw: Socket, options: ConnectionOptions, timeoutMs: number): Promise<TLSSocket> {
  // rejectUnauthorized false: the checks read the certificate and report what is wrong with it
  // instead of failing the handshake with a bare error
  const socket = tlsConnect({ ...options, socket: raw, rejectUnauthorized: false });
  return withTimeout(
    new Promise<TLSSocket>((resolve, reject) => {
      socket.once('secureConnect', () => {
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (e) => reject(new ProbeError('tls', `TLS handshake failed: ${errorText(e)}`)));
    }),
    timeoutMs,
    () => {
      socket.destroy();
      return new ProbeError('timeout', `TLS handshake did not finish within ${timeoutMs} ms`);
    },
  );
}
