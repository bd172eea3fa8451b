/**
 * Which server checks a configuration asks for, with their titles, known before any network
 * access (Playwright collects tests before running them). `run` does the work for one entry.
 */
import { checkOpenRelay } from './checks/relay.ts';
import { checkMxNames, checkSendingHostName } from './checks/banner.ts';
import { checkMxTls, checkSubmissionTls, submissionTitle } from './checks/tls.ts';
import { checkWebsite, checkPtrWebsite } from './checks/web.ts';
import { checkReputation } from './checks/reputation.ts';
import type { CheckResult, ServerCheckDeps, ServerConfig } from './types.ts';
import { internalErrorOutcome } from '../shared/internal-error.ts';

export interface PlannedServerCheck {
  /** `open-relay`, `banner`, `tls`, `website`, `reputation` */
  id: string;
  title: string;
  /** what is checked (domain, IP, submission host), known before the check runs */
  target: string;
  run(config: ServerConfig, deps: ServerCheckDeps): Promise<CheckResult>;
}

export function planServerChecks(config: ServerConfig): PlannedServerCheck[] {
  const plan: PlannedServerCheck[] = [];
  for (const d of config.domains) {
    plan.push({ id: 'open-relay', target: d, title: `open relay › ${d} MX refuses to relay`, run: (c, deps) => checkOpenRelay(d, c, deps) });
    plan.push({ id: 'banner', target: d, title: `banner › ${d} MX greeting and EHLO name match the PTR`, run: (c, deps) => checkMxNames(d, c, deps) });
    plan.push({ id: 'tls', target: d, title: `tls › ${d} MX offers STARTTLS with a valid certificate`, run: (c, deps) => checkMxTls(d, c, deps) });
  }
  for (const ip of config.sendingIps) {
    plan.push({
      id: 'banner',
      target: ip,
      title: `banner › sending host ${ip} EHLO name matches the PTR`,
      run: (c, deps) => checkSendingHostName(ip, c, deps),
    });
  }
  plan.push({
    id: 'tls',
    target: config.submissionHost ?? config.domains[0],
    title: submissionTitle(config, 'submission'),
    run: (c, deps) => checkSubmissionTls('submission', c, deps),
  });
  if (config.ports.smtps !== null)
    plan.push({
      id: 'tls',
      target: config.submissionHost ?? config.domains[0],
      title: submissionTitle(config, 'smtps'),
      run: (c, deps) => checkSubmissionTls('smtps', c, deps),
    });
  for (const d of config.domains) {
    plan.push({
      id: 'website',
      target: d,
      title: `website › ${d} serves a page with imprint or contact details over HTTPS`,
      run: (c, deps) => checkWebsite(d, c, deps),
    });
  }
  if (config.sendingIps.length) {
    plan.push({
      id: 'website',
      target: config.sendingIps.join(', '),
      title: "website › the domain of the sending IPs' PTR names serves a page with contact details",
      run: (c, deps) => checkPtrWebsite(c, deps),
    });
  }
  for (const ip of config.sendingIps) {
    plan.push({
      id: 'reputation',
      target: ip,
      title: `reputation › ${ip} by DNS reputation services and block lists`,
      run: (c, deps) => checkReputation(ip, c, deps),
    });
  }
  return plan;
}

/**
 * Runs one planned check. An exception escaping it is a mailcanary bug or a condition the check
 * does not handle: the result is `error` with the message and where it was thrown (a network
 * that does not answer is `unknown`, and the checks return that as data), so one broken check
 * never takes the others down and never passes as silence.
 */
export async function runServerCheck(p: PlannedServerCheck, config: ServerConfig, deps: ServerCheckDeps): Promise<CheckResult> {
  try {
    const r = await p.run(config, deps);
    return { ...r, title: p.title };
  } catch (err) {
    return { id: p.id, title: p.title, target: p.target, ...internalErrorOutcome(p.id, err) };
  }
}
