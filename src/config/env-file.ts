/**
 * The env file mailcanary reads: MAILCANARY_ENV_FILE, else `.env` in the working directory.
 * Fixes name the file actually read, and every line dotenv cannot read is a problem of its own:
 * dotenv drops such a line without a word, and the variable then reads as "not set".
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConfigProblem } from './errors.ts';

type Env = Record<string, string | undefined>;

export function envFilePath(env: Env = process.env, root = process.cwd()): string {
  return path.resolve(root, env.MAILCANARY_ENV_FILE || '.env');
}

/** The env file as fixes name it: relative to the working directory when inside it. */
export function envFileLabel(env: Env = process.env, root = process.cwd()): string {
  return env.MAILCANARY_ENV_FILE ? displayPath(envFilePath(env, root)) : '.env';
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `NAME=value`, `export NAME=value` and `NAME: value`, as dotenv reads them. */
const ASSIGNMENT = /^\s*(?:export\s+)?[\w.-]+(?:\s*=|:\s|:$)/;
/** a quoted value that opens on this line and does not close on it continues on the next ones */
const OPENS_QUOTE = /^\s*(?:export\s+)?[\w.-]+(?:\s*=|:)\s*(["'`])/;

/**
 * Every line of the env file that is neither `NAME=value`, a comment nor blank. The value of a
 * line is never quoted back: the line may hold a password.
 */
export function envFileProblems(env: Env = process.env, root = process.cwd()): ConfigProblem[] {
  const file = envFilePath(env, root);
  if (!existsSync(file)) return [];
  const label = displayPath(file);
  const problems: ConfigProblem[] = [];
  let openQuote: string | null = null;
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (openQuote) {
        if (line.includes(openQuote)) openQuote = null;
        return;
      }
      const t = line.trim();
      if (!t || t.startsWith('#')) return;
      if (ASSIGNMENT.test(line)) {
        const q = OPENS_QUOTE.exec(line)?.[1];
        const after = q ? line.slice(line.indexOf(q) + 1) : '';
        if (q && !after.includes(q)) openQuote = q;
        return;
      }
      const name = /^(?:export\s+)?([A-Za-z_][\w.-]*)\b/.exec(t)?.[1];
      problems.push({
        field: `${label} line ${i + 1}`,
        message: name ? `'${name} …' is not NAME=value: the line is ignored, so ${name} is not set from it` : 'is not NAME=value: the line is ignored',
        fix: name
          ? `write it as ${name}=<value> (an = between the name and the value, no space before it)`
          : 'write it as NAME=value, or start it with # to make it a comment',
      });
    });
  return problems;
}
