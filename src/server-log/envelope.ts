/**
 * The envelope of a mail log line: when, which host, which program and pid, and the message.
 * Formats, told apart by their first bytes:
 *   - classic syslog (RFC 3164 §4.1.2): `Dec  1 19:28:56 mail postfix/smtp[123]: …`, also
 *     Postfix's own `maillog_file` (postlogd writes the same layout) and with fractional seconds;
 *   - ISO timestamps (rsyslog's RSYSLOG_FileFormat, syslog-ng ISO): `2026-12-01T19:28:56.123456+00:00 mail postfix/smtp[123]: …`;
 *   - RFC 5424 §6: `<22>1 2026-12-01T19:28:56.123Z mail postfix/smtp 123 - - …`;
 *   - journald JSON export (`journalctl -o json`, one object per line);
 *   - Exim's own main log (Exim spec, "Log files"): `2026-12-01 19:28:56 [123] 1rAbCd-000123-Xy …`.
 * Pure; returns null for a line of no known format.
 */
import type { LogRecord } from './types.ts';

export interface TimeContext {
  /** the injected clock: a year-less RFC 3164 time is placed in the year that puts it at or before now */
  now: number;
  /**
   * Offset of the server's local time from UTC in minutes for timestamps without a zone
   * (RFC 3164, Exim without `log_timezone`); undefined = this process's local time zone.
   */
  utcOffsetMinutes?: number;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

// `Dec  1 19:28:56[.123456] host program[pid]: message` (an optional `<PRI>` in front, as when
// read off the wire); the tag stops at '[', ':' or space (RFC 3164 §4.1.3)
const RFC3164 = /^(?:<\d{1,3}>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\S+) ([^\s[:]+)(?:\[(\d+)\])?: ?(.*)$/s;
const ISO_SYSLOG = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) (\S+) ([^\s[:]+)(?:\[(\d+)\])?: ?(.*)$/s;
// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`
const RFC5424 = /^<\d{1,3}>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (.*))?$/s;
const EXIM = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{3}))?(?: ([+-]\d{4}))?(?: \[(\d+)\])? (.*)$/s;

/** Local wall-clock fields to ms since epoch, in the configured zone. */
function localTime(ctx: TimeContext, y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  if (ctx.utcOffsetMinutes === undefined) return new Date(y, mo, d, h, mi, s, ms).getTime();
  return Date.UTC(y, mo, d, h, mi, s, ms) - ctx.utcOffsetMinutes * 60_000;
}

/**
 * RFC 3164 carries no year. The line is from the most recent such date that is not in the
 * future: a `Dec 31 23:59:59` line read on January 1st is from last year. One day of slack
 * absorbs clock skew and zone differences between the server and this process.
 */
function yearlessTime(ctx: TimeContext, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | undefined {
  const year = new Date(ctx.now).getUTCFullYear();
  const t = localTime(ctx, year, mo, d, h, mi, s, ms);
  const v = t > ctx.now + 86_400_000 ? localTime(ctx, year - 1, mo, d, h, mi, s, ms) : t;
  return Number.isFinite(v) ? v : undefined;
}

function isoTime(text: string, ctx: TimeContext): number | undefined {
  // a zone-less ISO time is local time of the server, like RFC 3164's
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/.exec(text);
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (!m[8]) return localTime(ctx, +m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
  const base = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
  if (m[8] === 'Z') return base;
  const z = /([+-])(\d\d):?(\d\d)/.exec(m[8])!;
  return base - (z[1] === '-' ? -1 : 1) * (+z[2] * 60 + +z[3]) * 60_000;
}

const fraction = (f: string | undefined) => (f ? Number(f.slice(0, 3).padEnd(3, '0')) : 0);
const valid = (t: number | undefined) => (t !== undefined && Number.isFinite(t) ? t : undefined);

/** journald's MESSAGE is a string, or an array of bytes when it is not valid UTF-8. */
function journalText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return Buffer.from(v as number[]).toString('utf8');
  return undefined;
}

function fromJournal(line: string): LogRecord | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line);
  } catch {
    return null;
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return null;
  const message = journalText(o.MESSAGE);
  if (message === undefined) return null;
  const program = typeof o.SYSLOG_IDENTIFIER === 'string' ? o.SYSLOG_IDENTIFIER : typeof o._COMM === 'string' ? o._COMM : '';
  const pid = Number(o.SYSLOG_PID ?? o._PID);
  // __REALTIME_TIMESTAMP: µs since epoch as a decimal string (systemd.journal-fields(7))
  const us = typeof o.__REALTIME_TIMESTAMP === 'string' ? o.__REALTIME_TIMESTAMP : undefined;
  const time = us && /^\d{1,20}$/.test(us) ? Math.floor(Number(us) / 1000) : undefined;
  return { time, host: typeof o._HOSTNAME === 'string' ? o._HOSTNAME : undefined, program, pid: Number.isFinite(pid) && pid > 0 ? pid : undefined, message };
}

export function parseEnvelope(line: string, ctx: TimeContext): LogRecord | null {
  const c = line.charCodeAt(0);
  if (c === 123 /* { */) return fromJournal(line);
  let m: RegExpExecArray | null;
  if ((c >= 65 && c <= 90) /* A-Z */ || c === 60 /* < */) {
    if ((m = RFC3164.exec(line))) {
      const mo = MONTHS[m[1]];
      if (mo === undefined) return null;
      const time = yearlessTime(ctx, mo, +m[2], +m[3], +m[4], +m[5], fraction(m[6]));
      return { time, host: m[7], program: m[8], pid: m[9] ? Number(m[9]) : undefined, message: m[10] };
    }
    if (c === 60 && (m = RFC5424.exec(line))) {
      const time = m[1] === '-' ? undefined : valid(isoTime(m[1], ctx));
      const pid = /^\d+$/.test(m[4]) ? Number(m[4]) : undefined;
      // the message may start with a UTF-8 BOM (RFC 5424 §6.4)
      const message = (m[7] ?? '').replace(/^\uFEFF/, '');
      return { time, host: m[2] === '-' ? undefined : m[2], program: m[3] === '-' ? '' : m[3], pid, message };
    }
    return null;
  }
  if (c >= 48 && c <= 57 /* 0-9 */) {
    if (line.charCodeAt(10) === 84 /* T */ && (m = ISO_SYSLOG.exec(line))) {
      return { time: valid(isoTime(m[1], ctx)), host: m[2], program: m[3], pid: m[4] ? Number(m[4]) : undefined, message: m[5] };
    }
    if ((m = EXIM.exec(line))) {
      const ms = m[7] ? Number(m[7]) : 0;
      let time: number;
      if (m[8]) {
        const sign = m[8][0] === '-' ? -1 : 1;
        const off = sign * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(3, 5)));
        time = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms) - off * 60_000;
      } else {
        time = localTime(ctx, +m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
      }
      return { time: valid(time), program: 'exim', pid: m[9] ? Number(m[9]) : undefined, message: m[10] };
    }
  }
  return null;
}
