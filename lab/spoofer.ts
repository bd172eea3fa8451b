/**
 * The `spoofer` scenario's sender: a host that is none of the domain's servers sends mail with
 * the domain in From straight to a provider's MX, unsigned, from a loopback address outside SPF.
 * The MX judges it like any mail (SPF fail, no DKIM, DMARC fail) and its next aggregate report
 * lists the address as a source, which the reports project must flag as unknown and failing.
 * Loopback only: the source address is in 127.0.0.0/8, which Linux routes to `lo` as a whole.
 */
import nodemailer from 'nodemailer';
import type { LabTopology } from './topology.ts';
import type { Scenario } from './scenarios.ts';

export interface SpoofOutcome {
  ip: string;
  /** messages the MX took (filed), and refused with their SMTP replies */
  accepted: number;
  refused: string[];
}

export async function sendSpoof(topo: LabTopology, spoof: NonNullable<Scenario['spoof']>, now: number): Promise<SpoofOutcome> {
  if (!spoof.ip.startsWith('127.')) throw new Error(`spoofer source ${spoof.ip} is not a loopback address: the lab sends from 127.0.0.0/8 only`);
  const p = topo.providers.find((x) => x.id === spoof.provider);
  if (!p) throw new Error(`spoofer: no lab provider ${spoof.provider}`);
  // the dual-stack MX also answers on 127.0.0.1 (lab/mx/server.ts), where an IPv4 source can reach it
  const host = p.listenHost.includes(':') ? '127.0.0.1' : p.listenHost;
  const transport = nodemailer.createTransport({ host, port: p.port, secure: false, ignoreTLS: true, localAddress: spoof.ip, name: 'invoice-portal.example' });
  const out: SpoofOutcome = { ip: spoof.ip, accepted: 0, refused: [] };
  try {
    for (let i = 0; i < spoof.count; i++) {
      try {
        await transport.sendMail({
          envelope: { from: spoof.from, to: p.seed.address },
          from: spoof.from,
          to: p.seed.address,
          subject: 'Your invoice is overdue',
          date: new Date(now),
          text: 'Please pay the attached invoice today.',
          headers: { 'X-Mailcanary-Lab': 'spoofer scenario' },
        });
        out.accepted++;
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (!code) throw err;
        out.refused.push(`${code} ${(err as { response?: string }).response ?? ''}`.trim());
      }
    }
  } finally {
    transport.close();
  }
  return out;
}
