/**
 * Text rules (part 1: recipient, mailbox and sender of 2): lower-case phrases and patterns per bounce reason. Data only; see
 * reasons.ts for how they are used. Add phrases here, not code.
 */
import type { Reason, ReasonRule } from './vocabulary.ts';

export const RECIPIENT_RULES: Partial<Record<Reason, ReasonRule>> = {
  mailboxfull: {
    phrases: [
      'insufficient disk space', 'exceeding receiving limits', 'boite du destinataire pleine', 'exceeded storage allocation',
      'full mailbox', 'mailbox exceeds allowed size', 'mailbox size limit exceeded', 'exceed maximum allowed storage',
      'mailfolder is full', 'no space left on device', 'not sufficient disk space', 'quota violation', 'too much mail data',
      'exceeded quota', 'too many messages on the server', 'space has been used up', 'mailbox is full', 'mailbox full',
      'over quota', 'overquota', 'quota exceeded', 'quota full', 'storage quota', 'inbox is full',
      'recipient is over their storage', 'out of storage space',
    ],
    patterns: [/account is .{0,40}quota/, /disk.{0,20}quota/, /enough .{0,20}space/, /mailbox .{0,40}exceeded.{0,40}limit/,
      /mailbox .{0,40}full/, /mailbox .{0,20}quota/, /maildir .{0,20}quota/, /over .{0,20}quota/, /quota .{0,20}exceeded/],
  },
  mesgtoobig: {
    phrases: [
      'exceeded maximum inbound message size', 'exceeded the maximum incoming message size', 'line limit exceeded',
      'max message size exceeded', 'message file too big', 'message length exceeds administrative limit',
      'message size exceeds fixed limit', 'message size exceeds fixed maximum message size', 'message size exceeds maximum',
      'message too big', 'message too large for this', 'size limit', 'taille limite du message atteinte', 'message is too large',
      'exceeds size limit',
    ],
  },
  exceedlimit: { phrases: ['message header size exceeds limit', 'message too large'] },
  suspend: {
    phrases: [
      ' is currently suspended', ' temporary locked', 'archived recipient', 'boite du destinataire archivee',
      'email account that you tried to reach is disabled', 'has been suspended', 'inactive account', 'invalid/inactive user',
      'is a deactivated mailbox', 'user is terminated', 'mailbox currently suspended', 'mailbox disabled',
      'mailbox is frozen', 'mailbox unavailable or access denied', 'recipient rejected: temporarily inactive',
      'recipient suspend the service', 'the email account that you tried to reach is inactive', 'account has been disabled',
      'account has been temporarily suspended', 'this mailbox is disabled', 'user or domain is disabled', 'user suspended',
      'account is locked', 'account disabled', 'account is disabled',
    ],
  },
  hasmoved: { phrases: [' has been replaced by ', 'mailbox has moved', 'no longer on server'] },
  norelaying: {
    phrases: [
      'as a relay', 'insecure mail relay', 'is not permitted to relay', 'requires authentication when attempting to send to a non-local',
      'no relaying', 'not a gateway', 'not allowed to relay', 'not an open relay', 'not local host', 'relay access denied',
      'relay denied', 'relay not permitted', 'relaying denied', 'relaying mail to ', 'specified domain is not allowed',
      "that domain isn't in my list of allowed rcpthost", 'not configured to relay mail', 'unable to relay ', "we don't handle mail for",
      'relaying not allowed', 'relay prohibited',
    ],
  },
  authfailure: {
    phrases: ['dmarc check failed', 'does not pass dmarc verification', 
      '//spf.pobox.com', 'bad spf records for', 'dmarc policy', "doesn't meet the required authentication level",
      'please inspect your spf settings', 'sender policy framework (spf) fail', 'sender policy framework violation',
      'spf (sender policy framework) domain authentication fail', 'spf check: fail', 'spf validation failed', 'spf fail',
      'doesn\'t meet the authentication requirements', 'dkim signature', 'is unauthenticated', 'unauthenticated email',
      'dmarc fail', 'failed dmarc', 'dmarc reject', 'authentication checks failed', 'spf record',
    ],
    patterns: [/is not allowed to send (?:mail )?from .{0,80} per it'?s spf/],
  },
  userunknown: {
    phrases: ['invalid final delivery userid', 'no such user here', 'recipient name is not recognized', 
      '#5.1.1 bad address', '550 address invalid', '5.1.0 address rejected', 'address does not exist', 'address not present in directory',
      'address unknown', "can't accept user", 'does not exist.', 'destination addresses were unknown', 'destination server rejected recipients',
      'email address does not exist', 'email address could not be found', 'invalid address', 'invalid mailbox', 'invalid recipient',
      'is not a known user', 'is not a valid mailbox', 'is not an active address at this host', 'mailbox does not exist', 'mailbox invalid',
      'mailbox is inactive', 'mailbox is unavailable', 'mailbox not present', 'mailbox not found', 'mailbox unavaiable',
      'nessun utente simile', 'no account by that name here', 'no existe dicha persona', 'no existe ese usuario',
      'no mail box available for this user', 'no mailbox by that name', 'no mailbox found', 'no such address',
      'no such mailbox', 'no such person', 'no such recipient', 'no such user', 'account unavailable', 'no valid recipients',
      'not a valid recipient', 'not a valid user', 'not a local address', 'not email addresses',
      'recipient address rejected: access denied', 'recipient address rejected: invalid user', 'recipient address rejected: invalid-recipient',
      'recipient address rejected: unknown user', 'recipient address rejected: userunknown', 'recipient does not exist',
      'recipient is not accepted', 'recipient is not local', 'recipient not exist', 'recipient not found', 'recipient not ok',
      'recipient refuses to accept your mail', 'recipient unknown', 'requested action not taken: mailbox unavailable',
      'resolver.adr.recipnotfound', 'resolver.adr.recipientnotfound', 'sorry, user unknown', 'badrcptto', 'sorry, no mailbox here by that name',
      'your envelope recipient has been denied', "isn't in my list of allowed rcpthosts", 'the email account that you tried to reach does not exist',
      'the following recipients was undeliverable', "user's email name is not found", 'there is no one at this address',
      'this address no longer accepts mail', 'wrong or no longer valid', 'not in my validrcptto list',
      'unknown mailbox', 'unknown recipient', 'unknown user', 'user does not exist', 'user missing home directory', 'user not active',
      'user not exist', 'user not found', 'user not known', 'user unknown', 'utilisateur inconnu', 'invalid or unknown virtual user',
      'weil die adresse nicht gefunden wurde', 'unknown or illegal alias', 'no such local user', 'addressee unknown',
      'recipient rejected: no such', 'recipient address unknown', 'user doesn\'t exist', 'mailbox unavailable', 'recipient name is not recognized', 'invalid recipient', 'adresse destinataire invalide',
      "address couldn't be found", 'address not found',
    ],
    patterns: [/<[^>]*> not found/, /account .{0,60} does not exist at the organization/, /mailbox .{0,60}does not exist/,
      /non.?existent user/, /rcpt <.{0,80} does not exist/, /recipient .{0,80} was not found in/, /user (?:unknown|.{0,40}does not exist) in .{0,40}table/,
      /unknown e-?mail address/, /unknown local.?part/, /user .{0,80} was not found/, /user .{0,80} does not exist/,
      /user \(.{0,80}\) unknown/, /this user doesn't have a .{0,40} account/, /bad.{0,20}recipient/],
  },
  filtered: {
    phrases: [
      'account is protected by', 'bounced address', 'has restricted sms e-mail', 'is not accepting any mail', 'message filtered',
      'message rejected due to user rules', 'not found recipient account', 'refuse to receive mail', 'only accepting mail from specific',
      'refused due to recipient preferences', 'user refuses to receive this mail', 'user reject', 'blocked by the recipient',
    ],
  },
  requireptr: {
    phrases: [
      'ip name lookup failed', 'must have a ptr record', 'bad dns ptr resource record', 'cannot find your hostname',
      'cannot resolve your address', 'fix reverse dns for ', 'missing ptr record', 'no ptr record', 'get a custom reverse dns name',
      'ptr record setup', 'reverse dns failed', 'reverse dns required', 'sender ip reverse lookup rejected', 'does not have a ptr record',
      'forward dns entry does not point to the sending ip', 'no reverse dns', 'unresolvable relay host name',
      'generic dns ptr-records', 'reverse dns entry', 'ptr record', 'rdns',
    ],
    patterns: [/domain .{0,60} mismatches client ip/, /reverse dns lookup for host .{0,60} failed/, /forbidden by invalid rdns/, /unverifyable sending ips/],
  },
  notcompliantrfc: {
    phrases: ['duplicate header', 'not rfc 5322 compliant', 'p=rfcmessagenoncompliant', 'rfc 5322 compliant', 'not rfc compliant'],
    patterns: [/ multiple .{0,40} header/],
  },
  badreputation: {
    phrases: [
      'a poor email reputation score', 'rate limited due to ip reputation', 'ip/domain reputation problems', 'very low reputation',
      'none/bad reputation', 'temporarily deferred due to unexpected volume or user complaints', "mta's poor reputation", 'low reputation',
      'poor reputation', 'bad reputation', 'ip reputation', 'sender reputation',
    ],
  },
  contenterror: {
    phrases: [
      'header size exceeds maximum permitted', 'improper use of 8-bit data', 'recipient list, exceeds policy limit',
      'mime complexity exceeds', 'too many received: headers', 'invalid mime headers', 'improperly-formatted binary content',
      'unnecessary base64 encoding',
    ],
  },
  rejected: {
    unless: ['5.1.0 address rejected', 'recipient address rejected', 'sender ip address rejected'],
    phrases: [
      'access denied (in reply to mail from command)', 'access denied (sender blacklisted)', 'address rejected', 'administrative prohibition',
      'batv failed to verify', 'batv validation failure', 'backscatter protection detected', "isn't on the recipient's list of senders",
      'bogus mail from', "can't determine purported responsible address", 'without a valid sender domain', 'denied [bouncedeny]',
      'valid-address-filter', 'delivery not authorized, message refused', 'does not exist e2110', 'domain of sender address ',
      'senderfilterconfig list', 'emetteur invalide', 'empty envelope senders not allowed', 'envelope blocked - ', 'no third-party dsns',
      'please provide a valid from:', 'fully qualified email address required', 'invalid domain, see <url:', 'invalid sender',
      'is not a registered gateway user', 'mail from not owned by user', 'email address is not verified', 'mx records for ',
      'null sender is not allowed', 'recipient addresses rejected : access denied', '(batv: no tag', 'returned mail not accepted here',
      'recursive cname records for', 'rule imposed mailbox access for', 'from a different address or alias using the ',
      'sender address has been blacklisted', 'sender email address rejected', 'sender is in my black list', 'sender is spammer',
      'sender not pre-approved', 'sender rejected', 'sender domain is empty', 'sender verify failed', 'sender was rejected',
      'spam reporting address', 'empty email address', 'rejected by batv defense', 'this server does not accept mail from',
      'unsigned dsn for', 'unroutable sender address', 'not allowed to post to this mailing list', 'address that has been blacklisted',
      'your email address has been blacklisted', 'sender address rejected',
      'permission to post messages to the group', 'not have permission to post',
    ],
  },
};
