import { defineSeeds } from '../seeds/define.ts';

/**
 * The lab's seed mailboxes (Dovecot on loopback), one per simulated provider.
 * Expectations describe what the lab's simulated providers do with a healthy setup:
 * the gmx-like MX files mail that links to a suspicious TLD as spam (lab.env points the
 * html-with-link variant at a .xyz address), the gmx-like and outlook-like MXs file what their
 * rspamd calls spam (the spammy variant) as spam, and the blackhole accepts and drops.
 * These are lab results, never real provider results.
 */
const imap = {
  host: process.env.MAILCANARY_LAB_IMAP_HOST || '127.0.0.1',
  port: Number(process.env.MAILCANARY_LAB_IMAP_PORT || 1143),
  secure: false,
  allowPlaintextAuth: true,
  passwordEnv: 'SEED_PASSWORD_LAB',
};

export default defineSeeds([
  {
    id: 'lab-gmail',
    label: 'gmail-like (lab)',
    address: 'seed@gmail.lab.test',
    provider: 'gmail',
    imap,
    authservIds: ['mx.gmail.lab.test'],
    timeoutSeconds: 30,
  },
  {
    id: 'lab-tonline',
    label: 't-online-like (lab)',
    address: 'seed@t-online.lab.test',
    provider: 'tonline',
    imap,
    authservIds: ['mx.t-online.lab.test'],
    timeoutSeconds: 30,
  },
  {
    id: 'lab-gmx',
    label: 'gmx-like (lab)',
    address: 'seed@gmx.lab.test',
    provider: 'gmx',
    imap,
    authservIds: ['mx.gmx.lab.test'],
    // spammy (sent in the spammy-content scenario): rspamd's "add header" files it as spam
    expect: { default: 'inbox', 'html-with-link': 'spam', spammy: 'spam' },
    timeoutSeconds: 30,
  },
  {
    id: 'lab-outlook',
    label: 'outlook-like (lab)',
    address: 'seed@outlook.lab.test',
    provider: 'outlook',
    imap,
    authservIds: ['mx.outlook.lab.test'],
    expect: { default: 'inbox', spammy: 'spam' },
    timeoutSeconds: 30,
  },
  {
    id: 'lab-blackhole',
    label: 'accepts and drops (lab)',
    address: 'seed@blackhole.lab.test',
    provider: 'custom',
    imap,
    expect: 'missing',
    // the blackhole drops every message at once (lab/mx/policies/blackhole.ts): no wait makes it
    // arrive, and every lab run lasts as long as this one, so it is the shortest of the seeds
    timeoutSeconds: 5,
  },
]);
