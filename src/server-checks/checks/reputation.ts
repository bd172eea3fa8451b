/**
 * Reputation by DNS: services that answer a reputation for an IP over DNS, queried like a
 * DNSBL (RFC 5782 §2.1, reversed octets), joined with the block lists of the DNS posture suite
 * so one result says how the sending IP is seen.
 *   - Return Path SenderScore, `score.senderscore.com`: 127.0.4.<score 0..100>
 *   - Mailspike reputation, `rep.mailspike.net`: 127.0.0.10 (L5, worst) .. 127.0.0.20 (H5, excellent)
 * No answer (NXDOMAIN) means the service has too little data on the IP: common for small servers.
 */
import { isIP } from 'node:net';
import { lookup } from '../../shared/dns/resolver.ts';
import type { Resolver } from '../../shared/dns/resolver.ts';
import { reversedIp } from '../../shared/dns/names.ts';
import { queryList } from '../../posture/index.ts';
import type { ListAnswer } from '../../posture/index.ts';
import type { DnsList } from '../../posture/index.ts';
import type { CheckResult, CheckStatus, ServerCheckDeps, ServerConfig } from '../types.ts';

export interface ReputationReading {
  status: Exclude<CheckStatus, 'unknown' | 'error'>;
  /** e.g. "SenderScore 92 of 100" */
  meaning: string;
  score?: number;
}

export interface ReputationService {
  id: string;
  name: string;
  zone: string;
  lookupUrl: string;
  /** pure: what an A answer means; undefined for an answer outside the service's documented range */
  decode(answer: string): ReputationReading | undefined;
}

const MAILSPIKE_LEVELS: Record<number, [string, ReputationReading['status']]> = {
  10: ['L5, worst reputation', 'fail'],
  11: ['L4, very bad reputation', 'fail'],
  12: ['L3, bad reputation', 'fail'],
  13: ['L2, suspicious', 'warn'],
  14: ['L1, neutral, probably spam', 'warn'],
  15: ['H0, neutral', 'pass'],
  16: ['H1, possibly legitimate', 'pass'],
  17: ['H2, good', 'pass'],
  18: ['H3, very good', 'pass'],
  19: ['H4, excellent', 'pass'],
  20: ['H5, excellent', 'pass'],
};

export const REPUTATION_SERVICES: ReputationService[] = [
  {
    id: 'senderscore',
    name: 'Return Path SenderScore',
    zone: 'score.senderscore.com',
    lookupUrl: 'https://senderscore.org/',
    decode(a) {
      const m = /^127\.0\.4\.(\d{1,3})$/.exec(a);
      if (!m || Number(m[1]) > 100) return undefined;
      const score = Number(m[1]);
      // Validity's guidance: above 80 good, 70-80 watched, below 70 filtered by many receivers
      return { score, status: score >= 80 ? 'pass' : score >= 70 ? 'warn' : 'fail', meaning: `SenderScore ${score} of 100` };
    },
  },
  {
    id: 'mailspike',
    name: 'Mailspike reputation',
    zone: 'rep.mailspike.net',
    lookupUrl: 'https://mailspike.io/',
    decode(a) {
      const m = /^127\.0\.0\.(\d{1,3})$/.exec(a);
      const level = m ? MAILSPIKE_LEVELS[Number(m[1])] : undefined;
      return level ? { status: level[1], meaning: `Mailspike ${level[0]}` } : undefined;
    },
  },
];

export interface ServiceOutcome {
  service: string;
  zone: string;
  query: string;
  /** `none`: no data on this IP; `unknown`: DNS failed or an undocumented answer */
  outcome: 'reading' | 'none' | 'unknown';
  reading?: ReputationReading;
  answers?: string[];
  error?: string;
}

export async function queryReputation(service: ReputationService, ip: string, resolver: Resolver): Promise<ServiceOutcome> {
  const query = `${reversedIp(ip)}.${service.zone}`;
  const base = { service: service.name, zone: service.zone, query };
  const r = await lookup(resolver, query, 'A');
  if (!r.ok) return r.none ? { ...base, outcome: 'none' } : { ...base, outcome: 'unknown', error: r.error };
  const readings = r.records.map((a) => service.decode(a)).filter((x): x is ReputationReading => Boolean(x));
  if (readings.length === 0) return { ...base, outcome: 'unknown', answers: r.records, error: `undocumented answer ${r.records.join(', ')}` };
  return { ...base, outcome: 'reading', reading: readings[0], answers: r.records };
}

/** Pure: the reputation result from the service outcomes and the block list answers. */
export function reputationResult(ip: string, services: ServiceOutcome[], lists: { list: DnsList; answer: ListAnswer }[]): CheckResult {
  const base = { id: 'reputation', title: `reputation › ${ip} by DNS reputation services and block lists`, target: ip };
  const listed = lists.filter((l) => l.list.kind === 'block' && l.answer.outcome === 'listed');
  const readings = services.filter((s) => s.outcome === 'reading');
  const bad = readings.filter((s) => s.reading!.status === 'fail');
  const poor = readings.filter((s) => s.reading!.status === 'warn');
  const parts = [
    ...readings.map((s) => s.reading!.meaning),
    ...services.filter((s) => s.outcome === 'none').map((s) => `${s.service}: no data`),
    ...services.filter((s) => s.outcome === 'unknown').map((s) => `${s.service}: ${s.error}`),
    ...listed.map((l) => `listed on ${l.list.name} (${l.answer.meanings.join(', ')})`),
  ];
  const details = {
    services,
    blocklists: lists.map((l) => ({ zone: l.list.zone, name: l.list.name, outcome: l.answer.outcome, meanings: l.answer.meanings })),
  };
  const notAnswered = lists.filter((l) => l.answer.outcome === 'refused' || l.answer.outcome === 'unknown').map((l) => l.list.zone);
  const warnings = notAnswered.length ? [`block lists that did not answer this resolver: ${notAnswered.join(', ')} (see the DNS posture suite)`] : [];
  if (bad.length || listed.length) {
    const urls = [...bad.map((s) => REPUTATION_SERVICES.find((x) => x.zone === s.zone)?.lookupUrl), ...listed.map((l) => l.list.lookupUrl)].filter(Boolean);
    return {
      ...base,
      status: 'fail',
      summary: parts.join('; '),
      fix: `find out why (compromised account or form, open relay, bought lists, sudden volume), stop it, then ask for review${urls.length ? `: ${[...new Set(urls)].join(', ')}` : ''}; reputation recovers over weeks of clean, steady sending`,
      details,
      ...(warnings.length ? { warnings } : {}),
    };
  }
  const checked = readings.length + services.filter((s) => s.outcome === 'none').length + lists.filter((l) => l.answer.outcome === 'not-listed').length;
  if (checked === 0)
    return {
      ...base,
      status: 'unknown',
      summary: `${services.length ? '' : 'no DNS reputation service covers IPv6; '}no reputation service or block list answered${parts.length ? `: ${parts.join('; ')}` : notAnswered.length ? ` (${notAnswered.join(', ')})` : ''}`,
      fix: 'set MAILCANARY_DNS_SERVERS to a resolver that reaches these services (your own recursive resolver)',
      details,
    };
  if (poor.length) {
    return {
      ...base,
      status: 'warn',
      summary: parts.join('; '),
      fix: 'reputation is middling: check complaint rates (Google Postmaster Tools, Microsoft SNDS), remove inactive recipients and keep volume steady',
      details,
      warnings: [...poor.map((s) => s.reading!.meaning), ...warnings],
    };
  }
  return {
    ...base,
    status: 'pass',
    summary: `${parts.join('; ') || 'no data'}; not on any block list that answered`,
    details,
    ...(warnings.length ? { warnings } : {}),
  };
}

export async function checkReputation(
  ip: string,
  config: ServerConfig,
  deps: ServerCheckDeps,
  services: ReputationService[] = REPUTATION_SERVICES,
): Promise<CheckResult> {
  const family = isIP(ip) === 4 ? 'ip4' : 'ip6';
  // the reputation services answer for IPv4 only; an IPv6 sender is judged by the block lists
  const outcomes = family === 'ip4' ? await Promise.all(services.map((s) => queryReputation(s, ip, deps.resolver))) : [];
  const lists = config.lists.filter((l) => l.kind === 'block' && l.covers.includes(family));
  const answers = await Promise.all(lists.map(async (list) => ({ list, answer: await queryList(list, ip, deps.resolver) })));
  return reputationResult(ip, outcomes, answers);
}
