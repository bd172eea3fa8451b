/**
 * More MTA and provider notice layouts (see lhost-formats.ts for the shape): gateways and
 * providers whose notices either carry RFC 3464 fields and only need their family named, so
 * that the family's own message table applies, or clone another MTA's layout. Each family is
 * recognised the way its software marks its notices (a header it adds, its From: or Subject:,
 * the sentence that opens its report), as catalogued by sisimai (rb-sisimai
 * lib/sisimai/lhost/*.rb, BSD-2-Clause). Data only; lhost.ts tries these before the older list,
 * since a clone's own mark is more specific than the layout it copies.
 */
import { header, type Headers } from './mime.ts';
import { FORMATS, type MtaFormat } from './lhost-formats.ts';

const ADDR = '([^\\s<>()\\[\\]"\',;]+@[^\\s<>()\\[\\]"\',;]+?)';
const has = (h: Headers, name: string): boolean => !!(h.fields.get(name) ?? []).length;
const exim = FORMATS.find((f) => f.name === 'Exim')!;
const eximLayout = { start: exim.start, end: exim.end, recipient: exim.recipient, skip: exim.skip, text: exim.text };

export const FORMATS_2: MtaFormat[] = [
  {
    // McAfee Email Gateway: "deliveryproblems.txt" lists "<addr>   (reason)", a delivery-status part follows
    name: 'McAfee',
    source: 'McAfee Email and Web Security appliance notices; sisimai lib/sisimai/lhost/mcafee.rb',
    detect: (h, s) => /^Modified by McAfee /.test(header(h, 'x-nai-header') ?? '') && s === 'Delivery Status',
    start: /--- The following addresses had delivery problems ---/,
    end: [/^content-type: message\/(?:rfc822|delivery-status)/i],
    recipient: new RegExp(`^<${ADDR}>\\s+\\((.+)\\)$`),
    text: () => null,
  },
  {
    // McAfee SaaS (formerly MX Logic) sends Exim's notice and marks it with its own headers
    name: 'MXLogic',
    source: 'McAfee SaaS (MX Logic) notices, X-MX-Bounce / X-MXL-Hash headers; sisimai lib/sisimai/lhost/mxlogic.rb',
    ...eximLayout,
    detect: (h) => has(h, 'x-mx-bounce') || has(h, 'x-mxl-hash') || has(h, 'x-mxl-notehash'),
    like: 'Exim',
  },
  {
    // Mail.Ru's MTA is Exim: its notice keeps Exim's layout under a Russian preface
    name: 'MailRu',
    source: 'Mail.Ru notices (mailer-daemon@*.mail.ru, Message-ID ending in .mail.ru); sisimai lib/sisimai/lhost/mailru.rb',
    ...eximLayout,
    detect: (h) =>
      /mailer-daemon@(?:[\w-]+\.)*mail\.ru\b/i.test(header(h, 'from') ?? '') && /(?:\.mail\.ru|smailru\.net)>$/.test(header(h, 'message-id') ?? ''),
    like: 'Exim',
  },
  {
    name: 'AmazonWorkMail',
    source: 'Amazon WorkMail notices (X-Mailer: Amazon WorkMail, sent through SES); sisimai lib/sisimai/lhost/amazonworkmail.rb',
    detect: (h) => has(h, 'x-ses-outgoing') && /^Amazon WorkMail$/.test((header(h, 'x-original-mailer') ?? header(h, 'x-mailer') ?? '').trim()),
    start: /^Technical report:$/,
    text: () => null,
    fieldsOnly: true,
  },
  {
    // an SES receipt rule's bounce action: its template sentences are the reason
    name: 'ReceivingSES',
    source: 'Amazon SES receiving, bounce action templates; sisimai lib/sisimai/lhost/receivingses.rb',
    detect: (h) => has(h, 'x-ses-outgoing'),
    start: /^This message could not be delivered\.$/,
    text: () => null,
    fieldsOnly: true,
  },
  {
    name: 'Outlook',
    source: 'Outlook.com (Hotmail) delivery status notifications; sisimai lib/sisimai/lhost/outlook.rb',
    detect: (h, s) =>
      [
        s.startsWith('Delivery Status Notification'),
        has(h, 'x-message-delivery'),
        has(h, 'x-message-info'),
        (h.fields.get('received') ?? []).some((r) => r.includes('.hotmail.com')),
      ].filter(Boolean).length >= 2,
    start: /^This is an automatically generated Delivery Status Notification/,
    text: () => null,
    fieldsOnly: true,
  },
  {
    name: 'Aol',
    source: 'AOL Mail notices (X-AOL-IP header); sisimai lib/sisimai/lhost/aol.rb',
    detect: (h) => has(h, 'x-aol-ip'),
    text: () => null,
    fieldsOnly: true,
  },
  {
    // PowerMTA's own verdict is its X-PowerMTA-BounceCategory field (see lhost-tables-2.ts)
    name: 'PowerMTA',
    source: 'PowerMTA "Delivery report" notices; sisimai lib/sisimai/lhost/powermta.rb',
    detect: (_h, s) => s.startsWith('Delivery report'),
    start: /^Hello, this is the mail server on /,
    text: () => null,
    fieldsOnly: true,
  },
  {
    name: 'Amavis',
    source: 'amavisd-new content filter notices (From: "Content-filter at host"); sisimai lib/sisimai/lhost/amavis.rb',
    detect: (h) => (header(h, 'from') ?? '').startsWith('"Content-filter at '),
    start: /^The message /,
    text: () => null,
    fieldsOnly: true,
  },
  {
    name: 'SendGrid',
    source: 'SendGrid notices (Return-Path: <apps@sendgrid.net>); sisimai lib/sisimai/lhost/sendgrid.rb',
    detect: (h, s) => (header(h, 'return-path') ?? '').trim() === '<apps@sendgrid.net>' && s === 'Undelivered Mail Returned to Sender',
    start: /^This is an automatically generated message from SendGrid\.$/,
    text: () => null,
    fieldsOnly: true,
  },
  {
    // Symantec.cloud (MessageLabs) relays a DSN of its own with its X-Msg-Ref header
    name: 'MessageLabs',
    source: 'Symantec.cloud (MessageLabs) notices (X-Msg-Ref, MAILER-DAEMON@messagelabs.com); sisimai lib/sisimai/lhost/messagelabs.rb',
    detect: (h, s) => has(h, 'x-msg-ref') && /MAILER-DAEMON@messagelabs\.com/i.test(header(h, 'from') ?? '') && s.startsWith('Mail Delivery Failure'),
    text: () => null,
    fieldsOnly: true,
  },
  {
    // Yandex.Mail's MTA is Postfix with its own banner
    name: 'Yandex',
    source: 'Yandex.Mail notices (X-Yandex-Uniq, mailer-daemon@yandex.ru); sisimai lib/sisimai/lhost/yandex.rb',
    detect: (h) => has(h, 'x-yandex-uniq') && /mailer-daemon@yandex\.ru/i.test(header(h, 'from') ?? ''),
    start: /^This is the mail system at host yandex\.ru\./,
    text: () => null,
    fieldsOnly: true,
    like: 'Postfix',
  },
  {
    // "Addressed To: addr", then "addr: [ip], reply" for each attempt
    name: 'SurfControl',
    source: 'Websense SurfControl E-mail Filter notices (X-SEF-Processed); sisimai lib/sisimai/lhost/surfcontrol.rb',
    detect: (h) => has(h, 'x-sef-processed') && (header(h, 'x-mailer') ?? '').trim() === 'SurfControl E-mail Filter',
    start: /^Your message could not be sent\.$/,
    end: [/^content-type: message\/rfc822/i],
    recipient: new RegExp(`^Addressed To:\\s*${ADDR}$`),
    text: (l) => /^[^ ]+@[^ ]+:\s*\[[\d.]+\],\s*(.+)$/.exec(l)?.[1] ?? null,
  },
  {
    name: 'Barracuda',
    source: 'Barracuda Spam Firewall notices ("**Message you sent blocked by our bulk email filter**"); sisimai lib/sisimai/lhost/barracuda.rb',
    detect: (_h, s) => s.endsWith('our bulk email filter**'),
    start: /^Your message to:/,
    text: () => null,
    fieldsOnly: true,
  },
];
