/**
 * The lab for a bench: started when it is not running (and stopped again at the end), scenario
 * `healthy`, and the lab's `.env` loaded so the library sees the same settings as the suite.
 * Ports and state dir come from the MAILCANARY_LAB_* variables (lab/topology.ts), so a bench can
 * run against a private lab instance.
 */
import path from 'node:path';
import { labStatus, setScenario, startLab, stopLab } from '../../lab/index.ts';
import { LAB_ENV_FILE, ROOT } from '../../lab/suite-runner.ts';
import { loadConfig, loadEnvFile, type MailcanaryConfig } from '../../src/config/load.ts';

export async function openLab(): Promise<{ close: () => Promise<void> }> {
  const wasRunning = (await labStatus()).healthy;
  if (!wasRunning) await startLab({ log: (l) => console.error(`  lab: ${l}`) });
  await setScenario('healthy');
  return { close: async () => (wasRunning ? undefined : stopLab()) };
}

/** The configuration the suite would load with this seeds file (env wins over lab.env). */
export async function labConfig(seedsFile: string, variants?: string): Promise<MailcanaryConfig> {
  process.env.MAILCANARY_ENV_FILE ??= LAB_ENV_FILE;
  loadEnvFile(ROOT);
  return loadConfig(ROOT, { ...process.env, MAILCANARY_SEEDS: path.resolve(seedsFile), ...(variants ? { MAILCANARY_VARIANTS: variants } : {}) });
}
