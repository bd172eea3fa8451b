/**
 * One test message as nodemailer options, and as the raw RFC 5322 bytes the submission server
 * receives: the same composition for sending and for scoring before sending.
 */
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { domainOf, fromAddress, type SenderConfig } from '../config/index.ts';
import { TAG_HEADER, taggedAddress } from './tag.ts';
import { renderVariant, type VariantContent } from './variants.ts';

export interface Composed {
  content: VariantContent;
  envelopeFrom: string;
  messageId: string;
  mail: SendMailOptions;
}

export function composeMessage(
  sender: Pick<SenderConfig, 'from' | 'envelopeFrom' | 'tagSeparator' | 'linkUrl'>,
  m: { tag: string; to: string; variant: string; date: Date },
): Composed {
  // the domain of the From address, also in `Name <a@b>` form
  const fromDomain = domainOf(fromAddress(sender.from) ?? sender.from);
  const content = renderVariant(m.variant, { tag: m.tag, fromName: fromDomain, linkUrl: sender.linkUrl, date: m.date });
  const envelopeFrom = taggedAddress(sender.envelopeFrom, m.tag, sender.tagSeparator);
  const messageId = `<${m.tag}@${fromDomain}>`;
  const mail: SendMailOptions = {
    from: sender.from,
    to: m.to,
    envelope: { from: envelopeFrom, to: [m.to] },
    subject: content.subject,
    text: content.text,
    html: content.html,
    messageId,
    date: m.date,
    headers: { [TAG_HEADER]: m.tag },
  };
  return { content, envelopeFrom, messageId, mail };
}

/** The message as bytes, built by nodemailer exactly as it would submit it (no network). */
export async function rawMessage(mail: SendMailOptions): Promise<Buffer> {
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'crlf' });
  const info = (await t.sendMail(mail)) as unknown as { message: Buffer };
  return info.message;
}
