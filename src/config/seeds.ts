import { readFileSync } from 'node:fs';
import type { Placement } from '../model.ts';
import type { SeedDefinition } from './seed-definition.ts';
import { PRESETS, isPresetId, type PresetId, type ProviderPreset } from '../knowledge/providers.ts';
import { OAUTH_PROVIDERS, isOAuthProviderId } from '../auth/index.ts';
import type { ConfigProblem } from './errors.ts';
import { isAddress } from './sender.ts';
import { nearSetVariable, nearestName, unknownSettingFix } from './nearest.ts';
import { envFileLabel } from './env-file.ts';

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

/** OAuth2 sign-in of a seed: env variable names and the token endpoint; no secret. */
export interface SeedOAuth2 {
  tokenUrl: string;
  /** endpoint set the token URL came from (`microsoft`, `google`) or `custom` */
  provider: string;
  clientIdEnv: string;
  clientSecretEnv?: string;
  refreshTokenEnv: string;
  scope?: string;
}

const ID = /^[a-z0-9][a-z0-9_-]{0,39}$/i;
const SEED_SETTINGS = ['id', 'address', 'provider', 'imap', 'folders', 'expect', 'timeoutSeconds', 'authservIds', 'requireAuth', 'label', 'promotions'];
/** values that belong in .env: written in the seeds file they are refused with the name of their variable */
const SECRET_KEYS = ['clientSecret', 'refreshToken', 'accessToken', 'clientId'];
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

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

/**
 * An IMAP account's extra CA: its own setting (`imap.caFile` of a seed, `<PREFIX>_IMAP_CA_FILE` of
 * the bounce or report mailbox), else MAILCANARY_IMAP_CA_FILE (for every mailbox on a server with
 * a private CA). The file must exist and hold a PEM certificate.
 */
export function imapCaFile(own: unknown, env: Record<string, string | undefined>, field: string, problems: ConfigProblem[]): string | undefined {
  const fromEnv = env.MAILCANARY_IMAP_CA_FILE?.trim() || undefined;
  if (own !== undefined && (typeof own !== 'string' || !own.trim())) {
    problems.push({
      field,
      message: `${JSON.stringify(own)} is not a file name`,
      fix: "point it at the PEM file of the server's private CA, e.g. imap: { caFile: '/etc/ssl/private-ca.pem' }",
    });
    return undefined;
  }
  const file = (own as string | undefined)?.trim() ?? fromEnv;
  if (!file) return undefined;
  const at = own !== undefined ? field : 'MAILCANARY_IMAP_CA_FILE';
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    problems.push({
      field: at,
      message: `cannot read ${file}`,
      fix: "point it at the PEM file of the IMAP server's private CA, or remove it to trust the system CAs only",
    });
    return undefined;
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    problems.push({
      field: at,
      message: `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
      fix: 'use the CA certificate in PEM form (openssl x509 -in ca.der -inform der -out ca.pem)',
    });
  return file;
}

function resolveOAuth2(raw: unknown, presetDefault: string | undefined, at: string, problems: ConfigProblem[]): SeedOAuth2 | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null) {
    problems.push({
      field: at,
      message: 'must be an object',
      fix: 'oauth2: { clientIdEnv: "OUTLOOK_CLIENT_ID", refreshTokenEnv: "SEED_OUTLOOK_REFRESH_TOKEN" }',
    });
    return undefined;
  }
  const o = raw as Record<string, unknown>;
  const before = problems.length;
  const known = ['provider', 'tokenUrl', 'clientIdEnv', 'clientSecretEnv', 'refreshTokenEnv', 'scope'];
  for (const k of Object.keys(o))
    if (!known.includes(k)) problems.push({ field: `${at}.${k}`, message: 'is not an oauth2 setting', fix: unknownSettingFix(k, known) });
  for (const k of SECRET_KEYS) {
    if (k in o)
      problems.push({
        field: `${at}.${k}`,
        message: 'secrets and ids must not be written in the seeds file',
        fix: `put the value in .env and name its variable with ${k}Env`,
      });
  }
  for (const k of ['clientIdEnv', 'refreshTokenEnv', 'clientSecretEnv'] as const) {
    const v = o[k];
    if (v === undefined && k === 'clientSecretEnv') continue;
    if (typeof v !== 'string' || !ENV_NAME.test(v))
      problems.push({
        field: `${at}.${k}`,
        message: `${JSON.stringify(v)} is not an environment variable name`,
        fix: `e.g. ${k}: "SEED_OUTLOOK_${k === 'clientIdEnv' ? 'CLIENT_ID' : k === 'refreshTokenEnv' ? 'REFRESH_TOKEN' : 'CLIENT_SECRET'}"`,
      });
  }
  const providerId = o.provider ?? (o.tokenUrl === undefined ? presetDefault : undefined);
  let tokenUrl = typeof o.tokenUrl === 'string' ? o.tokenUrl : undefined;
  let scope = typeof o.scope === 'string' ? o.scope : undefined;
  if (providerId !== undefined) {
    if (!isOAuthProviderId(providerId)) {
      problems.push({
        field: `${at}.provider`,
        message: `${JSON.stringify(providerId)} is not a known OAuth2 provider`,
        fix: `use ${Object.keys(OAUTH_PROVIDERS).join(' or ')}, or set tokenUrl`,
      });
    } else {
      tokenUrl ??= OAUTH_PROVIDERS[providerId].tokenUrl;
      scope ??= OAUTH_PROVIDERS[providerId].scope;
    }
  }
  if (tokenUrl === undefined) {
    if (providerId === undefined)
      problems.push({
        field: `${at}.tokenUrl`,
        message: 'is required: this provider has no default OAuth2 endpoint',
        fix: 'set provider: "microsoft" | "google" or tokenUrl: "https://…/token"',
      });
  } else {
    try {
      const u = new URL(tokenUrl);
      const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(u.hostname);
      if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
        problems.push({
          field: `${at}.tokenUrl`,
          message: `${u.origin} is not https`,
          fix: 'token endpoints must use https (plain http is allowed on loopback only, for the lab)',
        });
      }
    } catch {
      problems.push({
        field: `${at}.tokenUrl`,
        message: `${JSON.stringify(tokenUrl)} is not a URL`,
        fix: 'e.g. https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token',
      });
    }
  }
  if (problems.length > before) return undefined;
  return {
    tokenUrl: tokenUrl!,
    provider: typeof providerId === 'string' ? providerId : 'custom',
    clientIdEnv: o.clientIdEnv as string,
    clientSecretEnv: o.clientSecretEnv as string | undefined,
    refreshTokenEnv: o.refreshTokenEnv as string,
    scope,
  };
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

function oauth2Missing(o: SeedOAuth2, env: Record<string, string | undefined>): string[] {
  const needed = [o.clientIdEnv, o.refreshTokenEnv];
  if (o.clientSecretEnv) needed.push(o.clientSecretEnv);
  return needed.filter((n) => (env[n] ?? '') === '');
}

function oauth2SkipReason(missing: string[], id: string, envFile: string): string {
  return `no OAuth2 credentials: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set in ${envFile} (seed ${id} skipped; run \`npm run oauth:setup -- --seed ${id}\`)`;
}

export function expectedPlacement(seed: Seed, variant: string): Placement {
  return seed.expect[variant] ?? seed.expect.default;
}
