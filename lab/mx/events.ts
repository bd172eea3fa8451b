/** The MX simulators' event log: one JSON object per line in STATE/mx-events.jsonl. */
import { appendFileSync, readFileSync } from 'node:fs';
import type { ProviderId } from '../topology.ts';
import type { AuthSummary } from './policies/types.ts';
import type { ReportFacts } from './auth.ts';

export interface MxEvent {
  /** ms since epoch; for `filed`, after the IMAP APPEND completed */
  ts: number;
  provider: ProviderId;
  event: 'filed' | 'rejected' | 'tempfail' | 'dropped';
  folder?: string;
  /** value of the message's X-Mailcanary-Tag header */
  tag?: string;
  messageId?: string;
  rcpt: string;
  mailFrom?: string;
  ip: string;
  auth: AuthSummary;
  /** for the provider's DMARC aggregate report (lab/mx/reports.ts); absent when auth was not checked */
  report?: ReportFacts;
  code?: number;
  text?: string;
  reason?: string;
}

export function appendEvent(file: string, ev: MxEvent): void {
  // one write per line: appends below PIPE_BUF are atomic, so concurrent servers never interleave
  appendFileSync(file, JSON.stringify(ev) + '\n');
}

/** Reads the event log; malformed lines (a crash mid-write) are skipped. */
export function readEvents(file: string): MxEvent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: MxEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as MxEvent);
    } catch {
      /* partial line */
    }
  }
  return out;
}
