/**
 * A DNS resolver function bound to the lab NSD, shaped like `dns.promises.resolve(name, rrtype)`
 * (the shape mailauth takes as `resolver`). No caching: scenario switches must show at once.
 */
import { promises as dns } from 'node:dns';

export type ResolveFn = (name: string, rrtype: string) => Promise<any>;

export function labResolver(server: { host: string; port: number }, timeoutMs = 2000): ResolveFn {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 2 });
  resolver.setServers([server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`]);
  return (name: string, rrtype: string) => resolver.resolve(name, rrtype as 'A');
}
