/**
 * One log line to the events it holds: the envelope first (src/server-log/envelope.ts), then the
 * MTA's own wording (Postfix or Exim). Pure; never throws: a line it cannot read is `garbage`,
 * a readable line of no interest (another daemon, inbound chatter) is `ignored`.
 */
import { parseEnvelope, type TimeContext } from './envelope.ts';
import { eximEvents } from './exim.ts';
import { postfixEvents } from './postfix.ts';
import type { LogEvent, LogRecord } from './types.ts';

export type LineResult = { kind: 'events'; events: LogEvent[]; record: LogRecord } | { kind: 'ignored' } | { kind: 'garbage' };

export function parseLogLine(line: string, ctx: TimeContext): LineResult {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (!text.trim()) return { kind: 'ignored' };
  const record = parseEnvelope(text, ctx);
  if (!record) return { kind: 'garbage' };
  const events = postfixEvents(record) ?? eximEvents(record);
  if (!events?.length) return { kind: 'ignored' };
  return { kind: 'events', events, record };
}
