/**
 * gmail-like: unauthenticated mail is refused; without DKIM it goes to spam (Google's 2024
 * sender guidelines: bulk senders must sign with DKIM; every sender needs SPF or DKIM).
 */
import type { ProviderPolicy } from './types.ts';

export const GMAIL_UNAUTH_TEXT =
  '5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. The sender must authenticate with at least one of SPF or DKIM.';

export const gmailPolicy: ProviderPolicy = {
  onMessage({ auth }) {
    if (auth.spf !== 'pass' && auth.dkim !== 'pass') {
      return { action: 'reject', code: 550, text: GMAIL_UNAUTH_TEXT, reason: 'neither SPF nor DKIM pass' };
    }
    if (auth.dkim !== 'pass') return { action: 'spam', reason: `dkim=${auth.dkim}` };
    return { action: 'inbox' };
  },
};
