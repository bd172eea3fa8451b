/**
 * Text rules (part 4): what particular MTAs write, from the messages compiled into their own
 * source code, as catalogued per MTA by sisimai (https://github.com/sisimai/rb-sisimai,
 * lib/sisimai/lhost/<mta>.rb, BSD-2-Clause; each entry quotes the MTA source file it comes from).
 * Data only; see reasons.ts for how they are used.
 */
import type { PhraseGroup, Reason } from './vocabulary.ts';

const QMAIL = 'qmail-local.c, qmail-remote.c, qmail-ldap patch; sisimai lhost/qmail.rb';
const EXIM = 'Exim route.c, transports/appendfile.c, routers/dnslookup.c, deliver.c; sisimai lhost/exim.rb';

export const MTA_GROUPS: Partial<Record<Reason, PhraseGroup[]>> = {
  userunknown: [
    { source: QMAIL, phrases: ['no mailbox here by that name'] },
    { source: EXIM, phrases: ['user not found'] },
  ],
  mailboxfull: [
    { source: QMAIL, phrases: ['disk quota exceeded'] },
    { source: EXIM, phrases: ['error: quota exceed'] },
  ],
  mesgtoobig: [{ source: QMAIL, phrases: ['message size exceeds fixed maximum message size:', 'message size exceeds my databytes limit'] }],
  exceedlimit: [{ source: QMAIL, phrases: ['the message exeeded the maximum size the user accepts'] }],
  suspend: [{ source: QMAIL, patterns: [/mailaddress is administrative?le?y disabled/] }],
  hostunknown: [
    { source: QMAIL, phrases: ["sorry, i couldn't find any host "] },
    { source: EXIM, phrases: ['all host address lookups failed permanently', 'all relevant mx records point to non-existent hosts'] },
  ],
  systemfull: [{ source: QMAIL, phrases: ['requested action not taken: mailbox unavailable (not enough free space)'] }],
  networkerror: [
    {
      source: QMAIL,
      phrases: ["sorry, i wasn't able to establish an smtp connection", "sorry. although i'm listed as a best-preference mx or a for that host"],
    },
  ],
  notaccept: [{ source: EXIM, phrases: ['no host found for existing smtp connection'] }],
  systemerror: [
    {
      source: QMAIL,
      phrases: [
        'automatic homedir creator crashed',
        'illegal value in ldap attribute',
        'ldap attribute is not given but mandatory',
        'timeout while performing search on ldap server',
        'too many results returned but needs to be unique',
        'error while executing qmail-forward',
        'temporary error in automatic homedir creation',
        'temporary failure in ldap lookup',
        'unable to contact ldap server',
        'unable to login into ldap server',
      ],
    },
    { source: EXIM, phrases: ['delivery to file forbidden', 'delivery to pipe forbidden', 'local delivery failed'] },
  ],
  contenterror: [{ source: EXIM, phrases: ['too many "received" headers'] }],
};
