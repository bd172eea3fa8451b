import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type ConfigProblem } from './errors.ts';
import { importDefault } from './import-default.ts';
import { smtpPathsFromEnv } from './paths.ts';
import { resolveSenders, shorthandSender, type Sender } from './senders.ts';
import { envFileLabel } from './env-file.ts';

type Env = Record<string, string | undefined>;

/** The senders file in use: MAILCANARY_SENDERS, else `seeds/senders.ts` when it exists, else none (the `.env` shorthand). */
export function sendersFile(root: string, env: Env): string | null {
  const named = env.MAILCANARY_SENDERS?.trim();
  if (named) return path.resolve(root, named);
  const file = path.resolve(root, 'seeds/senders.ts');
  return existsSync(file) ? file : null;
}

/**
 * Reads and validates the senders: the senders file, or the one sender of MAIL_FROM & co.
 * Returns every problem found (field names carry the file), so loadConfig reports them with the rest.
 */
export async function readSenders(
  root: string,
  env: Env,
  opts: { logins?: boolean } = {},
): Promise<{ senders: Sender[]; file: string | null; problems: ConfigProblem[] }> {
  const file = sendersFile(root, env);
  if (!file) {
    const one = shorthandSender(env);
    return { senders: one ? [one] : [], file: null, problems: [] };
  }
  if (!existsSync(file))
    return {
      senders: [],
      file,
      problems: [
        {
          field: 'MAILCANARY_SENDERS',
          message: `senders file ${file} does not exist`,
          fix: 'point MAILCANARY_SENDERS at your senders file (see seeds/senders.example.ts), or unset it to send as MAIL_FROM',
        },
      ],
    };
  const loaded = await importDefault(file);
  const rel = path.relative(root, file);
  if ('error' in loaded)
    return {
      senders: [],
      file,
      problems: [
        {
          field: rel,
          message: `cannot be loaded: ${loaded.error}`,
          fix: loaded.fix ?? 'fix the syntax of the senders file; it must `export default defineSenders([...])`',
        },
      ],
    };
  // path names only: SMTP_PATHS itself is validated with the submission settings
  const pathNames = smtpPathsFromEnv(env.SMTP_PATHS, { host: env.SMTP_HOST ?? '', port: 587 }, [])
    .map((p) => p.name)
    .filter((n): n is string => !!n);
  const resolved = resolveSenders(loaded.value, env, pathNames, opts);
  return { senders: resolved.senders, file, problems: resolved.problems.map((p) => ({ ...p, field: `${rel}: ${p.field}` })) };
}

/**
 * The senders of this run, each with its domain, for any stage that needs them on its own (the
 * DNS suite checks each sender's domain). Throws one ConfigError listing every mistake.
 */
export async function loadSenders(env: Env = process.env, root = process.cwd(), opts: { logins?: boolean } = {}): Promise<Sender[]> {
  const { senders, file, problems } = await readSenders(root, env, opts);
  if (!file && !senders.length)
    problems.push({
      field: 'MAIL_FROM',
      message: 'is not set (or not an e-mail address) and there is no senders file',
      fix: `set MAIL_FROM=monitor@example.org in ${envFileLabel(env)}, or list your senders in seeds/senders.ts (see seeds/senders.example.ts)`,
    });
  if (problems.length) throw new ConfigError(problems);
  return senders;
}
