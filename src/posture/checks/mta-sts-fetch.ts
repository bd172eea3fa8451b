/**
 * Fetching an MTA-STS policy (RFC 8461 section 3.3): `https://mta-sts.<domain>/.well-known/mta-sts.txt`
 * from the address our resolver finds for the policy host, the certificate checked (PKIX, the
 * policy host's name), only a 200 answer accepted (redirects are not followed), at most 64 KB;
 * the file is parsed by mailauth's RFC 8461 section 3.2 parser. Senders always fetch from port
 * 443; `port` exists for the lab and tests, whose HTTPS stand-in listens elsewhere
 * (MAILCANARY_MTA_STS_PORT), and `extraCa` for a private CA (SMTP_TLS_CA_FILE).
 * Errors carry mailauth's codes (`http_status_404`, `invalid_sts_mode`, `policy_too_large`) or
 * Node's (`ECONNREFUSED`, `CERT_HAS_EXPIRED`), so the check tells a defect from an unreachable host.
 */
import { request } from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity, rootCertificates } from 'node:tls';
import { parsePolicy } from 'mailauth/lib/mta-sts.js';
import type { Resolver } from '../../shared/dns/resolver.ts';
import type { MtaStsFetcher, MtaStsPolicy } from '../types.ts';

/** RFC 8461 section 3.3: "senders SHOULD impose a limit on the maximum size of the response body (64 KB)". */
const MAX_POLICY_BYTES = 64 * 1024;

export interface MtaStsFetchOptions {
  /** HTTPS port of the policy host: 443 (RFC 8461 section 3.3); another only for a lab or test stand-in */
  port?: number;
  /** PEM of a CA to trust besides the system CAs */
  extraCa?: string;
  /** overall limit of the fetch, ms */
  timeoutMs?: number;
}

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

/** A/AAAA of the policy host through our resolver; none (NXDOMAIN/NODATA) is `[]`, other DNS errors throw. */
async function policyHostAddresses(host: string, resolver: Resolver): Promise<string[]> {
  for (const rrtype of ['A', 'AAAA'] as const) {
    try {
      const addrs = (await resolver(host, rrtype)) as string[];
      if (addrs.length) return addrs;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'ENOTFOUND' && code !== 'ENODATA') throw err;
    }
  }
  return [];
}

function get(host: string, address: string, opts: Required<Pick<MtaStsFetchOptions, 'port' | 'timeoutMs'>> & MtaStsFetchOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err: Error | undefined, body?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(body!);
    };
    const req = request(
      {
        host: address,
        family: isIP(address),
        port: opts.port,
        path: '/.well-known/mta-sts.txt',
        method: 'GET',
        headers: { host },
        servername: host,
        ...(opts.extraCa ? { ca: [...rootCertificates, opts.extraCa] } : {}),
        rejectUnauthorized: true,
        checkServerIdentity: (_h, cert) => checkServerIdentity(host, cert),
        // a fresh connection: one verified for another name is never reused
        agent: false,
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return done(coded(`HTTP ${res.statusCode ?? '-'} from https://${host}/.well-known/mta-sts.txt`, `http_status_${res.statusCode ?? 'na'}`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_POLICY_BYTES) done(coded(`the policy file is larger than ${MAX_POLICY_BYTES} bytes`, 'policy_too_large'));
          else chunks.push(c);
        });
        res.on('end', () => done(undefined, Buffer.concat(chunks)));
        res.on('error', (e) => done(e));
        res.on('close', () => {
          if (!res.complete) done(coded(`incomplete answer from https://${host}/.well-known/mta-sts.txt`, 'http_incomplete_response'));
        });
      },
    );
    const timer = setTimeout(() => done(coded(`no answer from https://${host} within ${opts.timeoutMs} ms`, 'HTTP_REQUEST_TIMEOUT')), opts.timeoutMs);
    req.on('error', (e) => done(e));
    req.end();
  });
}

/** The MTA-STS fetcher of the posture run; `false` when the policy host has no address (RFC 8461 section 3.3). */
export function httpsMtaStsFetcher(options: MtaStsFetchOptions = {}): MtaStsFetcher {
  const opts = { port: 443, timeoutMs: 10_000, ...options };
  return async (domain: string, resolver: Resolver): Promise<MtaStsPolicy | false> => {
    const host = `mta-sts.${domain}`;
    const addrs = await policyHostAddresses(host, resolver);
    if (addrs.length === 0) return false;
    const body = await get(host, addrs[0], opts);
    const p = parsePolicy(body);
    return { mode: p.mode, mx: p.mx ?? [], maxAge: p.maxAge ?? 0 };
  };
}
