/**
 * A submission server that fails on purpose, for the fault tests: it stands where the user's own
 * server would (SMTP_HOST/SMTP_PORT) and breaks in one precise way. It speaks just enough SMTP
 * (RFC 5321) for nodemailer to reach the step that fails; a raw socket server, not smtp-server,
 * because the faults (a drop half-way through DATA, a greeting that never comes) are exactly
 * what a well-behaved server library will not do.
 *
 * It records what the client did (did it send AUTH at all? in clear?) so a test can show that a
 * password never crossed an unencrypted connection.
 */
import net from 'node:net';

export type SmtpFaultMode =
  /** greeting `554 5.3.2` (RFC 5321 §3.1: a server may refuse the session at connect) */
  | 'refuse-greeting'
  /** TCP accepted, greeting never sent (a hung server, or a firewall that eats the SYN-ACK'd stream) */
  | 'silent'
  /** everything accepted up to DATA's `354`; the connection is cut after the first body bytes */
  | 'drop-mid-data'
  /** AUTH answered `535 5.7.8` (RFC 4954 §6) */
  | 'refuse-auth'
  /** no STARTTLS and AUTH offered in clear: a client that requires TLS must stop before AUTH */
  | 'no-starttls'
  /** RCPT TO answered `550 5.7.1` (a real refusal of the message: `rejected`, not `send-failed`) */
  | 'reject-rcpt';

export interface SmtpFaultOptions {
  mode: SmtpFaultMode;
  host?: string;
  /** 0 = any free port */
  port?: number;
  /**
   * A hostile server may echo what it was sent: the 535 then repeats the AUTH argument
   * (the base64 of the password), to show that error texts are redacted.
   */
  echoAuth?: boolean;
}

export interface SmtpFaultStats {
  connections: number;
  /** AUTH commands received; `authInClear` counts those on this plain-text connection */
  authAttempts: number;
  authInClear: number;
  mailFrom: number;
  dataStarted: number;
  /** messages the server accepted (only if the mode lets one through) */
  accepted: number;
}

export interface SmtpFault {
  host: string;
  port: number;
  mode: SmtpFaultMode;
  stats: SmtpFaultStats;
  close(): Promise<void>;
}

const HOST_NAME = 'fault.smtp.lab.test';

export async function startSmtpFault(opts: SmtpFaultOptions): Promise<SmtpFault> {
  const stats: SmtpFaultStats = { connections: 0, authAttempts: 0, authInClear: 0, mailFrom: 0, dataStarted: 0, accepted: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    stats.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    session(socket, opts, stats);
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    host,
    port,
    mode: opts.mode,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function session(socket: net.Socket, opts: SmtpFaultOptions, stats: SmtpFaultStats): void {
  const say = (line: string) => {
    if (!socket.destroyed) socket.write(`${line}\r\n`);
  };
  if (opts.mode === 'silent') return; // the client's greeting timeout is what ends this
  if (opts.mode === 'refuse-greeting') {
    say(`554 5.3.2 ${HOST_NAME} service refused: this server does not accept mail from you`);
    // RFC 5321 §3.1: after a 554 greeting the server waits for QUIT
  } else {
    say(`220 ${HOST_NAME} ESMTP fault simulator`);
  }
  let buffer = '';
  let inData = false;
  let authContinuation = false;
  let recipients = 0;
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    if (inData) {
      // one body chunk has arrived: cut the connection mid-DATA, before the final "."
      if (opts.mode === 'drop-mid-data') {
        socket.destroy();
        return;
      }
      buffer += chunk;
      const end = buffer.startsWith('.\r\n') ? -2 : buffer.indexOf('\r\n.\r\n');
      if (end === -1) return;
      buffer = buffer.slice(end + 5);
      inData = false;
      stats.accepted++;
      say('250 2.0.0 Ok: queued');
    } else buffer += chunk;
    let nl: number;
    while (!inData && (nl = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      if (authContinuation) {
        authContinuation = false;
        refuseAuth(line);
        continue;
      }
      const verb = line.split(' ')[0].toUpperCase();
      if (opts.mode === 'refuse-greeting' && verb !== 'QUIT') {
        say('503 5.5.1 Error: this session was refused at connect');
        continue;
      }
      switch (verb) {
        case 'EHLO':
          say(`250-${HOST_NAME}`);
          say('250-PIPELINING');
          say('250-SIZE 10240000');
          say('250-AUTH PLAIN LOGIN');
          say('250 8BITMIME');
          break;
        case 'HELO':
          say(`250 ${HOST_NAME}`);
          break;
        case 'STARTTLS':
          say('454 4.7.0 TLS not available');
          break;
        case 'AUTH': {
          stats.authAttempts++;
          stats.authInClear++;
          const [, mech, initial] = line.split(' ');
          if (opts.mode !== 'refuse-auth' && opts.mode !== 'no-starttls') {
            say('235 2.7.0 Authentication successful');
            break;
          }
          if (initial === undefined && mech?.toUpperCase() === 'PLAIN') {
            authContinuation = true;
            say('334 ');
          } else refuseAuth(initial ?? '');
          break;
        }
        case 'MAIL':
          stats.mailFrom++;
          recipients = 0;
          say('250 2.1.0 Ok');
          break;
        case 'RCPT':
          if (opts.mode === 'reject-rcpt') say('550 5.7.1 <recipient>: Recipient address rejected: Access denied');
          else {
            recipients++;
            say('250 2.1.5 Ok');
          }
          break;
        case 'DATA':
          // RFC 2920 §3.1: with pipelining, DATA after no accepted RCPT must fail, not invite a body
          if (!recipients) {
            say('554 5.5.1 Error: no valid recipients');
            break;
          }
          stats.dataStarted++;
          inData = true;
          say('354 End data with <CR><LF>.<CR><LF>');
          break;
        case 'RSET':
        case 'NOOP':
          say('250 2.0.0 Ok');
          break;
        case 'QUIT':
          say('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          say('502 5.5.2 Error: command not recognized');
      }
    }
  });

  function refuseAuth(argument: string): void {
    const echo = opts.echoAuth ? ` (you sent ${argument})` : '';
    say(`535 5.7.8 Error: authentication failed${echo}`);
  }
}
