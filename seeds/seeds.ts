import { defineSeeds } from './define.ts';

/**
 * Your seed mailboxes: accounts you own at the providers you care about.
 * Passwords live in `.env` under the variable named by `passwordEnv` (an app password where
 * the provider offers one). A seed whose variable is not set is skipped with a reason.
 * See README.md "Seed mailboxes" and docs for each provider.
 */
export default defineSeeds([
  {
    id: 'gmail',
    address: 'your.seed@gmail.com',
    provider: 'gmail',
    imap: { passwordEnv: 'SEED_GMAIL_PASSWORD' },
  },
  {
    id: 'gmx',
    address: 'your.seed@gmx.de',
    provider: 'gmx',
    imap: { passwordEnv: 'SEED_GMX_PASSWORD' },
  },
  {
    id: 'tonline',
    address: 'your.seed@t-online.de',
    provider: 'tonline',
    imap: { passwordEnv: 'SEED_TONLINE_PASSWORD' },
  },
]);
