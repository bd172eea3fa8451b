import { SERVER_LOG_ATTACHMENT } from '../src/record/index.ts';
import type { ResultInput } from '../src/record/index.ts';
import { readingFromJson, type ServerLogReading } from '../src/server-log/index.ts';

/**
 * The server-log reading that travelled with the run's results (the `server-log` project's
 * attachment): the last one wins (a test retried, or the project run twice by a merge). An
 * attachment that is too big to read or malformed is a warning, never a silent loss.
 */
export function serverLogOfRun(results: ResultInput[], warnings: string[]): ServerLogReading | undefined {
  let found: ServerLogReading | undefined;
  for (const r of results) {
    for (const a of r.attachments) {
      if (a.name !== SERVER_LOG_ATTACHMENT) continue;
      if (a.body === undefined) {
        warnings.push(`the server-log reading of "${r.titlePath.join(' › ')}" could not be read (missing, or larger than 4 MB): not recorded`);
        continue;
      }
      const v = readingFromJson(a.body);
      if (typeof v === 'string') warnings.push(`the server-log reading of "${r.titlePath.join(' › ')}" is unusable (${v}): not recorded`);
      else found = v;
    }
  }
  return found;
}
