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
  /**
   * Domains of the provider's receiving hosts, as its Received fields name them in `by`
   * (RFC 5321 §4.4); derived from `authservIds` when absent.
   */
  receivedBy?: string[];
  /** Microsoft 365 / Outlook.com write Authentication-Results without an authserv-id */
  acceptMissingAuthservId?: boolean;
  /** Gmail writes its Authentication-Results directly below its own Received field */
  trustDirectlyBelowReceived?: boolean;
  maxConnections: number;
  /** how often to look for new mail when the server gives no push (ms) */
  pollIntervalMs: number;
  /** documentation the values come from */
  source?: string;
  /**
   * Whether the server takes a password over IMAP (usually an app password). `false` (Outlook.com,
   * Microsoft 365) means OAuth2 is the only way: a seed without `imap.oauth2` gets a config error.
   */
  passwordAccepted: boolean;
  /** OAuth2 endpoints used when the seed sets `imap.oauth2` without `provider`/`tokenUrl` */
  oauth2?: 'microsoft' | 'google';
  /** how to get the secret for a seed account (shown in errors; full steps in docs/providers/<id>.md) */
  signIn: string;
  /**
   * Politeness towards the provider: at most this many test messages per minute and per day to one
   * seed. Big providers score senders by volume patterns; a monitor must look like a person.
   */
  politeness: { maxMessagesPerMinute: number; maxMessagesPerDay: number };
  /**
   * What the provider demands of bulk senders (its own threshold, e.g. Gmail's 5,000 messages a
   * day to its users): one-click unsubscribe means `List-Unsubscribe` with an https URI plus
   * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058 §3.1), DKIM-signed.
   */
  bulkSenders?: { oneClickUnsubscribe: boolean; source: string };
}

// Each comment names the public source of a value and what it confirms; values that no public
// source confirms are marked "not verified" (override them per seed where they do not fit).
const polite = { maxMessagesPerMinute: 10, maxMessagesPerDay: 6 };

export const PRESETS = {
  gmail: {
    id: 'gmail',
    name: 'Gmail',
    // Host/port/TLS: https://developers.google.com/gmail/imap/imap-smtp (imap.gmail.com:993, SSL).
    imap: { host: 'imap.gmail.com', port: 993, secure: true },
    // Gmail flags Spam with \Junk (X-LIST/SPECIAL-USE), but the path is localised to the UI language:
    // "[Gmail]" becomes "[Google Mail]" for accounts opened in Germany/UK; "Spam" is "Spam" in most
    // languages, "Pourriel" (fr-CA), "Spam-E-Mails" is not used by Gmail (kept for older mirrors).
    // Verified: the \Junk flag (https://developers.google.com/gmail/imap/imap-extensions#special-use_extension_of_the_list_command).
    spamFolders: ['[Gmail]/Spam', '[Google Mail]/Spam', '[Gmail]/Pourriel', '[Google Mail]/Pourriel'],
    specialUse: true,
    // Authentication-Results: mx.google.com (seen in every Gmail-received header; RFC 8601 authserv-id).
    authservIds: ['mx.google.com'],
    receivedBy: ['google.com'],
    trustDirectlyBelowReceived: true,
    // "Gmail supports up to 15 simultaneous IMAP connections" (Gmail Help "Too many simultaneous
    // connections", https://support.google.com/mail/answer/7126229; older text said 10): stay far below.
    maxConnections: 15,
    pollIntervalMs: 2000,
    source: 'https://developers.google.com/gmail/imap/imap-smtp',
    passwordAccepted: true,
    oauth2: 'google',
    signIn: 'app password (needs 2-Step Verification; https://support.google.com/accounts/answer/185833) or OAuth2 (scope https://mail.google.com/)',
    politeness: polite,
    // "Email sender guidelines" (since February 2024): senders of more than 5,000 messages a day to
    // Gmail accounts must support one-click unsubscribe (RFC 8058) in marketing and subscribed mail.
    bulkSenders: { oneClickUnsubscribe: true, source: 'https://support.google.com/a/answer/81126' },
  },
  tonline: {
    id: 'tonline',
    name: 'Telekom t-online.de',
    // secureimap.t-online.de:993 SSL; IMAP needs the separate "Passwort für E-Mail-Programme"
    // (verified via chatmail/provider-db _providers/t-online.md and the Telekom help page below).
    imap: { host: 'secureimap.t-online.de', port: 993, secure: true },
    // Folder "Spam" (German UI also "Spam"); special-use support not verified.
    spamFolders: ['Spam', 'Junk'],
    specialUse: true,
    // authserv-id not verified from public documentation (observed headers vary): override per seed if needed.
    authservIds: ['t-online.de', 'mailin.t-online.de'],
    receivedBy: ['t-online.de'],
    maxConnections: 5, // not documented: a conservative guess
    pollIntervalMs: 2000,
    source: 'https://www.telekom.de/hilfe/festnetz-internet-tv/e-mail/e-mail-adresse-passwoerter-und-sicherheit/passwort-fuer-e-mail-programme-einrichten',
    passwordAccepted: true,
    signIn: 'the separate mail password ("Passwort für E-Mail-Programme") set in the t-online webmail settings, not the Telekom login',
    politeness: polite,
  },
  gmx: {
    id: 'gmx',
    name: 'GMX',
    // imap.gmx.net:993 SSL, IMAP must be enabled in the web settings first
    // (verified: chatmail/provider-db _providers/gmx.net.md; https://support.gmx.com/pop-imap/toggle.html).
    imap: { host: 'imap.gmx.net', port: 993, secure: true },
    // German UI: "Spamverdacht"; English UI (gmx.com): "Spam". No \Junk flag seen (not verified in docs).
    spamFolders: ['Spamverdacht', 'Spam'],
    specialUse: false,
    authservIds: ['gmx.net', 'mx.gmx.net'], // not verified
    receivedBy: ['gmx.net', 'gmx.com'],
    maxConnections: 5, // not documented; GMX locks accounts after heavy IMAP use (provider-db note)
    pollIntervalMs: 3000,
    source: 'https://hilfe.gmx.net/pop-imap/imap/imap-serverdaten.html',
    passwordAccepted: true,
    signIn: 'account password or app password (with 2FA); enable "POP3/IMAP Abruf" in Einstellungen first',
    politeness: polite,
  },
  webde: {
    id: 'webde',
    name: 'WEB.DE',
    // Same platform as GMX (1&1 Mail & Media): imap.web.de:993, IMAP must be enabled in settings.
    imap: { host: 'imap.web.de', port: 993, secure: true },
    // The German UI calls the spam folder "Unerwünscht" (not verified in a document; from the UI).
    spamFolders: ['Unerwünscht', 'Spam'],
    specialUse: false,
    authservIds: ['web.de', 'mx.web.de'], // not verified
    receivedBy: ['web.de'],
    maxConnections: 5, // not documented
    pollIntervalMs: 3000,
    source: 'https://hilfe.web.de/pop-imap/imap/imap-serverdaten.html',
    passwordAccepted: true,
    signIn: 'account password or app password (with 2FA); enable "POP3/IMAP Abruf" in Einstellungen first',
    politeness: polite,
  },
  outlook: {
    id: 'outlook',
    name: 'Outlook.com / Microsoft 365',
    // outlook.office365.com:993 SSL (Microsoft support page below). Basic auth (passwords) for IMAP is
    // off in Exchange Online: OAuth2 only (https://learn.microsoft.com/en-us/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth).
    imap: { host: 'outlook.office365.com', port: 993, secure: true },
    // "Junk Email" (English), "Junk-E-Mail" (German); Exchange announces no \Junk over IMAP (observed, not documented).
    spamFolders: ['Junk Email', 'Junk-E-Mail', 'Courrier indésirable', 'Junk'],
    specialUse: false,
    // Exchange Online Protection writes "Authentication-Results: spf=pass (sender IP is …) … header.from=…"
    // with no authserv-id in some versions; when present it is the receiving tenant's domain or
    // protection.outlook.com (not verified in docs).
    authservIds: ['outlook.com', 'protection.outlook.com'],
    receivedBy: ['outlook.com', 'protection.outlook.com', 'prod.outlook.com', 'exchangelabs.com', 'hotmail.com'],
    acceptMissingAuthservId: true,
    // Not documented for Exchange Online; Exchange Server's default MaxConnectionsPerUser is 16
    // (https://learn.microsoft.com/previous-versions/office/exchange-server-2010/bb123712(v=exchg.141)).
    maxConnections: 8,
    pollIntervalMs: 3000,
    source: 'https://support.microsoft.com/office/pop-imap-and-smtp-settings-8361e398-8af4-4e97-b147-6c6c4ac95353',
    passwordAccepted: false,
    oauth2: 'microsoft',
    signIn: 'OAuth2 only: register an app (public client, IMAP.AccessAsUser.All + offline_access) and run `npm run oauth:setup`',
    politeness: polite,
  },
  yahoo: {
    id: 'yahoo',
    name: 'Yahoo Mail',
    // imap.mail.yahoo.com:993 SSL, app password required (help page below).
    imap: { host: 'imap.mail.yahoo.com', port: 993, secure: true },
    // Web UI "Spam", IMAP name "Bulk" (with \Junk on current servers; not verified in docs).
    spamFolders: ['Bulk', 'Bulk Mail', 'Spam'],
    specialUse: true,
    authservIds: ['atlas.yahoo.com', 'mta.yahoo.com', 'yahoo.com'], // atlas-*.mail.yahoo.com hosts observed; not verified
    receivedBy: ['yahoo.com', 'aol.com', 'yahoodns.net'],
    maxConnections: 5, // not documented
    pollIntervalMs: 3000,
    source: 'https://help.yahoo.com/kb/SLN4075.html',
    passwordAccepted: true,
    signIn: 'app password (Account security → Generate app password; needs 2-step verification)',
    politeness: polite,
    // Yahoo Sender Hub "Sender Requirements & Recommendations" (since February 2024): bulk senders
    // must support one-click unsubscribe (RFC 8058) and honour it within 2 days.
    bulkSenders: { oneClickUnsubscribe: true, source: 'https://senders.yahooinc.com/best-practices/' },
  },
  icloud: {
    id: 'icloud',
    name: 'iCloud Mail',
    // imap.mail.me.com:993 SSL, app-specific password (Apple support page below). Login name is the
    // address without @icloud.com on some accounts (Apple: "your iCloud Mail address name").
    imap: { host: 'imap.mail.me.com', port: 993, secure: true },
    spamFolders: ['Junk'],
    specialUse: true,
    authservIds: ['mx.icloud.com', 'icloud.com'], // not verified
    // iCloud's receiving hosts and DKIM milters are under icloud.com, me.com and apple.com (seen in real headers)
    receivedBy: ['icloud.com', 'me.com', 'apple.com'],
    maxConnections: 5, // not documented
    pollIntervalMs: 3000,
    source: 'https://support.apple.com/en-us/102525',
    passwordAccepted: true,
    signIn: 'app-specific password (https://support.apple.com/en-us/102654; needs two-factor authentication)',
    politeness: polite,
  },
  posteo: {
    id: 'posteo',
    name: 'Posteo',
    // posteo.de:993 SSL (Posteo help below); Dovecot-based, announces SPECIAL-USE.
    imap: { host: 'posteo.de', port: 993, secure: true },
    spamFolders: ['Spam', 'Junk'],
    specialUse: true,
    authservIds: ['posteo.de'], // not verified
    maxConnections: 5, // not documented
    pollIntervalMs: 3000,
    source: 'https://posteo.de/en/help/how-do-i-set-up-posteo-in-an-email-client-pop3-imap-and-smtp',
    passwordAccepted: true,
    signIn: 'account password (no app passwords at Posteo)',
    politeness: polite,
  },
  mailboxorg: {
    id: 'mailboxorg',
    name: 'mailbox.org',
    // imap.mailbox.org:993 SSL (knowledge base below); Dovecot, announces SPECIAL-USE.
    imap: { host: 'imap.mailbox.org', port: 993, secure: true },
    spamFolders: ['Junk', 'Spam'],
    specialUse: true,
    authservIds: ['mailbox.org'], // not verified
    maxConnections: 5, // not documented
    pollIntervalMs: 3000,
    source: 'https://kb.mailbox.org/en/private/e-mail-article/e-mail-client-setup',
    passwordAccepted: true,
    signIn: 'account password or an app password (Settings → Security)',
    politeness: polite,
  },
  fastmail: {
    id: 'fastmail',
    name: 'Fastmail',
    // imap.fastmail.com:993 SSL; third-party clients need an app password (Fastmail help below).
    imap: { host: 'imap.fastmail.com', port: 993, secure: true },
    spamFolders: ['Spam', 'Junk Mail'],
    specialUse: true,
    // Fastmail's MX write authserv-id like mx1.messagingengine.com (observed; not verified in docs).
    authservIds: ['fastmail.com', 'messagingengine.com'],
    maxConnections: 10, // not documented
    pollIntervalMs: 3000,
    source: 'https://www.fastmail.help/hc/en-us/articles/1500000278342-Server-names-and-ports',
    passwordAccepted: true,
    signIn: 'app password (Settings → Privacy & Security → Integrations → App passwords)',
    politeness: polite,
  },
  zoho: {
    id: 'zoho',
    name: 'Zoho Mail',
    // imap.zoho.com:993 SSL (imap.zoho.eu / .in for other data centres); IMAP access must be switched on
    // in Settings → Mail Accounts (verified: chatmail/provider-db _providers/zoho.md). Set imap.host
    // for an EU/IN account.
    imap: { host: 'imap.zoho.com', port: 993, secure: true },
    spamFolders: ['Spam'],
    specialUse: false, // not verified
    authservIds: ['mx.zohomail.com', 'zohomail.com'], // not verified
    maxConnections: 5, // not documented
    pollIntervalMs: 3000,
    source: 'https://www.zoho.com/mail/help/imap-access.html',
    passwordAccepted: true,
    signIn: 'application-specific password (accounts.zoho.com → Security; needs 2FA)',
    politeness: polite,
  },
  proton: {
    id: 'proton',
    name: 'Proton Mail (via Proton Mail Bridge)',
    // Proton has no public IMAP: Proton Mail Bridge serves IMAP on localhost (default 127.0.0.1:1143,
    // STARTTLS with a self-signed certificate, per Proton's Bridge docs); the Bridge shows the
    // generated password. Set imap.rejectUnauthorized=false only for this loopback Bridge.
    imap: { host: '127.0.0.1', port: 1143, secure: false },
    // Bridge maps Proton's Spam label to a "Spam" folder with \Junk (not verified in docs).
    spamFolders: ['Spam'],
    specialUse: true,
    authservIds: [], // Proton's headers are not verified; set authservIds per seed
    maxConnections: 5,
    pollIntervalMs: 5000,
    source: 'https://proton.me/support/protonmail-bridge-clients',
    passwordAccepted: true,
    signIn: 'the password shown in Proton Mail Bridge (not the Proton account password)',
    politeness: polite,
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
    passwordAccepted: true,
    signIn: 'the IMAP password of the account',
    politeness: { maxMessagesPerMinute: 30, maxMessagesPerDay: 48 },
  },
} as const satisfies Record<string, ProviderPreset>;

export type PresetId = keyof typeof PRESETS;

export function isPresetId(value: unknown): value is PresetId {
  return typeof value === 'string' && Object.hasOwn(PRESETS, value);
}

/** Provider ids a user can select with `--project=<id>` or `--grep @<id>`. */
export const PROVIDER_IDS = Object.keys(PRESETS) as PresetId[];
