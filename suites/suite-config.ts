import { loadConfig, type MailcanaryConfig } from '../src/config/load.ts';
import { ConfigError } from '../src/config/errors.ts';

/** the text of the ConfigError this process already threw while loading a suite file */
let reported: string | undefined;

/**
 * The run's configuration for a suite file that builds its tests from it. Playwright loads every
 * suite file before it runs any, and one file's error stops the whole run; so an invalid
 * configuration is thrown by the first file only, and a later file of the same process that
 * meets the same problems gets null (it defines no test) instead of printing them again.
 */
export async function suiteConfig(): Promise<MailcanaryConfig | null> {
  try {
    return await loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (reported === e.message) return null;
    reported = e.message;
    throw e;
  }
}
