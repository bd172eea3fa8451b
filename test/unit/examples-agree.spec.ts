/**
 * The examples, `.env.example`, the docs and the default seeds file agree with the code: a user who
 * copies an example gets a run in which every default seed has its secret, every variable an
 * example passes or a file documents is one the code reads, and every variable the code reads is
 * documented. Each failure names the variable and the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import defaultSeeds from '../../seeds/seeds.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');
const filesUnder = (rel: string, ext: RegExp): string[] =>
  readdirSync(path.join(root, rel), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && ext.test(d.name))
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
    .sort();

/** mailcanary's own variables; others (CI) belong to the tools around it. */
const OURS = /^(?:SEED|MAILCANARY|SMTP|BOUNCE|ENVELOPE)_[A-Z0-9_]+$|^MAIL_FROM$/;
/** read by the code but not mailcanary settings: Playwright's CI convention (forbidOnly), and the index Playwright gives each of its workers */
const FOREIGN = new Set(['CI', 'TEST_WORKER_INDEX']);
const NAME = String.raw`[A-Z][A-Z0-9_]*`;

/** Every variable the default seeds file names, with where it names it. */
function seedVariables(): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of defaultSeeds) {
    if (s.imap?.passwordEnv) out.set(s.imap.passwordEnv, `seed ${s.id}, imap.passwordEnv`);
    for (const k of ['clientIdEnv', 'clientSecretEnv', 'refreshTokenEnv'] as const) {
      const v = s.imap?.oauth2?.[k];
      if (v) out.set(v, `seed ${s.id}, imap.oauth2.${k}`);
    }
  }
  return out;
}

const CODE_DIRS = ['src', 'suites', 'seeds', 'reporters', 'scripts'];
/**
 * Variables the code reads: `process.env.X`, `env.X`, `env['X']`, and a helper given one of our
 * names (`int(env, 'SMTP_PORT', …)`, `addr('MAILCANARY_RELAY_PROBE_RCPT', …)`), plus the names the
 * default seeds file gives (read through the seed definitions).
 */
function codeReads(): Map<string, string> {
  const out = new Map<string, string>();
  const patterns = [
    new RegExp(String.raw`\b(?:process\.env|env)\.(${NAME})\b`, 'g'),
    new RegExp(String.raw`\b(?:process\.env|env)\[\s*(['"\`])(${NAME})\1\s*\]`, 'g'),
    new RegExp(String.raw`\b[A-Za-z_$][\w$]*\(\s*(?:env\s*,\s*)?(['"\`])(${NAME})\1\s*[,)]`, 'g'),
  ];
  const files = [...CODE_DIRS.flatMap((d) => filesUnder(d, /\.ts$/)), 'playwright.config.ts'];
  for (const f of files) {
    const text = read(f);
    for (const [i, re] of patterns.entries()) {
      for (const m of text.matchAll(re)) {
        const name = m[m.length - 1];
        // a helper's literal argument counts only in our namespace: exec('COMMIT') reads no variable
        if ((i < 2 || OURS.test(name)) && !out.has(name)) out.set(name, f);
      }
    }
  }
  for (const [name, where] of seedVariables()) if (!out.has(name)) out.set(name, `seeds/seeds.ts (${where})`);
  return out;
}

/** Variables a seeds or senders snippet in the docs declares (`passwordEnv: 'SEED_YAHOO_PASSWORD'`, `userEnv`): names the user picks. */
function snippetVariables(): Set<string> {
  const out = new Set<string>();
  for (const f of ['README.md', ...filesUnder('docs', /\.md$/)]) {
    for (const m of read(f).matchAll(
      new RegExp(String.raw`\b(?:passwordEnv|userEnv|clientIdEnv|clientSecretEnv|refreshTokenEnv)\s*:\s*(['"])(${NAME})\1`, 'g'),
    ))
      out.add(m[2]);
  }
  return out;
}

/** Keys of every `env:` mapping in a GitHub Actions workflow, with the value each is given. */
function workflowEnv(rel: string): Map<string, string> {
  const lines = read(rel).split('\n');
  const out = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)env:\s*(?:#.*)?$/.exec(lines[i]);
    if (!head) continue;
    let childIndent: number | undefined;
    for (let j = i + 1; j < lines.length; j++) {
      if (/^\s*(?:#.*)?$/.test(lines[j])) continue;
      const indent = /^\s*/.exec(lines[j])![0].length;
      if (indent <= head[1].length) break;
      childIndent ??= indent;
      if (indent !== childIndent) continue;
      const kv = /^\s*([A-Za-z_][A-Za-z0-9_]*):\s*(.*?)\s*$/.exec(lines[j]);
      expect(kv, `${rel}:${j + 1}: cannot read this env entry: ${lines[j]}`).not.toBeNull();
      out.set(kv![1], kv![2]);
    }
  }
  return out;
}

/** `NAME=value` lines of an env file; commented lines (`#NAME=`) list a variable without setting it. */
function envFile(rel: string): { set: Set<string>; listed: Set<string> } {
  const set = new Set<string>();
  const listed = new Set<string>();
  for (const line of read(rel).split('\n')) {
    const m = new RegExp(String.raw`^(#\s*)?(${NAME})=`).exec(line.trim());
    if (!m) continue;
    listed.add(m[2]);
    if (!m[1]) set.add(m[2]);
  }
  return { set, listed };
}

/** Names in README's `.env` table (first column; the `SEED_…_PASSWORD` row is a placeholder, not a name). */
function readmeTable(): Set<string> {
  const text = read('README.md');
  const start = text.indexOf('### `.env` variables');
  expect(start, 'README.md has no "### `.env` variables" section').toBeGreaterThan(-1);
  const section = text.slice(start, text.indexOf('\n#', start + 5));
  const names = new Set<string>();
  for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
    for (const m of row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1]);
  }
  expect(names.size, 'README.md: the `.env` table lists no variables').toBeGreaterThan(20);
  return names;
}

const WORKFLOWS = filesUnder('examples/github-actions', /\.ya?ml$/);
const SYSTEMD_ENV = 'examples/systemd/mailcanary.env.example';
const SYSTEMD_UNIT = 'examples/systemd/mailcanary.service';

/** Variables the unit's `Environment=` lines set. */
const unitEnv = (): Set<string> => new Set([...read(SYSTEMD_UNIT).matchAll(new RegExp(String.raw`^Environment=(${NAME})=`, 'gm'))].map((m) => m[1]));
/** What a systemd user passes: the EnvironmentFile plus the unit's `Environment=` lines. */
const systemdPassed = (): Set<string> => new Set([...envFile(SYSTEMD_ENV).set, ...unitEnv()]);

test('the agreement checks have something to check: the seeds name variables, the workflows exist', () => {
  expect(seedVariables().size, 'seeds/seeds.ts names no variable').toBeGreaterThan(0);
  expect(WORKFLOWS.length, 'no workflow in examples/github-actions').toBeGreaterThan(0);
});

test('every variable the default seeds file names is passed by each example and listed in .env.example', () => {
  const problems: string[] = [];
  const examples: Array<[string, Set<string>]> = [
    ...WORKFLOWS.map((f) => [f, new Set(workflowEnv(f).keys())] as [string, Set<string>]),
    [`${SYSTEMD_ENV} (with ${SYSTEMD_UNIT})`, systemdPassed()],
  ];
  const dotenv = envFile('.env.example').listed;
  for (const [name, where] of seedVariables()) {
    for (const [file, passed] of examples) if (!passed.has(name)) problems.push(`${file} does not pass ${name} (seeds/seeds.ts: ${where})`);
    if (!dotenv.has(name)) problems.push(`.env.example does not list ${name} (seeds/seeds.ts: ${where})`);
  }
  expect(problems).toEqual([]);
});

test('every mailcanary variable an example passes or .env.example lists is read by the code', () => {
  const reads = codeReads();
  const problems: string[] = [];
  const check = (file: string, names: Iterable<string>) => {
    for (const n of names)
      if (OURS.test(n) && !reads.has(n)) problems.push(`${file} sets ${n}, but nothing in ${CODE_DIRS.join('/, ')}/ or playwright.config.ts reads it`);
  };
  for (const f of WORKFLOWS) check(f, workflowEnv(f).keys());
  check(SYSTEMD_ENV, envFile(SYSTEMD_ENV).listed);
  check(SYSTEMD_UNIT, unitEnv());
  check('.env.example', envFile('.env.example').listed);
  check('README.md (the .env table)', readmeTable());
  expect(problems).toEqual([]);
});

test('a workflow fills each variable from the secret or repository variable of the same name', () => {
  const problems: string[] = [];
  for (const f of WORKFLOWS) {
    for (const [key, value] of workflowEnv(f)) {
      // the first reference names the secret users create; later ones are fallbacks (`|| secrets.SMTP_PASS`)
      const m = /\b(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)/.exec(value);
      if (m && m[2] !== key)
        problems.push(
          `${f}: ${key} is given ${m[1]}.${m[2]}; name the ${m[1] === 'secrets' ? 'secret' : 'variable'} ${key}, as the header of the file tells users to create it`,
        );
    }
  }
  expect(problems).toEqual([]);
});

test("every variable the code reads is documented in README.md's table or .env.example", () => {
  const table = readmeTable();
  const dotenv = envFile('.env.example').listed;
  const problems: string[] = [];
  for (const [name, file] of codeReads()) {
    if (!FOREIGN.has(name) && !table.has(name) && !dotenv.has(name))
      problems.push(`${name} is read by ${file} but documented neither in README.md's .env table nor in .env.example`);
  }
  expect(problems).toEqual([]);
});

test('every mailcanary variable the docs and examples mention is read by the code or declared by a seeds snippet', () => {
  const reads = codeReads();
  const declared = snippetVariables();
  const files = ['README.md', 'RELIABILITY.md', ...filesUnder('docs', /\.md$/), ...filesUnder('examples', /./)];
  const problems: string[] = [];
  for (const f of files) {
    for (const m of read(f).matchAll(/\b(?:SEED|MAILCANARY|SMTP|BOUNCE|ENVELOPE)_[A-Z0-9_]*[A-Z0-9]\b|\bMAIL_FROM\b/g)) {
      const n = m[0];
      if (!reads.has(n) && !declared.has(n)) problems.push(`${f} mentions ${n}, which no code reads and no seeds snippet declares`);
    }
  }
  expect([...new Set(problems)]).toEqual([]);
});

test('each provider page names the same variables as the default seeds file', () => {
  const problems: string[] = [];
  for (const s of defaultSeeds) {
    const page = `docs/providers/${s.provider}.md`;
    const names = [s.imap?.passwordEnv, s.imap?.oauth2?.clientIdEnv, s.imap?.oauth2?.refreshTokenEnv].filter((x): x is string => !!x);
    for (const n of names) if (!read(page).includes(n)) problems.push(`${page} does not name ${n}, which seeds/seeds.ts gives seed ${s.id}`);
  }
  expect(problems).toEqual([]);
});
