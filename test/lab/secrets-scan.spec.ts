import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startImapFault, type ImapFault } from '../../lab/faults/imap-proxy.ts';
import { SEED_PASSWORD, SENDER_PASSWORD } from '../../lab/topology.ts';
import { HistoryStore } from '../../src/record/store.ts';
import { runUserSuite, verdictsByTitle } from './support.ts';
import { FAULT_SEEDS, SEED_SECRET, ensureMessages, labUpstream } from './faults-support.ts';

/**
 * Runs the user suite against the lab with a distinctive seed password and four seeds behind
 * IMAP fault proxies (one of them a hostile server that echoes the password in its refusal), with
 * traces on, then searches every file the run produced (test results, traces unpacked, state,
 * history database, HTML report, JSON report, console output) for every secret of the run: as
 * written, in base64, and inside any base64 run (SASL PLAIN wraps it as "\0user\0password").
 * The same run shows that a failure at one seed never stops the others.
 */
const SECRETS = [SEED_SECRET, SEED_PASSWORD, SENDER_PASSWORD];

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Every way a secret can be found in `bytes`; empty when clean. */
export function leaks(bytes: Buffer, secrets: string[]): string[] {
  const text = bytes.toString('latin1');
  const found: string[] = [];
  for (const s of secrets) {
    if (text.includes(s)) found.push(`${s.slice(0, 6)}… in clear`);
    if (text.includes(Buffer.from(s).toString('base64'))) found.push(`${s.slice(0, 6)}… as base64`);
  }
  for (const run of text.match(/[A-Za-z0-9+/]{12,}={0,2}/g) ?? []) {
    const decoded = Buffer.from(run, 'base64').toString('latin1');
    for (const s of secrets) if (decoded.includes(s)) found.push(`${s.slice(0, 6)}… inside base64 ${run.slice(0, 12)}…`);
  }
  return found;
}

test('no secret in any file a run with failing seeds produces; the healthy seeds still get their verdict', async () => {
  test.setTimeout(150_000);
  for (const a of ['seed@outlook.lab.test', 'seed@t-online.lab.test', 'seed@blackhole.lab.test']) await ensureMessages(a);
  const up = labUpstream();
  const proxies: ImapFault[] = [];
  try {
    const pass = await startImapFault({ mode: 'pass', upstream: up, expectPassword: SEED_SECRET });
    const login = await startImapFault({ mode: 'refuse-login', echoPassword: true });
    const search = await startImapFault({ mode: 'disconnect-on-search', upstream: up, expectPassword: SEED_SECRET });
    const stall = await startImapFault({ mode: 'stall-on-search', upstream: up, expectPassword: SEED_SECRET });
    proxies.push(pass, login, search, stall);
    const out = mkdtempSync(path.join(os.tmpdir(), 'mc-secrets-'));
    const run = await runUserSuite({
      env: {
        MAILCANARY_SEEDS: FAULT_SEEDS,
        FAULT_SEED_PASSWORD: SEED_SECRET,
        FAULT_PORT_PASS: String(pass.port),
        FAULT_PORT_LOGIN: String(login.port),
        FAULT_PORT_SEARCH: String(search.port),
        FAULT_PORT_STALL: String(stall.port),
        MAILCANARY_VARIANTS: 'plain',
        MAILCANARY_IMAP_TIMEOUT: '2',
        MAILCANARY_HISTORY: path.join(out, 'history.sqlite'),
        MAILCANARY_REPORT_DIR: path.join(out, 'report'),
        MAILCANARY_GATE: 'off',
      },
      // the placement reporter writes the history and the HTML report (runUserSuite's default reporters do not)
      args: ['--project=send', '--project=placement', '--trace=on', '--reporter=json,line,./reporters/summary-reporter.ts,./reporters/placement-reporter.ts'],
      timeoutMs: 120_000,
    });
    const verdicts = Object.fromEntries(Object.entries(verdictsByTitle(run)).map(([k, v]) => [k.split(' › ')[0], v]));
    expect(verdicts, run.output).toEqual({
      healthy: 'inbox',
      'proxied-ok': 'inbox',
      'login-refused': 'seed-unreachable',
      'search-drop': 'seed-unreachable',
      stall: 'seed-unreachable',
    });
    expect(login.stats.loginsRefused).toBeGreaterThanOrEqual(1); // the hostile server did echo the password
    expect(pass.stats.logins).toBeGreaterThanOrEqual(1); // and the seed password was really used

    const root = path.dirname(run.stateDir);
    // traces are zip archives (compressed): unpack them so their contents are searched too
    let traces = 0;
    for (const f of files(root).filter((f) => f.endsWith('trace.zip'))) {
      execFileSync('unzip', ['-q', '-o', f, '-d', `${f}.d`]);
      traces++;
    }
    expect(traces).toBeGreaterThan(0);
    const scanned = [...files(root), ...files(out)];
    expect(scanned.some((f) => f.endsWith('history.sqlite'))).toBe(true);
    expect(scanned.some((f) => f.endsWith('.html'))).toBe(true);
    const found: string[] = [];
    for (const f of scanned) {
      if (statSync(f).size > 50 * 1024 * 1024) continue;
      for (const l of leaks(readFileSync(f), SECRETS)) found.push(`${path.relative(root, f)}: ${l}`);
    }
    // the history keeps evidence and raw headers compressed: search them decompressed too
    const history = HistoryStore.open(path.join(out, 'history.sqlite'), { readOnly: true });
    let unpacked = 0;
    for (const r of history.runs()) {
      const b = history.bundle(r.runId)!;
      unpacked += b.messages.filter((m) => m.rawHeaders).length;
      for (const l of leaks(Buffer.from(JSON.stringify(b)), SECRETS)) found.push(`history run ${r.runId} (decompressed): ${l}`);
    }
    history.close();
    expect(unpacked).toBeGreaterThan(0);
    for (const l of leaks(Buffer.from(run.output), SECRETS)) found.push(`console output: ${l}`);
    expect(found).toEqual([]);
    // the scan itself can see a leak, and the hostile echo did reach the files (redacted)
    expect(leaks(Buffer.from(`detail: ${Buffer.from(`\0u\0${SEED_SECRET}`).toString('base64')}`), SECRETS)).not.toEqual([]);
    expect(scanned.some((f) => f.endsWith('.json') && readFileSync(f, 'utf8').includes('with password [redacted]'))).toBe(true);
    test.info().annotations.push({ type: 'scanned', description: `${scanned.length} files, ${traces} traces` });
  } finally {
    for (const p of proxies) await p.close();
  }
});
