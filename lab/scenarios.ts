/**
 * Lab scenarios as data. A scenario changes what the lab's DNS publishes and how the provider
 * MX simulators judge mail; adding one is adding an entry to SCENARIOS (no code paths per name).
 *
 * The active scenario is persisted in `STATE/scenario.json`; the MX sims re-read it for every
 * message, the DNS is re-rendered and NSD reloaded by `setScenario()`.
 */
import type { ProviderId } from './topology.ts';

export interface TempfailRule {
  /** answer this many attempts per Message-ID with a 4xx, then accept */
  attempts: number;
  code: number;
  text: string;
}

export interface Scenario {
  name: string;
  description: string;
  dns: {
    /**
     * which public key `mc2026._domainkey` publishes: the one OpenDKIM signs with, or the
     * previous one (a key rotation that was never published → dkim=fail, RFC 6376 §6.1.3)
     */
    dkimKey: 'signing' | 'stale';
  };
  mx: {
    /** sending IPs on a provider's allowlist; a provider listed here rejects everybody else */
    allowlist: Partial<Record<ProviderId, string[]>>;
    tempfail: Partial<Record<ProviderId, TempfailRule>>;
  };
}

export const SENDER_IPS = ['127.0.0.1', '::1'];

const healthy: Scenario = {
  name: 'healthy',
  description: 'everything set up right: SPF, DKIM, DMARC pass, t-online-like allowlists the sender',
  dns: { dkimKey: 'signing' },
  mx: { allowlist: { 't-online': [...SENDER_IPS] }, tempfail: {} },
};

function variant(name: string, description: string, change: (s: Scenario) => void): Scenario {
  const s: Scenario = structuredClone(healthy);
  s.name = name;
  s.description = description;
  change(s);
  return s;
}

export const SCENARIOS: Record<string, Scenario> = {
  healthy,
  'dkim-broken': variant('dkim-broken', 'DNS publishes an old DKIM key: OpenDKIM signs with a key nobody can verify', (s) => {
    s.dns.dkimKey = 'stale';
  }),
  'tonline-not-allowlisted': variant('tonline-not-allowlisted', 't-online-like no longer allowlists the sending IPs (NOWL reject)', (s) => {
    s.mx.allowlist['t-online'] = [];
  }),
  'outlook-tempfail': variant('outlook-tempfail', 'outlook-like answers 451 4.7.500 to the first 2 attempts per message', (s) => {
    s.mx.tempfail.outlook = { attempts: 2, code: 451, text: '4.7.500 Server busy. Please try again later.' };
  }),
};

export function scenarioNames(): string[] {
  return Object.keys(SCENARIOS);
}

/** Looks a scenario up by name; unknown names get an error listing the known ones. */
export function getScenario(name: string): Scenario {
  const s = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
  if (!s) throw new Error(`unknown lab scenario ${JSON.stringify(name)}: use one of ${scenarioNames().join(', ')}`);
  return s;
}

/** Parses scenario.json as written by setScenario; a broken file falls back to `healthy` with a reason. */
export function parseScenarioFile(text: string): { scenario: Scenario; error?: string } {
  try {
    const data = JSON.parse(text) as { name?: unknown };
    if (typeof data.name !== 'string') return { scenario: healthy, error: 'scenario.json has no "name"' };
    return { scenario: getScenario(data.name) };
  } catch (err) {
    return { scenario: healthy, error: `scenario.json unreadable: ${(err as Error).message}` };
  }
}
