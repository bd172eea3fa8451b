/** Builds the report from the store and writes it atomically (a viewer never sees half a file). */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HistoryStore } from '../record/index.ts';
import { buildReportData } from './data.ts';
import type { BuildOptions } from './data.ts';
import { renderReportHtml } from './html.ts';

export function writeReport(store: HistoryStore, file: string, opts: BuildOptions = {}): { file: string; bytes: number } {
  const html = renderReportHtml(buildReportData(store, opts));
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, html);
  renameSync(tmp, file);
  return { file, bytes: Buffer.byteLength(html) };
}
