/**
 * Text rules (part 2: host, network, policy and content of 2): lower-case phrases and patterns per bounce reason. Data only; see
 * reasons.ts for how they are used. Add phrases here, not code.
 */
import type { Reason, ReasonRule } from './vocabulary.ts';

export const TRANSPORT_RULES: Partial<Record<Reason, ReasonRule>> = {
  hostunknown: {
    phrases: [
      'domain does not exist', 'domain is not reachable', 'domain must exist', 'host or domain name not found', 'host unknown',
      'host unreachable', 'mail domain mentioned in email address is unknown', 'name or service not known', 'no such domain',
      'unknown domain name', 'recipient domain must exist', 'the account or domain may not exist', 'unknown host', 'unroutable address',
      'unrouteable address', 'domain not found',
    ],
    patterns: [/553 .{0,80} does not exist/],
  },
  spamdetected: {
    phrases: [
      ' - spam', 'help_spam_16.htm', '554 5.7.0 reject, id=', 'appears to be unsolicited', 'blacklisted url in message', 'block for spam',
      'no spam please', 'blocked by spamassassin', 'att.net/blocks', 'detected as spam', 'unsolicited bulk e-mail', 'content filter rejection',
      'identified this email as a bulk email', 'denied due to spam list', 'high probability of spam', 'classified as spam', 'drbl.imedia.ru',
      'mail content denied', 'may consider spam', 'considered as spam', 'contains spam', 'message content rejected', 'looks like spam',
      'seems to be a spam', 'spamprofiler', 'rejected as spam', 'unacceptable content', 'suspected spam', 'message rejected for policy reasons',
      'possible spam', 'thinks this email is spam', 'our system has detected that this message is ', 'probable spam', 'bulk.advertising',
      'spamassassin score', 'rejected - bulk email', 'banned content', 'rejecting mail content', 'spam-like characteristics',
      'sender domain listed at ', 'due to spam filter', 'spam blocked', 'spam check', 'spam content matched', 'spam detected', 'spam email',
      'spam message rejected', 'spam not accepted', 'spam refused', 'spam rejection', 'spam score ', 'identified spam', 'spamming not allowed',
      'too many spam complaints', 'too much spam.', 'rejected by spam filtering engine', 'classification as bulk mail', 'looked like spam',
      'appears to be spam', 'identified as spam', 'scored as spam', 'recurrent pattern detection system', 'spam message not queued',
      'dont accept spam', 'similar to spam', 'uribl policy', 'spam-like ', 'considered spam', 'probably spam', 'triggered a spam block',
      'temporarily blocked by our filter', 'spam contents', 'failed several antispam checks', 'unsolicited mail',
    ],
    patterns: [/greylisted.{0,40} please try again in/, /mail score \(.{0,20} over /, /rejected by .{0,40} \(spam\)/, /rejected due to spam .{0,20}(?:classification|content)/,
      /rule imposed as .{0,80} is blacklisted on/, /spam .{0,40} exceeded/, /this message scored .{0,40} spam points/, /filters rate at and above .{0,20} percent probability of being spam/],
  },
  speeding: {
    phrases: ['temporarily rate limited', 'please try again slower', 'receiving mail at a rate that prevents', 'rate limit exceeded', 'sending rate'],
  },
  toomanyconn: {
    phrases: [
      'maximum connection limit', 'connection rate limit exceeded', 'per-domain connection limit', 'max emails per hour', 'daily message quota exceeded',
      'maximum sending rate exceeded', 'too many connections', 'too many concurrent smtp connections', 'too many errors from your ip',
      'too many recipients', 'too many smtp sessions', 'trop de connexions', 'made numerous attempts to deliver this message',
    ],
  },
  blocked: {
    phrases: [
      ' said: 550 blocked', '//www.spamcop.net/bl.', 'bad sender ip address', 'banned sending ip', 'blacklisted by', 'blocked using ',
      'blocked - see http', 'dnsbl:attrbl', 'abus detecte gu_eib', 'may not be mail exchanger', 'was not authenticated', 'confirm this mail server',
      'connection dropped', 'connection refused by', 'connection reset by peer', 'connection was dropped by remote host', 'spamhaus xbl',
      'currently sending spam see: ', 'domain does not exist:', 'spam ips blocked', 'no valid recipients from ', 'not accepting connections',
      'bad ip profile', 'go away', 'helo command rejected:', 'host network not allowed', 'hosts with dynamic ip', 'invalid ip for sending mail',
      'is in a black list', 'is not allowed to send mail from', 'is listed in spamhaus', 'no access from mail server',
      'no matches to nameserver query', 'not currently accepting mail from your ip', 'on our block list', 'use the smtp server of your isp',
      'refused - see http', 'multi-blacklist', 'not passed validation', 'rejecting open proxy', 'sender ip address rejected',
      'forbidden by your ip ', 'service not available, closing transmission channel', 'after initial connection:', "domain isn't in my list of allowed rcpthosts",
      'suspiciously like spammer', 'to submit messages to this e-mail system has been rejected', 'too many spams from your ip',
      'too many unwanted messages have been sent', 'was blocked by ', 'mail from dynamic ips', 'you are not allowed to connect',
      'you are sending spam', 'listed in the rbl', 'temporary blacklisted', 'your server requires confirmation', 'blocklist', 'blacklist',
      'listed at', 'listed on', 'dnsbl', 'rbl ', 'rejected because your ip', 'client host rejected', 'access denied', 'ip blocked',
    ],
    patterns: [/access from ip address .{0,60} blocked/, /client host .{0,80} blocked using/, /because the ip is in spamhaus/,
      /email blocked by .{0,40}(?:barracudacentral|spamhaus)/, /host .{0,80} refused to talk to me: .{0,80} blocked/, /is in an .{0,40}rbl on /,
      /mail server at .{0,60} is blocked/, /mail from .{0,60} refused/, /message from .{0,60} rejected based on blacklist/,
      /messages from .{0,60} temporarily deferred due to user complaints/, /server ip .{0,60} listed as abusive/,
      /your ip address.{0,60} is blocked/, /the (?:domain|email|ip) .{0,60} is blacklisted/, /your access ip.{0,60} has been rejected/,
      /\babuseat\.org/, /\bs3150\b/, /\bs3140\b/],
  },
  virusdetected: {
    phrases: ['potentially executable attachment', 'prohibited virus or spam content', 'used by recent viruses', 'virus detected',
      'malicious_url detected', 'infected with a virus', 'virus found', 'contains a virus'],
  },
  policyviolation: {
    phrases: [
      'an illegal attachment on your message', 'not accepting mail with ', 'by non-member to a members-only list', 'closed mailing list',
      'denied by policy', 'email not accepted for policy reasons', 'email rejected due to security policies', 'header are not accepted',
      'header error', 'local policy violation', 'due to organizational settings', 'message given low priority',
      'message not accepted for policy reasons', 'message rejected due to local policy', 'messages with multiple addresses',
      'rejected for policy reasons', 'protocol violation', 'is not subscribed to this group', 'rejected by organization policy',
      'content presents a potential', 'containing images or other attachments', "you're using a mass mailer", 'policy violation',
    ],
    patterns: [/you have exceeded the.{0,40}allowable number of posts without solving a captcha/],
  },
  systemerror: {
    phrases: [
      'aliasing/forwarding loop broken', "can't create user output file", 'could not load drd for domain', 'internal error reading data',
      'operation now in progress', 'interrupted system call', 'it encountered an error while being processed', 'it would create a mail loop',
      'local configuration error', 'local error in processing', 'loop was found in the mail exchanger', 'loops back to myself',
      'mail system configuration error', 'queue file write error', 'there is no mdb', 'remote server is misconfigured',
      'server configuration error', 'service currently unavailable', 'system config error', 'temporary local problem',
      'timeout waiting for input', 'transaction failed ', 'internal server error',
    ],
    patterns: [/transaction failed\b/, /duplicated message-id/, /unable to connect .{0,40}daemon/],
  },
  networkerror: {
    phrases: ['dns query failed', 
      'could not connect and send the mail to', 'dns records for the destination computer could not be found', 'possible mail loop',
      'host is unreachable', 'host name lookup failure', 'host not found, try again', 'mail forwarding loop for ', 'malformed name server reply',
      'malformed or unexpected name server reply', 'maximum forwarding loop count exceeded', 'message looping', 'routing loop',
      'no route to host', 'too many hops', 'unable to resolve route ', 'unrouteable mail domain', 'network is unreachable',
    ],
  },
  systemfull: { phrases: ['mail system full', 'requested mail action aborted: exceeded storage allocation'] },
  notaccept: {
    phrases: ['indicated no smtp service', 'record indicated no smtp', 'does not accept mail (nullmx)', 'host/domain does not accept mail', 'host does not accept mail', 'mail receiving disabled',
      'name server: .: host not found', 'no mx record found for domain=', 'no route for current request', 'smtp protocol returned a permanent error',
      'null mx', 'does not accept mail'],
  },
  expired: {
    phrases: [
      'connection timed out', 'could not find a gateway for', 'delivery attempts will continue to be', 'delivery expired', 'delivery time expired',
      'failed to deliver to domain ', 'giving up on', 'have been failing for a long time', 'has been delayed', 'it has not been collected after',
      'expired after sitting in queue', 'message expired', 'message timed out', 'retry time not reached for any host after a long failure period',
      'server did not respond', 'in the queue too long', 'after multiple retries', 'within the allowed queue period',
      'could not be delivered for more than', 'retry timeout exceeded', 'queue too long',
      'envelope expired', 'remote host is not responding', 'did not accept our requests to connect', 'giving up.', 'will be retried for',
      'not delivered within',
    ],
    patterns: [/could not be delivered for .{0,20} days/, /could not deliver for the last \d+ seconds/, /delivery failed \d+ attempts/],
  },
  failedstarttls: {
    phrases: ['starttls is required', 'must issue a starttls command first', 'tls required but not supported', 'requiretls',
      'encryption required', 'tls is required', 'starttls failed', 'tls handshake failed'],
  },
  securityerror: {
    phrases: [
      'account not subscribed to ses', 'authentication credentials invalid', 'authentication failure', 'authentication required',
      'authentication turned on in your email client', 'executable files are not allowed', 'insecure mail relay', 'recipient address rejected: access denied',
      "you don't authenticate or the domain isn't in my list", 'unauthenticated senders not allowed', 'verification failure',
      'authentication is required', 'authentication failed',
    ],
    patterns: [/authentification (?:invalide|requise)/, /domain .{0,60} is a dead domain/, /is not authorized to perform ses:sendrawemail/],
  },
  mailererror: {
    phrases: ['x-unix; ', 'command output:', 'procmail:', 'pipe to |', 'command died with status', 'exit code',
      'unknown mailer error', 'mailer error', 'permission denied. command output'],
  },
  vacation: { phrases: ['i am out of the office', 'i am away', 'out of office', 'on vacation', 'auto-reply', 'autoreply', 'automatic reply'] },
};
