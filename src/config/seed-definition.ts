import type { Placement } from '../model.ts';
import type { PresetId } from '../knowledge/providers.ts';

/**
 * One seed mailbox as the user writes it in `seeds/seeds.ts`.
 * Credentials are never written here: `passwordEnv` names the environment variable
 * (from `.env`) that holds the password, so the seeds file can be committed.
 */
export interface SeedDefinition {
  /** short unique name, used in test titles and reports, e.g. `gmail` or `gmx-family` */
  id: string;
  /** the seed's e-mail address: test messages are sent here */
  address: string;
  /** provider preset: gmail, tonline, gmx, webde, outlook, yahoo, icloud, posteo, mailboxorg, fastmail, zoho, proton, custom */
  provider: PresetId;
  imap?: {
    host?: string;
    port?: number;
    /** implicit TLS (993); false = plain connection, upgraded with STARTTLS when offered */
    secure?: boolean;
    /** login name; defaults to `address` */
    user?: string;
    /** name of the environment variable with the IMAP (app) password */
    passwordEnv?: string;
    /** allow the password over an unencrypted connection (lab only) */
    allowPlaintextAuth?: boolean;
    /** verify the server's TLS certificate (default true) */
    rejectUnauthorized?: boolean;
    /** PEM file of a private CA to trust besides the system CAs (default: MAILCANARY_IMAP_CA_FILE) */
    caFile?: string;
    /**
     * Sign in with OAuth2 instead of a password (Outlook.com/Microsoft 365 require it; Gmail allows it).
     * Only variable names are written here; `npm run oauth:setup` gets the refresh token once.
     */
    oauth2?: SeedOAuth2Definition;
  };
  folders?: {
    /** spam folder name(s), when the server does not flag it with `\Junk` and the preset's names don't fit */
    spam?: string | string[];
  };
  /** expected placement; one value for all variants or per variant (`default` for the rest) */
  expect?: Placement | Partial<Record<string, Placement>>;
  /** how long to wait for delivery, in seconds (default MAILCANARY_TIMEOUT or 300) */
  timeoutSeconds?: number;
  /** override the authserv-ids whose Authentication-Results are trusted for this seed */
  authservIds?: string[];
  /** auth methods that must pass (default spf, dkim, dmarc) */
  requireAuth?: string[];
  /**
   * Gmail only: how a message in INBOX but in the Promotions tab counts. `inbox` (default): it
   * arrived; `regression`: the gate reports primary → promotions like inbox → spam.
   */
  promotions?: 'inbox' | 'regression';
  /** free-form label shown in reports */
  label?: string;
}

export interface SeedOAuth2Definition {
  /** `microsoft` or `google` endpoints; default from the provider preset (outlook → microsoft, gmail → google) */
  provider?: 'microsoft' | 'google';
  /** token endpoint for any other OAuth2 server (RFC 6749 §3.2), e.g. a tenant-specific Microsoft URL */
  tokenUrl?: string;
  /** env variable with the OAuth client (application) id */
  clientIdEnv: string;
  /** env variable with the client secret (confidential clients, e.g. Google "Desktop app") */
  clientSecretEnv?: string;
  /** env variable with the refresh token from `npm run oauth:setup` */
  refreshTokenEnv: string;
  /** scopes to request on refresh (default: the provider's IMAP scope) */
  scope?: string;
}

/** Typed identity helper: gives editor completion and type checks in the seeds file. */
export function defineSeeds(seeds: SeedDefinition[]): SeedDefinition[] {
  return seeds;
}
