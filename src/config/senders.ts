import type { ConfigProblem } from './errors.ts';
import type { SenderDefinition } from './sender-definition.ts';
import { isAddress } from './sender.ts';
import { unknownSettingFix } from './nearest.ts';
import { ENV_NAME } from './env-name.ts';
import { envFileLabel } from './env-file.ts';

/**
 * A sender after validation: who the message is from, how it is submitted, and what the DNS
 * suite checks for its domain. Holds the submission password read from the variable the
 * senders file names; it is never logged and never written to a manifest or the history.
 */
export interface Sender {
  id: string;
  /** header From as written (`Name <a@b>` or `a@b`) */
  from: string;
  /** the address of the From header */
  address: string;
  /** lower-case domain of the From address: what receivers judge (RFC 7489 §3.1) */
  domain: string;
  /** MAIL FROM before tagging */
  envelopeFrom: string;
  login: { userEnv: string; passwordEnv: string; user?: string; pass?: string };
  dkimSelectors: string[];
  /** names of SMTP_PATHS entries; null = every path */
  paths: string[] | null;
  /** the server's own mail (root@ / MAILER-DAEMON@ the host name) */
  system: boolean;
  /** the one sender of the `.env` shorthand (MAIL_FROM, SMTP_USER, …): titles stay without a sender */
  shorthand: boolean;
}

type Env = Record<string, string | undefined>;

const ID = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
/** RFC 6376 §3.1: a selector is dot-separated sub-domains */
export const DKIM_SELECTOR = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/i;
const KNOWN = ['id', 'from', 'envelopeFrom', 'login', 'dkimSelectors', 'paths', 'system'];

/** The address of a From header value: `Name <a@b>`, `"Name" <a@b>` or `a@b` (RFC 5322 §3.4). */
export function fromAddress(from: string): string | null {
  const t = from.trim();
  const angle = /^(?:[^<>]*?)\s*<([^<>\s]+)>$/.exec(t);
  const address = angle ? angle[1] : t;
  return isAddress(address) ? address : null;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** MAILCANARY_DKIM_SELECTORS as a list (validated by the DNS suite's own settings too). */
export function defaultSelectors(env: Env): string[] {
  return (env.MAILCANARY_DKIM_SELECTORS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Validates a senders file's default export. Pure: every problem is returned, one per mistake,
 * so a bad file is fixed in one go and nothing is sent until it is right.
 * `pathNames` are the names SMTP_PATHS defines (empty when it is unset). `logins: false` is for a
 * stage that never submits (the DNS suite): the login variables are then only named, not required
 * to be set, so a DNS-only run needs no SMTP secret.
 */
export function resolveSenders(
  input: unknown,
  env: Env,
  pathNames: string[],
  opts: { logins?: boolean } = {},
): { senders: Sender[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  if (!Array.isArray(input)) {
    problems.push({
      field: 'senders',
      message: 'the senders file must export an array of senders (export default defineSenders([...]))',
      fix: 'see seeds/senders.example.ts for the format',
    });
    return { senders: [], problems };
  }
  if (input.length === 0)
    problems.push({
      field: 'senders',
      message: 'no senders are defined',
      fix: 'add at least one sender, or remove the senders file to send as MAIL_FROM',
    });
  const ids = new Set<string>();
  const froms = new Map<string, string>();
  const senders: Sender[] = [];
  input.forEach((raw: unknown, i: number) => {
    const at = `senders[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      problems.push({ field: at, message: 'is not an object', fix: "write each sender as { id: 'family', from: 'monitor@family.example' }" });
      return;
    }
    const s = raw as Partial<SenderDefinition> & Record<string, unknown>;
    const before = problems.length;
    // every problem of a sender carries the same label, `senders[0] (family)`, once its id is readable
    const name = typeof s.id === 'string' && ID.test(s.id) ? `${at} (${s.id})` : at;
    for (const key of Object.keys(s))
      if (!KNOWN.includes(key)) problems.push({ field: `${name}.${key}`, message: 'is not a sender setting', fix: unknownSettingFix(key, KNOWN) });
    if (typeof s.id !== 'string' || !ID.test(s.id))
      problems.push({
        field: `${at}.id`,
        message: `${JSON.stringify(s.id)} is not a valid id`,
        fix: "use lower-case letters, digits and dashes (at most 32), e.g. id: 'family'",
      });
    else if (ids.has(s.id)) problems.push({ field: `${at}.id`, message: `'${s.id}' is used by another sender`, fix: 'give every sender its own id' });
    else ids.add(s.id);

    const address = typeof s.from === 'string' ? fromAddress(s.from) : null;
    if (!address)
      problems.push({
        field: `${name}.from`,
        message: `${JSON.stringify(s.from)} is not an e-mail address`,
        fix: "write the From header as 'a@b' or 'Name <a@b>', e.g. from: 'Family <monitor@family.example>'",
      });
    else {
      const other = froms.get(address.toLowerCase());
      if (other)
        problems.push({ field: `${name}.from`, message: `${address} is also the From of sender '${other}'`, fix: 'give every sender its own From address' });
      else froms.set(address.toLowerCase(), String(s.id));
    }
    if (s.envelopeFrom !== undefined && (typeof s.envelopeFrom !== 'string' || !isAddress(s.envelopeFrom.trim())))
      problems.push({
        field: `${name}.envelopeFrom`,
        message: `${JSON.stringify(s.envelopeFrom)} is not an e-mail address`,
        fix: "set envelopeFrom: 'bounces@family.example' or leave it out to use the From address",
      });

    const login = resolveLogin(s.login, env, `${name}.login`, problems, opts.logins !== false);
    const dkimSelectors = resolveSelectors(s.dkimSelectors, env, `${name}.dkimSelectors`, problems);
    const paths = resolvePaths(s.paths, pathNames, `${name}.paths`, problems);
    if (s.system !== undefined && typeof s.system !== 'boolean')
      problems.push({
        field: `${name}.system`,
        message: `${JSON.stringify(s.system)} is not true or false`,
        fix: 'system: true marks mail the server writes itself',
      });
    const helo = env.MAILCANARY_HELO?.trim().toLowerCase().replace(/\.$/, '');
    if (s.system === true && address && helo && domainOf(address) !== helo)
      problems.push({
        field: `${name}.from`,
        message: `system mail comes from the host name ${helo} (MAILCANARY_HELO), not ${domainOf(address)}`,
        fix: `write from: 'root@${helo}' (cron, watchdogs) or 'MAILER-DAEMON@${helo}' (bounces)`,
      });
    if (problems.length > before || !address || !login) return;
    senders.push({
      id: s.id as string,
      from: (s.from as string).trim(),
      address,
      domain: domainOf(address),
      envelopeFrom: (s.envelopeFrom as string | undefined)?.trim() || address,
      login,
      dkimSelectors,
      paths,
      system: s.system === true,
      shorthand: false,
    });
  });
  return { senders, problems };
}

function resolveLogin(raw: unknown, env: Env, at: string, problems: ConfigProblem[], required: boolean): Sender['login'] | null {
  if (raw === undefined) return { userEnv: 'SMTP_USER', passwordEnv: 'SMTP_PASS', user: env.SMTP_USER?.trim() || undefined, pass: env.SMTP_PASS };
  if (typeof raw !== 'object' || raw === null) {
    problems.push({ field: at, message: 'must be an object', fix: "login: { userEnv: 'SMTP_FAMILY_USER', passwordEnv: 'SMTP_FAMILY_PASS' }" });
    return null;
  }
  const o = raw as Record<string, unknown>;
  const before = problems.length;
  for (const k of ['user', 'pass', 'password'])
    if (k in o)
      problems.push({
        field: `${at}.${k}`,
        message: 'logins and passwords must not be written in the senders file',
        fix: `put the value in .env and name its variable: login: { userEnv: 'SMTP_FAMILY_USER', passwordEnv: 'SMTP_FAMILY_PASS' }`,
      });
  for (const k of Object.keys(o))
    if (!['userEnv', 'passwordEnv', 'user', 'pass', 'password'].includes(k))
      problems.push({ field: `${at}.${k}`, message: 'is not a login setting', fix: unknownSettingFix(k, ['userEnv', 'passwordEnv']) });
  for (const k of ['userEnv', 'passwordEnv'] as const) {
    const v = o[k];
    if (typeof v !== 'string' || !ENV_NAME.test(v))
      problems.push({
        field: `${at}.${k}`,
        message: `${JSON.stringify(v)} is not an environment variable name`,
        fix: `name the variable in .env, e.g. ${k}: '${k === 'userEnv' ? 'SMTP_FAMILY_USER' : 'SMTP_FAMILY_PASS'}'`,
      });
    else if (required && (env[v] ?? '') === '')
      problems.push({
        field: `${at}.${k}`,
        message: `${v} is not set`,
        fix: `set ${v} in ${envFileLabel(env)} (the submission ${k === 'userEnv' ? 'login' : 'password'} of this sender)`,
      });
  }
  if (problems.length > before) return null;
  const userEnv = o.userEnv as string;
  const passwordEnv = o.passwordEnv as string;
  return { userEnv, passwordEnv, user: env[userEnv]?.trim() || undefined, pass: env[passwordEnv] };
}

function resolveSelectors(raw: unknown, env: Env, at: string, problems: ConfigProblem[]): string[] {
  if (raw === undefined) return defaultSelectors(env);
  if (!Array.isArray(raw)) {
    problems.push({ field: at, message: 'must be a list of selectors', fix: "e.g. dkimSelectors: ['mail2026']" });
    return [];
  }
  for (const s of raw)
    if (typeof s !== 'string' || !DKIM_SELECTOR.test(s))
      problems.push({
        field: at,
        message: `${JSON.stringify(s)} is not a DKIM selector (letters, digits, "-", "_", dots; RFC 6376 §3.1)`,
        fix: "write the s= value of your DKIM-Signature, e.g. dkimSelectors: ['mail2026', 'ed']",
      });
  return raw.filter((s): s is string => typeof s === 'string');
}

function resolvePaths(raw: unknown, pathNames: string[], at: string, problems: ConfigProblem[]): string[] | null {
  if (raw === undefined) return null;
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push({ field: at, message: 'must be a non-empty list of SMTP_PATHS names', fix: "e.g. paths: ['ipv4'], or leave it out for every path" });
    return null;
  }
  for (const p of raw)
    if (typeof p !== 'string' || !pathNames.includes(p))
      problems.push({
        field: at,
        message: `${JSON.stringify(p)} is not a submission path`,
        fix: pathNames.length
          ? `use one of the SMTP_PATHS names: ${pathNames.join(', ')}`
          : 'SMTP_PATHS is not set: name the paths there first, or leave paths out',
      });
  return raw.filter((p): p is string => typeof p === 'string');
}

/** The `.env` shorthand: MAIL_FROM, ENVELOPE_FROM, SMTP_USER / SMTP_PASS, MAILCANARY_DKIM_SELECTORS (validated by loadConfig). */
export function shorthandSender(env: Env): Sender | null {
  const address = fromAddress(env.MAIL_FROM ?? '');
  if (!address) return null;
  return {
    id: 'default',
    from: (env.MAIL_FROM ?? '').trim(),
    address,
    domain: domainOf(address),
    envelopeFrom: env.ENVELOPE_FROM?.trim() || address,
    login: { userEnv: 'SMTP_USER', passwordEnv: 'SMTP_PASS', user: env.SMTP_USER?.trim() || undefined, pass: env.SMTP_PASS },
    dkimSelectors: defaultSelectors(env),
    paths: null,
    system: false,
    shorthand: true,
  };
}
