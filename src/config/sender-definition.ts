/**
 * One sender identity as the user writes it in `seeds/senders.ts`: an address the server sends
 * for. Receivers judge each sending domain on its own (SPF, DKIM and DMARC are evaluated per
 * RFC5322.From domain, RFC 7489 §3.1), so a server that sends for several domains is tested as
 * each of them. Credentials are never written here: `login` names the environment variables.
 */
export interface SenderDefinition {
  /** short unique name (lower-case letters, digits, dashes), used in ids and tags, e.g. `family` */
  id: string;
  /** header From: `'Name <a@b>'` or `'a@b'` */
  from: string;
  /** MAIL FROM (RFC 5321 §4.1.1.2); default the From address, tagged with ENVELOPE_TAG_SEPARATOR */
  envelopeFrom?: string;
  /** NAMES of the env variables with the submission login; default SMTP_USER / SMTP_PASS */
  login?: { userEnv: string; passwordEnv: string };
  /** DKIM selectors the DNS suite checks for this domain; default MAILCANARY_DKIM_SELECTORS */
  dkimSelectors?: string[];
  /** names of SMTP_PATHS entries to send through; default all */
  paths?: string[];
  /**
   * Mail the server writes itself (cron, watchdogs, bounces: root@ or MAILER-DAEMON@ the host
   * name). Receivers judge it by the host name's SPF (the HELO identity, RFC 7208 §2.3) and DMARC.
   */
  system?: boolean;
}

/** Typed identity helper: gives editor completion and type checks in the senders file. */
export function defineSenders(senders: SenderDefinition[]): SenderDefinition[] {
  return senders;
}
