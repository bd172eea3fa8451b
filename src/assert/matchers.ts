/**
 * Playwright `expect` matchers over a Delivery record:
 *   expect(delivery).toPassAuthentication()                       // SPF, DKIM and DMARC pass
 *   expect(delivery).toPassAuthentication({ methods: ['dkim', 'dmarc'], aligned: true })
 *   expect(delivery).toLandIn('inbox')
 * Failures name every failing method at once, with what the provider reported, so one run shows
 * the whole problem instead of the first symptom.
 */
import { expect as baseExpect } from '@playwright/test';
import type { Placement } from '../model.ts';
import type { Delivery } from '../run/index.ts';
import type { Evidence } from '../evidence/index.ts';

export interface AuthenticationOptions {
  /** methods that must pass, default spf, dkim, dmarc */
  methods?: string[];
  /** also require a passing DKIM signature (and SPF) aligned with the From domain (RFC 7489 §3.1) */
  aligned?: boolean;
}

export const DEFAULT_METHODS = ['spf', 'dkim', 'dmarc'] as const;

function isDelivery(x: unknown): x is Delivery {
  return typeof x === 'object' && x !== null && 'verdict' in x && 'sent' in x;
}

function describe(d: Delivery): string {
  return `${d.provider}/${d.seedId} ${d.variant} (tag ${d.tag})`;
}

/** Every failing method with what the provider said; empty when all required methods pass. */
export function authenticationFailures(evidence: Evidence, opts: AuthenticationOptions = {}): string[] {
  const methods = (opts.methods && opts.methods.length ? opts.methods : [...DEFAULT_METHODS]).map((m) => m.toLowerCase());
  const ar = evidence.authResults;
  if (ar.status !== 'found') return [`no trusted Authentication-Results: ${ar.note}`];
  const failures: string[] = [];
  for (const m of methods) {
    const rs = ar.results.filter((r) => r.method === m);
    if (rs.length === 0) {
      failures.push(`${m}: no result (the provider did not report ${m})`);
      continue;
    }
    const passing = rs.filter((r) => r.result === 'pass' && r.registered);
    if (passing.length === 0) {
      const said = rs
        .map((r) => {
          const props = Object.entries(r.props)
            .filter(([k]) => k !== 'header.b')
            .map(([k, v]) => `${k}=${v}`)
            .join(' ');
          const extra = [r.reason ? `reason=${JSON.stringify(r.reason)}` : '', props, r.comments.length ? `(${r.comments.join(') (')})` : '']
            .filter(Boolean)
            .join(' ');
          return `${r.result}${r.registered ? '' : ' [unregistered keyword]'}${extra ? ' ' + extra : ''}`;
        })
        .join(', ');
      failures.push(`${m}: ${said}`);
      continue;
    }
    if (opts.aligned && m === 'dkim') {
      const aligned = evidence.dkim.some((s) => s.result === 'pass' && (s.alignment === 'strict' || s.alignment === 'relaxed'));
      if (!aligned)
        failures.push(
          `dkim: passed but no passing signature is aligned with the From domain ${evidence.fromDomain ?? '(unknown)'} (signed by ${evidence.dkim.map((s) => s.domain ?? '?').join(', ')})`,
        );
    }
    if (opts.aligned && m === 'spf' && evidence.spf && evidence.spf.alignment === 'none') {
      failures.push(`spf: passed for ${evidence.spf.domain} which is not aligned with the From domain ${evidence.fromDomain ?? '(unknown)'}`);
    }
  }
  return failures;
}

export const expect = baseExpect.extend({
  toPassAuthentication(received: unknown, opts?: AuthenticationOptions) {
    const name = 'toPassAuthentication';
    if (!isDelivery(received)) {
      return { name, pass: false, message: () => 'toPassAuthentication expects a Delivery record (src/model.ts), got ' + typeof received };
    }
    const d = received;
    const methods = opts?.methods?.length ? opts.methods : [...DEFAULT_METHODS];
    const failures = d.evidence ? authenticationFailures(d.evidence, opts) : [`no evidence recorded (verdict: ${d.verdict}${d.detail ? `, ${d.detail}` : ''})`];
    const pass = failures.length === 0;
    const provider =
      d.evidence?.authResults.status === 'found' ? d.evidence.authResults.headers.map((h) => h.authservId ?? '(no authserv-id)').join(', ') : d.provider;
    return {
      name,
      pass,
      expected: methods.map((m) => `${m}=pass`).join(' '),
      actual: d.evidence?.auth,
      message: () =>
        pass
          ? `expected ${describe(d)} not to pass ${methods.join(', ')}, but ${provider} reported all of them as pass`
          : `expected ${describe(d)} to pass ${methods.join(', ')}${opts?.aligned ? ' (aligned)' : ''}; ${provider} reported:\n  ${failures.join('\n  ')}`,
    };
  },

  toLandIn(received: unknown, expected: Placement | 'other-folder') {
    const name = 'toLandIn';
    if (!isDelivery(received)) {
      return { name, pass: false, message: () => 'toLandIn expects a Delivery record (src/model.ts), got ' + typeof received };
    }
    const d = received;
    const pass = expected === 'other-folder' ? d.verdict.startsWith('other-folder:') : d.verdict === expected;
    const lines: string[] = [];
    if (d.sighting?.folder) lines.push(`found in folder ${JSON.stringify(d.sighting.folder)}`);
    if (d.detail) lines.push(d.detail);
    const ev = d.evidence;
    if (ev) {
      const auth = Object.entries(ev.auth)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      if (auth) lines.push(`authentication: ${auth}`);
      else if (ev.authResults.status !== 'found') lines.push(ev.authResults.note);
      const own = ev.spam.verdicts.filter((v) => v.fromProvider);
      for (const v of own.slice(0, 5)) lines.push(`${v.header}: ${v.meaning ?? v.raw}`);
      const a = ev.received.acceptance;
      if (a?.ip) lines.push(`sent from ${a.ip.address} (${a.family})${a.tls ? (a.tls.used ? ` over ${a.tls.version ?? 'TLS'}` : ' without TLS') : ''}`);
    }
    const context = lines.length ? `\n  ${lines.join('\n  ')}` : '';
    return {
      name,
      pass,
      expected,
      actual: d.verdict,
      message: () =>
        pass
          ? `expected ${describe(d)} not to land in ${expected}, but it did${context}`
          : `expected ${describe(d)} to land in ${expected}, but the verdict is ${d.verdict}${context}`,
    };
  },
});
