/**
 * Provider rule sets: regional providers (Orange/La Poste, GMX/WEB.DE/1&1, Deutsche Telekom,
 * Tencent QQ, HCL/IBM Domino and Lotus Notes). Data only; see providers.ts for how it is used.
 *
 * Sources, cited per provider: the providers' postmaster pages where they publish their codes,
 * and sisimai's per-host/per-MTA tables of the replies those systems really send
 * (https://github.com/sisimai/rb-sisimai lib/sisimai/rhost/*.rb, lib/sisimai/lhost/*.rb,
 * BSD-2-Clause). The code applying them is our own.
 */
import type { Provider } from './providers.ts';

const ORANGE =
  'Orange postmaster error codes (postmastery.com/orange-postmaster-smtp-error-codes-ofr, smtpfieldmanual.com/provider/orange); sisimai rhost/for-franceptt.go, rhost/franceptt.rb (the codes and the reply texts quoted with them)';
const GMX = 'GMX/WEB.DE postmaster "Error messages when sending emails to GMX" postmaster.gmx.com/en/error-messages';
const QQ = 'Tencent QQ Mail help service.mail.qq.com/detail/122/*; sisimai rhost/for-tencent.go, rhost/tencent.rb';

export const REGIONAL_PROVIDERS: Provider[] = [
  {
    name: 'FrancePTT',
    hosts: /\b(?:orange\.fr|wanadoo\.fr|laposte\.net|francetelecom|orange\.com)\b|\b(?:LPN|LPNAAA|OFR|OUK)\d*_\d{3}\b/i,
    // `<family>[nnn]_<nnn>` / `<family>nnn-nnn`: the last three digits carry the reason
    codeTable: {
      pattern: /\b(?:LPNAAA|LPN|OFR|OUK)(?:_(\d{3})|\d{3}[-_](\d{3}))\b/i,
      key: (m) => m[1] ?? m[2],
      source: ORANGE,
      table: {
        101: 'blocked',
        102: 'blocked',
        103: 'blocked',
        104: 'toomanyconn',
        105: null,
        107: null,
        108: null,
        109: null,
        201: null,
        305: 'securityerror',
        401: 'authfailure',
        402: 'securityerror',
        403: 'rejected',
        405: 'rejected',
        415: 'rejected',
        416: 'userunknown',
        417: 'mailboxfull',
        420: 'suspend',
        421: 'rejected',
        423: null,
        424: null,
        426: 'suspend',
        505: 'systemerror',
        506: 'spamdetected',
        510: 'blocked',
        513: null,
        514: 'mesgtoobig',
        517: 'authfailure',
        630: 'policyviolation',
        999: 'blocked',
      },
    },
    rules: [
      {
        reason: 'userunknown',
        source: ORANGE,
        patterns: [/\blpn416\b/],
        phrases: ['adresse d au moins un destinataire invalide'],
      },
      { reason: 'mailboxfull', source: ORANGE, phrases: ['boite du destinataire pleine'] },
      { reason: 'suspend', source: ORANGE, phrases: ['boite du destinataire archivee', 'le compte du destinataire est bloque'] },
      { reason: 'authfailure', source: ORANGE, phrases: ['spf/dns de votre nom de domaine', 'verification dmarc en echec'] },
      { reason: 'rejected', source: ORANGE, phrases: ['emetteur invalide'] },
      { reason: 'blocked', source: ORANGE, phrases: ['adresse ip source bloquee', 'service refuse'] },
      { reason: 'toomanyconn', source: ORANGE, phrases: ['trop de connexions'] },
      { reason: 'mesgtoobig', source: ORANGE, phrases: ['taille limite du message atteinte'] },
    ],
  },
  {
    name: 'Tencent',
    hosts: /\b(?:qq\.com|foxmail\.com|exmail\.qq|tencent\.com)\b|service\.mail\.qq\.com/i,
    rules: [
      { reason: 'authfailure', source: QQ, phrases: ['spf check failed', 'dmarc check failed'] },
      { reason: 'blocked', source: QQ, phrases: ['suspected bounce attacks', 'suspected spam ip', 'connection denied'] },
      { reason: 'mesgtoobig', source: QQ, phrases: ['message too large'] },
      {
        reason: 'speeding',
        source: QQ,
        // rb-sisimai's tencent.rb files all six rate limits under ratelimited, our `speeding`
        // (go-sisimai's older for-tencent.go still has the four per-IP/domain/sender/connection
        // limits as toomanyconn)
        phrases: [
          'ip frequency limited',
          'domain frequency limited',
          'sender frequency limited',
          'connection frequency limited',
          'frequency of receiving messages is limited',
        ],
      },
      { reason: 'spamdetected', source: QQ, phrases: ['spam is embedded in the email', 'mail content denied'] },
      { reason: 'rejected', source: QQ, phrases: ['suspected spam', 'mail is rejected by recipients'] },
      { reason: 'suspend', source: QQ, phrases: ['is a deactivated mailbox'] },
      { reason: 'syntaxerror', source: QQ, phrases: ['bad address syntax'] },
      { reason: 'userunknown', source: QQ, phrases: ['mailbox not found'] },
      // Tencent's spelling: a per-recipient receiving limit (service.mail.qq.com/detail/122/166)
      { reason: 'speeding', source: QQ, phrases: ['mailbox unavailable or access denined'] },
    ],
  },
  {
    name: 'GMX/1&1',
    hosts:
      /\b(?:gmx\.(?:net|de|com|at|ch)|web\.de|1und1\.de|1and1\.(?:com|co\.uk)|ionos\.(?:de|com)|kundenserver\.de|mail\.com)\b|postmaster\.(?:gmx|web|1and1|1und1)/i,
    rules: [
      { reason: 'mesgtoobig', source: '1&1 postmaster.1and1.com/en/error-messages; sisimai lhost/einsundeins.rb', phrases: ['mail size limit exceeded'] },
      { reason: 'expired', source: 'GMX; sisimai lhost/gmx.rb', phrases: ['delivery retry timeout exceeded'] },
      // GMX/WEB.DE name the refusal in words and link a case page (postmaster.gmx.com/en/error-messages)
      { reason: 'authfailure', source: GMX, phrases: ['reject due to spf policy'] },
    ],
  },
  {
    name: 'DeutscheTelekom',
    hosts: /\b(?:t-online\.de|telekom\.de|magenta\.de|rx\.t-online)\b/i,
    rules: [
      { reason: 'badreputation', source: 'Deutsche Telekom postmaster.t-online.de', phrases: ['none/bad reputation', '(nowl)'] },
      { reason: 'mailboxfull', source: 'Deutsche Telekom; sisimai lhost/deutschetelekom.rb', phrases: ['mailbox for user is full', 'quota exceeded'] },
      { reason: 'blocked', source: 'Deutsche Telekom postmaster.t-online.de', phrases: ['a problem occurred. (ask your postmaster', 'tosa@rx.t-online.de'] },
    ],
  },
  {
    // HCL/IBM Domino and Lotus Notes write their directory lookups as prose, no SMTP reply
    name: 'Domino',
    hosts: /domino directory|name & address book|lotus notes|\bdomino\b|cannot route mail to user/i,
    rules: [
      {
        reason: 'userunknown',
        source: 'HCL Domino; sisimai lhost/domino.rb, lhost/notes.rb',
        phrases: [
          'not listed in domino directory',
          'not listed in public name & address book',
          'domino ディレクトリには見つかりません',
          'ディレクトリのリストにありません',
        ],
      },
      { reason: 'filtered', source: 'HCL Domino; sisimai lhost/domino.rb', phrases: ['cannot route mail to user'] },
      { reason: 'systemerror', source: 'HCL Domino; sisimai lhost/domino.rb', phrases: ['several matches found in domino directory'] },
      { reason: 'networkerror', source: 'Lotus Notes; sisimai lhost/notes.rb', phrases: ['message has exceeded maximum hop count'] },
    ],
  },
];
