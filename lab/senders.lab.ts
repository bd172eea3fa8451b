import { defineSenders } from '../seeds/define.ts';

/**
 * The lab server's sender identities (lab/topology.ts): three domains, each submitting with its
 * own login and signed with its own DKIM key, and the server's own mail from its host name.
 * lab/lab.env points MAILCANARY_SENDERS here; the passwords are lab.env's made-up lab values.
 */
export default defineSenders([
  { id: 'canary', from: 'Canary Monitor <monitor@canary.test>', envelopeFrom: 'monitor@canary.test', dkimSelectors: ['mc2026'] },
  {
    id: 'family',
    from: 'Family Monitor <monitor@family.test>',
    envelopeFrom: 'monitor@family.test',
    login: { userEnv: 'LAB_FAMILY_SMTP_USER', passwordEnv: 'LAB_FAMILY_SMTP_PASS' },
    dkimSelectors: ['fam2026'],
  },
  {
    id: 'club',
    from: 'monitor@club.test',
    envelopeFrom: 'monitor@club.test',
    login: { userEnv: 'LAB_CLUB_SMTP_USER', passwordEnv: 'LAB_CLUB_SMTP_PASS' },
    dkimSelectors: ['club2026'],
  },
  // cron and watchdog mail of the server itself: judged by mail.canary.test's own SPF and DMARC
  { id: 'system', from: 'root@mail.canary.test', system: true },
]);
