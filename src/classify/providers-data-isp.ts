/**
 * Provider rule sets: hosting and cable ISPs that publish their own bounce codes (GoDaddy's
 * `IBnnn`, Cox's `AUP#CXxxx` / `IPBLnnnn`, Spectrum's `AUP#<I|O>-nnnn`) and the Japanese mobile carriers whose one wording means
 * different things at different SMTP stages (NTT docomo, au/KDDI). Data only; see providers.ts for
 * how it is used.
 *
 * Sources, cited per provider: the providers' own bounce-code pages, and sisimai's per-host tables
 * (https://github.com/sisimai/p5-sisimai lib/Sisimai/Rhost/GoDaddy.pm, Cox.pm, NTTDOCOMO.pm,
 * KDDI.pm, BSD-2-Clause). The code applying them is our own.
 */
import type { Provider } from './providers.ts';
import type { Reason } from './vocabulary.ts';

const GODADDY =
  'GoDaddy "What does my email bounceback mean?" godaddy.com/help/3568 and "Fix rejected email with a bounce error" godaddy.com/help/40685; sisimai Rhost/GoDaddy.pm';
const DOCOMO = 'NTT docomo (mfsmax.docomo.ne.jp) replies as catalogued in sisimai Rhost/NTTDOCOMO.pm';
const KDDI = 'au/KDDI (msmx.au.com, lsean.ezweb.ne.jp) replies as catalogued in sisimai Rhost/KDDI.pm';
const COX = 'Cox email error codes cox.com/residential/support/email-error-codes.html; sisimai Rhost/Cox.pm';
const SPECTRUM =
  'Spectrum "Understanding email error codes" spectrumbusiness.net/support/internet/understanding-email-error-codes; sisimai rhost/for-spectrum.go';

/**
 * Spectrum's four-digit AUP codes come in documented ranges, one cause per range: the key is the
 * range the code falls in, so a code of a range is one entry however many codes it has.
 */
const SPECTRUM_RANGES: Array<[number, number, Reason]> = [
  [1000, 1000, 'blocked'],
  [1010, 1080, 'rejected'],
  [1090, 1090, 'systemerror'],
  [1100, 1150, 'requireptr'],
  [1160, 1190, 'policyviolation'],
  [1200, 1250, 'blocked'],
  [1260, 1260, 'networkerror'],
  [1300, 1340, 'toomanyconn'],
  [1350, 1490, 'speeding'],
  [1500, 1500, 'rejected'],
  [1520, 1520, 'rejected'],
  [1530, 1530, 'mesgtoobig'],
  [1540, 1550, 'speeding'],
  [1560, 1560, 'policyviolation'],
  [1580, 1580, 'speeding'],
];
const rangeKey = (lo: number, hi: number): string => (lo === hi ? String(lo) : `${lo}-${hi}`);
function spectrumRange(code: string): string {
  const n = Number(code);
  const r = SPECTRUM_RANGES.find(([lo, hi]) => n >= lo && n <= hi);
  return r ? rangeKey(r[0], r[1]) : code;
}

/** Cox's IP block-list codes: IPBL followed by one bit per list (Spamhaus Zen, Return Path, ivmSIP, Cloudmark CSI). */
const COX_IPBL: Record<string, 'blocked'> = Object.fromEntries(
  ['0001', '0010', '0011', '0100', '0101', '0110', '0111', '1000', '1001', '1010', '1011', '1100', '1101', '1110', '1111', '00001'].map((b) => [
    `IPBL${b}`,
    'blocked',
  ]),
);

export const ISP_PROVIDERS: Provider[] = [
  {
    name: 'GoDaddy',
    // smtp.secureserver.net is GoDaddy's inbound relay; its replies end with an `IBnnn` code
    hosts: /\bsecureserver\.net\b|\sIB[1-7]\d\d\b/,
    codeTable: {
      pattern: /\sIB([1-7]\d\d)\b/,
      key: (m) => `IB${m[1]}`,
      source: GODADDY,
      table: {
        IB007: 'toomanyconn',
        IB101: 'speeding',
        IB103: 'badreputation',
        IB104: 'blocked',
        IB105: 'blocked',
        IB106: 'blocked',
        IB108: 'requireptr',
        IB110: 'blocked',
        IB111: 'blocked',
        IB112: 'blocked',
        IB113: 'blocked',
        IB212: 'spamdetected',
        IB401: 'securityerror',
        IB501: 'notcompliantrfc',
        IB502: 'notcompliantrfc',
        IB504: 'speeding',
        IB506: 'rejected',
        IB508: 'authfailure',
        IB510: 'speeding',
        IB605: 'toomanyconn',
        IB607: 'speeding',
        IB705: 'virusdetected',
      },
    },
    rules: [
      { reason: 'blocked', source: GODADDY, phrases: ['rbl reject', 'www.spamhaus.org/query/bl?ip='] },
      { reason: 'expired', source: GODADDY, phrases: ['has been in the queue too long', 'delivery timeout'] },
      { reason: 'mailboxfull', source: GODADDY, phrases: ['account storage limit'] },
      { reason: 'spamdetected', source: GODADDY, phrases: ['message rejected for spam or virus content'] },
      { reason: 'suspend', source: GODADDY, phrases: ['account disabled'] },
      { reason: 'systemerror', source: GODADDY, phrases: ['message is looping'] },
      { reason: 'userunknown', source: GODADDY, phrases: ['recipient not found', 'account does not exist'] },
    ],
  },
  {
    name: 'Cox',
    hosts: /\bcox\.net\b/i,
    codeTable: {
      pattern: /AUP#([0-9A-Z]+)/i,
      key: (m) => m[1].toUpperCase(),
      source: COX,
      table: {
        CXBL: 'blocked',
        CDRBL: 'blocked',
        CXDNS: 'requireptr',
        CXSNDR: 'authfailure',
        CXSMTP: 'rejected',
        CXCNCT: 'toomanyconn',
        CXMXRT: 'toomanyconn',
        CXTHRT: 'securityerror',
        CXMJ: 'securityerror',
        ...COX_IPBL,
        URLBL011: 'spamdetected',
        URLBL101: 'spamdetected',
        URLBL110: 'spamdetected',
        URLBL1001: 'spamdetected',
      },
    },
    rules: [
      { reason: 'blocked', source: COX, phrases: ['too many bad commands from', 'too many invalid recipients'] },
      { reason: 'requireptr', source: COX, phrases: ['dns check failure - try again later', 'rejected - no rdns'] },
      { reason: 'policyviolation', source: COX, phrases: ['esmtp no data before greeting', 'attachment extension is forbidden'] },
      { reason: 'rejected', source: COX, phrases: ['sender rejected'] },
      { reason: 'systemerror', source: COX, phrases: ['esmtp server temporarily not available'] },
      { reason: 'toomanyconn', source: COX, phrases: ['too many sessions from', 'requested action aborted: try again later', 'message threshold exceeded'] },
      { reason: 'userunknown', source: COX, phrases: ['recipient rejected'] },
    ],
  },
  {
    name: 'NTTDOCOMO',
    hosts: /\bdocomo\.ne\.jp\b/i,
    rules: [
      // docomo answers "Unknown user" at RCPT for a missing mailbox and after DATA for mail its
      // user's own reception settings refuse (RFC 5321 §3.3: the recipient is known by then)
      { reason: 'userunknown', source: DOCOMO, codes: ['5.1.1', '5.0.911'] },
      { reason: 'filtered', source: DOCOMO, codes: ['5.2.0'] },
      { reason: 'userunknown', source: DOCOMO, codes: ['5.0.0'], command: 'RCPT', phrases: ['unknown user'] },
      { reason: 'rejected', source: DOCOMO, codes: ['5.0.0'], command: 'DATA', phrases: ['unknown user'] },
      { reason: 'mailboxfull', source: DOCOMO, phrases: ['552 too much mail data'] },
      { reason: 'toomanyconn', source: DOCOMO, phrases: ['552 too many recipients'] },
      { reason: 'syntaxerror', source: DOCOMO, phrases: ['503 bad sequence of commands', '504 command parameter not implemented'] },
    ],
  },
  {
    name: 'KDDI',
    hosts: /\b(?:au\.com|ezweb\.ne\.jp)\b/i,
    rules: [
      // "550 : User unknown" (no address) is au's reception filter; "<addr>: User unknown" a missing mailbox
      { reason: 'filtered', source: KDDI, phrases: ['550 : user unknown'] },
      { reason: 'userunknown', source: KDDI, phrases: ['>: user unknown'] },
    ],
  },
  {
    name: 'Spectrum',
    hosts: /\b(?:spectrum\.net|spectrumbusiness\.net|charter\.net|rr\.com)\b|AUP#[IO]/i,
    // AUP#I-nnnn answers mail coming in, AUP#O-nnnn mail a Spectrum customer sends
    codeTable: {
      pattern: /AUP#[A-Za-z]*-?(1\d{3})\b/,
      key: (m) => spectrumRange(m[1]),
      source: SPECTRUM,
      table: Object.fromEntries(SPECTRUM_RANGES.map(([lo, hi, reason]) => [rangeKey(lo, hi), reason])),
    },
    rules: [],
  },
];
