/**
 * The lab's certificates: one CA (shared by lab instances) and, per instance, the server
 * certificates of mail.canary.test (valid, expired, wrong name) and of the website.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabContext } from '../services/types.ts';
import { ensureLabCa, issueLeafCerts } from './ca.ts';
import type { CertFiles } from './ca.ts';

export type { CertFiles, LabCa, LeafSpec } from './ca.ts';
export { caCovers, ensureLabCa, issueLeafCerts, opensslTime } from './ca.ts';

export interface LabCerts {
  ca: string;
  /** mail.canary.test (and the loopback addresses), valid for 90 days */
  mail: CertFiles;
  /** mail.canary.test, expired 30 days ago */
  mailExpired: CertFiles;
  /** a valid certificate for another host name only */
  mailWrongName: CertFiles;
  /** canary.test, www.canary.test and the MTA-STS policy host of every lab sending domain */
  web: CertFiles;
}

export const WRONG_CERT_NAME = 'vps-1234.hosting.test';

/** Issues (once per lab start: the state dir is emptied at start) and returns the lab certificates. */
export async function ensureLabCerts(ctx: LabContext): Promise<LabCerts> {
  const dir = ctx.paths.tlsDir;
  const index = join(dir, 'certs.json');
  if (existsSync(index)) {
    const known = JSON.parse(readFileSync(index, 'utf8')) as LabCerts;
    if (existsSync(known.ca) && existsSync(known.mail.cert)) return known;
  }
  const now = new Date();
  const ca = await ensureLabCa(ctx.topo.caDir, now);
  const t = ctx.topo;
  const day = 86_400_000;
  const issued = await issueLeafCerts(
    ca,
    dir,
    [
      // the IP SANs let the lab's sender submit to 127.0.0.1 with verification on (no /etc/hosts entry needed)
      { name: 'mail', dnsNames: [t.mailHost], ipAddresses: ['127.0.0.1', '::1'] },
      {
        name: 'mail-expired',
        dnsNames: [t.mailHost],
        ipAddresses: ['127.0.0.1', '::1'],
        notBefore: new Date(now.getTime() - 120 * day),
        notAfter: new Date(now.getTime() - 30 * day),
      },
      { name: 'mail-wrong-name', dnsNames: [WRONG_CERT_NAME] },
      { name: 'web', dnsNames: [t.domain, `www.${t.domain}`, ...t.senderDomains.map((d) => `mta-sts.${d.domain}`)] },
    ],
    now,
  );
  const certs: LabCerts = { ca: ca.cert, mail: issued.mail, mailExpired: issued['mail-expired'], mailWrongName: issued['mail-wrong-name'], web: issued.web };
  writeFileSync(index, JSON.stringify(certs, null, 2) + '\n');
  return certs;
}
