import { existsSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { ConfigError, type ConfigProblem } from './errors.ts';
import { envFilePath, envFileProblems } from './env-file.ts';
import { senderConfigFromEnv, type SenderConfig } from './sender.ts';
import { resolveSeeds, type Seed } from './seeds.ts';
import { importDefault } from './import-default.ts';
import { readSenders } from './load-senders.ts';
import type { Sender } from './senders.ts';
import { VARIANT_NAMES, DEFAULT_VARIANTS } from '../send/index.ts';
import { parseScorerSetting, type ScorerSetting } from '../score/index.ts';
import { parseGateMode } from '../gate/index.ts';

export interface MailcanaryConfig {
  sender: SenderConfig;
  /** who the run sends as: the senders file, or the one sender of MAIL_FROM & co. */
  senders: Sender[];
  /** path of the senders file in use; null for the `.env` shorthand */
  sendersFile: string | null;
  seeds: Seed[];
  variants: string[];
  /** MAILCANARY_SCORER: the local content scorer, or null (off) */
  scorer: ScorerSetting | null;
  /** where run manifests and results are kept */
  stateDir: string;
  /** path of the seeds file in use */
  seedsFile: string;
}

/**
 * Loads `.env` (or MAILCANARY_ENV_FILE) into process.env without overriding variables
 * already set, so CI secrets and the command line win over the file.
 */
export function loadEnvFile(root = process.cwd()): string | null {
  const file = envFilePath(process.env, root);
  if (!existsSync(file)) {
    if (process.env.MAILCANARY_ENV_FILE) {
      throw new ConfigError([
        { field: 'MAILCANARY_ENV_FILE', message: `${file} does not exist`, fix: 'point MAILCANARY_ENV_FILE at your env file or unset it to use .env' },
      ]);
    }
    return null;
  }
  dotenv.config({ path: file, quiet: true });
  return file;
}

/**
 * Reads and validates everything a run needs, before anything is sent.
 * Throws one ConfigError that lists every problem with its fix.
 */
export async function loadConfig(root = process.cwd(), env: Record<string, string | undefined> = process.env): Promise<MailcanaryConfig> {
  // a line of the env file dotenv could not read first: the "not set" problems below may follow from it
  const problems: ConfigProblem[] = [...envFileProblems(env, root)];
  const { config: sender, problems: senderProblems } = senderConfigFromEnv(env);
  const senders = await readSenders(root, env);
  // with a senders file, MAIL_FROM and ENVELOPE_FROM are not used: the file names every From
  problems.push(...(senders.file ? senderProblems.filter((p) => p.field !== 'MAIL_FROM' && p.field !== 'ENVELOPE_FROM') : senderProblems));
  problems.push(...senders.problems);

  let variants: string[] = [...DEFAULT_VARIANTS];
  if (sender.variants) {
    const unknown = sender.variants.filter((v) => !VARIANT_NAMES.includes(v));
    if (unknown.length)
      problems.push({
        field: 'MAILCANARY_VARIANTS',
        message: `unknown variant(s): ${unknown.join(', ')}`,
        fix: `use a comma list of: ${VARIANT_NAMES.join(', ')}`,
      });
    else variants = sender.variants;
  }

  const gate = parseGateMode(env.MAILCANARY_GATE);
  if ('error' in gate) problems.push({ field: 'MAILCANARY_GATE', message: gate.error, fix: gate.fix });

  const scorerSetting = parseScorerSetting(env.MAILCANARY_SCORER);
  if ('error' in scorerSetting) problems.push({ field: 'MAILCANARY_SCORER', message: scorerSetting.error, fix: scorerSetting.fix });

  const seedsFile = path.resolve(root, env.MAILCANARY_SEEDS || 'seeds/seeds.ts');
  let seeds: Seed[] = [];
  if (!existsSync(seedsFile)) {
    problems.push({
      field: 'MAILCANARY_SEEDS',
      message: `seeds file ${seedsFile} does not exist`,
      fix: 'create seeds/seeds.ts (see README) or point MAILCANARY_SEEDS at your seeds file',
    });
  } else {
    const loaded = await importDefault(seedsFile);
    if ('error' in loaded)
      problems.push({
        field: seedsFile,
        message: `cannot be loaded: ${loaded.error}`,
        fix: loaded.fix ?? 'fix the syntax of the seeds file; it must `export default defineSeeds([...])`',
      });
    else {
      const exported = loaded.value;
      // expectations may name any known variant, also one not selected for this run
      const resolved = resolveSeeds(exported, env, { timeoutSeconds: sender.timeoutSeconds, variants: [...VARIANT_NAMES] });
      problems.push(...resolved.problems.map((p) => ({ ...p, field: `${path.relative(root, seedsFile)}: ${p.field}` })));
      seeds = resolved.seeds;
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    sender,
    senders: senders.senders,
    sendersFile: senders.file,
    seeds,
    variants,
    scorer: 'setting' in scorerSetting ? scorerSetting.setting : null,
    stateDir: path.resolve(root, env.MAILCANARY_STATE_DIR || '.mailcanary'),
    seedsFile,
  };
}
