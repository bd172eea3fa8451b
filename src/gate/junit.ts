/**
 * JUnit XML of the gate, for CI systems that show test reports (GitHub, GitLab, Jenkins):
 * one testcase per compared item, failed when it regressed, and one failed testcase per check
 * that threw (`check-error`). XML 1.0 cannot carry most control characters even escaped
 * (section 2.2), so they are dropped before escaping.
 */
import type { GateResult } from './compare.ts';

export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function gateJUnit(gate: GateResult, opts: { timestamp?: Date } = {}): string {
  const cases = gate.compared.length ? gate.compared : [{ kind: 'placement' as const, name: gate.note ?? 'no comparison', failure: undefined }];
  const failures = cases.filter((c) => c.failure).length;
  const ts = (opts.timestamp ?? new Date()).toISOString().replace(/\.\d+Z$/, '');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mailcanary gate" tests="${cases.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="${xmlEscape(`gate ${gate.runId} vs ${gate.baselineRunId ?? 'no baseline'}`)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" timestamp="${ts}">`,
  ];
  for (const c of cases) {
    const head = `    <testcase classname="mailcanary.gate.${c.kind}" name="${xmlEscape(c.name)}"`;
    // a check that threw is a mailcanary bug, not a regression of the user's setup: its own type
    const type = c.kind === 'check-error' ? 'check-error' : 'regression';
    if (c.failure)
      lines.push(`${head}>`, `      <failure message="${xmlEscape(c.failure)}" type="${type}">${xmlEscape(c.failure)}</failure>`, '    </testcase>');
    else lines.push(`${head}/>`);
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
