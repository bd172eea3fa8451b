/**
 * A configuration problem the user must fix before anything is sent.
 * Collects every problem at once, so a user fixes their `.env` and seeds file in one go
 * instead of one error per run.
 */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(
      `mailcanary configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was sent:\n` +
        problems.map((p) => `  - ${p.field}: ${p.message}${p.fix ? `\n      fix: ${p.fix}` : ''}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface ConfigProblem {
  /** where the bad value lives, e.g. `SMTP_PORT` or `seeds[2].provider` */
  field: string;
  message: string;
  fix?: string;
}
