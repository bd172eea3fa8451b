import type { Placement } from '../model.ts';
import type { SeedDefinition } from './seed-definition.ts';
import { PRESETS, isPresetId, type PresetId, type ProviderPreset } from '../knowledge/providers.ts';
import { imapCaFile } from './ca-file.ts';
import { ENV_NAME } from './env-name.ts';
import { oauth2Missing, oauth2SkipReason, resolveOAuth2, type SeedOAuth2 } from './seed-oauth2.ts';
import type { ConfigProblem } from './errors.ts';
import { isAddress } from './sender.ts';
import { nearSetVariable, nearestName, unknownSettingFix } from './nearest.ts';
import { envFileLabel } from './env-file.ts';

export type { SeedOAuth2 } from './seed-oauth2.ts';

/** A seed after validation, with the preset applied. Holds no secret: only the env variable's name. */
export interface Seed {
  id: string;
  address: string;
  provider: PresetId;
  providerName: string;
  label?: string;
  imap: {
    host: string;
    port: number;
    secure: boolean;
    user: string;
    /** empty for an OAuth2 seed */
    passwordEnv: string;
    allowPlaintextAuth: boolean;
    rejectUnauthorized: boolean;
    /** PEM file of an extra CA to trust besides the system CAs (`imap.caFile`, else MAILCANARY_IMAP_CA_FILE) */
    caFile?: string;
    /** how the seed signs in: an (app) password, or an OAuth2 access token (XOAUTH2/OAUTHBEARER) */
    auth?: 'password' | 'oauth2';
    oauth2?: SeedOAuth2;
  };
  spamFolders: string[];
  authservIds: string[];
  requireAuth: string[];
  expect: Partial<Record<string, Placement>> & { default: Placement };
  timeoutSeconds: number;
  /** a message in Gmail's Promotions tab is a regression (seed setting `promotions: 'regression'`) */
  promotionsRegression?: boolean;
  maxConnections: number;
  pollIntervalMs: number;
  /** the provider's send/connection limits mailcanary keeps to (from the preset) */
  politeness?: { maxMessagesPerMinute: number; maxMessagesPerDay: number };
  /** set when the seed cannot be used in this run (e.g. no password): the test is skipped with this reason */
  skipReason?: string;
  /** the unset variables that make it skipped */
  missingEnv?: string[];
}

const ID = /^[a-z0-9][a-z0-9_-]{0,39}$/i;
const SEED_SETTINGS = ['id', 'address', 'provider', 'imap', 'folders', 'expect', 'timeoutSeconds', 'authservIds', 'requireAuth', 'label', 'promotions'];

export function isPlacement(value: unknown): value is Placement {
  return (
    value === 'inbox' ||
    value === 'spam' ||
    value === 'missing' ||
    (typeof value === 'string' && value.startsWith('other-folder:') && value.length > 'other-folder:'.length)
  );
}

/**
 * Validates the seeds file and applies the presets. Returns every problem found.
 * A missing password variable is not a problem but a skip reason: one seed without credentials
 * must not stop the others.
 */
export function resolveSeeds(
  input: unknown,
  env: Record<string, string | undefined>,
  defaults: { timeoutSeconds: number; variants: string[] },
): { seeds: Seed[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  if (!Array.isArray(input)) {
    problems.push({
      field: 'seeds',
      message: 'the seeds file must export an array of seeds (export default defineSeeds([...]))',
      fix: 'see seeds/seeds.ts for the format',
    });
    return { seeds: [], problems };
  }
  if (input.length === 0) {
    problems.push({ field: 'seeds', message: 'no seed mailboxes are defined', fix: 'add at least one seed to your seeds file (see seeds/seeds.ts)' });
  }
  const seen = new Set<string>();
  const seeds: Seed[] = [];
  input.forEach((raw: unknown, i: number) => {
    const at = `seeds[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      problems.push({ field: at, message: 'is not an object', fix: 'write each seed as { id, address, provider, imap: { passwordEnv } }' });
      return;
    }
    const s = raw as Partial<SeedDefinition> & Record<string, unknown>;
    const before = problems.length;
    // every problem of a seed carries the same label, `seeds[0] (gmail)`, once its id is readable
    const name = typeof s.id === 'string' && ID.test(s.id) ? `${at} (${s.id})` : at;
    for (const key of Object.keys(s)) {
      if (!SEED_SETTINGS.includes(key))
        problems.push({ field: `${name}.${key}`, message: 'is not a seed setting', fix: unknownSettingFix(key, SEED_SETTINGS) });
    }
    if (typeof s.id !== 'string' || !ID.test(s.id)) {
      problems.push({
        field: `${at}.id`,
        message: `${JSON.stringify(s.id)} is not a valid id`,
        fix: 'use letters, digits, - and _ (at most 40), e.g. id: "gmail"',
      });
    } else if (seen.has(s.id)) {
      problems.push({ field: `${at}.id`, message: `'${s.id}' is used by another seed`, fix: 'give every seed its own id' });
    } else seen.add(s.id);
    if (typeof s.address !== 'string' || !isAddress(s.address)) {
      problems.push({
        field: `${name}.address`,
        message: `${JSON.stringify(s.address)} is not an e-mail address`,
        fix: 'set address to the seed mailbox, e.g. "me.seed@gmail.com"',
      });
    }
    if (!isPresetId(s.provider)) {
      problems.push({
        field: `${name}.provider`,
        message: `${JSON.stringify(s.provider)} is not a known provider preset`,
        fix:
          typeof s.provider === 'string' && nearestName(s.provider, Object.keys(PRESETS))
            ? `did you mean '${nearestName(s.provider, Object.keys(PRESETS))}'? (the presets are: ${Object.keys(PRESETS).join(', ')})`
            : `use one of: ${Object.keys(PRESETS).join(', ')}`,
      });
    }
    const imap = (s.imap ?? {}) as NonNullable<SeedDefinition['imap']> & Record<string, unknown>;
    if (typeof imap !== 'object') problems.push({ field: `${name}.imap`, message: 'must be an object', fix: 'imap: { passwordEnv: "SEED_X_PASSWORD" }' });
    if ('password' in imap || 'pass' in imap) {
      problems.push({
        field: `${name}.imap.password`,
        message: 'passwords must not be written in the seeds file',
        fix: 'put the password in .env and name its variable: imap: { passwordEnv: "SEED_GMAIL_PASSWORD" }',
      });
    }
    const preset: ProviderPreset = isPresetId(s.provider) ? PRESETS[s.provider] : PRESETS.custom;
    const oauth2 = resolveOAuth2(imap.oauth2, preset.oauth2, `${name}.imap.oauth2`, problems);
    const passwordEnv = imap.passwordEnv;
    if (imap.oauth2 === undefined || passwordEnv !== undefined) {
      if (typeof passwordEnv !== 'string' || !ENV_NAME.test(passwordEnv)) {
        problems.push({
          field: `${name}.imap.passwordEnv`,
          message: `${JSON.stringify(passwordEnv)} is not an environment variable name`,
          fix: preset.passwordAccepted
            ? 'name the variable in .env that holds the password, e.g. passwordEnv: "SEED_GMAIL_PASSWORD"'
            : `${preset.name} refuses passwords over IMAP: use imap: { oauth2: { clientIdEnv, refreshTokenEnv } } (see docs/providers/${preset.id}.md)`,
        });
      } else if (imap.oauth2 !== undefined) {
        problems.push({
          field: `${name}.imap`,
          message: 'sets both passwordEnv and oauth2',
          fix: 'keep one: oauth2 for Outlook/Microsoft 365, passwordEnv for an app password',
        });
      }
    }
    const caFile = imapCaFile(imap.caFile, env, `${name}.imap.caFile`, problems);
    const host = imap.host ?? preset.imap.host;
    if (!host) problems.push({ field: `${name}.imap.host`, message: 'is required for provider "custom"', fix: 'set imap: { host: "imap.example.org" }' });
    if (imap.port !== undefined && (!Number.isInteger(imap.port) || imap.port < 1 || imap.port > 65535)) {
      problems.push({
        field: `${name}.imap.port`,
        message: `${JSON.stringify(imap.port)} is not a port number`,
        fix: 'use 993 (implicit TLS) or 143 (STARTTLS)',
      });
    }
    if (s.timeoutSeconds !== undefined && (!Number.isFinite(s.timeoutSeconds) || s.timeoutSeconds <= 0)) {
      problems.push({
        field: `${name}.timeoutSeconds`,
        message: `${JSON.stringify(s.timeoutSeconds)} is not a positive number of seconds`,
        fix: 'e.g. timeoutSeconds: 300',
      });
    }
    if (s.promotions !== undefined && s.promotions !== 'inbox' && s.promotions !== 'regression') {
      problems.push({
        field: `${name}.promotions`,
        message: `${JSON.stringify(s.promotions)} is not 'inbox' or 'regression'`,
        fix: "promotions: 'regression' makes the gate report a message moved to Gmail's Promotions tab; 'inbox' (default) counts it as arrived",
      });
    }
    let expect: Seed['expect'] = { default: 'inbox' };
    if (s.expect !== undefined) {
      if (typeof s.expect === 'string') {
        if (isPlacement(s.expect)) expect = { default: s.expect };
        else problems.push({ field: `${name}.expect`, message: `'${s.expect}' is not a placement`, fix: 'use inbox, spam, missing or other-folder:<name>' });
      } else if (typeof s.expect === 'object' && s.expect) {
        for (const [variant, p] of Object.entries(s.expect)) {
          if (variant !== 'default' && !defaults.variants.includes(variant)) {
            problems.push({
              field: `${name}.expect.${variant}`,
              message: 'is not a message variant',
              fix: `use default or one of: ${defaults.variants.join(', ')}`,
            });
          } else if (!isPlacement(p)) {
            problems.push({
              field: `${name}.expect.${variant}`,
              message: `${JSON.stringify(p)} is not a placement`,
              fix: 'use inbox, spam, missing or other-folder:<name>',
            });
          } else expect[variant] = p;
        }
      } else problems.push({ field: `${name}.expect`, message: 'must be a placement or an object of placements per variant', fix: "e.g. expect: 'inbox'" });
    }
    const spam = s.folders?.spam;
    const spamFolders = spam === undefined ? [...preset.spamFolders] : Array.isArray(spam) ? spam : [spam];
    if (spamFolders.some((f) => typeof f !== 'string' || !f))
      problems.push({ field: `${name}.folders.spam`, message: 'must be a folder name or a list of names', fix: "e.g. folders: { spam: 'Spamverdacht' }" });
    for (const key of ['authservIds', 'requireAuth'] as const) {
      const v = s[key];
      if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string')))
        problems.push({ field: `${name}.${key}`, message: 'must be a list of strings', fix: `e.g. ${key}: ['…']` });
    }
    if (problems.length > before) return;
    const def = s as SeedDefinition;
    const missingEnv = oauth2 ? oauth2Missing(oauth2, env) : (env[def.imap!.passwordEnv!] ?? '') !== '' ? [] : [def.imap!.passwordEnv!];
    const skipReason = !missingEnv.length
      ? undefined
      : oauth2
        ? oauth2SkipReason(missingEnv, def.id, envFileLabel(env))
        : `no password: ${def.imap!.passwordEnv} is not set in ${envFileLabel(env)} (seed ${def.id} skipped)${nearHint(def.imap!.passwordEnv!, env, passwordNames(input))}`;
    const politeness = preset.politeness;
    seeds.push({
      id: def.id,
      address: def.address,
      provider: def.provider,
      providerName: preset.name,
      label: def.label,
      imap: {
        host,
        port: imap.port ?? preset.imap.port,
        secure: imap.secure ?? preset.imap.secure,
        user: imap.user ?? def.address,
        passwordEnv: oauth2 ? '' : def.imap!.passwordEnv!,
        allowPlaintextAuth: imap.allowPlaintextAuth ?? false,
        rejectUnauthorized: imap.rejectUnauthorized ?? true,
        ...(caFile ? { caFile } : {}),
        auth: oauth2 ? 'oauth2' : 'password',
        oauth2,
      },
      spamFolders,
      authservIds: def.authservIds ?? [...preset.authservIds],
      requireAuth: def.requireAuth ?? ['spf', 'dkim', 'dmarc'],
      expect,
      timeoutSeconds: def.timeoutSeconds ?? defaults.timeoutSeconds,
      promotionsRegression: def.promotions === 'regression',
      maxConnections: preset.maxConnections,
      pollIntervalMs: preset.pollIntervalMs,
      politeness,
      skipReason,
      ...(missingEnv.length ? { missingEnv } : {}),
    });
  });
  return { seeds, problems };
}

/** The password variables the seeds file names: another seed's is no misspelling. */
function passwordNames(input: unknown[]): string[] {
  return input.flatMap((d) => {
    const v = (d as { imap?: { passwordEnv?: unknown } } | null)?.imap?.passwordEnv;
    return typeof v === 'string' ? [v] : [];
  });
}

/** `; SEED_GMAIL_PASWORD is set: a misspelling of SEED_GMAIL_PASSWORD?` when a near name is set. */
function nearHint(name: string, env: Record<string, string | undefined>, others: string[]): string {
  const near = nearSetVariable(name, env, others);
  return near ? `; ${near} is set: a misspelling of ${name}?` : '';
}

export function expectedPlacement(seed: Seed, variant: string): Placement {
  return seed.expect[variant] ?? seed.expect.default;
}
