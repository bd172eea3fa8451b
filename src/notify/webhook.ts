/**
 * Optional webhook when the gate finds a regression or a check that threw (off unless
 * MAILCANARY_WEBHOOK_URL is set).
 * One JSON POST with a `text` field (Slack, Mattermost, Matrix hookshot read it) plus structured
 * fields. Webhook URLs carry their secret (Slack path token, ntfy topic, `user:pass@`): only the
 * scheme and host ever appear in a log or error.
 */
import type { GateResult } from '../gate/index.ts';
import { isOk, type FetchLike } from '../shared/fetch.ts';
export type { FetchLike } from '../shared/fetch.ts';

export interface WebhookOutcome {
  sent: boolean;
  /** `https://host` only: safe to print */
  target: string;
  status?: number;
  error?: string;
}

/** The URL as it may be shown: scheme and host, nothing that can hold a token. */
export function safeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}/…`;
  } catch {
    return '(invalid URL)';
  }
}

export function webhookPayload(gate: GateResult, opts: { lab: boolean; reportPath?: string }): Record<string, unknown> {
  const errors = gate.regressions.filter((r) => r.kind === 'check-error').length;
  const regressions = gate.regressions.length - errors;
  const counts = [regressions || !errors ? `${regressions} regression(s)` : '', errors ? `${errors} check error(s)` : ''].filter(Boolean).join(' and ');
  const head = `${opts.lab ? '[LAB] ' : ''}mailcanary: ${counts} in run ${gate.runId} (baseline ${gate.baselineRunId ?? 'none'})`;
  const lines = gate.regressions.slice(0, 20).map((r) => `- ${r.line}`);
  if (gate.regressions.length > 20) lines.push(`- … and ${gate.regressions.length - 20} more`);
  return {
    text: [head, ...lines].join('\n'),
    runId: gate.runId,
    baselineRunId: gate.baselineRunId,
    lab: opts.lab,
    regressions: gate.regressions.map((r) => ({ kind: r.kind, line: r.line })),
    ...(opts.reportPath ? { report: opts.reportPath } : {}),
  };
}

/** Posts the gate's regressions; never throws (a notification must not change the run's result). */
export async function notifyWebhook(
  url: string | undefined,
  gate: GateResult,
  opts: { lab: boolean; reportPath?: string; fetch?: FetchLike; timeoutMs?: number },
): Promise<WebhookOutcome | undefined> {
  if (!url?.trim() || !gate.regressions.length) return undefined;
  const target = safeTarget(url);
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { sent: false, target, error: 'MAILCANARY_WEBHOOK_URL is not a valid URL: give a full http(s):// address' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return { sent: false, target, error: `MAILCANARY_WEBHOOK_URL must be http(s), not ${parsed.protocol}` };
  const doFetch = opts.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 10_000);
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    // credentials in the URL (https://user:pass@host) go in an Authorization header: fetch refuses them in the URL
    if (parsed.username || parsed.password) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    const res = await doFetch(parsed.toString(), { method: 'POST', headers, body: JSON.stringify(webhookPayload(gate, opts)), signal: ctrl.signal });
    return isOk(res.status)
      ? { sent: true, target, status: res.status }
      : { sent: false, target, status: res.status, error: `webhook answered HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error;
    // the error text of fetch can quote the URL: never pass it on
    return {
      sent: false,
      target,
      error:
        e.name === 'AbortError'
          ? 'webhook did not answer in time'
          : `webhook could not be reached (${(e as { cause?: { code?: string } }).cause?.code ?? e.name})`,
    };
  } finally {
    clearTimeout(timer);
  }
}
