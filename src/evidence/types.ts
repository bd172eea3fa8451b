/** The Evidence record: what the receiving provider saw and said about one message. */
import type { AuthResEvidence } from './trust.ts';
import type { TlsInfo } from './received.ts';
import type { IpAddress } from './ip.ts';
import type { BimiDetail, DkimSignature, DmarcDetail, SpfDetail } from './dkim-dmarc.ts';
import type { SpamVerdict } from './spam/types.ts';

export interface HopRecord {
  /** field position in the header block (0 = top) */
  index: number;
  from?: string;
  rdns?: string;
  ip?: IpAddress;
  by?: string;
  with?: string;
  id?: string;
  for?: string;
  date?: number;
  tls?: TlsInfo;
  /** why this Received could not be read */
  error?: string;
}

export interface Acceptance {
  /** position of the acceptance hop among `received.hops` */
  hop: number;
  by?: string;
  /** the sending IP the provider saw, and its family: IPv6 sending to Gmail needs IPv6 rDNS + SPF */
  ip?: IpAddress;
  family?: 'ipv4' | 'ipv6';
  tls?: TlsInfo;
  /** ms since epoch, from the hop's date stamp (1 s resolution) */
  at?: number;
}

export interface Delays {
  /** submission (our SMTP client) → provider acceptance */
  submissionToAcceptanceMs?: number;
  /** provider acceptance → mailbox (IMAP INTERNALDATE) */
  acceptanceToMailboxMs?: number;
  submissionToMailboxMs?: number;
  note?: string;
}

export interface Evidence {
  /** From domain used for alignment */
  fromDomain?: string;
  authResults: AuthResEvidence;
  /** one result per method from the trusted headers: for several results of a method, `pass` if any passed */
  auth: Record<string, string>;
  dkim: DkimSignature[];
  spf?: SpfDetail;
  dmarc?: DmarcDetail;
  bimi?: BimiDetail;
  received: { hops: HopRecord[]; acceptance?: Acceptance; note?: string };
  delays: Delays;
  spam: { verdicts: SpamVerdict[]; providerSaysSpam?: boolean };
  /** problems met while reading the headers (never fatal) */
  warnings: string[];
}
