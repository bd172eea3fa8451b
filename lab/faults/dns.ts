/**
 * A DNS server that never answers: it reads every query (UDP and TCP, RFC 1035 §4.2) and stays
 * silent, like a resolver behind a firewall that drops port 53. The client's own timeout and
 * retry budget is all that ends a lookup, which is what the DNS fault test measures.
 */
import dgram from 'node:dgram';
import net from 'node:net';

export interface SilentDns {
  host: string;
  port: number;
  /** queries received (UDP datagrams and TCP connections) */
  queries(): number;
  close(): Promise<void>;
}

export async function startSilentDns(host = '127.0.0.1'): Promise<SilentDns> {
  let queries = 0;
  const udp = dgram.createSocket('udp4');
  udp.on('message', () => queries++);
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(0, host, () => resolve());
  });
  const port = udp.address().port;
  // same port over TCP, so a client that falls back to TCP meets the same silence
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((s) => {
    queries++;
    sockets.add(s);
    s.on('error', () => s.destroy());
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => {
    tcp.once('error', () => resolve()); // UDP is what resolvers use first; TCP is best effort
    tcp.listen(port, host, () => resolve());
  });
  return {
    host,
    port,
    queries: () => queries,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}
