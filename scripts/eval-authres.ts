/**
 * Evaluate the Authentication-Results parser against a corpus folder holding `cases.json`
 * (format: a list of { id, header, expected, props_complete?, results_complete? }).
 *
 *   node scripts/eval-authres.ts <folder|cases.json>      (npm run eval:authres -- <folder|cases.json>)
 *
 * Prints each failing case with its differences, then the pass rate and, where cases say whether
 * the header is valid by the RFC 8601 grammar (`strict_valid`), how often `header.strict` agrees;
 * exits 1 when a case fails, 2 when the corpus cannot be read.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAuthResults } from '../src/evidence/authres.ts';
import { compareParse } from './support/authres-compare.ts';
import type { ExpectedParse } from './support/authres-compare.ts';

interface Case {
  id: string;
  header: string;
  /** whether the header conforms to the RFC 8601 grammar (and registry), where the corpus says */
  strict_valid?: boolean | null;
  expected: ExpectedParse;
  props_complete?: boolean;
  results_complete?: boolean;
}

function loadCases(path: string): Case[] {
  // the corpus folder, or its cases.json itself
  let file = path;
  try {
    if (statSync(path).isDirectory()) file = join(path, 'cases.json');
  } catch {
    // reported below by the read, with the path that was given
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}): pass the corpus folder that holds cases.json, or the file`, {
      cause: err,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(data)) throw new Error(`${file} must hold a JSON array of cases`);
  return data.filter((c): c is Case => {
    const ok = typeof c === 'object' && c !== null && typeof c.id === 'string' && typeof c.header === 'string' && typeof c.expected === 'object';
    if (!ok) console.error(`skipping malformed case: ${JSON.stringify(c).slice(0, 80)}`);
    return ok;
  });
}

function main(argv: string[]): number {
  const folder = argv[0];
  if (!folder) {
    console.error('usage: node scripts/eval-authres.ts <corpus-folder | cases.json>   (the folder holding cases.json, or the file)');
    return 2;
  }
  let cases: Case[];
  try {
    cases = loadCases(folder);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  let passed = 0;
  const failed: string[] = [];
  let strictN = 0;
  let strictAgree = 0;
  const strictMiss: string[] = [];
  for (const c of cases) {
    const parsed = parseAuthResults(c.header);
    if (typeof c.strict_valid === 'boolean') {
      // strict = no grammar violation and no error (an unregistered result is not valid either)
      const strict = parsed.ok && parsed.header.strict;
      strictN++;
      if (strict === c.strict_valid) strictAgree++;
      else strictMiss.push(`${c.id} (corpus ${c.strict_valid}, ours ${strict})`);
    }
    const diffs = compareParse(parsed, c.expected, { propsComplete: c.props_complete, resultsComplete: c.results_complete });
    if (diffs.length === 0) {
      passed++;
    } else {
      failed.push(c.id);
      console.log(`FAIL ${c.id}\n  header: ${JSON.stringify(c.header)}\n  ${diffs.join('\n  ')}`);
    }
  }
  const rate = cases.length ? ((passed / cases.length) * 100).toFixed(1) : '0.0';
  console.log(`\nauthres corpus: ${passed}/${cases.length} cases pass (${rate}%)`);
  if (strictN) {
    console.log(`strict RFC 8601 validity agrees on ${strictAgree}/${strictN} headers${strictMiss.length ? `; differs on ${strictMiss.join(', ')}` : ''}`);
  }
  console.log(`${passed} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
