/**
 * Each MTA's own error-message table: the sentences an MTA writes for a failure it decided itself,
 * and the reason they mean in that MTA. They outrank the generic phrase rules because the same
 * words mean something else elsewhere ("user not found" is Exim's getpwnam() failure, a filter's
 * cover text at a web mail provider). A table applies to bounces of its own MTA; an `anywhere`
 * table holds codes no other software writes (Exchange's MSEXCH and RESOLVER codes, Domino's
 * directory messages), so it applies whichever MTA relayed the report.
 * Wording transcribed from the MTAs' sources as catalogued by sisimai (go-sisimai lhost/via-*.go,
 * BSD-2-Clause); data only, see lhost.ts for how it is used.
 */
import type { Reason } from './vocabulary.ts';

export interface MtaTable {
  /** the MTA family (a module name of mta.ts or lhost-formats.ts) */
  module: string;
  source: string;
  /** true when the wording identifies the MTA by itself */
  anywhere?: boolean;
  /** lower-case substrings (or patterns) per reason, checked in this order */
  reasons: Array<[Reason, Array<string | RegExp>]>;
}

export const MTA_TABLES: MtaTable[] = [
  {
    module: 'Exim',
    source: 'Exim route.c, parser.c, deliver.c; sisimai lhost/via-exim.go',
    reasons: [
      ['userunknown', ['user not found']],
      ['syntaxerror', ['angle-brackets nested too deep', 'expected word or "<"', 'domain missing in source-routed address', 'malformed address:']],
      ['notaccept', ['an mx or srv record indicated no smtp service']],
      ['systemerror', ['lmtp error after ']],
    ],
  },
  {
    module: 'qmail',
    source: 'qmail-remote.c, qmail-local.c, qmail-send.c, error_str.c, qmail-ldap patch; sisimai lhost/via-qmail.go',
    reasons: [
      // the stage qmail-remote.c names decides first: "Connected to ... but my name was rejected"
      // (EHLO/HELO refused), "... but sender was rejected" (MAIL FROM refused: the sender, RFC 5321 §3.3)
      ['blocked', ['but my name was rejected']],
      ['rejected', ['but sender was rejected']],
      ['systemfull', ['requested action not taken: mailbox unavailable (not enough free space)']],
      [
        'systemerror',
        [
          'bad interpreter: no such file or directory',
          'error while executing qmail-forward',
          'system error',
          // qmail-ldap's lookup and home directory failures
          'automatic homedir creator crashed',
          'illegal value in ldap attribute',
          'ldap attribute is not given but mandatory',
          'timeout while performing search on ldap server',
          'too many results returned but needs to be unique',
          'temporary error in automatic homedir creation',
          'temporary failure in ldap lookup',
          'unable to contact ldap server',
          'unable to login into ldap server, bad credentials',
        ],
      ],
      ['notaccept', ["sorry, i couldn't find a mail exchanger or ip address"]],
      ['hostunknown', ["sorry, i couldn't find any host "]],
      // error_str.c EDQUOT, qmail-qmtpd.c databytes
      ['mailboxfull', ['disk quota exceeded']],
      ['mesgtoobig', ['message size exceeds fixed maximum message size:']],
      ['exceedlimit', ['the message exeeded the maximum size the user accepts']],
      ['suspend', [/mailaddress is administrativ\w* disabled/]],
      ['userunknown', ['no mailbox here by that name']],
      ['networkerror', ["sorry, i wasn't able to establish an smtp connection", "sorry. although i'm listed as a best-preference mx or a for that host"]],
      // qmail-send.c gives up on a message kept past queuelifetime; with a remote refusal quoted
      // ("does not like recipient") the refusal is the cause
      ['expired', [/^(?!.*does not like recipient\.).*this message has been in the queue too long\./]],
    ],
  },
  {
    // Exchange 2000/2003 MSEXCH:IMS status codes, "(000C05A6) Unknown Recipient"
    module: 'Exchange2003',
    source: 'Microsoft Exchange 2003 IMS status codes; sisimai lhost/via-exchange2003.go',
    anywhere: true,
    reasons: [
      ['userunknown', ['(000c05a6)']],
      ['filtered', ['(000c0595)']],
      ['systemerror', ['(00010256)', '(000d06b5)']],
      ['networkerror', ['(00120270)']],
      ['contenterror', ['(00050311)', '(000502cc)']],
      ['securityerror', ['(000b0981)']],
    ],
  },
  {
    // Exchange 2007 and later enhanced-status suffixes: "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"
    module: 'Exchange2007',
    source: 'Microsoft Exchange Server NDR codes; sisimai lhost/via-exchange2007.go',
    anywhere: true,
    reasons: [
      ['hostunknown', ['smtpsend.dns.nonexistentdomain']],
      ['networkerror', ['smtpsend.dns.mxloopback']],
      ['userunknown', ['resolver.adr.recipnotfound', 'resolver.adr.recipientnotfound', 'resolver.adr.exrecipnotfound']],
      ['toomanyconn', ['resolver.adr.reciplimit']],
      ['systemerror', ['resolver.adr.badprimary', 'resolver.adr.invalidinsmtp', 'resolver.adr.ambiguous']],
      ['securityerror', ['resolver.rst.authrequired']],
      ['rejected', ['resolver.rst.notauthorized']],
      ['exceedlimit', ['resolver.rst.recipsizelimit']],
      ['expired', ['queue.expired']],
    ],
  },
  {
    module: 'Domino',
    source: 'HCL Domino router messages (en, es, fr); sisimai lhost/via-domino.go',
    anywhere: true,
    reasons: [
      ['filtered', ['cannot route mail to user']],
      ['systemerror', ['several matches found in domino directory']],
      [
        'userunknown',
        [
          'not listed in domino directory',
          'not listed in public name & address book',
          'no se encuentra en el directorio de domino',
          "non répertorié dans l'annuaire domino",
          // the same French sentence read as ISO-8859-1 without a charset
          /non r.{1,2}pertori.{1,2} dans l'annuaire domino/,
        ],
      ],
    ],
  },
  {
    module: 'Notes',
    source: 'HCL Notes router messages (en, ja); sisimai lhost/via-notes.go',
    anywhere: true,
    reasons: [
      ['networkerror', ['message has exceeded maximum hop count']],
      ['userunknown', ['user not listed in public name & address book', 'ディレクトリのリストにありません']],
    ],
  },
  {
    // Sendmail's local delivery agent looks the user up itself: its refusal is the mailbox's absence
    module: 'Sendmail',
    source: 'Sendmail mail.local/mail.local.c ("unknown user"); sisimai lhost/via-sendmail.go',
    anywhere: true,
    reasons: [['userunknown', ['mail.local: unknown user']]],
  },
  {
    module: 'Courier',
    source: 'Courier module.esmtp/esmtpclient.c; sisimai lhost/via-courier.go',
    reasons: [
      ['hostunknown', ['no such domain.']],
      ['systemerror', ["this domain's dns violates rfc 1035."]],
      ['networkerror', ['dns lookup failed.']],
    ],
  },
  {
    module: 'OpenSMTPD',
    source: 'OpenSMTPD smtpd/mta.c, queue.c failure strings; sisimai lhost/via-opensmtpd.go',
    reasons: [
      ['expired', ['envelope expired']],
      ['securityerror', ['could not retrieve credentials']],
      ['hostunknown', ['invalid domain name', 'domain does not exist']],
      [
        'networkerror',
        [
          'address family mismatch on destination mxs',
          'all routes to destination blocked',
          'bad dns lookup error code',
          'could not retrieve source address',
          'loop detected',
          'network error on destination mxs',
          'no valid route to remote mx',
          'no valid route to destination',
          'temporary failure in mx lookup',
        ],
      ],
      ['notaccept', ['destination seem to reject all mails', 'no mx found for domain', 'no mx found for destination']],
    ],
  },
  {
    module: 'MessagingServer',
    source: 'Oracle Communications Messaging Server; sisimai lhost/via-messagingserver.go',
    anywhere: true,
    reasons: [['hostunknown', ['illegal host/domain name found']]],
  },
  {
    module: 'EZweb',
    source: 'au by KDDI EZweb notices; sisimai lhost/via-ezweb.go',
    reasons: [
      ['expired', ['your message was not delivered within ']],
      ['mailboxfull', ['the user(s) account is temporarily over quota']],
      ['suspend', ['the user(s) account is disabled.', 'the user(s) account is temporarily limited.']],
    ],
  },
  {
    module: 'KDDI',
    source: 'au by KDDI notices; sisimai lhost/via-kddi.go',
    reasons: [
      ['mailboxfull', ['as their mailbox is full']],
      ['norelaying', ['due to the following smtp relay error']],
      ['hostunknown', ['as the remote domain doesnt exist']],
    ],
  },
  {
    module: 'Biglobe',
    source: 'BIGLOBE notices; sisimai lhost/via-biglobe.go',
    reasons: [
      ['filtered', ['mail delivery failed... user unknown']],
      ['mailboxfull', ["the number of messages in recipient's mailbox exceeded the local limit."]],
    ],
  },
  {
    // InterScan writes its own "Unable to deliver message to <...>" only when no remote reply came back
    module: 'InterScanMSS',
    source: 'Trend Micro InterScan Messaging Security Suite notices; sisimai lhost/via-interscanmss.go, via-trendmicro.go',
    reasons: [['userunknown', [/^(?!.*\b[245]\d\d\b).*unable to deliver (?:message )?to </]]],
  },
  {
    // "(state N)" names the SMTP stage Gmail's client failed in; a specific status code still decides
    module: 'Gmail',
    source: 'Gmail "Technical details of permanent failure" notices; sisimai lhost/via-gmail.go',
    reasons: [
      [
        'expired',
        [
          'dns error: could not contact dns servers',
          'delivery to the following recipient has been delayed',
          'the recipient server did not accept our requests to connect',
        ],
      ],
      ['hostunknown', ['dns error: domain name not found', 'dns error: dns server returned answer with no data']],
      ['failedstarttls', [/^(?!.*\b[45]\.\d{1,3}\.[1-9]).*\(state [69]\)/]],
      ['systemerror', [/^(?!.*\b[45]\.\d{1,3}\.[1-9]).*\(state 8\)/]],
      ['norelaying', [/^(?!.*\b[45]\.\d{1,3}\.[1-9]).*\(state 12\)/]],
      ['blocked', [/^(?!.*\b[45]\.\d{1,3}\.[1-9]).*\(state 13\)/]],
      ['userunknown', [/^(?!.*\b[45]\.\d{1,3}\.[1-9]).*\(state 14\)/]],
      ['filtered', [/^(?!.*\b[45]\.\d{1,3}\.[1-9]).*\(state 1[578]\)/]],
    ],
  },
  {
    module: 'IMail',
    source: 'Progress iMail Server notices; sisimai lhost/via-imailserver.go',
    reasons: [
      ['hostunknown', ['unknown host']],
      ['userunknown', ['unknown user', 'invalid final delivery userid']],
      ['mailboxfull', ['user mailbox exceeds allowed size']],
      ['virusdetected', ['requested action not taken: virus detected']],
      ['spamdetected', ['blacklisted url in message']],
      // iMail's own give-up line ("Delivery failed N attempts")
      ['expired', ['delivery failed ']],
    ],
  },
  {
    module: 'DragonFly',
    source: 'DragonFly Mail Agent dma.c, net.c; sisimai lhost/via-dragonfly.go',
    reasons: [
      ['expired', ['could not deliver for the last ']],
      ['hostunknown', ['dns lookup failure: host ']],
    ],
  },
  { module: 'EinsUndEins', source: '1&1 notices; sisimai lhost/via-einsundeins.go', reasons: [['mesgtoobig', ['mail size limit exceeded']]] },
  {
    // Smail 3's failure line (" addr ... unknown host"), the layout T-Online's notices keep
    module: 'DeutscheTelekom',
    source: 'Smail 3 notify.c failure lines as used by T-Online; sisimai lhost/via-deutschetelekom.go',
    reasons: [['hostunknown', [/ \.\.\. (?:failed: )?unknown host\b/]]],
  },
  { module: 'GMX', source: 'GMX notices; sisimai lhost/via-gmx.go', reasons: [['expired', ['delivery retry timeout exceeded']]] },
  { module: 'Zoho', source: 'Zoho Mail notices; sisimai lhost/via-zoho.go', reasons: [['expired', ['host not reachable']]] },
  {
    // fml's own notices: the body sentence first, the Subject only when the body names nothing
    module: 'fml',
    source: 'fml mailing list manager notices; sisimai lhost/via-fml.go',
    reasons: [
      [
        'rejected',
        [' header may cause mail loop', 'not member article from ', 'reject mail from ', 'reject spammers:', 'you are not a member of this mailing list'],
      ],
      ['securityerror', ['security alert:']],
      // the duplicate Message-ID notice is fml's loop guard: systemerror in this vocabulary (go-sisimai
      // now files it as notcompliantrfc)
      ['systemerror', [' has detected a loop condition so that', 'loop back warning:', 'duplicated message-id']],
    ],
  },
  {
    module: 'fml-subject',
    source: 'fml mailing list manager notice subjects; sisimai lhost/via-fml.go',
    reasons: [
      ['rejected', [' are not member', 'not member article from ', 'reject mail ', 'spam mail from a spammer is rejected']],
      ['systemerror', ['fml system error message', 'loop alert: ', 'loop back warning: ', 'warning: unix from loop']],
      ['securityerror', ['security alert']],
    ],
  },
  {
    module: 'Verizon',
    source: 'Verizon Wireless SMS/MMS gateway notices; sisimai lhost/via-verizon.go',
    reasons: [['userunknown', ['550 - requested action not taken: no such user here', 'no valid recipients']]],
  },
  {
    module: 'GoogleWorkspace',
    source: 'Google Workspace "Message not delivered" notices; sisimai lhost/via-googleworkspace.go',
    reasons: [['userunknown', ["because the address couldn't be found. check for typos or unnecessary spaces and try again."]]],
  },
];
