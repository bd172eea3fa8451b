/**
 * Fetching one web page over HTTPS, pinned to an address from our own resolver (so the lab
 * and split-horizon setups work), with a bounded time and size. Outcomes are data: a page, a
 * certificate problem, or a network failure with its kind.
 */
import { request } from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { rootCertificates, checkServerIdentity } from 'node:tls';
import type { TLSSocket } from 'node:tls';

export interface PageRequest {
  url: string;
  /** connect to this address instead of resolving the URL's host */
  address: string;
  extraCa?: string;
  timeoutMs: number;
  maxBytes?: number;
}

export type PageResponse =
  | { ok: true; status: number; location?: string; contentType?: string; body: string; certError?: string }
  | { ok: false; kind: 'refused' | 'unreachable' | 'timeout' | 'tls' | 'error'; error: string };

export type PageFetcher = (req: PageRequest) => Promise<PageResponse>;

const KINDS: Record<string, 'refused' | 'unreachable'> = {
  ECONNREFUSED: 'refused',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ETIMEDOUT: 'unreachable',
};

export const httpsFetcher: PageFetcher = (r) =>
  new Promise((resolve) => {
    let settled = false;
    const done = (v: PageResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const u = new URL(r.url);
    const family = isIP(r.address);
    const req = request(
      {
        host: u.hostname,
        port: u.port || 443,
        path: `${u.pathname}${u.search}`,
        method: 'GET',
        servername: isIP(u.hostname) ? undefined : u.hostname,
        headers: { 'user-agent': 'mailcanary server check (+https://github.com/mailcanary)', accept: 'text/html,*/*;q=0.5' },
        // pinned address: the lookup answers with the address our resolver found
        lookup: ((_h: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) => {
          if (opts?.all) cb(null, [{ address: r.address, family }]);
          else cb(null, r.address, family);
        }) as unknown as LookupFunction,
        ...(r.extraCa ? { ca: [...rootCertificates, r.extraCa] } : {}),
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const sock = res.socket as TLSSocket;
        let certError: string | undefined;
        if (!sock.authorized) certError = String((sock.authorizationError as unknown as { code?: string })?.code ?? sock.authorizationError ?? 'not trusted');
        else {
          const idErr = checkServerIdentity(u.hostname, sock.getPeerCertificate());
          if (idErr) certError = `ERR_TLS_CERT_ALTNAME_INVALID: ${idErr.message}`;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const max = r.maxBytes ?? 512 * 1024;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= max) chunks.push(c);
          else res.destroy();
        });
        const finish = () =>
          done({
            ok: true,
            status: res.statusCode ?? 0,
            location: typeof res.headers.location === 'string' ? res.headers.location : undefined,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks).toString('utf8'),
            ...(certError ? { certError } : {}),
          });
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, kind: 'timeout', error: `no answer within ${r.timeoutMs} ms` });
    }, r.timeoutMs);
    req.on('error', (e: Error & { code?: string }) => {
      const kind = KINDS[e.code ?? ''] ?? (/SSL|TLS|certificate|handshake/i.test(e.message) ? 'tls' : 'error');
      done({ ok: false, kind, error: `${e.code ?? ''} ${e.message}`.trim().slice(0, 200) });
    });
    req.end();
  });
