/**
 * Which MTA family wrote a bounce, and the few per-family rules that generic text rules get
 * wrong. Kept as a data table: a signature (header or body pattern) per family.
 */
import { header, type Headers } from './mime.ts';
import { CAUSES } from './classify.ts';
import type { BounceRecipient, Reason } from './types.ts';

interface MtaSignature {
  name: string;
  test: (h: Headers, subject: string, body: string) => boolean;
}

const SIGNATURES: MtaSignature[] = [
  { name: 'GoogleGroups', test: (h) => /@googlegroups\.com\b/i.test(header(h, 'x-failed-recipients') || '') },
  // Verizon's SMS (vtext.com) and MMS (sysadmin@...vzwpix.com) gateways
  { name: 'Verizon', test: (h) => /@vtext\.com>?$|@.*verizon(?:wireless)?\.(?:com|net)>?$|sysadmin@.*\.vzwpix\.com/i.test((header(h, 'from') || '').trim()) },
  { name: 'ApacheJames', test: (h, _s, b) => /JavaMail/.test(header(h, 'message-id') || '') && /^Error message below:/im.test(b) },
  {
    name: 'IMail',
    // Progress iMail: X-Mailer "<SMTP32 vN>", or its Subject "Undeliverable Mail " (sisimai lhost/via-imailserver.go)
    test: (h, s, b) =>
      /^X-Mailer: <SMTP32 v/im.test(header(h, 'x-mailer') ? `X-Mailer: ${header(h, 'x-mailer')}` : '') ||
      /^Undeliverable Mail(?: |$)/.test(s.trim()) ||
      /Invalid final delivery userid/i.test(b),
  },
  {
    name: 'Office365',
    test: (h) =>
      (h.fields.get('x-ms-exchange-message-is-ndr') ?? []).length > 0 ||
      (/outlook\.com|protection\.outlook/i.test(header(h, 'received') || '') && /undeliverable/i.test(header(h, 'subject') || '')),
  },
  {
    // Gmail's own sentences (sisimai lhost/via-gmail.go); "Delivery to the following recipients
    // failed." (plural) is other software's
    name: 'Gmail',
    test: (h, s, b) =>
      /mailer-daemon@(?:googlemail|gmail)\.com/i.test(header(h, 'from') || '') ||
      /^delivery to the following recipient (?:failed permanently|has been delayed):/im.test(b),
  },
  { name: 'Postfix', test: (_h, _s, b) => /^X-Postfix-Queue-ID:|This is the mail system at host/im.test(b) },
  { name: 'Exim', test: (h, _s, b) => !!header(h, 'x-failed-recipients') || /This message was created automatically by mail delivery software/i.test(b) },
  { name: 'qmail', test: (_h, _s, b) => /^Hi\. This is the qmail/im.test(b) || /Below this line is a copy of the message/i.test(b) },
  // Sendmail's section banners (savemail.c), indented by three spaces as it writes them; its
  // Subjects ("Returned mail: see transcript for details", "Warning: could not send message for
  // past N hours") are shared with other MTAs and do not name it alone
  { name: 'Sendmail', test: (_h, _s, b) => /^[ \t]*-+ ?(?:The following addresses had permanent fatal errors|Transcript of session follows)/im.test(b) },

  {
    name: 'Exchange',
    test: (h, _s, b) => /Microsoft Exchange|Diagnostic information for administrators/i.test(b) || !!header(h, 'x-ms-exchange-organization-scl'),
  },
  { name: 'Yahoo', test: (h) => /yahoo/i.test(header(h, 'from') || '') && /failure notice/i.test(header(h, 'subject') || '') },
  { name: 'AmazonSES', test: (h, _s, b) => !!header(h, 'x-ses-outgoing') || /amazonses\.com/i.test(b.slice(0, 4000)) },
  { name: 'OpenSMTPD', test: (_h, _s, b) => /This is the MAILER-DAEMON, please DO NOT REPLY/i.test(b) },
];

/** Exim's retry and freeze wordings (sisimai lhost/via-exim.go, delayedfor). */
const EXIM_DELAYED =
  /retry time not reached for any host after a long failure period|all hosts have been failing for a long time and were last tried|has been frozen|was frozen on arrival by /;

export function mtaModule(h: Headers, body: string): string | undefined {
  const subject = header(h, 'subject') || '';
  for (const s of SIGNATURES) if (s.test(h, subject, body)) return s.name;
  return undefined;
}

/** Per-family corrections; return undefined to keep the generic verdict. */
export function mtaOverride(module: string | undefined, r: BounceRecipient, subject: string, report: string, h?: Headers): Reason | undefined {
  const t = (r.diagnosticCode || '').toLowerCase();
  // au by KDDI marks a notice of its recipient-side spam filter with X-SPASIGN: NG (sisimai lhost/via-kddi.go, via-ezweb.go)
  if ((module === 'KDDI' || module === 'EZweb') && h && /^\s*NG\b/i.test(header(h, 'x-spasign') ?? '')) return 'filtered';
  // Exim's retry wrapper is the verdict only when the quoted reply named no cause of its own
  if (module === 'Exim' && /retry timeout exceeded|retry time not reached/.test(t) && !CAUSES.has(r.reason) && !/mailbox is full|quota/.test(t))
    return 'expired';
  if (module === 'Exim' && !CAUSES.has(r.reason) && !/smtp error from remote |lmtp error after /.test(t)) {
    // Exim's own words with no remote reply quoted (retry.c, smtp.c, deliver.c, receive.c): a
    // message kept past its retry limit or frozen is expired, a failing pipe is the mailer's error
    if (EXIM_DELAYED.test(`${t}\n${report.toLowerCase()}`) || /^message frozen/i.test(subject)) return 'expired';
    if (/pipe to \|/.test(t)) return 'mailererror';
  }
  if (
    /^(?:warning|delayed mail|delivery delayed|delivery status notification \(delay\))/i.test(subject) &&
    r.action === 'delayed' &&
    (r.reason === 'onhold' || r.reason === 'undefined')
  )
    return 'expired';
  // SendGrid writes "Action: expired" for a message it gave up retrying (sisimai lib/sisimai/lhost/sendgrid.rb)
  if (module === 'SendGrid' && r.action === 'expired') return 'expired';
  // Google Groups refuses a post (no such group, no permission) without any SMTP exchange
  if (module === 'GoogleGroups' && r.replyCode === undefined) return 'rejected';
  // Verizon's SMS gateway answers with its RCPT reply: an unknown-user text there is a bad address
  if (module === 'Verizon' && (r.reason === 'filtered' || r.reason === 'onhold')) return 'userunknown';
  // Exchange/IMail decide about the recipient themselves (directory lookup), not during an SMTP dialogue
  if (
    (/^Exchange/.test(module ?? '') || module === 'IMail') &&
    r.replyCode === undefined &&
    /recipient name is not recognized|invalid final delivery userid|\(000c05a6\)/.test(t + ' ' + report.toLowerCase().slice(0, 4000))
  )
    return 'userunknown';
  if (module === 'qmail' && /couldn't find a mail exchanger or ip address/.test(t)) return 'notaccept';
  return undefined;
}
