/**
 * Provider presets: where a seed mailbox lives and what its spam folder is called when the server
 * does not flag it with the RFC 6154 `\Junk` special-use attribute.
 *
 * `authservIds` are the authserv-ids (RFC 8601 §2.5) the provider writes into the
 * Authentication-Results headers it adds; only results carrying one of them are trusted.
 * `maxConnections` is the provider's documented (or observed) limit of simultaneous IMAP
 * connections per account; mailcanary stays well below it.
 */
export interface ProviderPreset {
  id: string;
  name: string;
  imap: { host: string; port: number; secure: boolean };
  /** spam folder names to try (decoded, case-insensitive) when no folder has `\Junk` */
  spamFolders: string[];
  /** whether the server advertises RFC 6154 special-use (if false, names are the only way) */
  specialUse: boolean;
  authservIds: string[];
  maxConnections: number;
  /** how often to look for new mail when the server gives no push (ms) */
  pollIntervalMs: number;
  /** documentation the values come from */
  source?: string;
}

export const PRESETS = {
  gmail: {
    id: 'gmail',
    name: 'Gmail',
    imap: { host: 'imap.gmail.com', port: 993, secure: true },
    // Gmail localises the [Gmail] folder names to the account's UI language but flags Spam with \Junk.
    spamFolders: ['[Gmail]/Spam', '[Google Mail]/Spam', '[Gmail]/Pourriel', '[Gmail]/Spam-E-Mails'],
    specialUse: true,
    authservIds: ['mx.google.com'],
    maxConnections: 15,
    pollIntervalMs: 2000,
    source: 'https://developers.google.com/gmail/imap/imap-smtp',
  },
  tonline: {
    id: 'tonline',
    name: 'Telekom t-online.de',
    imap: { host: 'secureimap.t-online.de', port: 993, secure: true },
    spamFolders: ['Spam', 'Junk'],
    specialUse: true,
    authservIds: ['t-online.de', 'mailin.t-online.de'],
    maxConnections: 5,
    pollIntervalMs: 2000,
    source: 'https://www.telekom.de/hilfe/festnetz-internet-tv/e-mail/e-mail-server-e-mail-protokolle-und-e-mail-einrichtung',
  },
  gmx: {
    id: 'gmx',
    name: 'GMX',
    imap: { host: 'imap.gmx.net', port: 993, secure: true },
    spamFolders: ['Spamverdacht', 'Spam'],
    specialUse: false,
    authservIds: ['gmx.net', 'mx.gmx.net'],
    maxConnections: 5,
    pollIntervalMs: 2000,
    source: 'https://hilfe.gmx.net/pop-imap/imap/imap-serverdaten.html',
  },
  webde: {
    id: 'webde',
    name: 'WEB.DE',
    imap: { host: 'imap.web.de', port: 993, secure: true },
    spamFolders: ['Unerwünscht', 'Spam'],
    specialUse: false,
    authservIds: ['web.de', 'mx.web.de'],
    maxConnections: 5,
    pollIntervalMs: 2000,
    source: 'https://hilfe.web.de/pop-imap/imap/imap-serverdaten.html',
  },
  outlook: {
    id: 'outlook',
    name: 'Outlook.com / Microsoft 365',
    imap: { host: 'outlook.office365.com', port: 993, secure: true },
    spamFolders: ['Junk Email', 'Junk-E-Mail', 'Junk'],
    specialUse: false,
    authservIds: ['outlook.com', 'protection.outlook.com'],
    maxConnections: 8,
    pollIntervalMs: 2000,
    source: 'https://support.microsoft.com/office/pop-imap-and-smtp-settings-8361e398-8af4-4e97-b147-6c6c4ac95353',
  },
  yahoo: {
    id: 'yahoo',
    name: 'Yahoo Mail',
    imap: { host: 'imap.mail.yahoo.com', port: 993, secure: true },
    spamFolders: ['Bulk', 'Bulk Mail', 'Spam'],
    specialUse: true,
    authservIds: ['atlas.yahoo.com', 'mta.yahoo.com', 'yahoo.com'],
    maxConnections: 5,
    pollIntervalMs: 2000,
    source: 'https://help.yahoo.com/kb/SLN4075.html',
  },
  icloud: {
    id: 'icloud',
    name: 'iCloud Mail',
    imap: { host: 'imap.mail.me.com', port: 993, secure: true },
    spamFolders: ['Junk'],
    specialUse: true,
    authservIds: ['mx.icloud.com', 'icloud.com'],
    maxConnections: 5,
    pollIntervalMs: 2000,
    source: 'https://support.apple.com/en-us/102525',
  },
  posteo: {
    id: 'posteo',
    name: 'Posteo',
    imap: { host: 'posteo.de', port: 993, secure: true },
    spamFolders: ['Spam', 'Junk'],
    specialUse: true,
    authservIds: ['posteo.de'],
    maxConnections: 5,
    pollIntervalMs: 2000,
    source: 'https://posteo.de/en/help/how-do-i-set-up-posteo-in-an-email-client-pop3-imap-and-smtp',
  },
  mailboxorg: {
    id: 'mailboxorg',
    name: 'mailbox.org',
    imap: { host: 'imap.mailbox.org', port: 993, secure: true },
    spamFolders: ['Junk', 'Spam'],
    specialUse: true,
    authservIds: ['mailbox.org'],
    maxConnections: 5,
    pollIntervalMs: 2000,
    source: 'https://kb.mailbox.org/en/private/e-mail-article/e-mail-client-setup',
  },
  fastmail: {
    id: 'fastmail',
    name: 'Fastmail',
    imap: { host: 'imap.fastmail.com', port: 993, secure: true },
    spamFolders: ['Spam', 'Junk Mail'],
    specialUse: true,
    authservIds: ['fastmail.com', 'messagingengine.com'],
    maxConnections: 10,
    pollIntervalMs: 2000,
    source: 'https://www.fastmail.help/hc/en-us/articles/1500000278342-Server-names-and-ports',
  },
  custom: {
    id: 'custom',
    name: 'Custom IMAP account',
    imap: { host: '', port: 993, secure: true },
    spamFolders: ['Junk', 'Spam', 'Junk E-mail', 'Junk Email', 'Bulk Mail'],
    specialUse: true,
    authservIds: [],
    maxConnections: 5,
    pollIntervalMs: 2000,
  },
} as const satisfies Record<string, ProviderPreset>;

export type PresetId = keyof typeof PRESETS;

export function isPresetId(value: unknown): value is PresetId {
  return typeof value === 'string' && Object.hasOwn(PRESETS, value);
}
