/**
 * Text rules, the generic vocabulary of each reason, as word patterns rather than one MTA's
 * exact sentence. The catalogue phrases (rules-recipient, -sender, -transport and -refusal.ts)
 * each match what one MTA writes; a
 * message from an MTA nobody catalogued still says "mailbox" and "full", or "host" and "not found".
 * The words are those of the RFC 3463 §3 subject and detail descriptions and the RFC 5321 §4.2
 * reply texts, as MTAs put them into sentences; a pattern stays within one sentence (a dot inside
 * an address or a name, as in 198.51.100.7 or mx.example.net, does not end it). Data only; see reasons.ts.
 */
import type { PhraseGroup, Reason } from './vocabulary.ts';

const R3463 = (sect: string): string => `RFC 3463 ${sect} wording, as MTAs phrase it`;

export const GENERIC_GROUPS: Partial<Record<Reason, PhraseGroup[]>> = {
  // 5.1.1 "Bad destination mailbox address"
  userunknown: [
    {
      source: R3463('§3.2 X.1.1'),
      patterns: [
        /\b(?:user|mailbox|recipient|addressee|account|e-?mail address|local ?part)s?\b[^.;:]{0,30}\b(?:unknown|not found|does not exist|doesn'?t exist|not listed|is not valid|not recogni[sz]ed)/,
        /\b(?:no such|unknown|invalid|non-?existent|nonexisting) (?:local )?(?:user|mailbox|recipient|addressee|account|e-?mail address)\b/,
      ],
    },
  ],
  // 5.2.2 "Mailbox full"
  mailboxfull: [
    {
      source: R3463('§3.3 X.2.2'),
      patterns: [
        /\b(?:mailbox|mail ?folder|inbox|mail ?box|maildir|mail storage)\b(?:[^.;]|\.(?=\w)){0,30}\b(?:is full|full\b|exceeds? (?:the )?(?:allowed|maximum) size|over (?:its |the )?(?:quota|limit))/,
      ],
    },
  ],
  // 5.1.2 "Bad destination system address"
  hostunknown: [
    {
      source: R3463('§3.2 X.1.2'),
      patterns: [
        // "Host not found, try again" is the resolver's temporary failure (networkerror), not a missing name
        /\b(?:host|domain)(?: name)?\b(?:[^.;]|\.(?=\w)){0,24}\b(?:unknown|not found(?!,? try again)|does not exist|doesn'?t exist|not exist)\b/,
        /\b(?:unknown|unroutable|unrouteable|non-?existent|invalid) (?:host|domain)\b|\bunrout(?:e)?able address\b/,
        // a bare domain name said not to exist (an address would have its local part and "@")
        /(?<![@\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,}\s+(?:does not exist|doesn'?t exist|not found(?!,? try again))\b/,
      ],
    },
  ],
  // 4.4.7 "Delivery time expired"
  expired: [
    {
      source: R3463('§3.5 X.4.7'),
      patterns: [
        /\b(?:retry|delivery|queue|message)\b(?:[^.;]|\.(?=\w)){0,24}\b(?:timeout|timed out|time expired|expired|lifetime exceeded)/,
        /(?:could not|couldn'?t|unable to|was not|has not been|not) (?:be )?deliver(?:ed)?\b(?:[^.;]|\.(?=\w)){0,40}\b(?:\d+ (?:days?|hours?|attempts?)|within)/,
        /\bgiving up\b/,
        // the retries ran out: "failed 20 attempts", "have been failing for a long time" (RFC 5321 §4.5.4.1 give-up time)
        /\b(?:fail(?:ed|ing)|attempts?|tried|retried|retrying)\b(?:[^.;]|\.(?=\w)){0,30}\b(?:\d+ (?:days?|hours?|attempts?|times)|for (?:a long|too long a) time)\b/,
      ],
    },
  ],
  // 5.6.x / RFC 5321 §4.2.3 554 "Transaction failed" for content
  virusdetected: [
    {
      source: R3463('§3.7 (content rejected)'),
      patterns: [
        /\b(?:virus|malware|trojan|worm)\b.{0,30}\b(?:detected|found|infected|contains?)|\binfected\b/,
        /\b(?:presence of|contains?|containing|carries|carrying) (?:a |an |known )?(?:virus|malware|trojan|worm)\b/,
      ],
    },
  ],
  // 5.7.1 "Delivery not authorized, message refused" for the relay case (RFC 5321 §3.6.2)
  norelaying: [
    {
      source: 'RFC 5321 §3.6.2 relaying',
      patterns: [/\brelay(?:ing)?\b(?:[^.;]|\.(?=\w)){0,20}\b(?:denied|not (?:allowed|permitted)|prohibited|refused|forbidden)/],
    },
  ],
  // RFC 7505 §4.2 null MX, RFC 5321 §4.2.3 521/556
  notaccept: [{ source: 'RFC 7505 §4.2, RFC 7504', patterns: [/\b(?:does not|doesn'?t|do not|not) accept (?:any )?(?:mail|e-?mail|messages)\b/] }],
  // RFC 7372 §3.1-3.2 X.7.20-X.7.26: an authentication mechanism failed or was required
  authfailure: [
    {
      source: 'RFC 7372 §3 X.7.20-X.7.26',
      patterns: [
        /\b(?:spf|dkim|dmarc)\b(?:[^.;]|\.(?=\w)){0,30}\b(?:fail\w*|did not pass|does not pass|not pass|invalid|reject\w*)/,
        // RFC 7208 §2.6.4 "fail": the domain does not authorise the client to send for it
        /\bnot (?:allowed|authori[sz]ed|permitted) to send (?:mail |e-?mail )?(?:from|for|on behalf of)\b(?:[^;]){0,80}\bspf\b|\b(?:check|inspect|fix) your spf\b/,
      ],
    },
  ],
  // 5.1.8 "Bad sender's system address", 5.1.7 "Bad sender's mailbox address syntax"; the
  // sending IP or host is the client, not the sender address (that is `blocked`)
  rejected: [
    {
      source: R3463('§3.2 X.1.7/X.1.8'),
      patterns: [
        /\b(?:sender|envelope sender|mail from|from address|return path|sender address|sender domain)\b(?!\s+(?:ip|host|server|mta|system)\b|\s+\[?\d{1,3}\.\d|\s+\[?[0-9a-f]*:[0-9a-f:]+\]?\s)(?:[^.;]|\.(?=\w)){0,30}\b(?:rejected|refused|denied|invalid|not allowed|blacklisted|blocked|verify failed|not verified|unknown|on (?:our|the|a) (?:black|block|deny) ?list)/,
      ],
    },
  ],
  // 5.7.1 with a DNS block list, the sending IP refused (RFC 5782 §2 DNSBL)
  blocked: [
    {
      source: 'RFC 5782 DNSBL; RFC 3463 §3.8 X.7.1',
      patterns: [
        /\b(?:black ?list(?:ed)?|block ?list(?:ed)?|dnsbl|rbl)\b/,
        /\b(?:your|sending|sender|client|connecting|remote) (?:ip|ip address|host|server|mta)\b(?:[^.;]|\.(?=\w)){0,40}\b(?:blocked|banned|refused|rejected|denied|listed)/,
        /\binvalid (?:sending |client |source )?ip\b/,
        // the client's address named together with a DNSBL operator
        /\b(?:ip|client|host|connecting)\b(?:[^.;]|\.(?=\w)){0,60}\b(?:spamhaus|spamcop|sorbs|uceprotect|barracuda(?:central)?)\b/,
      ],
    },
    {
      // end-user address space must send through its provider's relay (Spamhaus PBL, M3AAWG port 25 management)
      source: 'Spamhaus PBL policy; M3AAWG Managing Port 25 best practice',
      patterns: [
        /\b(?:dynamic|residential|dial-?up|dhcp|consumer|end-?user) (?:ip|ip address|address|range|pool|host|space)s?\b|\buse (?:the |your )?(?:isp'?s?|provider'?s?) (?:smtp|mail|outgoing) (?:server|relay)|\bsmtp server of your (?:isp|provider)\b/,
      ],
    },
  ],
  // RFC 3463 §3.5 X.4.x "Network and routing status": the path to the host, or DNS, failed
  networkerror: [
    {
      source: R3463('§3.5 X.4.1-X.4.4') + '; RFC 5321 §5.1 address resolution',
      patterns: [
        /\bno route to host\b|\bnetwork (?:is )?unreachable\b/,
        /\bdns (?:query|lookup|resolution) (?:failed|failure|timed out)\b|\bname server (?:reply|failure|timeout)\b/,
        // X.4.6 "Routing loop detected": the message came back round between hosts
        /\bmail (?:[^.;]|\.(?=\w)){0,20}\bloop\b|\brouting loop\b|\bloop detected\b/,
        // the resolver's TRY_AGAIN (RFC 1035 §4.1.1 RCODE 2, server failure) for the host: temporary, not NXDOMAIN
        /\bhost\b(?:[^.;]|\.(?=\w)){0,60}\bnot found,? try again\b/,
      ],
    },
  ],
  // RFC 8601 §2.7.3 iprev and RFC 1912 §2.1: the client's address must map back to a name
  requireptr: [
    {
      source: 'RFC 8601 §2.7.3 iprev; RFC 1912 §2.1 PTR records; Google/Microsoft postmaster PTR requirement',
      patterns: [/\b(?:reverse dns|reverse (?:dns )?lookup|ptr(?:[- ]records?)?|rdns|reverse (?:mapping|resolution))\b/],
    },
  ],
  // RFC 3463 §3.8 X.7.1 refusals that name the sender's reputation (Google, Microsoft, Yahoo postmaster pages)
  badreputation: [
    {
      source: R3463('§3.8 X.7.1 (reputation)') + '; Gmail, Outlook.com and Yahoo postmaster pages',
      patterns: [/\b(?:ip|sender|sending|domain|e-?mail|poor|bad|low)\s+(?:ip\s+)?reputation\b|\breputation (?:of|score|problems?)\b/],
    },
  ],
  // RFC 3463 §3.8 X.7.1 for content judged as spam, as content filters word the verdict
  spamdetected: [
    {
      source: R3463('§3.8 X.7.1 (content judged spam)') + '; sisimai SpamDetected vocabulary',
      patterns: [
        /\b(?:detected|identified|classified|scored|considered|flagged|marked|rejected|recogni[sz]ed|treated) (?:(?:your|this|the) (?:message|mail|e-?mail) )?as (?:possible |probable |likely )?spam\b|\b(?:looks|seems) (?:like|to be) (?:a )?spam\b|\bspam (?:detected|content|score|message)\b|\bprobability of spam\b/,
        // a filter's verdict given as a last word: "Message rejected by <filter>: spam"
        /\b(?:rejected|refused|blocked)\b(?:[^.;]|\.(?=\w)){0,40}:\s*spam\s*(?:$|[.(])/,
      ],
    },
  ],
  // 5.3.0 / 4.3.0 "Other or undefined mail system status": the receiving system itself failed
  systemerror: [
    {
      source: R3463('§3.4 X.3.0'),
      patterns: [/\b(?:internal|local) (?:[^.;]|\.(?=\w)){0,20}\b(?:error|problem)\b|\bsystem (?:error|problem)\b/, /\bloops? back\b/],
    },
  ],
  // RFC 5321 §4.5.3.1.8 recipients buffer, §4.2.2 452 "Too many recipients"
  toomanyconn: [{ source: 'RFC 5321 §4.5.3.1.8, §4.5.3.1.10', patterns: [/\btoo many (?:connections|recipients|sessions|concurrent|messages)\b/] }],
  // 5.3.4 "Message too big for system"
  mesgtoobig: [
    {
      source: R3463('§3.4 X.3.4'),
      patterns: [
        /\b(?:message|mail|e-?mail)(?: size)?\b(?:[^.;]|\.(?=\w)){0,20}\b(?:too (?:big|large)|size (?:limit )?exceeded|exceeds? (?:the )?(?:maximum |size )?(?:size|limit))/,
      ],
    },
  ],
  // RFC 5321 §4.2.1 x5z: the delivery program (pipe, procmail) failed
  mailererror: [
    {
      source: 'RFC 3464 §2.3.6 x-unix diagnostics',
      patterns: [/\b(?:procmail|maildrop|pipe|command|program|mailer)\b(?:[^.;]|\.(?=\w)){0,30}\b(?:error|failed|died|exit(?:ed)? (?:status|code))/],
    },
  ],
  // RFC 4954 §6: 530 5.7.0 "Authentication required", 535 5.7.8 "Authentication credentials invalid",
  // 538 5.7.11 "Encryption required for requested authentication mechanism": the client must log in
  securityerror: [
    {
      source: 'RFC 4954 §6 (530 5.7.0, 535 5.7.8, 538 5.7.11)',
      patterns: [
        /\b(?:smtp[- ])?auth(?:entication)?\b(?:[^.;]|\.(?=\w)){0,20}\b(?:required|needed|mandatory|credentials invalid)\b|\bturn on (?:smtp )?auth(?:entication)?\b|\bmust (?:first )?authenticate\b/,
      ],
    },
  ],
  // 5.7.1 for content policy, not an IP or a sender
  policyviolation: [
    {
      source: R3463('§3.8 X.7.1 (policy)'),
      patterns: [
        /\b(?:rejected|denied|refused|blocked|not accepted|violat\w*)\b(?:[^.;]|\.(?=\w)){0,40}\bpolic(?:y|ies)\b|\bpolic(?:y|ies)\b(?:[^.;]|\.(?=\w)){0,12}\b(?:violation|reasons?|restrictions?|prohibit\w*)\b|\bcontent restrictions?\b/,
      ],
    },
    {
      // an attachment type the receiving site's policy refuses (sisimai PolicyViolation "an illegal attachment")
      source: R3463('§3.8 X.7.1 (policy)') + '; sisimai reason/why-policyviolation.go',
      patterns: [
        /\battachments?\b(?:[^.;]|\.(?=\w)){0,30}\b(?:not allowed|not permitted|prohibited|forbidden|banned|blocked|refused)\b|\b(?:prohibited|forbidden|banned|illegal|dangerous|blocked) (?:file |attachment)/,
      ],
    },
  ],
};
