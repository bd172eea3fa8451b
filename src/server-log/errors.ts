/**
 * A log source that cannot be read: its own error naming the source, what went wrong and the
 * fix. Thrown (an infrastructure failure, not a finding about the mail), never a silent empty log.
 */
export class LogSourceError extends Error {
  readonly source: string;
  readonly problem: string;
  readonly fix: string;

  constructor(source: string, problem: string, fix: string) {
    super(`server log ${source}: ${problem}\n  fix: ${fix}`);
    this.name = 'LogSourceError';
    this.source = source;
    this.problem = problem;
    this.fix = fix;
  }
}

export function fileError(file: string, err: unknown): LogSourceError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const source = `file ${file}`;
  if (code === 'EACCES' || code === 'EPERM') {
    return new LogSourceError(
      source,
      'permission denied',
      'add the user that runs mailcanary to group adm (sudo usermod -aG adm "$USER", then log in again) or set MAILCANARY_LOG_FILE to a readable copy',
    );
  }
  if (code === 'ENOENT') {
    return new LogSourceError(
      source,
      'no such file',
      'set MAILCANARY_LOG_FILE to your mail log (Debian/Ubuntu /var/log/mail.log, RHEL /var/log/maillog, Postfix `postconf maillog_file`); on a journald-only system set MAILCANARY_LOG_JOURNAL=postfix instead',
    );
  }
  if (code === 'EISDIR') return new LogSourceError(source, 'is a directory', 'set MAILCANARY_LOG_FILE to the log file itself, not its directory');
  return new LogSourceError(source, `cannot be read: ${(err as Error)?.message ?? String(err)}`, 'check that MAILCANARY_LOG_FILE names a readable file');
}

const firstLine = (s: string) =>
  s
    .trim()
    .split('\n')
    .find((l) => l.trim())
    ?.trim()
    .slice(0, 300) ?? '';

/** Why `journalctl` failed or showed nothing it was allowed to show. */
export function journalError(unit: string, code: number | null, stderr: string, spawnError?: unknown): LogSourceError {
  const source = `journal (journalctl -u ${unit})`;
  if ((spawnError as NodeJS.ErrnoException)?.code === 'ENOENT') {
    return new LogSourceError(
      source,
      'journalctl is not installed on this machine',
      'set MAILCANARY_LOG_FILE to the mail log, or MAILCANARY_LOG_SSH to read the journal on the server',
    );
  }
  if (/permission denied|insufficient permissions|not seeing messages from other users|no journal files were (?:found|opened)/i.test(stderr)) {
    return new LogSourceError(
      source,
      `cannot read the system journal: ${firstLine(stderr)}`,
      'add the user that runs mailcanary to group systemd-journal or adm (sudo usermod -aG systemd-journal "$USER", then log in again)',
    );
  }
  return new LogSourceError(
    source,
    `journalctl exited ${code}${stderr.trim() ? `: ${firstLine(stderr)}` : ''}`,
    'run the same journalctl command in a shell to see why; MAILCANARY_LOG_JOURNAL names the systemd unit (Debian: postfix@-)',
  );
}

/** Why the `ssh` command failed: exit 255 is ssh's own failure (RFC 4254 leaves the rest to the command). */
export function sshError(target: string, command: string, code: number | null, stderr: string, spawnError?: unknown): LogSourceError {
  const source = `ssh ${target}`;
  if ((spawnError as NodeJS.ErrnoException)?.code === 'ENOENT') {
    return new LogSourceError(source, 'the ssh client is not installed', 'install it (apt-get install openssh-client) or set MAILCANARY_LOG_FILE');
  }
  if (code === 255) {
    return new LogSourceError(
      source,
      `ssh could not log in${stderr.trim() ? `: ${firstLine(stderr)}` : ''}`,
      `check key auth: \`ssh -o BatchMode=yes ${target} true\` must succeed without a prompt (ssh-copy-id ${target}; the host key must be in known_hosts); a password is never used`,
    );
  }
  if (/permission denied/i.test(stderr)) {
    return new LogSourceError(
      source,
      `the command cannot read the log: ${firstLine(stderr)}`,
      `add the SSH user to group adm on ${target.split('@').pop()} (sudo usermod -aG adm USER) or point MAILCANARY_LOG_SSH_COMMAND at a readable copy`,
    );
  }
  if (code === 127 || code === 126) {
    return new LogSourceError(
      source,
      `the command was not found on the server: ${command}`,
      'set MAILCANARY_LOG_SSH_COMMAND to a command that exists there (e.g. cat /var/log/mail.log)',
    );
  }
  return new LogSourceError(
    source,
    `\`${command}\` exited ${code}${stderr.trim() ? `: ${firstLine(stderr)}` : ''}`,
    'run the same command over ssh in a shell to see why',
  );
}
