/**
 * Where each MTA writes the recipient and its error in a bounce that is not an RFC 3464 report:
 * how the MTA is recognised, the line that opens its report, the lines where the returned message
 * begins, the line that names a failed recipient and which of the other lines are the error.
 * Layouts as the MTAs' sources and documentation print them, catalogued by sisimai (go-sisimai
 * lhost/via-*.go, BSD-2-Clause). Data only; lhost.ts reads a body with them.
 */
import { header, type Headers } from './mime.ts';

export interface MtaFormat {
  name: string;
  source: string;
  detect: (h: Headers, subject: string, body: string) => boolean;
  /** the line that opens the report; lines before it are not read (none: read from the top) */
  start?: RegExp;
  /** lines where the copy of the returned message (or the report's end) begins */
  end?: RegExp[];
  /** a line naming one failed recipient: group 1 the address, group 2 an error on the same line */
  recipient?: RegExp;
  /** the whole recipient line is error text too (it quotes the SMTP exchange) */
  recipientLineIsText?: boolean;
  /** lines that are never error text (banners, echoed header fields) */
  skip?: RegExp;
  /**
   * Maps one other line to its error text (null: not error text); `prev` is the previous
   * non-empty line. Default: the trimmed line.
   */
  text?: (line: string, prev: string) => string | null;
  /** error lines before the first recipient line belong to every recipient */
  preamble?: boolean;
  /** the family whose layout and message table this clone shares (MXLogic and Mail.Ru are Exim) */
  like?: string;
  /** the notice carries RFC 3464 fields: the layout only names the family, the fields name the recipients */
  fieldsOnly?: boolean;
}

const from = (h: Headers): string => header(h, 'from') ?? '';
const all = (h: Headers, name: string): string => (h.fields.get(name) ?? []).join('\n');
const ADDR = '([^\\s<>()\\[\\]"\',;]+@[^\\s<>()\\[\\]"\',;]+?)';
const ONLY_ADDR = new RegExp(`^\\s*<?${ADDR}>?\\s*$`);

/** Lines of an SMTP transcript that quote the remote reply or the command (">>> RCPT TO", "<<< 550"). */
const transcript = (line: string): string | null => (/<<<|>>>/.test(line) ? line.trim() : null);

/**
 * Exim's own marks on a notice (sisimai lhost/via-exim.go): two of its From: ("Mail Delivery
 * System"), a Subject: it writes, and its message id shape (<XXXXXXX-XXXXXX-XX@host>, exim
 * spec chapter "Message identification").
 */
export const eximMarks = (h: Headers, s: string): boolean =>
  [
    from(h).includes('Mail Delivery System'),
    /Delivery Status Notification|Mail delivery failed|Mail failure|Message frozen|Warning: message |error\(s\) in forwarding or filtering/.test(s),
    /^<[0-9A-Za-z]{7}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2}@/.test((header(h, 'message-id') ?? '').trim()),
  ].filter(Boolean).length >= 2;

export const FORMATS: MtaFormat[] = [
  {
    name: 'Exchange2003',
    source: 'Microsoft Exchange 2000/2003 IMS non-delivery text; sisimai lhost/via-exchange2003.go',
    detect: (h) =>
      !!header(h, 'x-ms-embedded-report') ||
      /^(?:Internet Mail Service \(|Microsoft Exchange Server Internet Mail Connector)/.test(header(h, 'x-mailer') ?? '') ||
      /^Produced By Microsoft Exchange/.test(header(h, 'x-mimeole') ?? '') ||
      / with Internet Mail Service \(/.test(all(h, 'received')),
    start: /^\s*Your message/,
    end: [/^content-type: message\/rfc822/i],
    // "user@example.org on Thu, 29 Apr 2007 16:51:51 -0500", or an X.400 address ending in "SMTP=addr; on ..."
    recipient: new RegExp(`^\\s*(?:\\S*[:;]smtp=)?${ADDR};? on \\S`, 'i'),
    skip: /^\s*(?:To|Subject|Sent):\s|MTS-ID of the original message|^;l=|did not reach the following recipient/i,
  },
  {
    // Exchange 2007 and later (and Exchange Online) in en, fr, it and sv: the recipient alone on a
    // line under "Diagnostic information for administrators:", its "#550 5.1.1 RESOLVER..." below
    name: 'Exchange2007',
    source: 'Microsoft Exchange Server 2007+ non-delivery report; sisimai lhost/via-exchange2007.go',
    detect: (h, s, b) =>
      [
        /Undeliverable|Non_remis_|Non remis |Non recapitabile|Olevererbart/.test(s),
        /postmaster@outlook\.com|\.onmicrosoft\.com/.test(from(h)),
        / RESOLVER\.| QUEUE\./.test(b),
        /Error Details|Diagnostic information for administrators:|Informations de diagnostic pour les administrateurs|Informazioni di diagnostica per gli amministratori|Diagnostisk information f/.test(
          b,
        ),
        !!header(h, 'content-language'),
      ].filter(Boolean).length >= 2,
    start:
      /^(?:Error Details|Diagnostic information for administrators:|Informations de diagnostic pour les administrateurs|Informazioni di diagnostica per gli amministratori|Diagnostisk information f)/,
    end: [/^Original Message Headers/i, /tes de message d'origine :/, /^Intestazioni originali del messaggio:/, /^Ursprungshuvuden:/],
    recipient: ONLY_ADDR,
    // the reply lines ("#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", "Remote Server returned '...'")
    text: (l) => (/(?:^|[\s#'])[245]\d\d[\s-]|[245]\.\d{1,3}\.\d{1,3}|Remote Server /.test(l) ? l.trim() : null),
  },
  {
    name: 'Domino',
    source: 'HCL Domino "DELIVERY FAILURE" report; sisimai lhost/via-domino.go',
    detect: (_h, s) => /^DELIVERY FAILURE:|DELIVERY_FAILURE/.test(s),
    start: /^Your message/,
    end: [/^content-type: message\/rfc822/i],
    recipient: ONLY_ADDR,
    skip: /^(?:was not delivered to:|because:)\s*$|^\s+Subject:\s|^(?:Reporting-MTA|Final-Recipient|Original-Recipient|Action|Status|Remote-MTA|Diagnostic-Code|Arrival-Date|Last-Attempt-Date):/i,
  },
  {
    name: 'Notes',
    source: 'HCL Notes "Undeliverable message" report; sisimai lhost/via-notes.go',
    detect: (_h, s) => /^Undeliverable message/.test(s),
    start: /^-+ Failure Reasons/,
    end: [/^-+ Returned Message -+/],
    recipient: ONLY_ADDR,
    skip: /^-/,
    preamble: true,
  },
  {
    name: 'X1',
    source: 'unidentified MTA #1 ("---The following addresses had delivery errors---"); sisimai lhost/via-x1.go',
    detect: (h, s) => /^(?:Returned Mail: |Mail Delivery Failure)/.test(s) || /"Mail Deliver.*System" /.test(from(h)),
    start: /^The original message was received at /,
    end: [/^content-type: message\/rfc822/i, /^Received: from /],
    recipient: new RegExp(`^${ADDR} \\[(.+)\\]\\s*$`),
    text: () => null,
  },
  {
    name: 'X2',
    source: 'unidentified MTA #2 ("Unable to deliver message to the following address(es)."); sisimai lhost/via-x2.go',
    detect: (h, s) => /MAILER-DAEMON@/.test(from(h)) || /^(?:Delivery failure|failure delivery|failed delivery)/.test(s),
    start: /^Unable to deliver message to the following address/,
    end: [/^--- Original message follows\./],
    recipient: new RegExp(`^<${ADDR}>:\\s*$`),
  },
  {
    name: 'X3',
    source: 'unidentified MTA #3 ("This is an automatically generated Delivery Status Notification."); sisimai lhost/via-x3.go',
    detect: (h, s) => /^Mail Delivery System/.test(from(h)) && /^Delivery status notification/.test(s),
    start: /^\s+This is an automatically generated Delivery Status Notification\./,
    end: [/^content-type: message\/rfc822/i],
    recipient: new RegExp(`^\\s+\\* ${ADDR}\\s*$`),
    // "SMTP:RCPT host 192.0.2.8: 553 5.3.0 <...>... No such user here", "Routing: Could not find a gateway for ..."
    text: (l) => (/^(?:SMTP:|Routing: )/.test(l) ? l.trim() : null),
  },
  {
    name: 'X6',
    source: 'unidentified MTA #6 ("We had trouble delivering your message."); sisimai lhost/via-x6.go',
    detect: (_h, s) => /^There was an error sending your mail/.test(s),
    start: /^We had trouble delivering your message\. Full details follow:/,
    end: [/^The attachment contains the original mail headers/],
    recipient: new RegExp(`^(?:SMTP Server <[^>]*> rejected recipient <${ADDR}>|The following recipients returned permanent errors: ${ADDR}\\.?\\s*$)`),
    recipientLineIsText: true,
    skip: /^(?:Subject|Date): '|^\d+ error\(s\):/,
  },
  {
    name: 'InterScanMSS',
    source: 'Trend Micro InterScan MSS / Email Security notices; sisimai lhost/via-interscanmss.go, via-trendmicro.go',
    detect: (h, _s, b) => /^"?InterScan/.test(from(h)) || /InterScan/.test(header(h, 'content-type') ?? '') || / InterScan /.test(b),
    end: [/^content-type: message\/rfc822/i],
    // "Sent <<< RCPT TO:<a@b>", "Received >>> 550 5.1.1 <a@b>... user unknown", "Unable to deliver message to <a@b>"
    recipient: new RegExp(`^(?=.*(?: <<< | >>> |Unable to deliver )).*<${ADDR}>`),
    recipientLineIsText: true,
    text: transcript,
  },
  {
    name: 'mFILTER',
    source: 'Digital Arts m-FILTER notices; sisimai lhost/via-mfilter.go',
    detect: (h, s) => s === 'failure notice' && header(h, 'x-mailer') === 'm-FILTER',
    end: [/^-------original (?:message|mail info)/],
    recipient: ONLY_ADDR,
    // "-------server message" is followed by the reply, "-------SMTP command" by the command it answered
    text: (l, prev) =>
      prev === '-------server message' ? l.trim() : prev === '-------SMTP command' && /^[A-Z]{4}\b/.test(l) ? `(in reply to ${l.trim()} command)` : null,
  },
  {
    name: 'Biglobe',
    source: 'BIGLOBE and affiliated Japanese ISPs notices; sisimai lhost/via-biglobe.go',
    detect: (h, s) => /^Returned mail:/.test(s) && /postmaster@(?:biglobe|inacatv|tmtv|ttv)\.ne\.jp/i.test(from(h)),
    start: /^\s*----- The following addresses had delivery problems -----/,
    end: [/^content-type: message\/rfc822/i],
    recipient: ONLY_ADDR,
    skip: /--/,
  },
  {
    name: 'KDDI',
    source: 'au by KDDI notices; sisimai lhost/via-kddi.go',
    detect: (h) =>
      /no-reply@\.|\.dion\.ne\.jp/.test(from(h)) ||
      /no-reply@app\.auone-net\.jp/.test(header(h, 'reply-to') ?? '') ||
      /ezweb\.ne\.jp \(|\.au\.com \(/.test(all(h, 'received')),
    start: /^Your mail (?:sent on:|attempted to be delivered on:)/,
    end: [/^content-type: message\/rfc822/i],
    recipient: new RegExp(`Could not be delivered to: <${ADDR}>`),
    text: (l) => (/^\s/.test(l) ? l.trim() : null),
  },
  {
    name: 'EZweb',
    source: 'au by KDDI EZweb notices; sisimai lhost/via-ezweb.go',
    detect: (h, s) =>
      [
        /Postmaster@ezweb\.ne\.jp|Postmaster@au\.com/.test(from(h)),
        s === 'Mail System Error - Returned Mail',
        /ezweb\.ne\.jp \(EZweb Mail\) with|\.au\.com \(/.test(all(h, 'received')),
        /\.ezweb\.ne\.jp>|\.au\.com>/.test(header(h, 'message-id') ?? ''),
      ].filter(Boolean).length >= 2,
    start: /^(?:The user\(s\) |Your message |Each of the following|<)/,
    end: [/^-{50}/, /^content-type: message\/rfc822/i],
    recipient: new RegExp(`^(?:\\s*Recipient: )?<${ADDR}>`),
    recipientLineIsText: true,
    // Japanese lines repeat the English text in another charset
    text: (l) => (/[\x80-\uffff]/.test(l) ? null : l.trim()),
    preamble: true,
  },
  {
    name: 'MailMarshalSMTP',
    source: 'Trustwave MailMarshal SMTP notices; sisimai lhost/via-mailmarshalsmtp.go',
    detect: (_h, s) => /^Undeliverable Mail: "/.test(s),
    start: /^Your message:/,
    end: [/^Additional Information/, /^'?\+{20,}/],
    recipient: new RegExp(`^\\s{4}${ADDR}\\s*$`),
    skip: /^\s+(?:From|Subject):\s|^Your message:|^Could not be delivered because of|^The following recipients were affected:/,
    preamble: true,
  },
  {
    name: 'MessagingServer',
    source: 'Oracle Communications Messaging Server notices; sisimai lhost/via-messagingserver.go',
    detect: (h, s) => /Boundary_\(ID_/.test(header(h, 'content-type') ?? '') || /^Delivery Notification: /.test(s),
    start: /^This report relates to a message you sent with the following header fields:/,
    end: [/^content-type: message\/rfc822/i, /^Return-Path: /],
    recipient: new RegExp(`^\\s+(?:Recipient|Original) address: (?:@[^:]+:)?${ADDR}\\s*$`),
    text: (l) => /^\s+(?:Reason|Diagnostic code): (.*)$/.exec(l)?.[1]?.trim() ?? null,
  },
  {
    name: 'DeutscheTelekom',
    source: 'Smail 3 notify.c layout as used by T-Online; sisimai lhost/via-deutschetelekom.go',
    detect: (_h, _s, b) => /^\|-+ Failed addresses follow: -+\|/m.test(b),
    start: /^\|-+ Failed addresses follow: -+\|/,
    end: [/^\|-+ Message (?:header|text) follows: -+\|/],
    // " <a@b>" alone, or Smail's " a@b ... failed: reason"
    recipient: new RegExp(`^ (?:<${ADDR}>\\s*$|${ADDR} \\.\\.\\. (.*)$)`),
  },
  {
    name: 'Mimecast',
    source: 'Mimecast "Email Delivery Failure" notices; sisimai lhost/via-mimecast.go',
    detect: (h, s) => /Email Delivery Failure/.test(s) || /\.mimecast\.lan>$/.test(header(h, 'message-id') ?? ''),
    end: [/^content-type: message\/rfc822/i],
    recipient: new RegExp(`^-- ${ADDR}\\s*$`),
    // "The problem appears to be :\n-- Recipient email address is possibly incorrect"
    text: (l) => /^-- (.+)$/.exec(l)?.[1]?.trim() ?? null,
  },
  {
    name: 'GoogleWorkspace',
    source: 'Google Workspace "** Message not delivered **" notices; sisimai lhost/via-googleworkspace.go',
    detect: (h, s, b) =>
      /<mailer-daemon@googlemail\.com>/.test(from(h)) &&
      !/@googlegroups\.com\b/i.test(header(h, 'x-failed-recipients') ?? '') &&
      /Delivery Status Notification/.test(s) &&
      !/^(?:Diagnostic-Code|Final-Recipient):/im.test(b),
    start: /^\*\* /,
    end: [/^content-type: /i],
  },
  {
    // bounce_notify_util.c: with the delivery log gone, Postfix says so and names nobody; the
    // returned message's To: is the recipient and nothing is known about the failure
    name: 'Postfix',
    source: 'Postfix bounce_notify_util.c ("--- Delivery report unavailable ---"); sisimai lhost/via-postfix.go',
    detect: (_h, _s, b) => /This is the mail system at host|The Postfix program/.test(b),
    start: /^\s*--- Delivery report unavailable ---/,
    end: [/^content-type: /i],
    text: () => null,
  },
  {
    name: 'OpenSMTPD',
    source: 'OpenSMTPD smtpd/bounce.c notice; sisimai lhost/via-opensmtpd.go',
    detect: (h, s, b) =>
      /This is the MAILER-DAEMON, please DO NOT REPLY/.test(b) &&
      (/Delivery status notification/.test(s) || /Mailer Daemon </.test(from(h)) || / \(OpenSMTPD\) with /.test(all(h, 'received'))),
    start: /^\s*This is the MAILER-DAEMON, please DO NOT REPLY/,
    end: [/^\s+Below is a copy of the original message:/],
    recipient: new RegExp(`^\\s*${ADDR}: (.+)$`),
    text: () => null,
  },
  {
    name: 'ApacheJames',
    source: 'Apache James AbstractNotify.java ("Error message below:", "Message details:"); sisimai lhost/via-apachejames.go',
    // Verizon's SMS gateway writes the same notice but is a family of its own (mta.ts)
    detect: (h, s) =>
      !/@vtext\.com>?$|@.*verizon(?:wireless)?\.(?:com|net)>?$|sysadmin@.*\.vzwpix\.com/i.test(from(h).trim()) &&
      (s === '[BOUNCE]' || /\.JavaMail\./.test(header(h, 'message-id') ?? '') || /JAMES SMTP Server/.test(all(h, 'received'))),
    end: [/^content-type: message\/rfc822/i],
    recipient: new RegExp(`^\\s+RCPT TO: ${ADDR}\\s*$`),
    // the error stands above "Message details:"; the details echo the original's envelope and header
    skip: /^(?:Error message below:|Message details:)|^\s+(?:Subject|Sent date|MAIL FROM|From|To|Size \(in bytes\)|Number of lines):/,
    preamble: true,
  },
  {
    name: 'DragonFly',
    source: 'DragonFly Mail Agent (dma) mail.c, net.c; sisimai lhost/via-dragonfly.go',
    detect: (h, s) => /Mail delivery failed/.test(s) && / \(DragonFly Mail Agent/.test(all(h, 'received')),
    start: /^This is the DragonFly Mail Agent /,
    end: [/^Original message follows\./, /^Message headers follow/],
    recipient: new RegExp(`^There was an error delivering your mail to <${ADDR}>`),
  },
  {
    name: 'MailFoundry',
    source: 'MailFoundry notices; sisimai lhost/via-mailfoundry.go',
    detect: (h, s) => s === 'Message delivery has failed' && /\(MAILFOUNDRY\) id/.test(all(h, 'received')),
    start: /^Unable to deliver message to:/,
    end: [/^content-type: message\/rfc822/i],
    recipient: new RegExp(`^Unable to deliver message to: <${ADDR}>`),
    skip: /^Delivery failed for the following reason:|^-/,
  },
  {
    name: 'Activehunter',
    source: 'QUALITIA Active!hunter notices; sisimai lhost/via-activehunter.go',
    detect: (h) => !!header(h, 'x-ahmailid'),
    start: /^ {2}----- The following addresses had permanent fatal errors -----/,
    end: [/^content-type: message\/rfc822/i],
    recipient: new RegExp(`^>>> ${ADDR}(?:\\s|$)`),
    // the transcript's reply lines; banners start with a space or a dash
    text: (l) => (/^[0-9A-Za-z]/.test(l) ? l.trim() : null),
  },
  {
    name: 'EinsUndEins',
    source: '1&1 notices; sisimai lhost/via-einsundeins.go',
    detect: (h, s) => /^"Mail Delivery System"/.test(from(h)) && s === 'Mail delivery failed: returning message to sender',
    start: /^This message was created automatically by mail delivery software/,
    end: [/^--- The header of the original message is following\. ---/],
    recipient: new RegExp(`^\\s*${ADDR}:?\\s*$`),
    skip: /^For the following reason:|^A message that you sent|^its recipients|^The following address/,
  },
  {
    name: 'GMX',
    source: 'GMX notices; sisimai lhost/via-gmx.go',
    detect: (h) => !!header(h, 'x-gmx-antispam'),
    start: /^This message was created automatically by mail delivery software/,
    end: [/^--- The header of the original message is following\. ---/],
    recipient: new RegExp(`^["<]${ADDR}[">]:?\\s*$`),
    skip: /^host: |^Reason:$/,
  },
  {
    name: 'Zoho',
    source: 'Zoho Mail notices; sisimai lhost/via-zoho.go',
    detect: (h) => !!header(h, 'x-zohomail'),
    start: /^This message was created automatically by mail delivery/,
    end: [/^Received:/],
    recipient: new RegExp(`^(?:${ADDR} .*ERROR_CODE :|\\[Status: .*Address: <${ADDR}>)`),
    recipientLineIsText: true,
    skip: /^-----/,
  },
  {
    // Sendmail 5 savemail.c: the transcript names the host ("While talking to"), the commands (">>>")
    // and replies ("<<<"); "NNN <addr>... text" is a recipient's own line, other lines belong to no one
    name: 'V5sendmail',
    source: 'Sendmail 5 savemail.c transcript; sisimai lhost/via-v5sendmail.go',
    detect: (_h, s, b) => /^Returned mail: /.test(s) && /^\s*----- (?:Unsent message follows|No message was collected) -----/m.test(b),
    start: /----- Transcript of session follows -----/,
    end: [/^\s*----- (?:Unsent message follows|No message was collected) -----/],
    // "554 <addr>... 550 Host unknown": Sendmail's own code first, the remote's words after "..."
    recipient: new RegExp(`^\\d{3} <${ADDR}>\\.\\.\\.\\s*(.*)$`),
    text: transcript,
    preamble: true,
  },
  {
    // qmail-send's "Hi. This is the qmail-send program" notice and the clones that copy its layout:
    // "<addr>:" on a line of its own, the remote host's words below it
    name: 'qmail',
    source: 'qmail-send.c, qmail-remote.c bounce text and clones; sisimai lhost/via-qmail.go',
    detect: (h, s) => /^failure notice$/i.test(s) || /\(qmail \d+ invoked (?:for bounce|from network)\)/.test(all(h, 'received')),
    start:
      /Hi\. This is the qmail|He\/Her is not |unable to deliver your message to the following addresses|Su mensaje no pudo ser entregado|Sorry, we were unable to deliver your message to the following address|This is the machine generated message from mail service|This is the mail delivery agent at|Unable to deliver message to the following address|Unfortunately, your mail was not delivered to the following address:|Your mail message to the following address|Your message to the following addresses|We're sorry\./,
    end: [
      /^--- Below (?:this|the next) line is a copy of the (?:message|mail header)\./,
      /^--- Mensaje original adjunto\./,
      /^content-type: message\/rfc822/i,
      /^Original message follows\./,
    ],
    recipient: new RegExp(`^<${ADDR}>:\\s*(.*)$`),
  },
  {
    // Exim and its clones write each failed address on a line indented by two spaces, its error
    // indented below it; this reads last so that the clones with layouts of their own match first
    name: 'Exim',
    source: 'Exim deliver.c bounce text; sisimai lhost/via-exim.go',
    detect: (h, s, b) => !!header(h, 'x-failed-recipients') || /This message was created automatically by mail delivery software/.test(b) || eximMarks(h, s),
    start:
      /This message was created automatically by mail delivery software|A message that you sent (?:was rejected by the local scann?ing code|contained one or more recipient addresses|could not be delivered to all of its recipients)|has been frozen|was frozen on arrival| router encountered the following error\(s\):/,
    end: [/^-+ ?This is a copy of the message/, /^content-type: message\/rfc822/i, /^Included is a copy of the message header:/],
    recipient: new RegExp(`^ {2}(?! )<?${ADDR}>?(?::\\s+(.*))?\\s*$`),
    skip: /^\s+\(generated from |^\s+generated by /,
    text: (l) => (/^ {3,}\S/.test(l) ? l.trim() : null),
  },
  {
    name: 'Courier',
    source: 'Courier MTA courierdsn notices; sisimai lhost/via-courier.go',
    detect: (h, s) =>
      /Courier mail server at /.test(from(h)) ||
      /NOTICE: mail delivery status\.|WARNING: delayed mail\./.test(s) ||
      /^<courier\./.test(header(h, 'message-id') ?? ''),
  },
];
