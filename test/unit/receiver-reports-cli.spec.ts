import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { aggregateXml, gzip } from '../fixtures/receiver-reports/build.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function reports(args: string[], env: Record<string, string> & { MAILCANARY_HISTORY: string }) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/reports.ts'), ...args], {
    // a fresh folder: no .env of the developer's is read
    cwd: path.dirname(env.MAILCANARY_HISTORY),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', MAILCANARY_RETENTION_DAYS: '36500', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('npm run reports: import says what it stored and skipped, export writes JSON lines, bad input sets the exit code', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-rr-cli-'));
  const env = { MAILCANARY_HISTORY: path.join(dir, 'h.sqlite') };
  writeFileSync(path.join(dir, 'a.xml.gz'), gzip(aggregateXml({ reportId: 'cli-1', org: 'evil\u001b[2J\u001b]0;pwned\u0007.example' })));
  const first = reports(['import', path.join(dir, 'a.xml.gz')], env);
  expect(first.code, first.err).toBe(0);
  expect(first.out).toMatch(/^stored {2}.*a\.xml\.gz: aggregate report cli-1 of evil.*1 record\(s\), 3 message\(s\)$/m);
  expect(first.out).not.toContain('\u001b');
  expect(first.out).toContain('1 stored, 0 already stored');
  const again = reports(['import', dir], env);
  expect(again.out).toMatch(/^skipped \(duplicate\) {2}.*report cli-1 .* is already stored/m);
  // a file name is not the reporter's, but an attachment name is: the terminal gets neither raw
  writeFileSync(path.join(dir, 'c\u001b[31m.xml'), aggregateXml({ reportId: 'cli-2' }));
  const esc = reports(['import', path.join(dir, 'c\u001b[31m.xml')], env);
  expect(esc.out).toMatch(/^stored {2}.*c \[31m\.xml: aggregate report cli-2/m);
  expect(esc.out).not.toContain('\u001b');
  writeFileSync(path.join(dir, 'b.xml'), '<feedback><report_metadata>');
  const bad = reports(['import', path.join(dir, 'b.xml')], env);
  expect(bad.code).toBe(1);
  expect(bad.out).toMatch(/^error \(invalid-xml\) {2}.*b\.xml: /m);
  const out = path.join(dir, 'out.jsonl');
  expect(reports(['export', out], env).code).toBe(0);
  expect(
    readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).reportId)
      .sort(),
  ).toEqual(['cli-1', 'cli-2']);
  const usage = reports(['frobnicate'], env);
  expect(usage.code).toBe(2);
  expect(usage.err).toContain('usage: npm run reports');
  const noBox = reports(['collect'], env);
  expect(noBox.code).toBe(2);
  expect(noBox.err).toContain('REPORTS_IMAP_HOST is not set');
});
