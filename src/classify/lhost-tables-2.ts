/**
 * Message tables of the families in lhost-formats-2.ts (same shape as lhost-tables.ts), and the
 * verdicts some families state outside their text: PowerMTA's bounce category field, Office 365's
 * enhanced status codes, Amazon SES's bounce subtype. Each of these is the sending system's own
 * classification of a failure it saw, so it outranks a reading of the quoted reply.
 * Transcribed from sisimai (rb-sisimai lib/sisimai/lhost/*.rb, go-sisimai lhost/via-amazonses.go,
 * BSD-2-Clause) and the vendors' documentation named per entry; data only.
 */
import type { MtaTable } from './lhost-tables.ts';
import type { Reason } from './vocabulary.ts';

export const MTA_TABLES_2: MtaTable[] = [
  {
    // the strings Exim itself writes (its clones MXLogic and Mail.Ru share them through `like`)
    module: 'Exim',
    source: 'Exim route.c, routers/dnslookup.c, transports/smtp.c, transports/appendfile.c, deliver.c; sisimai lib/sisimai/lhost/mxlogic.rb, mailru.rb',
    reasons: [
      ['hostunknown', ['all host address lookups failed permanently', 'all relevant mx records point to non-existent hosts', 'unrouteable address']],
      ['mailboxfull', ['mailbox is full', 'error: quota exceed']],
      ['notaccept', ['no host found for existing smtp connection']],
      ['systemerror', ['delivery to file forbidden', 'delivery to pipe forbidden', 'local delivery failed']],
      ['contenterror', ['too many "received" headers']],
    ],
  },
  {
    module: 'McAfee',
    source: 'McAfee Email Gateway notices; sisimai lib/sisimai/lhost/mcafee.rb',
    reasons: [['userunknown', [/(?:^| )user \(.+@.+\) unknown\./, /550 unknown user [^ ]+@[^ ]+/, /550 <.+?@.+?>\.+ user not exist/]]],
  },
  {
    // the sentence is Outlook.com's own, whichever MTA relays it
    module: 'Outlook',
    source: 'Outlook.com delivery status notifications; sisimai lib/sisimai/lhost/outlook.rb',
    anywhere: true,
    reasons: [['hostunknown', ['the mail could not be delivered to the recipient because the domain is not reachable']]],
  },
  {
    module: 'Outlook',
    source: 'Outlook.com delivery status notifications; sisimai lib/sisimai/lhost/outlook.rb',
    reasons: [['userunknown', ['requested action not taken: mailbox unavailable']]],
  },
  {
    // an SES receipt rule's bounce action writes one of these template sentences
    module: 'ReceivingSES',
    source: 'Amazon SES receipt rule bounce action templates; sisimai lib/sisimai/lhost/receivingses.rb',
    reasons: [
      ['mesgtoobig', ['message too large']],
      ['mailboxfull', ['mailbox full']],
      ['contenterror', ['message content rejected']],
    ],
  },
  {
    module: 'MessageLabs',
    source: 'Symantec.cloud (MessageLabs) notices; sisimai lib/sisimai/lhost/messagelabs.rb',
    reasons: [
      ['userunknown', [/542 .+ rejected/, 'no such user']],
      ['securityerror', ['please turn on smtp authentication in your mail client']],
    ],
  },
  {
    // Google's own sentence (Gmail, Google Workspace), whichever MTA relays it
    module: 'GSuite',
    source: 'Google Workspace (G Suite) delivery status notifications; sisimai lib/sisimai/lhost/gsuite.rb',
    anywhere: true,
    reasons: [['userunknown', ["because the address couldn't be found. check for typos or unnecessary spaces and try again."]]],
  },
  {
    // in Google's own notices only: its DNS failure wordings, and a null MX (RFC 7505 §3: the
    // domain accepts no mail)
    module: 'GoogleWorkspace',
    source: 'Google Workspace (G Suite) delivery status notifications; sisimai lib/sisimai/lhost/gsuite.rb',
    reasons: [
      ['notaccept', ['null mx']],
      ['networkerror', [' had no relevant answers.', ' responded with code nxdomain']],
    ],
  },
  {
    module: 'Aol',
    source: 'AOL Mail notices; sisimai lib/sisimai/lhost/aol.rb',
    reasons: [
      ['hostunknown', ['host or domain name not found']],
      ['notaccept', ['type=mx: malformed or unexpected name server reply']],
    ],
  },
];

/** PowerMTA's X-PowerMTA-BounceCategory values: its own classification of the remote reply. */
export const POWERMTA_CATEGORIES: Record<string, Reason> = {
  'bad-domain': 'hostunknown',
  'bad-mailbox': 'userunknown',
  // sisimai's newer "disabled" is this vocabulary's "suspend"
  'inactive-mailbox': 'suspend',
  'message-expired': 'expired',
  'no-answer-from-host': 'networkerror',
  'policy-related': 'policyviolation',
  'quota-issues': 'mailboxfull',
  'routing-errors': 'systemerror',
  'spam-related': 'spamdetected',
};
export const POWERMTA_SOURCE = 'PowerMTA bounce categories (X-PowerMTA-BounceCategory); sisimai lib/sisimai/lhost/powermta.rb';

/**
 * Office 365's enhanced status codes (RFC 3463 §3 subjects with Microsoft's own details) and what
 * each means there, checked in this order; a code of another system may mean something else.
 */
export const OFFICE365_STATUS: Array<[RegExp, Reason]> = [
  [/^4\.4\.7$/, 'expired'],
  [/^4\.4\.312$/, 'networkerror'],
  [/^4\.4\.316$/, 'expired'],
  [/^4\.7\.26$/, 'securityerror'],
  [/^4\.7\.[56]\d\d$/, 'blocked'],
  [/^4\.7\.8[5-9]\d$/, 'blocked'],
  [/^5\.4\.1$/, 'norelaying'],
  [/^5\.4\.312$/, 'networkerror'],
  [/^5\.4\.316$/, 'expired'],
  [/^5\.4\.6$/, 'networkerror'],
  [/^5\.6\.11$/, 'contenterror'],
  [/^5\.7\.1$/, 'rejected'],
  [/^5\.7\.1[23]$/, 'rejected'],
  [/^5\.7\.124$/, 'rejected'],
  [/^5\.7\.13[3-6]$/, 'rejected'],
  [/^5\.7\.25$/, 'networkerror'],
  [/^5\.7\.50[1-3]$/, 'spamdetected'],
  [/^5\.7\.50[45]$/, 'filtered'],
  [/^5\.7\.50[67]$/, 'blocked'],
  [/^5\.7\.508$/, 'toomanyconn'],
  [/^5\.7\.509$/, 'securityerror'],
  [/^5\.7\.510$/, 'notaccept'],
  [/^5\.7\.511$/, 'rejected'],
  [/^5\.7\.512$/, 'securityerror'],
  [/^5\.7\.60[6-9]$/, 'blocked'],
  [/^5\.7\.6[1-4]\d$/, 'blocked'],
  [/^5\.7\.7[0-4]\d$/, 'toomanyconn'],
];
export const OFFICE365_SOURCE =
  'Exchange Online NDR codes (learn.microsoft.com, "Email non-delivery reports in Exchange Online"); sisimai lib/sisimai/lhost/office365.rb';

/**
 * Amazon SES bounceSubType values that name a cause (General, NoEmail and Undetermined do not;
 * Suppressed has no reason of its own in this vocabulary).
 */
export const SES_SUBTYPES: Record<string, Reason> = {
  MailboxFull: 'mailboxfull',
  MessageTooLarge: 'mesgtoobig',
  ContentRejected: 'contenterror',
  AttachmentRejected: 'securityerror',
};
export const SES_SOURCE =
  'Amazon SES notification contents, bounce types (docs.aws.amazon.com/ses/latest/dg/notification-contents.html); sisimai lhost/via-amazonses.go';
