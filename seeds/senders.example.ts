import { defineSenders } from './define.ts';

/**
 * Every identity your server sends as, tested in one run: copy this file to seeds/senders.ts
 * (or point MAILCANARY_SENDERS at your own). Without a senders file, MAIL_FROM, ENVELOPE_FROM and
 * SMTP_USER / SMTP_PASS in .env are the one sender, exactly as before.
 *
 * Each seed × variant is sent once per sender; test titles name the sender's domain
 * (`gmail › plain from family.example lands in inbox`) and tag it (`@family.example`), so
 * `npx playwright test --grep @family.example` tests one domain.
 * Passwords live in .env under the variables `login` names; they are never written here.
 */
export default defineSenders([
  {
    id: 'family',
    from: 'Family Monitor <monitor@family.example>',
    // MAIL FROM; bounces come back here (tagged with ENVELOPE_TAG_SEPARATOR)
    envelopeFrom: 'bounces@family.example',
    login: { userEnv: 'SMTP_FAMILY_USER', passwordEnv: 'SMTP_FAMILY_PASS' },
    // selectors the DNS suite checks for this domain (default MAILCANARY_DKIM_SELECTORS)
    dkimSelectors: ['mail2026'],
  },
  {
    id: 'club',
    from: 'monitor@club.example',
    // without login: SMTP_USER / SMTP_PASS
    // send only through these SMTP_PATHS entries (default every path)
    // paths: ['ipv4'],
  },
  {
    // the server's own mail (cron, watchdogs, bounces), judged by the host name's SPF and DMARC
    id: 'system',
    from: 'root@mail.example.org',
    system: true,
  },
]);
