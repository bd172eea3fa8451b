/** Parses `MAILCANARY_SCORER` (`rspamd://host:port`, `spamd://host:port`); unset or `off` is no scorer. */
import type { ScorerSetting } from './types.ts';

const DEFAULT_PORTS = { rspamd: 11333, spamassassin: 783 } as const;

export type SettingResult = { setting: ScorerSetting | null } | { error: string; fix: string };

export function parseScorerSetting(raw: string | undefined): SettingResult {
  const value = (raw ?? '').trim();
  if (!value || value.toLowerCase() === 'off') return { setting: null };
  const fix = 'use rspamd://HOST:PORT (the normal worker, 11333) or spamd://HOST:PORT (783), or unset it';
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return { error: `${JSON.stringify(value)} is not a URL`, fix };
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  const kind = scheme === 'rspamd' ? 'rspamd' : scheme === 'spamd' ? 'spamassassin' : undefined;
  if (!kind) return { error: `unknown scorer scheme ${JSON.stringify(scheme)}`, fix };
  if (u.username || u.password) return { error: 'credentials in the scorer URL are not supported', fix };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) return { error: 'the scorer URL names no host', fix };
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[kind];
  if (u.pathname && u.pathname !== '/' && u.pathname !== '')
    return { error: `the scorer URL has a path (${u.pathname}); the scorer's own protocol picks it`, fix };
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { setting: { kind, host, port, url: `${scheme}://${shownHost}:${port}` } };
}
