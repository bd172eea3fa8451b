/**
 * MAILCANARY_GATE: what the regression gate does with the regressions it finds. `fail` (the
 * default) fails the run, `warn` prints them, `off` is silent. The setting is read here once, by
 * the configuration check (which lists a wrong value before anything is sent) and by the
 * placement reporter; a value that is none of the three gates as `fail`, so a misspelt setting
 * can never turn a regression green.
 */
export type GateMode = 'fail' | 'warn' | 'off';

const MODES: readonly GateMode[] = ['fail', 'warn', 'off'];

export type GateSetting = { mode: GateMode } | { mode: 'fail'; error: string; fix: string };

export function parseGateMode(raw: string | undefined): GateSetting {
  const v = raw?.trim().toLowerCase() || 'fail';
  if ((MODES as readonly string[]).includes(v)) return { mode: v as GateMode };
  return {
    mode: 'fail',
    error: `'${raw}' is not a gate mode`,
    fix: `set MAILCANARY_GATE to ${MODES.join(', ')} (or leave it unset for fail)`,
  };
}
