/**
 * Reads a log file with the server-log file source and prints what came out as JSON: run as
 * another user by server-log-sources.spec.ts to meet a real permission error.
 *   node test/unit/server-log-read-file.ts FILE
 */
import { fileLines } from '../../src/server-log/file-source.ts';
import { emptyStats } from '../../src/server-log/types.ts';

const lines: string[] = [];
try {
  for await (const l of fileLines(process.argv[2], { stats: emptyStats() })) lines.push(l);
  console.log(JSON.stringify({ lines }));
} catch (err) {
  const e = err as { name: string; message: string; problem?: string; fix?: string };
  console.log(JSON.stringify({ error: { name: e.name, message: e.message, problem: e.problem, fix: e.fix } }));
}
