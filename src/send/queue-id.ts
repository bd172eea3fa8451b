/**
 * The submission server's queue id from its final reply to DATA (RFC 5321 §4.2: the text after
 * the reply code is free-form, so every MTA words it its own way). The id is what the server's
 * own log uses for the message, so it is the key that ties a test message to its log lines.
 * Pure; returns undefined when the reply names no id (e.g. Stalwart's older
 * `250 2.0.0 Message queued for delivery.`).
 */

export interface QueueIdMatch {
  queueId: string;
  /** which wording matched: tells a reader how the id was found */
  style: 'postfix' | 'exim' | 'accepted-for-delivery' | 'queued-with-id' | 'exchange' | 'haraka' | 'gmail' | 'generic';
}

// An id is one token of letters, digits and the separators MTAs use ('-', '.', '_', '='); it
// never carries '@' or brackets (those would be a Message-ID).
const ID = String.raw`([A-Za-z0-9][A-Za-z0-9._=-]{2,126})`;

const RULES: Array<{ style: QueueIdMatch['style']; re: RegExp }> = [
  // Postfix smtpd: `250 2.0.0 Ok: queued as 4Xyz1234AB` (long ids: `4Wn3c51Ph2z9sRH`)
  { style: 'postfix', re: new RegExp(String.raw`\bqueued as\s+${ID}`, 'i') },
  // Exim: `250 OK id=1rAbCd-000123-Xy` (4.97+: `1rjTg9-00000000Ape-1Ktc`)
  { style: 'exim', re: new RegExp(String.raw`\bid=${ID}`, 'i') },
  // Exchange / Microsoft 365: `250 2.6.0 <…> [InternalId=12345, Hostname=…] Queued mail for delivery`
  { style: 'exchange', re: /\[InternalId=(\d+)[,\]]/i },
  // Stalwart (newer) and others: `250 2.0.0 Message queued with id 1a2b3c4d.`
  { style: 'queued-with-id', re: new RegExp(String.raw`\bqueued with (?:id|queue id)\s+${ID}`, 'i') },
  // OpenSMTPD `250 2.0.0 8c3a1f2e Message accepted for delivery` (older: `250 2.0.0: 8c3a1f2e …`),
  // Sendmail `250 2.0.0 x8ABC123 Message accepted for delivery`
  { style: 'accepted-for-delivery', re: new RegExp(String.raw`^\s*250[ -](?:[245]\.\d{1,3}\.\d{1,3}:?\s+)?${ID}\s+Message accepted for delivery`, 'i') },
  // Haraka: `250 Message Queued (4F6F2D3C-8B1A-4C4E-9B7A-2D1A5E0E4D3C.1)`
  { style: 'haraka', re: new RegExp(String.raw`\bMessage Queued \(${ID}\)`, 'i') },
  // Gmail's submission: `250 2.0.0 OK  1701459000 a1-20020a05600c000100b0040c1234567sm123456wmb.1 - gsmtp`
  { style: 'gmail', re: new RegExp(String.raw`\bOK\s+\d{9,11}\s+${ID}\s+-\s+gsmtp`, 'i') },
  // `… queued, id 12AB34`, `Queued! (id 12AB34)`, `Ok: queued, ID: 12AB34`
  { style: 'generic', re: new RegExp(String.raw`\bqueued\b[^A-Za-z0-9]{0,4}(?:queue\s+)?id[:\s]\s*${ID}`, 'i') },
];

export function parseQueueId(response: string | undefined | null): QueueIdMatch | undefined {
  if (typeof response !== 'string' || !response) return undefined;
  const text = response.slice(0, 2048);
  // a refusal names no queued message, whatever its text says
  if (/^\s*[345]\d\d\b/.test(text)) return undefined;
  for (const { style, re } of RULES) {
    const m = re.exec(text);
    if (m?.[1]) return { queueId: m[1].replace(/[.=-]+$/, ''), style };
  }
  return undefined;
}
