/**
 * One run of the user suite (`npx playwright test`, through lab/suite-runner.ts) against the
 * running lab, measured from outside: wall time, peak RSS of the runner and its workers,
 * IMAP logins and SMTP submission connections from the servers' logs, and for every message
 * the time from the lab MX finishing its APPEND (STATE/mx-events.jsonl) to mailcanary seeing
 * it (`sighting.seenAt`) and to the end of its test (the verdict recorded).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labPaths, labTopology } from '../../lab/topology.ts';
import { readEvents } from '../../lab/mx/events.ts';
import { runUserSuite } from '../../lab/suite-runner.ts';
import { sampleRss } from './proc-rss.ts';
import { imapLogins, readFrom, sizeOf, submissionConnects, type ImapLogins } from './server-logs.ts';

export interface MessageTiming {
  tag: string;
  seedId: string;
  variant: string;
  verdict: string;
  /** accepted by the submission server */
  submittedAt: number;
  /** lab MX: APPEND completed (ms since epoch); absent when the MX did not file it */
  filedAt?: number;
  folder?: string;
  seenAt?: number;
  /** end of the message's test */
  verdictAt?: number;
  /** start of the message's test */
  testStartAt?: number;
}

export interface MeasuredRun {
  code: number;
  wallMs: number;
  passed: number;
  failed: number;
  workers: number;
  /** end of the send step (the placement tests cannot start before it) */
  sendEndAt?: number;
  /** where the wall time went: send step, gap to the first placement test, placement tests */
  phases: { sendMs: number; startGapMs: number; placementMs: number };
  peakRssBytes: number;
  peakProcesses: number;
  logins: ImapLogins;
  smtpConnections: number;
  messages: MessageTiming[];
  output: string;
}

interface RawResult {
  workerIndex?: number;
  startTime?: string;
  duration?: number;
  status?: string;
  attachments?: Array<{ name: string; body?: string }>;
}

function walk(suite: any, out: Array<{ project: string; r: RawResult }>): void {
  for (const s of suite.suites ?? []) walk(s, out);
  for (const spec of suite.specs ?? []) for (const t of spec.tests ?? []) for (const r of t.results ?? []) out.push({ project: t.projectName, r });
}

export async function measuredRun(env: Record<string, string | undefined>, opts: { timeoutMs?: number } = {}): Promise<MeasuredRun> {
  const paths = labPaths(labTopology(process.env).stateDir);
  const report = path.join(mkdtempSync(path.join(os.tmpdir(), 'mc-bench-')), 'report.json');
  const dovecotAt = sizeOf(paths.dovecotLog);
  const postfixAt = sizeOf(paths.postfixLog);
  const eventsAt = sizeOf(paths.events);
  const rss = sampleRss(process.pid, /@playwright\/test\/cli/);
  const run = await runUserSuite({ env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: report }, timeoutMs: opts.timeoutMs ?? 600_000 });
  const peak = rss.stop();
  // Dovecot logs the login as it happens; Postfix's postlogd may lag a little behind
  await new Promise((r) => setTimeout(r, 300));
  const events = readEvents(paths.events).filter((e) => e.event === 'filed' && e.tag);
  const eventsText = readFrom(paths.events, eventsAt);
  const newTags = new Set(
    eventsText
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { tag?: string }).tag),
  );
  const filed = new Map(events.filter((e) => newTags.has(e.tag)).map((e) => [e.tag!.toLowerCase(), e]));
  let raw: any = {};
  try {
    raw = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    /* no report: counted as a failed run below */
  }
  const results: Array<{ project: string; r: RawResult }> = [];
  walk(raw, results);
  const placement = results.filter((x) => x.project !== 'send');
  const send = results.find((x) => x.project === 'send')?.r;
  const messages: MessageTiming[] = [];
  for (const { r } of placement) {
    const body = r.attachments?.find((a) => a.name === 'delivery.json')?.body;
    if (!body) continue;
    const d = JSON.parse(Buffer.from(body, 'base64').toString('utf8')) as {
      tag: string;
      seedId: string;
      variant: string;
      verdict: string;
      sighting?: { seenAt: number };
      sent: { submittedAt: number };
    };
    const f = filed.get(d.tag.toLowerCase());
    const start = r.startTime ? Date.parse(r.startTime) : undefined;
    messages.push({
      tag: d.tag,
      seedId: d.seedId,
      variant: d.variant,
      verdict: d.verdict,
      submittedAt: d.sent.submittedAt,
      filedAt: f?.ts,
      folder: f?.folder,
      seenAt: d.sighting?.seenAt,
      testStartAt: start,
      verdictAt: start !== undefined && r.duration !== undefined ? start + r.duration : undefined,
    });
  }
  const startOf = (r: RawResult) => (r.startTime ? Date.parse(r.startTime) : NaN);
  const sendStart = send ? startOf(send) : NaN;
  const sendEnd = send ? sendStart + (send.duration ?? 0) : NaN;
  const firstPlacement = Math.min(...placement.map((x) => startOf(x.r)));
  const lastPlacement = Math.max(...placement.map((x) => startOf(x.r) + (x.r.duration ?? 0)));
  return {
    code: run.code,
    phases: { sendMs: sendEnd - sendStart, startGapMs: firstPlacement - sendEnd, placementMs: lastPlacement - firstPlacement },
    wallMs: run.ms,
    passed: results.filter((x) => x.r.status === 'passed').length,
    failed: results.filter((x) => x.r.status !== 'passed' && x.r.status !== 'skipped').length,
    sendEndAt: send?.startTime && send.duration !== undefined ? Date.parse(send.startTime) + send.duration : undefined,
    workers: new Set(placement.map((x) => x.r.workerIndex)).size,
    peakRssBytes: peak.peakBytes,
    peakProcesses: peak.peakProcesses,
    logins: imapLogins(readFrom(paths.dovecotLog, dovecotAt)),
    smtpConnections: submissionConnects(readFrom(paths.postfixLog, postfixAt)),
    messages,
    output: run.output,
  };
}

/** Latencies of the delivered messages: seen − filed and verdict − filed, in ms. */
export function latencies(messages: MessageTiming[], placement?: 'inbox' | 'spam'): { seen: number[]; verdict: number[] } {
  const delivered = messages.filter((m) => m.filedAt !== undefined && m.seenAt !== undefined && (!placement || m.verdict === placement));
  return {
    seen: delivered.map((m) => m.seenAt! - m.filedAt!),
    verdict: delivered.filter((m) => m.verdictAt !== undefined).map((m) => m.verdictAt! - m.filedAt!),
  };
}
