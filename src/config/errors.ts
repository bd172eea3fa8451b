/**
 * A configuration problem the user must fix before anything is sent.
 * Collects every problem at once, so a user fixes their `.env` and seeds file in one go
 * instead of one error per run.
 */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(
      `${HEADLINE} (${count(problems.length)}); nothing was sent:\n` +
        problems.map((p) => `  - ${p.field}: ${p.message}${p.fix ? `\n      fix: ${p.fix}` : ''}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
    // the problems are the whole message: the line of mailcanary's code that found them is no
    // help to the user, so the stack carries no frame (and Playwright prints no code frame)
    this.stack = `${this.name}: ${this.message}`;
  }
}

export interface ConfigProblem {
  /** where the bad value lives, e.g. `SMTP_PORT` or `seeds[2] (gmail).provider` */
  field: string;
  message: string;
  fix?: string;
}

const HEADLINE = 'mailcanary configuration is invalid';
const count = (n: number) => `${n} problem${n === 1 ? '' : 's'}`;

/**
 * The problems of a ConfigError read back from its printed text (a reporter sees an error of
 * the test files' loading only as text), without their fixes; undefined for any other error.
 */
export function configProblemsIn(text: string): Array<{ field: string; message: string }> | undefined {
  const start = text.indexOf(HEADLINE);
  if (start < 0) return undefined;
  const problems: Array<{ field: string; message: string }> = [];
  for (const line of text.slice(start).split('\n').slice(1)) {
    const m = /^ {2}- (.+?): (.*)$/.exec(line);
    if (m) problems.push({ field: m[1], message: m[2] });
    else if (!/^ {6}fix: /.test(line)) break;
  }
  return problems.length ? problems : undefined;
}

/** The closing line of a run stopped by an invalid configuration, with each problem (their fixes are above). */
/** The closing line of a run that an invalid configuration stopped before any test: not `0 passed, 0 failed`, which reads like a neutral run. */
export function configClosingLine(problems: readonly unknown[]): string {
  return `mailcanary: nothing ran: configuration invalid (${count(problems.length)}, above)`;
}

export function configSummary(problems: Array<{ field: string; message: string }>): string {
  return [
    `mailcanary: configuration invalid (${count(problems.length)}, above); nothing was sent:`,
    ...problems.map((p) => `  - ${p.field}: ${p.message}`),
  ].join('\n');
}
