/**
 * Where the server's mail log comes from, from `.env`: one of a file (MAILCANARY_LOG_FILE),
 * the local journal (MAILCANARY_LOG_JOURNAL=<systemd unit>) or a command on the server over
 * SSH (MAILCANARY_LOG_SSH=user@host, MAILCANARY_LOG_SSH_COMMAND, and for following during a run
 * MAILCANARY_LOG_SSH_FOLLOW_COMMAND, else the command's following form). Every mistake is
 * collected as a ConfigProblem with its fix; nothing set means no log source (the feature is off).
 */
import type { ConfigProblem } from '../config/index.ts';

export type LogSource =
  | { kind: 'file'; path: string }
  | { kind: 'journal'; unit: string }
  /** `follow`: the command that streams the log during a run (one process per run), when there is one */
  | { kind: 'ssh'; target: string; command: string; follow?: string };

export interface ServerLogConfig {
  source: LogSource;
  /** minutes east of UTC for zone-less timestamps; undefined = this machine's zone */
  utcOffsetMinutes?: number;
  showLocalParts: boolean;
  /** how far back the first read looks when there is no previous run (ms) */
  windowMs: number;
}

export const DEFAULT_SSH_COMMAND = 'cat /var/log/mail.log';

const TRUE = /^(1|true|yes|on)$/i;

/**
 * The streaming form of a one-shot log command: `cat FILE` becomes `tail -n +1 -F FILE` (the same
 * lines, then every new one, across rotation), a `journalctl` command gets `-f`, a command that
 * already follows (`tail -F`, `journalctl -f`) is its own. Any other command has none: it is run
 * again and again instead.
 */
export function followingCommand(command: string): string | undefined {
  const c = command.trim();
  const cat = /^cat\s+(\S+)$/.exec(c);
  if (cat) return `tail -n +1 -F ${cat[1]}`;
  const follows = /(^|\s)(-[A-Za-z]*[fF]|--follow(=\S+)?)(\s|$)/.test(c);
  if (/^(tail|journalctl)\s/.test(c) && follows) return c;
  if (/^journalctl\s/.test(c)) return `${c} -f`;
  return undefined;
}

export function parseUtcOffset(raw: string): number | undefined | null {
  const v = raw.trim();
  if (!v || /^local$/i.test(v)) return undefined;
  if (/^(utc|z|gmt)$/i.test(v)) return 0;
  const m = /^(?:utc)?([+-])(\d{1,2})(?::?(\d\d))?$/i.exec(v);
  if (!m || Number(m[2]) > 14 || Number(m[3] ?? 0) > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

export function serverLogConfigFromEnv(env: Record<string, string | undefined>): { config: ServerLogConfig | null; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const file = env.MAILCANARY_LOG_FILE?.trim();
  const unit = env.MAILCANARY_LOG_JOURNAL?.trim();
  const target = env.MAILCANARY_LOG_SSH?.trim();
  const set = [file && 'MAILCANARY_LOG_FILE', unit && 'MAILCANARY_LOG_JOURNAL', target && 'MAILCANARY_LOG_SSH'].filter(Boolean) as string[];
  if (set.length > 1) {
    problems.push({ field: set.join(', '), message: 'more than one log source is set', fix: 'keep one: a file, the local journal, or SSH to the server' });
  }
  let source: LogSource | null = null;
  if (file) source = { kind: 'file', path: file };
  else if (unit) {
    // the unit goes to journalctl as one argument; an option-like value would change the command
    if (!/^[A-Za-z0-9@._:\\-]+$/.test(unit) || unit.startsWith('-')) {
      problems.push({
        field: 'MAILCANARY_LOG_JOURNAL',
        message: `'${unit}' is not a systemd unit name`,
        fix: 'e.g. MAILCANARY_LOG_JOURNAL=postfix (Debian: postfix@-)',
      });
    }
    source = { kind: 'journal', unit };
  } else if (target) {
    if (!/^(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(target)) {
      problems.push({
        field: 'MAILCANARY_LOG_SSH',
        message: `'${target}' is not user@host`,
        fix: 'e.g. MAILCANARY_LOG_SSH=mailcanary@mail.example.org (a Host alias from ~/.ssh/config works too; port and key go there)',
      });
    }
    const command = env.MAILCANARY_LOG_SSH_COMMAND?.trim() || DEFAULT_SSH_COMMAND;
    const follow = env.MAILCANARY_LOG_SSH_FOLLOW_COMMAND?.trim() || followingCommand(command);
    source = { kind: 'ssh', target, command, ...(follow ? { follow } : {}) };
  } else if (env.MAILCANARY_LOG_SSH_COMMAND?.trim() || env.MAILCANARY_LOG_SSH_FOLLOW_COMMAND?.trim()) {
    problems.push({
      field: env.MAILCANARY_LOG_SSH_COMMAND?.trim() ? 'MAILCANARY_LOG_SSH_COMMAND' : 'MAILCANARY_LOG_SSH_FOLLOW_COMMAND',
      message: 'is set but MAILCANARY_LOG_SSH is not',
      fix: 'set MAILCANARY_LOG_SSH=user@host of the mail server',
    });
  }
  const tz = parseUtcOffset(env.MAILCANARY_LOG_TIMEZONE ?? '');
  if (tz === null)
    problems.push({
      field: 'MAILCANARY_LOG_TIMEZONE',
      message: `'${env.MAILCANARY_LOG_TIMEZONE}' is not a zone offset`,
      fix: 'use local (default), UTC or an offset such as +01:00',
    });
  const hoursRaw = env.MAILCANARY_LOG_WINDOW_HOURS?.trim();
  const hours = hoursRaw ? Number(hoursRaw) : 24;
  if (!Number.isFinite(hours) || hours <= 0)
    problems.push({ field: 'MAILCANARY_LOG_WINDOW_HOURS', message: `'${hoursRaw}' is not a number of hours`, fix: 'e.g. MAILCANARY_LOG_WINDOW_HOURS=24' });
  if (!source) return { config: null, problems };
  return {
    config: {
      source,
      ...(typeof tz === 'number' ? { utcOffsetMinutes: tz } : {}),
      showLocalParts: TRUE.test(env.MAILCANARY_LOG_SHOW_LOCAL_PARTS?.trim() ?? ''),
      windowMs: (Number.isFinite(hours) && hours > 0 ? hours : 24) * 3_600_000,
    },
    problems,
  };
}
