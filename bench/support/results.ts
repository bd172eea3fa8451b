/** Printing a bench's table and writing its JSON to bench/results/<name>.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../lab/suite-runner.ts';

export type Row = [string, string, string?, string?];

/** Rows: figure, value, target, met. */
export function printTable(title: string, rows: Row[]): void {
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), 4));
  console.log(`\n${title}`);
  for (const r of rows) console.log(`  ${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${(r[2] ?? '').padEnd(w[2])}  ${r[3] ?? ''}`.trimEnd());
}

export function writeResult(name: string, data: unknown): string {
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ when: new Date().toISOString(), lab: true, ...(data as object) }, null, 2) + '\n');
  return file;
}
