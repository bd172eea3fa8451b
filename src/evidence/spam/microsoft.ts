/**
 * Microsoft 365 / Outlook.com anti-spam headers, decoded per Microsoft Learn "Anti-spam message
 * headers in Microsoft 365": `X-Forefront-Antispam-Report` (SCL, SFV, CAT, IPV, CIP, ...),
 * `X-MS-Exchange-Organization-SCL`, and `X-Microsoft-Antispam` (BCL).
 */
import type { SpamVerdict } from './types.ts';
import { num } from './types.ts';

type Partial = Omit<SpamVerdict, 'header' | 'raw' | 'fromProvider'>;

const SFV: Record<string, string> = {
  BLK: 'blocked: sender on the recipient block list',
  NSPM: 'not spam',
  SFE: 'allowed: sender on the recipient safe list',
  SKA: 'allowed by the anti-spam policy allow list',
  SKB: 'marked spam: sender on the anti-spam policy block list',
  SKI: 'filtering skipped: intra-organisation message',
  SKN: 'marked not spam before filtering (mail flow rule)',
  SKQ: 'released from quarantine',
  SKS: 'marked spam before filtering (mail flow rule)',
  SPM: 'marked spam by spam filtering',
};

const CAT: Record<string, string> = {
  AMP: 'anti-malware',
  BULK: 'bulk',
  DIMP: 'domain impersonation',
  FTBP: 'anti-malware filetype policy',
  GIMP: 'mailbox intelligence impersonation',
  HPHSH: 'high confidence phishing',
  HPHISH: 'high confidence phishing',
  HSPM: 'high confidence spam',
  INTOS: 'intra-organisation phishing',
  MALW: 'malware',
  OSPM: 'outbound spam',
  PHSH: 'phishing',
  SAP: 'safe attachments',
  SPM: 'spam',
  SPOOF: 'spoofing',
  UIMP: 'user impersonation',
  NONE: 'no category',
};

/** SCL -1..9 meaning (RFC-less, Microsoft Learn "Spam confidence level"). */
export function sclMeaning(scl: number): string {
  if (scl === -1) return 'SCL -1: not filtered (trusted sender or bypass)';
  if (scl <= 1) return `SCL ${scl}: not spam`;
  if (scl <= 4) return `SCL ${scl}: not spam (unused level)`;
  if (scl <= 6) return `SCL ${scl}: spam`;
  return `SCL ${scl}: high confidence spam`;
}

export function decodeMicrosoft(key: string, value: string): Partial | undefined {
  if (key === 'x-forefront-antispam-report' || key === 'x-forefront-antispam-report-untrusted') {
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const part of value.split(';').slice(0, 64)) {
      const c = part.indexOf(':');
      if (c <= 0) continue;
      const k = part.slice(0, c).trim().toUpperCase();
      if (/^[A-Z]{1,8}$/.test(k) && !(k in fields))
        fields[k] = part
          .slice(c + 1)
          .trim()
          .slice(0, 200);
    }
    const v: Partial = { vendor: 'microsoft', fields };
    const meanings: string[] = [];
    const scl = num(fields.SCL);
    if (scl !== undefined) {
      v.level = scl;
      v.spam = scl >= 5;
      meanings.push(sclMeaning(scl));
    }
    const sfv = fields.SFV?.toUpperCase();
    if (sfv && SFV[sfv]) {
      meanings.push(`SFV:${sfv} ${SFV[sfv]}`);
      if (sfv === 'SPM' || sfv === 'SKS' || sfv === 'SKB' || sfv === 'BLK') v.spam = true;
      else if (v.spam === undefined && (sfv === 'NSPM' || sfv === 'SFE' || sfv === 'SKA' || sfv === 'SKN')) v.spam = false;
    }
    const cat = fields.CAT?.toUpperCase();
    if (cat && CAT[cat]) meanings.push(`CAT:${cat} ${CAT[cat]}`);
    if (fields.IPV === 'CAL') meanings.push('IPV:CAL source IP on the allow list');
    if (meanings.length) v.meaning = meanings.join('; ');
    return v;
  }
  if (key === 'x-ms-exchange-organization-scl') {
    const scl = num(value.trim());
    if (scl === undefined) return { vendor: 'microsoft' };
    return { vendor: 'microsoft', level: scl, spam: scl >= 5, meaning: sclMeaning(scl) };
  }
  if (key === 'x-microsoft-antispam') {
    const bcl = /\bBCL:(\d)/i.exec(value);
    if (!bcl) return { vendor: 'microsoft' };
    const level = Number(bcl[1]);
    // Microsoft Learn "Bulk complaint level": 0 not bulk, 1-3 few complaints, 4-7 mixed, 8-9 many
    const meaning =
      level === 0
        ? 'BCL 0: not bulk'
        : level <= 3
          ? `BCL ${level}: bulk, few complaints`
          : level <= 7
            ? `BCL ${level}: bulk, mixed complaints`
            : `BCL ${level}: bulk, many complaints`;
    return { vendor: 'microsoft', level, meaning };
  }
  return undefined;
}
