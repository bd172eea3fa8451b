/** The facts of one composed message the pre-send checks look at, read from its raw bytes. */
import { simpleParser } from 'mailparser';
import { splitHeaderBlock } from '../shared/headers.ts';
import { linkHosts, remoteImages } from './links.ts';

export interface MessageFacts {
  /** bytes of the whole message as submitted */
  size: number;
  /** bytes of the decoded HTML part (what Gmail's 102 KB clipping counts) */
  htmlBytes: number;
  text: string;
  html?: string;
  /** header field values by lower-case name (first occurrence) */
  headers: Record<string, string>;
  linkHosts: string[];
  remoteImages: string[];
}

export async function messageFacts(raw: Buffer): Promise<MessageFacts> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipHtmlToText: true });
  const html = typeof parsed.html === 'string' ? parsed.html : undefined;
  const text = parsed.text ?? '';
  const end = raw.indexOf('\r\n\r\n');
  const block = raw.subarray(0, end >= 0 ? end + 2 : raw.length).toString('utf8');
  const headers: Record<string, string> = {};
  for (const f of splitHeaderBlock(block).fields) if (!(f.key in headers)) headers[f.key] = f.value.trim();
  return {
    size: raw.length,
    htmlBytes: html ? Buffer.byteLength(html) : 0,
    text,
    html,
    headers,
    linkHosts: linkHosts(text, html),
    remoteImages: remoteImages(html),
  };
}
